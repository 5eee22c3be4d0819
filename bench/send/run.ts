/**
 * `npm run bench:send` — messages per second accepted through the HTTP API and delivered by the
 * simulator, with request latency percentiles; on PostgreSQL (the bar) and on PGlite.
 * The database's raw single-row insert+commit rate, measured in the same run with the same
 * concurrency, is printed as the ceiling.
 *
 * Options (env): BENCH_MESSAGES (default 10000), BENCH_CONCURRENCY (default 16),
 * BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_SKIP_PGLITE=1,
 * BENCH_HOLD_SECONDS (default 0: the bar's setting; with a hold, delivery waits for each release).
 *
 * `--processes N`: instead, the same load on PostgreSQL against 1 and then N `errata serve`
 * processes sharing one database (requests alternate between them), each on a fresh database,
 * and the ratio of the two throughputs: what coordinating several processes costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { jsonClient } from '../support/http-json.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOLD_SECONDS = Number(process.env.BENCH_HOLD_SECONDS ?? 0);
const TOKEN = `ert_bench_${Math.random().toString(36).slice(2)}`;

const request = jsonClient(TOKEN, CONCURRENCY);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function setupWorkspace(base: string): Promise<string[]> {
  const channel = await request(base, 'POST', '/api/v1/channels', { type: 'simulator', name: 'Bench', defaultHoldSeconds: HOLD_SECONDS });
  if (channel.status !== 201) throw new Error(`channel: ${JSON.stringify(channel.json)}`);
  const contacts: string[] = [];
  for (let i = 0; i < 50; i++) {
    const phone = `+3361234${String(5000 + i).padStart(4, '0')}`;
    const contact = await request(base, 'POST', '/api/v1/contacts', { name: `Client ${i}`, phone, language: i % 2 ? 'en' : 'fr' });
    if (contact.status !== 201) throw new Error(`contact: ${JSON.stringify(contact.json)}`);
    contacts.push(contact.json.id);
  }
  return contacts;
}

async function sendLoad(base: string | readonly string[], contacts: string[], count: number) {
  // Several processes: requests alternate between them, as a round-robin proxy would send them.
  const bases = typeof base === 'string' ? [base] : base;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const response = await request(bases[i % bases.length]!, 'POST', '/api/v1/messages', {
          contactId: contacts[i % contacts.length],
          text: `Bonjour, votre commande n° ${100000 + i} est prête. Merci de votre confiance !`,
          holdSeconds: HOLD_SECONDS,
        });
        latencies.push(performance.now() - t0);
        if (response.status !== 202) errors++;
      }
    }),
  );
  return { latencies, errors, acceptSeconds: (performance.now() - started) / 1000, started };
}

async function countDelivered(db: pg.Client | null, base: string, contacts: string[]): Promise<number> {
  if (db) {
    const r = await db.query(`select count(*)::int as n from messages where status = 'delivered'`);
    return r.rows[0].n;
  }
  // PGlite cannot be opened by a second process: ask the API (conversation pages, newest first).
  let n = 0;
  const conversations = await request(base, 'GET', '/api/v1/conversations?limit=200');
  for (const c of conversations.json.items) {
    let cursor: string | null = null;
    do {
      const page: { json: { items: { status: string }[]; nextCursor: string | null } } = await request(
        base,
        'GET',
        `/api/v1/conversations/${c.id}/messages?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      n += page.json.items.filter((m) => m.status === 'delivered').length;
      cursor = page.json.nextCursor;
    } while (cursor);
  }
  void contacts;
  return n;
}

async function run(label: string, env: Record<string, string>, db: pg.Client | null) {
  const server = await startServer({ ...env, ERRATA_ADMIN_TOKEN: TOKEN, ERRATA_ADMIN_EMAIL: 'bench@errata.local' }, 3917);
  try {
    const contacts = await setupWorkspace(server.url);
    const warm = Math.min(500, Math.floor(MESSAGES / 10));
    await sendLoad(server.url, contacts, warm);
    const baseline = db ? 0 : 0;
    const { latencies, errors, acceptSeconds, started } = await sendLoad(server.url, contacts, MESSAGES);
    const target = warm + MESSAGES;
    let delivered = 0;
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline) {
      delivered = await countDelivered(db, server.url, contacts);
      if (delivered >= target) break;
      await new Promise((r) => setTimeout(r, db ? 20 : 500));
    }
    const endToEndSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const result = {
      label,
      messages: MESSAGES,
      concurrency: CONCURRENCY,
      errors,
      acceptedPerSecond: Math.round(MESSAGES / acceptSeconds),
      deliveredPerSecond: delivered >= target ? Math.round(MESSAGES / endToEndSeconds) : 0,
      allDelivered: delivered >= target,
      p50ms: +percentile(latencies, 50).toFixed(2),
      p99ms: +percentile(latencies, 99).toFixed(2),
      maxms: +(latencies[latencies.length - 1] ?? 0).toFixed(2),
      serverReadyMs: Math.round(server.readyMs),
    };
    void baseline;
    return result;
  } finally {
    await server.stop();
  }
}

/** The database's own ceiling: single-row insert + commit, same concurrency, 3 seconds. */
async function insertCeiling(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: Math.min(CONCURRENCY, 20) });
  await pool.query('create table if not exists bench_ceiling (id bigserial primary key, payload text not null)');
  let count = 0;
  const until = performance.now() + 3_000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await pool.query('insert into bench_ceiling (payload) values ($1)', ['Bonjour, votre commande est prête.']);
        count++;
      }
    }),
  );
  await pool.query('drop table bench_ceiling');
  await pool.end();
  return Math.round(count / 3);
}

/** One database, `processes` servers on it (the first prepares it), the load spread over them. */
async function clusterRun(processes: number) {
  const name = `errata_bench_cluster_${process.pid}_${processes}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    ERRATA_SECRET_KEY: randomBytes(32).toString('base64'),
    ERRATA_ADMIN_TOKEN: TOKEN,
    ERRATA_ADMIN_EMAIL: 'bench@errata.local',
  };
  const servers: ServerProcess[] = [];
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    servers.push(await startServer(env, 3917));
    for (let k = 1; k < processes; k++) servers.push(await startServer(env, 3917 + k));
    await db.connect();
    const bases = servers.map((s) => s.url);
    const contacts = await setupWorkspace(bases[0]!);
    const warm = Math.min(500, Math.floor(MESSAGES / 10));
    await sendLoad(bases, contacts, warm);
    const { latencies, errors, acceptSeconds, started } = await sendLoad(bases, contacts, MESSAGES);
    const target = warm + MESSAGES;
    let delivered = 0;
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline) {
      delivered = await countDelivered(db, bases[0]!, contacts);
      if (delivered >= target) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const endToEndSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      processes,
      messages: MESSAGES,
      concurrency: CONCURRENCY,
      errors,
      acceptedPerSecond: Math.round(MESSAGES / acceptSeconds),
      deliveredPerSecond: delivered >= target ? Math.round(MESSAGES / endToEndSeconds) : 0,
      allDelivered: delivered >= target,
      p50ms: +percentile(latencies, 50).toFixed(2),
      p99ms: +percentile(latencies, 99).toFixed(2),
    };
  } finally {
    await db.end().catch(() => {});
    await Promise.all(servers.map((s) => s.stop()));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function clusterMain(processes: number) {
  const one = await clusterRun(1);
  const many = await clusterRun(processes);
  for (const r of [one, many]) {
    process.stdout.write(
      `postgres, ${r.processes} process${r.processes > 1 ? 'es' : ''}: ${r.messages} msgs @${r.concurrency}: accepted ${r.acceptedPerSecond}/s, ` +
        `accepted+delivered ${r.deliveredPerSecond}/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, errors ${r.errors}\n`,
    );
  }
  const ratio = one.deliveredPerSecond > 0 ? +(many.deliveredPerSecond / one.deliveredPerSecond).toFixed(2) : 0;
  process.stdout.write(`ratio ${processes} processes / 1 process (accepted+delivered): ${ratio}\n`);
  process.stdout.write(`${JSON.stringify({ one, many, ratio })}\n`);
  request.destroy();
  if (one.errors + many.errors > 0 || !one.allDelivered || !many.allDelivered) process.exitCode = 1;
}

async function main() {
  const name = `errata_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const results: Record<string, unknown>[] = [];
  try {
    const db = new pg.Client({ connectionString: url.toString() });
    const ceiling = await insertCeiling(url.toString());
    await db.connect();
    const pgResult = await run('postgres', { DATABASE_URL: url.toString() }, db);
    await db.end();
    results.push({ ...pgResult, insertCommitCeilingPerSecond: ceiling, ratioToCeiling: +(pgResult.deliveredPerSecond / ceiling).toFixed(2) });
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  if (process.env.BENCH_SKIP_PGLITE !== '1') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-bench-'));
    try {
      results.push(await run('pglite', { ERRATA_DATA_DIR: dir }, null));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const r of results) {
    process.stdout.write(
      `${String(r.label).padEnd(9)} ${r.messages} msgs @${r.concurrency}: accepted ${r.acceptedPerSecond}/s, ` +
        `accepted+delivered ${r.deliveredPerSecond}/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, max ${r.maxms} ms, ` +
        `errors ${r.errors}` +
        (r.insertCommitCeilingPerSecond
          ? `, DB insert+commit ceiling ${r.insertCommitCeilingPerSecond}/s (ratio ${r.ratioToCeiling})`
          : '') +
        `, server ready in ${r.serverReadyMs} ms\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  request.destroy();
  const pgRun = results[0] as { deliveredPerSecond: number; p99ms: number; errors: number };
  if (pgRun.deliveredPerSecond < 1000 || pgRun.p99ms > 50 || pgRun.errors > 0) process.exitCode = 1;
}

const processesFlag = process.argv.indexOf('--processes');
if (processesFlag >= 0) {
  const processes = Number(process.argv[processesFlag + 1]);
  if (!Number.isInteger(processes) || processes < 2) throw new Error('--processes takes a whole number, 2 or more');
  await clusterMain(processes);
} else {
  await main();
}
