import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../test-support/sse-client.ts';
import { call, setupSimulator, settle, startTestApp, type TestApp } from '../test-support/test-app.ts';
import { decodeEvents, encodeEvents } from './cluster-event-bus.ts';
import type { RealtimeEvent } from '../contracts/realtime.ts';

const postgres = process.env.ERRATA_TEST_DB === 'postgres';

describe('realtime payloads', () => {
  it('packs events per workspace under the NOTIFY limit and reads them back', () => {
    const events: RealtimeEvent[] = Array.from({ length: 300 }, (_, i) => ({
      type: 'message.sent',
      workspaceId: i % 2 ? '11111111-1111-4111-8111-111111111111' : '22222222-2222-4222-8222-222222222222',
      conversationId: crypto.randomUUID(),
      messageId: crypto.randomUUID(),
      at: new Date(1_700_000_000_000 + i).toISOString(),
      ...(i === 7 ? { data: { big: 'x'.repeat(20_000) } } : {}),
    }));
    const payloads = encodeEvents(events);
    expect(payloads.length).toBeGreaterThan(2);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(7_500);
    const back = payloads.flatMap(decodeEvents);
    expect(back).toHaveLength(300);
    const byId = new Map(back.map((e) => [e.messageId, e]));
    for (const e of events) {
      const got = byId.get(e.messageId)!;
      expect([got.type, got.workspaceId, got.conversationId, got.at]).toEqual([e.type, e.workspaceId, e.conversationId, e.at]);
    }
    // An oversized `data` is dropped, the ids still go.
    expect(byId.get(events[7]!.messageId)!.data).toBeUndefined();
  });
});

describe.skipIf(!postgres)('realtime across two processes on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const jobSchema = `pgboss_cluster_rt_${process.pid}`;
    a = await startTestApp({ jobSchema });
    b = await startTestApp({ jobSchema });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('an event stream on B sees, within a second, a message sent on A and its delivery', async () => {
    const sim = await setupSimulator(a);
    b.workspaceIds.add(sim.ws.workspaceId);
    const stream = await openEventStream(b.baseUrl, sim.ws.tokens.agent);
    try {
      const started = Date.now();
      const sent = await call(a, 'POST', '/api/v1/messages', { token: sim.ws.tokens.agent, body: { contactId: sim.contactId, text: 'Bonjour, votre commande est prête.', holdSeconds: 0 } });
      expect(sent.status).toBe(202);
      // Accepted on A (one statement, relayed right after it)…
      const created = await stream.waitFor((e) => e.type === 'message.created' && e.messageId === sent.body.id, 1_000);
      expect(created.workspaceId).toBe(sim.ws.workspaceId);
      expect(created.conversationId).toBe(sent.body.conversationId);
      expect(Date.now() - started).toBeLessThan(1_000);
      // …and sent by A's jobs (a transaction: relayed with its commit).
      await settle(a);
      const t0 = Date.now();
      await stream.waitFor((e) => e.type === 'message.sent' && e.messageId === sent.body.id, 1_000);
      expect(Date.now() - t0).toBeLessThan(1_000);
      // B reads what the event points at.
      const message = await call(b, 'GET', `/api/v1/messages/${sent.body.id}`, { token: sim.ws.tokens.agent });
      expect(message.body.status).toMatch(/sent|delivered/);
    } finally {
      stream.close();
    }
  });

  it('never hands one workspace’s events to another workspace’s stream', async () => {
    const one = await setupSimulator(a);
    const other = await setupSimulator(b);
    const stream = await openEventStream(b.baseUrl, other.ws.tokens.agent);
    try {
      const sent = await call(a, 'POST', '/api/v1/messages', { token: one.ws.tokens.agent, body: { contactId: one.contactId, text: 'Bonjour', holdSeconds: 0 } });
      expect(sent.status).toBe(202);
      const mine = await call(b, 'POST', '/api/v1/messages', { token: other.ws.tokens.agent, body: { contactId: other.contactId, text: 'Hello', holdSeconds: 0 } });
      await stream.waitFor((e) => e.messageId === mine.body.id, 1_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stream.events.every((e) => e.workspaceId === other.ws.workspaceId)).toBe(true);
      expect(stream.events.some((e) => e.messageId === sent.body.id)).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('a stream resumed with Last-Event-ID is told to refetch (it may have missed events)', async () => {
    const sim = await setupSimulator(b);
    const fresh = await openEventStream(b.baseUrl, sim.ws.tokens.agent);
    const resumed = await openEventStream(b.baseUrl, sim.ws.tokens.agent, { lastEventId: '41' });
    try {
      await resumed.waitFor((e) => e.type === 'stream.resync', 1_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fresh.events.some((e) => e.type === 'stream.resync')).toBe(false);
    } finally {
      fresh.close();
      resumed.close();
    }
  });
});
