/**
 * `npm run chaos:send` — proves the send path loses nothing across crashes.
 *
 * Sends CHAOS_MESSAGES (default 5 000) messages through Errata's HTTP API to a WhatsApp Cloud API
 * channel backed by the local fake, kills the server with SIGKILL twice while messages are being
 * accepted and sent, restarts it each time, and then checks, message by message:
 *   - every message the API accepted reached the fake, and is `sent` with the fake's wamid;
 *   - nothing reached the fake that the API did not accept, and nothing without its key;
 *   - a message that reached the fake more than once (the provider may have taken it just before
 *     a crash) carried the same idempotency key every time.
 * The client behaves like a real integrator: a request cut by the crash is sent again with the
 * same idempotency key once the server is back.
 *
 * Env: CHAOS_MESSAGES, CHAOS_CONCURRENCY (16), CHAOS_DB (pglite | postgres; default pglite),
 * CHAOS_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres). Exit code 1 on any violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startCloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { freePort } from '../support/free-port.ts';
import { connectCloudChannel, jsonClient } from '../support/http-json.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { startStatusReporter } from '../support/status-reporter.ts';

const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 5_000);
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
const DB = process.env.CHAOS_DB ?? 'pglite';
const ADMIN_URL = process.env.CHAOS_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONTACTS = 100;
const TOKEN = `ert_chaos_${Math.random().toString(36).slice(2)}`;
const KILL_AT = [Math.floor(MESSAGES * 0.3), Math.floor(MESSAGES * 0.65)];

const request = jsonClient(TOKEN, CONCURRENCY, { timeoutMs: 10_000 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'errata-chaos-'));
  let databaseName: string | null = null;
  const env: Record<string, string> = {
    ERRATA_DATA_DIR: dataDir,
    ERRATA_ADMIN_TOKEN: TOKEN,
    ERRATA_ADMIN_EMAIL: 'chaos@errata.local',
    // Short leases: a send the crash interrupted is retried seconds after the restart, unless
    // its status webhook (which carries our key) settled it first.
    ERRATA_SEND_LEASE_SECONDS: '8',
    ERRATA_PROVIDER_TIMEOUT_MS: '2000',
  };
  if (DB === 'postgres') {
    databaseName = `errata_chaos_${process.pid}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${databaseName}`;
    env.DATABASE_URL = url.toString();
  }

  const fake = await startCloudApiFake({ throughputPerSecond: 1_000, serviceWindow: 'off', phoneNumberId: '109000000000001' });
  const port = await freePort();
  let server: ServerProcess = await startServer(env, port);
  const base = server.url;
  let restarts = 0;
  let kills = 0;

  try {
    // A one-second hold: crashes hit held messages, releases and sends in flight alike.
    const { contactIds } = await connectCloudChannel(request, base, fake, {
      ratePerSecond: 1_000,
      defaultHoldSeconds: 1,
      contacts: CONTACTS,
      phonePrefix: '3361300',
    });
    if (contactIds.length !== CONTACTS) throw new Error(`expected ${CONTACTS} contacts, got ${contactIds.length}`);

    const statusReporter = startStatusReporter(fake, base, 8);

    const accepted = new Map<number, string>();
    let next = 0;
    let down = false;
    let killing: Promise<void> | null = null;
    const started = performance.now();

    const crash = async () => {
      down = true;
      kills++;
      const inFlight = fake.accepted.length;
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));
      process.stdout.write(`  SIGKILL #${kills} after ${accepted.size} accepted, ${inFlight} at the fake\n`);
      server = await startServer(env, port);
      restarts++;
      down = false;
    };

    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (true) {
          const i = next++;
          if (i >= MESSAGES) return;
          // Retry until this message is accepted: same idempotency key every time.
          for (let attempt = 0; ; attempt++) {
            while (down) await sleep(50);
            try {
              const response = await request(base, 'POST', '/api/v1/messages', {
                contactId: contactIds[i % CONTACTS],
                text: `Commande ${i} : votre colis part demain.`,
                idempotencyKey: `chaos-${i}`,
              });
              if (response.status === 202 || response.status === 200) {
                accepted.set(i, response.json.id);
                break;
              }
              throw new Error(`status ${response.status}: ${JSON.stringify(response.json)}`);
            } catch (error) {
              if (attempt > 200) throw error;
              await sleep(100);
            }
          }
          if (kills < KILL_AT.length && accepted.size >= KILL_AT[kills]! && !killing) {
            killing = crash().finally(() => {
              killing = null;
            });
          }
        }
      }),
    );
    if (killing) await killing;
    const acceptSeconds = (performance.now() - started) / 1000;

    // Wait until the fake has every accepted message (or give up after a while).
    const ids = new Set(accepted.values());
    const deadline = Date.now() + 120_000;
    let keysAtFake = new Set<string>();
    while (Date.now() < deadline) {
      keysAtFake = new Set(fake.accepted.map((m) => m.bizOpaqueCallbackData ?? ''));
      if ([...ids].every((id) => keysAtFake.has(id))) break;
      await sleep(250);
    }
    await sleep(1_000);
    await statusReporter.stop();

    const report = fake.duplicateReport();
    const problems: string[] = [];
    const missing = [...ids].filter((id) => !keysAtFake.has(id));
    if (missing.length > 0) problems.push(`${missing.length} accepted messages never reached WhatsApp (e.g. ${missing[0]})`);
    const unknown = [...keysAtFake].filter((k) => !ids.has(k));
    if (unknown.length > 0) problems.push(`${unknown.length} messages reached WhatsApp that the API never accepted`);
    if (report.withoutKey > 0) problems.push(`${report.withoutKey} messages reached WhatsApp without an idempotency key`);
    if (ids.size !== MESSAGES) problems.push(`${MESSAGES - ids.size} messages have no id (idempotency keys mapped to one message each?)`);

    // Every accepted message is `sent` with the wamid the fake gave it.
    const wamidsByKey = new Map<string, Set<string>>();
    for (const m of fake.accepted) {
      const set = wamidsByKey.get(m.bizOpaqueCallbackData ?? '') ?? new Set();
      set.add(m.wamid);
      wamidsByKey.set(m.bizOpaqueCallbackData ?? '', set);
    }
    let notSent = 0;
    let wrongWamid = 0;
    const list = [...ids];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let k = worker; k < list.length; k += CONCURRENCY) {
          const id = list[k]!;
          const m = await request(server.url, 'GET', `/api/v1/messages/${id}`);
          if (m.json?.status !== 'sent') notSent++;
          else if (!wamidsByKey.get(id)?.has(m.json.delivery?.providerMessageId)) wrongWamid++;
        }
      }),
    );
    if (notSent > 0) problems.push(`${notSent} accepted messages are not marked sent`);
    if (wrongWamid > 0) problems.push(`${wrongWamid} messages carry a wamid the fake did not give them`);

    const rejectedAtFake = fake.received.filter((r) => r.outcome.kind === 'answered' && r.outcome.status !== 200).length;
    const summary = {
      database: DB,
      messages: MESSAGES,
      accepted: ids.size,
      kills,
      restarts,
      acceptSeconds: Math.round(acceptSeconds * 10) / 10,
      atTheFake: report.accepted,
      duplicatesWithSameKey: report.duplicateKeys.length,
      duplicatesWithoutKey: report.unkeyedRepeats.length,
      refusedByTheFake: rejectedAtFake,
      ok: problems.length === 0,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (problems.length > 0) {
      for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `OK: all ${ids.size} accepted messages reached WhatsApp; ${report.duplicateKeys.length} were handed over twice across a crash, each time with the same idempotency key.\n`,
      );
    }
  } finally {
    await server.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseName) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
