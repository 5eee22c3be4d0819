/**
 * `npm run bench:media` — a 5 MB image through Errata to the Cloud API fake on loopback (issue 11):
 *   1. API upload: `POST /api/v1/media` (content policy, magic bytes, stored in the database);
 *   2. provider upload: `POST /messages` with the image, then the sender uploads it to the fake
 *      (`POST /{phone-number-id}/media`, multipart) and sends it by id.
 * Median and p95 over BENCH_RUNS (default 20) runs, each with different bytes; bar: API upload +
 * provider upload ≤ 1 s. PGlite in memory (BENCH_DB=postgres with ERRATA_TEST_DATABASE_URL for PostgreSQL).
 */
import { startCloudApiFake } from '../../src/test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../src/test-support/fakes/cloud-api-webhooks.ts';
import { samplePng } from '../../src/test-support/media-samples.ts';
import { call, cloudChannelBody, createTestWorkspace, settle, startTestApp, uniquePhoneNumberId } from '../../src/test-support/test-app.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SIZE = Number(process.env.BENCH_IMAGE_BYTES ?? 5_000_000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const t = await startTestApp({ providerTimeoutMs: 30_000 });
const phoneNumberId = uniquePhoneNumberId();
const fake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `t-${phoneNumberId}`, serviceWindow: 'off', throughputPerSecond: 1_000 });
try {
  const ws = await createTestWorkspace(t);
  const channel = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
  const from = '33611223344';
  await fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from, body: 'Bonjour', profileName: 'Bench', id: customerWamid() }));
  await settle(t);
  const contact = await t.app.ctx.db.selectFrom('contacts').select('id').where('workspace_id', '=', ws.workspaceId).where('phone', '=', `+${from}`).executeTakeFirstOrThrow();

  const api: number[] = [];
  const provider: number[] = [];
  const total: number[] = [];
  for (let run = -2; run < RUNS; run++) {
    // Different bytes every run (a different colour), so nothing is deduplicated.
    const image = samplePng({ size: 8, rgb: [run & 255, (run * 7) & 255, 99], padTo: SIZE });
    const started = performance.now();
    const res = await fetch(`${t.baseUrl}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${ws.tokens.agent}`, 'content-type': 'image/png' }, body: image });
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const uploaded = performance.now();
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId: contact.id, channelId: channel.body.id, text: `Photo ${run}`, media: { id } } });
    if (sent.status !== 202) throw new Error(`send answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    await settle(t);
    const done = performance.now();
    const got = fake.uploads().at(-1);
    if (!got?.bytes.equals(image) || fake.accepted.at(-1)?.media?.id !== got.id) throw new Error('the fake did not receive the image');
    // Two warm-up runs are not counted.
    if (run < 0) continue;
    api.push(uploaded - started);
    provider.push(done - uploaded);
    total.push(done - started);
  }
  console.log(`${RUNS} runs, ${(SIZE / 1e6).toFixed(1)} MB PNG, ${process.env.BENCH_DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}, Cloud API fake on loopback`);
  console.log(`  API upload (POST /media):            median ${ms(pct(api, 50))}, p95 ${ms(pct(api, 95))}`);
  console.log(`  provider upload + send (to the fake): median ${ms(pct(provider, 50))}, p95 ${ms(pct(provider, 95))}`);
  console.log(`  total:                                median ${ms(pct(total, 50))}, p95 ${ms(pct(total, 95))} (bar 1000 ms) ${pct(total, 95) <= 1000 ? 'OK' : 'OVER'}`);
} finally {
  await fake.close();
  await t.close();
}
