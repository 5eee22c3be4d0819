import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../auth/secret-box.ts';
import { listSendLanes } from '../db/queries/send-lane-queries.ts';
import { type CloudApiFake, startCloudApiFake } from '../test-support/fakes/cloud-api-fake.ts';
import { call, cloudChannelBody, createTestWorkspace, startTestApp, type TestApp, type TestWorkspace, uniquePhoneNumberId } from '../test-support/test-app.ts';

/**
 * Two Errata processes on one PostgreSQL (two apps in this test, workers running): a channel's
 * sender lane is held by one of them at a time, so the number's rate holds across both; it moves
 * to the other when its holder stops, cleanly or not.
 */
const postgres = process.env.ERRATA_TEST_DB === 'postgres';
const RATE = 20;
const LEASE_SECONDS = 2;

const sender = { leaseSeconds: LEASE_SECONDS, pollMs: 200 };
const secretBox = SecretBox.random();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Cluster {
  a: TestApp;
  b: TestApp;
  fake: CloudApiFake;
  ws: TestWorkspace;
  channelId: string;
  contactIds: string[];
}

let open: { apps: TestApp[]; fake?: CloudApiFake } = { apps: [] };
afterEach(async () => {
  for (const app of open.apps) await app.close().catch(() => {});
  await open.fake?.close();
  open = { apps: [] };
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function startCluster(): Promise<Cluster> {
  const jobSchema = `pgboss_lanes_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const a = await startTestApp({ jobSchema, workers: true, sender, secretBox });
  open.apps.push(a);
  const b = await startTestApp({ jobSchema, workers: true, sender, secretBox });
  open.apps.push(b);
  const phoneNumberId = uniquePhoneNumberId();
  const fake = await startCloudApiFake({
    phoneNumberId,
    appSecret: `secret-${phoneNumberId}`,
    verifyToken: `verify-${phoneNumberId}`,
    accessToken: `token-${phoneNumberId}`,
    serviceWindow: 'off',
    throughputPerSecond: RATE,
  });
  open.fake = fake;
  const ws = await createTestWorkspace(a);
  b.workspaceIds.add(ws.workspaceId);
  const created = await call(a, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0, ratePerSecond: RATE }) });
  expect(created.status).toBe(201);
  const contactIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const from = `3361${String(phoneNumberId).slice(-5)}${i}`;
    const delivery = await fake.sendWebhook(`${(i % 2 ? b : a).baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from, body: 'Bonjour' }));
    expect(delivery.status).toBe(200);
    const contact = await until('the customer', () =>
      a.app.ctx.db.selectFrom('contacts').select('id').where('workspace_id', '=', ws.workspaceId).where('phone', '=', `+${from}`).executeTakeFirst(),
    );
    contactIds.push(contact.id);
  }
  return { a, b, fake, ws, channelId: created.body.id, contactIds };
}

async function sendVia(c: Cluster, app: TestApp, count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const sent = await call(app, 'POST', '/api/v1/messages', {
      token: c.ws.tokens.agent,
      body: { contactId: c.contactIds[i % c.contactIds.length], text: `Commande ${tag}-${i} prête.`, idempotencyKey: `${tag}-${i}` },
    });
    expect(sent.status).toBe(202);
    ids.push(sent.body.id);
  }
  return ids;
}

/** The most sends the fake took in any one-second window. */
function busiestSecond(fake: CloudApiFake): number {
  const times = fake.accepted.map((m) => m.at).sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function keysAtFake(fake: CloudApiFake): string[] {
  return fake.accepted.map((m) => m.bizOpaqueCallbackData ?? '');
}

describe.skipIf(!postgres)('sender lanes across two processes', () => {
  it('never runs one channel’s lane in both at once: the number’s rate holds across the cluster', async () => {
    const c = await startCluster();
    let overlaps = 0;
    const holders = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const onA = c.a.app.sender.leases.held().includes(c.channelId);
        const onB = c.b.app.sender.leases.held().includes(c.channelId);
        if (onA && onB) overlaps++;
        if (onA) holders.add('a');
        if (onB) holders.add('b');
        await sleep(5);
      }
    })();
    // Both processes accept messages (and both run jobs): 80 messages at 20/s take 4 s or more.
    const ids = (await Promise.all([sendVia(c, c.a, 40, 'a'), sendVia(c, c.b, 40, 'b')])).flat();
    await until('every message at the fake', () => ids.every((id) => keysAtFake(c.fake).includes(id)), 20_000);
    sampling = false;
    await sampler;
    expect(overlaps).toBe(0);
    expect(holders.size).toBe(1);
    const keys = keysAtFake(c.fake);
    expect(keys).toHaveLength(ids.length);
    expect(new Set(keys).size).toBe(ids.length);
    expect(busiestSecond(c.fake)).toBeLessThanOrEqual(RATE);
    // The fake refuses (130429) anything over the number's rate: it never had to.
    expect(c.fake.received.filter((r) => r.outcome.kind === 'answered' && r.outcome.status !== 200)).toHaveLength(0);
    const lanes = await listSendLanes(c.a.app.ctx.db, [c.channelId]);
    expect(lanes).toHaveLength(1);
  });

  it('moves the lane to the other process when its holder stops, and when it dies', async () => {
    const c = await startCluster();
    await sendVia(c, c.a, 4, 'first');
    await until('the first sends', () => c.fake.accepted.length >= 4);
    const [holder, other] = c.a.app.sender.leases.holds(c.channelId) ? [c.a, c.b] : [c.b, c.a];
    expect(other.app.sender.leases.holds(c.channelId)).toBe(false);

    // A clean stop gives the lane back: the other process takes it at once (a second's pause
    // keeps the number's window across the handover).
    await holder.close();
    const stoppedAt = Date.now();
    const more = await sendVia(c, other, 4, 'second');
    await until('sends by the other process', () => more.every((id) => keysAtFake(c.fake).includes(id)), 5_000);
    expect(other.app.sender.leases.holds(c.channelId)).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    const [lane] = await listSendLanes(other.app.ctx.db, [c.channelId]);
    expect(lane?.owner).toBe(other.app.sender.leases.owner);

    // A third process joins; the holder dies without a word (no release): the lease runs out and
    // the newcomer takes over within ERRATA_SEND_LEASE_SECONDS (plus its poll and the pause).
    const third = await startTestApp({ jobSchema: other.app.ctx.jobs.jobTable.split('.')[0]!, workers: true, sender, secretBox });
    open.apps.push(third);
    third.workspaceIds.add(c.ws.workspaceId);
    await other.app.sender.stop({ release: false });
    const diedAt = Date.now();
    const last = await sendVia(c, third, 4, 'third');
    await until('sends after the takeover', () => last.every((id) => keysAtFake(c.fake).includes(id)), 10_000);
    expect(third.app.sender.leases.holds(c.channelId)).toBe(true);
    expect(Date.now() - diedAt).toBeLessThan((LEASE_SECONDS + 2) * 1000);
    expect(new Set(keysAtFake(c.fake)).size).toBe(c.fake.accepted.length);
  });
});
