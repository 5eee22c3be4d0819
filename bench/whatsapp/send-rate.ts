/**
 * `npm run bench:whatsapp -- send` — does the sender sustain a number's configured rate without
 * exceeding it? On PostgreSQL: BENCH_MESSAGES (default 10 000) messages are accepted through the
 * API while the channel is paced at 1 message/s (so they queue up), then the channel is switched
 * to RATE (default 1 000/s) and the Cloud API fake's arrival times are measured: the busiest
 * one-second window must not exceed RATE; the sustained rate is printed next to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { freePort } from '../support/free-port.ts';
import { connectCloudChannel, jsonClient, withPostgresDatabase } from '../support/http-json.ts';
import { startServer } from '../support/server-process.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const CONCURRENCY = 16;
const CONTACTS = 200;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `ert_bench_${Math.random().toString(36).slice(2)}`;
const request = jsonClient(TOKEN, CONCURRENCY);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureSendRate(): Promise<Record<string, number | boolean>> {
  return withPostgresDatabase(ADMIN_URL, 'errata_bench_send_rate', async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'errata-bench-'));
    const fake = await startCloudApiFake({ throughputPerSecond: 1_000, serviceWindow: 'off', phoneNumberId: '109100000000001' });
    const server = await startServer(
      { DATABASE_URL: databaseUrl, ERRATA_DATA_DIR: dataDir, ERRATA_ADMIN_TOKEN: TOKEN, ERRATA_ADMIN_EMAIL: 'bench@errata.local' },
      await freePort(),
    );
    try {
      const base = server.url;
      const { channelId, contactIds: contacts } = await connectCloudChannel(request, base, fake, {
        ratePerSecond: 1,
        defaultHoldSeconds: 0,
        contacts: CONTACTS,
        phonePrefix: '3361400',
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < MESSAGES) {
            const i = next++;
            const r = await request(base, 'POST', '/api/v1/messages', { contactId: contacts[i % contacts.length], text: `Commande ${i} expédiée.` });
            if (r.status !== 202) throw new Error(`send: ${r.status} ${JSON.stringify(r.json)}`);
          }
        }),
      );
      const before = fake.accepted.length;
      const switched = Date.now();
      await request(base, 'PATCH', `/api/v1/channels/${channelId}`, { ratePerSecond: RATE });
      const deadline = Date.now() + 120_000 + (MESSAGES / RATE) * 1_000;
      while (fake.accepted.length < MESSAGES && Date.now() < deadline) await sleep(100);
      const times = fake.accepted.slice(before).map((m) => m.at).sort((a, b) => a - b);
      let busiest = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1_000) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
      const first = times[0] ?? switched;
      const last = times.at(-1) ?? switched;
      const sustained = times.length > 1 ? (times.length - 1) / ((last - first) / 1_000) : 0;
      const refusals = fake.received.filter((r) => r.outcome.kind === 'answered' && r.outcome.status !== 200);
      const refused = refusals.length;
      if (process.env.BENCH_DEBUG) {
        const codes = new Map<string, number>();
        for (const r of refusals) {
          const o = r.outcome as { status: number; body: { error?: { code?: number } } };
          const k = `${o.status}/${o.body?.error?.code}`;
          codes.set(k, (codes.get(k) ?? 0) + 1);
        }
        process.stderr.write(`refusals: ${JSON.stringify([...codes])}\n`);
        const starts = fake.received.map((r) => r.at).sort((a, b) => a - b);
        const perSecond = new Map<number, number>();
        for (const t of starts) perSecond.set(Math.floor((t - starts[0]!) / 1000), (perSecond.get(Math.floor((t - starts[0]!) / 1000)) ?? 0) + 1);
        process.stderr.write(`requests per second: ${JSON.stringify([...perSecond])}\n`);
        const all = fake.received.filter((r) => r.path.endsWith('/messages')).map((r) => ({ at: r.at, ok: r.outcome.kind === 'answered' && r.outcome.status === 200 }));
        const firstRefusal = all.findIndex((r) => !r.ok);
        if (firstRefusal >= 0) {
          const t = all[firstRefusal]!.at;
          const inWindow = all.filter((r) => r.at > t - 1000 && r.at <= t);
          const buckets = new Map<number, number>();
          for (const r of inWindow) buckets.set(Math.floor((r.at - (t - 1000)) / 50), (buckets.get(Math.floor((r.at - (t - 1000)) / 50)) ?? 0) + 1);
          process.stderr.write(`first refusal: ${inWindow.length} requests (${inWindow.filter((r) => r.ok).length} accepted) in the second before; per 50 ms: ${JSON.stringify([...buckets])}\n`);
        }
      }
      return {
        messages: MESSAGES,
        configuredRate: RATE,
        sentAfterSwitch: times.length,
        /** Every message reached the fake exactly once (a few left at 1/s before the switch). */
        allSentOnce: new Set(fake.accepted.map((m) => m.bizOpaqueCallbackData)).size === MESSAGES && fake.accepted.length === MESSAGES,
        sustainedPerSecond: Math.round(sustained),
        busiestOneSecondWindow: busiest,
        refusedForThroughput: refused,
        withinRate: busiest <= RATE,
        firstSendAfterSwitchMs: first - switched,
      };
    } finally {
      await server.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureSendRate()
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (!result.withinRate || result.refusedForThroughput !== 0 || !result.allSentOnce) process.exitCode = 1;
    })
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
