/**
 * `npm run bench:whatsapp -- webhooks` — signed Cloud API webhook events ingested per second on
 * PostgreSQL: verify the signature over the raw body, dedupe, store, update. The load is what a
 * busy number receives: `delivered` and `read` for messages it sent, new customer messages, and
 * 10 % redeliveries (Meta retries). One event per POST, as Meta mostly sends them, from 32
 * concurrent connections. Afterwards every message must be `read` and every customer message
 * stored exactly once.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../src/test-support/fakes/cloud-api-webhooks.ts';
import { freePort } from '../support/free-port.ts';
import { connectCloudChannel, jsonClient, withPostgresDatabase } from '../support/http-json.ts';
import { startServer } from '../support/server-process.ts';

const SENT = Number(process.env.BENCH_MESSAGES ?? 5_000);
const INBOUND = Math.round(SENT * 0.4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CONTACTS = 200;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `ert_bench_${Math.random().toString(36).slice(2)}`;
const request = jsonClient(TOKEN, 16);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function postSigned(url: string, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function shuffle<T>(list: T[], seed = 42): T[] {
  let s = seed;
  const random = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

export async function measureWebhookIngest(): Promise<Record<string, number | boolean>> {
  return withPostgresDatabase(ADMIN_URL, 'errata_bench_webhooks', async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'errata-bench-'));
    const fake = await startCloudApiFake({ throughputPerSecond: 1_000, serviceWindow: 'off', phoneNumberId: '109200000000001' });
    const server = await startServer(
      { DATABASE_URL: databaseUrl, ERRATA_DATA_DIR: dataDir, ERRATA_ADMIN_TOKEN: TOKEN, ERRATA_ADMIN_EMAIL: 'bench@errata.local' },
      await freePort(),
    );
    const webhookUrl = `${server.url}/webhooks/whatsapp`;
    try {
      const base = server.url;
      const { contactIds: contacts, phones } = await connectCloudChannel(request, base, fake, {
        ratePerSecond: 1_000,
        defaultHoldSeconds: 0,
        contacts: CONTACTS,
        phonePrefix: '3361500',
      });
      let next = 0;
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < SENT) {
            const i = next++;
            const r = await request(base, 'POST', '/api/v1/messages', { contactId: contacts[i % contacts.length], text: `Commande ${i} expédiée.` });
            if (r.status !== 202) throw new Error(`send: ${r.status} ${JSON.stringify(r.json)}`);
            ids.push(r.json.id);
          }
        }),
      );
      const deadline = Date.now() + 120_000;
      while (fake.accepted.length < SENT && Date.now() < deadline) await sleep(100);
      await sleep(1_500); // let the sender record the last answers

      // The load: signed bodies prepared in advance, so the client measures the server.
      const bodies: string[] = [];
      for (const m of fake.accepted) {
        bodies.push(JSON.stringify(fake.webhooks.statusFor(m.wamid, 'delivered')));
        bodies.push(JSON.stringify(fake.webhooks.statusFor(m.wamid, 'read')));
      }
      for (let i = 0; i < INBOUND; i++) {
        bodies.push(JSON.stringify(fake.webhooks.inboundText({ from: phones[i % CONTACTS]!, body: `Merci ! (${i})`, id: customerWamid(`bench-${i}`) })));
      }
      const repeats = shuffle([...bodies]).slice(0, Math.round(bodies.length * 0.1));
      const load = shuffle([...bodies, ...repeats]).map((body) => ({ body, signature: fake.sign(body) }));

      let cursor = 0;
      let failures = 0;
      // CPU spent by the server and by PostgreSQL on this database (its backends and WAL writer):
      // steadier than events/s on a shared machine, where others' load moves the wall clock.
      const cpuBefore = await cpuTicks(databaseUrl, server.child.pid!);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (cursor < load.length) {
            const item = load[cursor++]!;
            const status = await postSigned(webhookUrl, item.body, item.signature);
            if (status !== 200) failures++;
          }
        }),
      );
      const acknowledgedSeconds = (performance.now() - started) / 1000;
      // Ingested means applied too: wait until no stored event is pending.
      while ((await pendingEvents(databaseUrl)) > 0) await sleep(20);
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = await cpuTicks(databaseUrl, server.child.pid!);
      const perThousand = (ticks: number) => Math.round(((ticks * 1000) / TICKS_PER_SECOND / load.length) * 1000);

      const read = await Promise.all(ids.slice(0, 200).map((id) => request(base, 'GET', `/api/v1/messages/${id}`)));
      const allRead = read.every((r) => r.json.status === 'read');
      const inboundStored = await countInbound(databaseUrl);
      return {
        events: load.length,
        redeliveries: repeats.length,
        seconds: Math.round(seconds * 100) / 100,
        /** Verified, deduplicated, stored and applied to messages, per second. */
        eventsPerSecond: Math.round(load.length / seconds),
        /** Verified, deduplicated and durably stored (the 200 sent), per second. */
        acknowledgedPerSecond: Math.round(load.length / acknowledgedSeconds),
        non200: failures,
        /** CPU milliseconds per 1 000 events: the server process, and PostgreSQL for this database. */
        serverCpuMsPer1000: perThousand(cpuAfter.server - cpuBefore.server),
        postgresCpuMsPer1000: perThousand(postgresTicks(cpuBefore.postgres, cpuAfter.postgres)),
        sampleAllRead: allRead,
        inboundStoredOnce: inboundStored === INBOUND + CONTACTS,
      };
    } finally {
      await server.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in clock ticks (Linux). */
function processTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function cpuTicks(databaseUrl: string, serverPid: number): Promise<{ server: number; postgres: Map<number, number> }> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const result = await client.query(
    `select pid from pg_stat_activity where (datname = current_database() and pid <> pg_backend_pid()) or backend_type = 'walwriter'`,
  );
  await client.end();
  return { server: processTicks(serverPid), postgres: new Map(result.rows.map((r: { pid: number }) => [r.pid, processTicks(r.pid)])) };
}

/** PostgreSQL ticks between two readings: per process, counting those that started in between from zero. */
function postgresTicks(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0);
  return total;
}

async function pendingEvents(databaseUrl: string): Promise<number> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const result = await client.query('select count(*)::int as n from provider_events where pending');
  await client.end();
  return result.rows[0].n;
}

async function countInbound(databaseUrl: string): Promise<number> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const result = await client.query(`select count(*)::int as n from messages where direction = 'in'`);
  await client.end();
  return result.rows[0].n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureWebhookIngest()
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (result.non200 !== 0 || !result.sampleAllRead || !result.inboundStoredOnce) process.exitCode = 1;
    })
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
