/**
 * `npm run chaos:cluster` — several Errata processes on one PostgreSQL lose nothing, send nothing
 * twice (beyond the same idempotency key) and keep a number's rate while they are killed in turn.
 *
 * Three `errata serve` processes share a database behind a small round-robin proxy (in this
 * script). A client sends CHAOS_MESSAGES (5 000) through the proxy to a Cloud API channel backed by
 * the local fake, which takes at most CHAOS_RATE (200) messages per second; every
 * CHAOS_KILL_EVERY_MS (4 000) a different process is killed with SIGKILL and started again. The
 * fake reports `sent` for what it took, through the proxy, as Meta would. One event-stream client
 * per process (reconnecting with Last-Event-ID, as a browser does) watches the workspace.
 * Checked at the end:
 *   - every accepted message reached the fake, is `sent` with the fake's wamid, and reached it once
 *     (a message handed over twice across a crash carried the same key both times: counted);
 *   - the fake never took more than CHAOS_RATE in any one-second window, and refused nothing;
 *   - each process's client received every message's `message.sent`, except messages sent while
 *     that client's process was down (± 1.5 s), which its stream told it to refetch (`stream.resync`
 *     on reconnecting) — and none is `sent` without the client having heard of it one way or the other.
 *
 * Env: CHAOS_MESSAGES, CHAOS_RATE, CHAOS_KILL_EVERY_MS, CHAOS_MIN_KILLS (3), CHAOS_CONCURRENCY (16),
 * CHAOS_LEASE_SECONDS (4), CHAOS_ADMIN_URL. Exit code 1 on any violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RealtimeEvent } from '../../src/contracts/realtime.ts';
import { startCloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { openEventStream, type SseClient } from '../../src/test-support/sse-client.ts';
import { freePort } from '../support/free-port.ts';
import { connectCloudChannel, jsonClient } from '../support/http-json.ts';
import { startRoundRobinProxy } from '../support/round-robin-proxy.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { startStatusReporter } from '../support/status-reporter.ts';

const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 5_000);
const RATE = Number(process.env.CHAOS_RATE ?? 200);
const KILL_EVERY_MS = Number(process.env.CHAOS_KILL_EVERY_MS ?? 4_000);
const MIN_KILLS = Number(process.env.CHAOS_MIN_KILLS ?? 3);
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
const LEASE_SECONDS = process.env.CHAOS_LEASE_SECONDS ?? '4';
const ADMIN_URL = process.env.CHAOS_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROCESSES = 3;
const CONTACTS = 100;
const MARGIN_MS = 1_500;
const TOKEN = `ert_cluster_${Math.random().toString(36).slice(2)}`;

const request = jsonClient(TOKEN, CONCURRENCY * 2, { timeoutMs: 10_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`  ${line}\n`);

interface Node {
  index: number;
  port: number;
  env: Record<string, string>;
  server: ServerProcess | null;
  /** [from, to] while this process was down (to: Infinity while it still is). */
  down: [number, number][];
}

/** One event-stream client per process: reconnects like EventSource, with the last id it saw. */
class Watcher {
  readonly sentSeen = new Map<string, number>();
  resyncs = 0;
  connected = false;
  private stream: SseClient | null = null;
  private lastEventId: string | undefined;
  private stopped = false;
  private loop: Promise<void>;

  constructor(private readonly node: Node) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const ended = new Promise<void>((resolve) => {
          void openEventStream(`http://127.0.0.1:${this.node.port}`, TOKEN, {
            ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}),
            onEvent: (event: RealtimeEvent) => this.seen(event),
            onEnd: (last) => {
              if (last) this.lastEventId = last;
              resolve();
            },
          }).then(
            (stream) => {
              this.stream = stream;
              this.connected = true;
            },
            () => resolve(),
          );
        });
        await ended;
      } catch {
        // the process is down: try again
      }
      this.connected = false;
      this.stream = null;
      if (!this.stopped) await sleep(200);
    }
  }

  private seen(event: RealtimeEvent): void {
    if (event.type === 'message.sent' && event.messageId && !this.sentSeen.has(event.messageId)) this.sentSeen.set(event.messageId, Date.now());
    if (event.type === 'stream.resync') this.resyncs++;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.close();
    await this.loop;
  }
}

async function main() {
  const started = performance.now();
  const databaseName = `errata_cluster_chaos_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${databaseName} with (force)`);
  await admin.query(`create database ${databaseName}`);
  await admin.end();
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;
  const secretKey = randomBytes(32).toString('base64');
  const dirs: string[] = [];

  const fake = await startCloudApiFake({ throughputPerSecond: RATE, serviceWindow: 'off', phoneNumberId: '109000000000013' });
  const nodes: Node[] = [];
  for (let index = 0; index < PROCESSES; index++) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `errata-cluster-${index}-`));
    dirs.push(dataDir);
    nodes.push({
      index,
      port: await freePort(),
      server: null,
      down: [],
      env: {
        DATABASE_URL: databaseUrl.toString(),
        DATABASE_POOL_SIZE: '10',
        ERRATA_DATA_DIR: dataDir,
        ERRATA_SECRET_KEY: secretKey,
        ERRATA_ADMIN_TOKEN: TOKEN,
        ERRATA_ADMIN_EMAIL: 'cluster@errata.local',
        ERRATA_SEND_LEASE_SECONDS: LEASE_SECONDS,
        ERRATA_PROVIDER_TIMEOUT_MS: '2000',
      },
    });
  }
  // The first process prepares the database and the first admin; the others join it.
  nodes[0]!.server = await startServer(nodes[0]!.env, nodes[0]!.port);
  await Promise.all(nodes.slice(1).map(async (n) => (n.server = await startServer(n.env, n.port))));
  const proxy = await startRoundRobinProxy(() => nodes.map((n) => `http://127.0.0.1:${n.port}`));
  const base = proxy.url;
  log(`3 processes on ${databaseName}, proxy ${base}, fake at ${RATE}/s (${Math.round(performance.now() - started)} ms)`);

  const watchers = nodes.map((n) => new Watcher(n));
  let kills = 0;
  let stopKilling = false;
  let statusReporter: { stop(): Promise<void> } | undefined;
  const problems: string[] = [];

  try {
    const { contactIds } = await connectCloudChannel(request, base, fake, {
      ratePerSecond: RATE,
      defaultHoldSeconds: 0,
      contacts: CONTACTS,
      phonePrefix: '3361400',
    });
    for (let i = 0; i < 100 && !watchers.every((w) => w.connected); i++) await sleep(50);

    statusReporter = startStatusReporter(fake, base, 16);

    // SIGKILL a different process every few seconds, and start it again.
    const killer = (async () => {
      await sleep(KILL_EVERY_MS / 2);
      while (!stopKilling || kills < MIN_KILLS) {
        const node = nodes[kills % PROCESSES]!;
        const server = node.server!;
        const downSince = Date.now();
        node.down.push([downSince, Number.POSITIVE_INFINITY]);
        server.child.kill('SIGKILL');
        await new Promise((resolve) => (server.child.exitCode !== null ? resolve(null) : server.child.once('exit', resolve)));
        kills++;
        log(`SIGKILL #${kills}: process ${node.index} (${fake.accepted.length} at the fake)`);
        node.server = await startServer(node.env, node.port);
        node.down[node.down.length - 1]![1] = Date.now();
        await sleep(KILL_EVERY_MS);
      }
    })();

    const accepted = new Map<number, string>();
    let next = 0;
    const sendStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const i = next++;
          if (i >= MESSAGES) return;
          for (let attempt = 0; ; attempt++) {
            try {
              const response = await request(base, 'POST', '/api/v1/messages', {
                contactId: contactIds[i % CONTACTS],
                text: `Commande ${i} : votre colis part demain.`,
                idempotencyKey: `cluster-${i}`,
              });
              if (response.status === 202 || response.status === 200) {
                accepted.set(i, response.json.id);
                break;
              }
              if (response.status < 500) throw new Error(`status ${response.status}: ${JSON.stringify(response.json)}`);
            } catch (error) {
              if (attempt > 300 || (error instanceof Error && error.message.startsWith('status '))) throw error;
            }
            await sleep(100);
          }
        }
      }),
    );
    const acceptSeconds = (performance.now() - sendStarted) / 1000;
    log(`${accepted.size} accepted in ${acceptSeconds.toFixed(1)} s`);

    const ids = new Set(accepted.values());
    const deadline = Date.now() + Math.max(120_000, (MESSAGES / RATE) * 4_000);
    let keysAtFake = new Set<string>();
    while (Date.now() < deadline) {
      keysAtFake = new Set(fake.accepted.map((m) => m.bizOpaqueCallbackData ?? ''));
      if ([...ids].every((id) => keysAtFake.has(id))) break;
      await sleep(250);
    }
    stopKilling = true;
    await killer;
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    await statusReporter.stop();

    // Every message `sent`, with the fake's wamid; and when each became so.
    const wamidsByKey = new Map<string, Set<string>>();
    for (const m of fake.accepted) {
      const set = wamidsByKey.get(m.bizOpaqueCallbackData ?? '') ?? new Set();
      set.add(m.wamid);
      wamidsByKey.set(m.bizOpaqueCallbackData ?? '', set);
    }
    const sentAt = new Map<string, number>();
    let notSent = 0;
    let wrongWamid = 0;
    for (let round = 0; round < 40; round++) {
      notSent = 0;
      wrongWamid = 0;
      const list = [...ids].filter((id) => !sentAt.has(id));
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, worker) => {
          for (let k = worker; k < list.length; k += CONCURRENCY) {
            const m = await request(base, 'GET', `/api/v1/messages/${list[k]}`);
            if (m.json?.status !== 'sent') notSent++;
            else if (!wamidsByKey.get(list[k]!)?.has(m.json.delivery?.providerMessageId)) wrongWamid++;
            else sentAt.set(list[k]!, Date.parse(m.json.sentAt));
          }
        }),
      );
      if (notSent === 0) break;
      await sleep(500);
    }
    // Give the streams a moment for the last events.
    await sleep(1_500);

    const report = fake.duplicateReport();
    const missing = [...ids].filter((id) => !keysAtFake.has(id));
    if (missing.length > 0) problems.push(`${missing.length} accepted messages never reached WhatsApp (e.g. ${missing[0]})`);
    const unknown = [...keysAtFake].filter((k) => !ids.has(k));
    if (unknown.length > 0) problems.push(`${unknown.length} messages reached WhatsApp that the API never accepted`);
    if (report.withoutKey > 0) problems.push(`${report.withoutKey} messages reached WhatsApp without an idempotency key`);
    if (report.unkeyedRepeats.length > 0) problems.push(`${report.unkeyedRepeats.length} repeated messages without a key`);
    if (ids.size !== MESSAGES) problems.push(`${MESSAGES - ids.size} messages have no id of their own`);
    if (notSent > 0) problems.push(`${notSent} accepted messages are not marked sent`);
    if (wrongWamid > 0) problems.push(`${wrongWamid} messages carry a wamid the fake did not give them`);

    const times = fake.accepted.map((m) => m.at).sort((x, y) => x - y);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    if (busiest > RATE) problems.push(`the fake took ${busiest} messages in one second (limit ${RATE})`);
    const refused = fake.received.filter((r) => r.outcome.kind === 'answered' && r.outcome.status !== 200).length;
    if (refused > 0) problems.push(`the fake refused ${refused} requests (over the rate?)`);

    const streams = watchers.map((w, k) => {
      const node = nodes[k]!;
      let live = 0;
      let whileDown = 0;
      let missed = 0;
      for (const id of ids) {
        if (w.sentSeen.has(id)) live++;
        else {
          const at = sentAt.get(id) ?? 0;
          if (node.down.some(([from, to]) => at >= from - MARGIN_MS && at <= to + MARGIN_MS)) whileDown++;
          else missed++;
        }
      }
      const restarts = node.down.length;
      if (missed > 0) problems.push(`the event stream on process ${k} missed ${missed} messages' final state while connected`);
      if (restarts > 0 && w.resyncs < restarts) problems.push(`the event stream on process ${k} reconnected ${restarts} times but was told to refetch ${w.resyncs} times`);
      return { process: k, live, sentWhileItsProcessWasDown: whileDown, missed, restarts, resyncs: w.resyncs };
    });

    const summary = {
      processes: PROCESSES,
      messages: MESSAGES,
      accepted: ids.size,
      kills,
      acceptSeconds: Math.round(acceptSeconds * 10) / 10,
      untilAllAtTheFakeSeconds: Math.round(sendSeconds * 10) / 10,
      atTheFake: report.accepted,
      duplicatesWithSameKey: report.duplicateKeys.length,
      busiestSecondAtTheFake: busiest,
      rateLimit: RATE,
      refusedByTheFake: refused,
      requestsCutByACrash: proxy.cut,
      streams,
      totalSeconds: Math.round((performance.now() - started) / 100) / 10,
      ok: problems.length === 0,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    stopKilling = true;
    void statusReporter?.stop();
    await Promise.all(watchers.map((w) => w.stop()));
    await proxy.close();
    await Promise.all(nodes.map((n) => n.server?.stop()));
    await fake.close();
    request.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    const again = new pg.Client({ connectionString: ADMIN_URL });
    await again.connect();
    await again.query(`drop database if exists ${databaseName} with (force)`);
    await again.end();
  }
  if (problems.length > 0) {
    for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`OK: every accepted message reached WhatsApp once per key, never over ${RATE}/s, and every process's event stream heard of every final state.\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
