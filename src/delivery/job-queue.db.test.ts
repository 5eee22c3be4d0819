import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatchMessages } from './dispatch-messages.ts';
import { call, setupSimulator, startTestApp, type TestApp } from '../test-support/test-app.ts';
import { QUEUES } from './queues.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('a failed send job is retried with backoff, and the message still goes out exactly once', async () => {
  const { ws, contactId } = await setupSimulator(t);
  const seen: string[] = [];
  let failures = 1;
  t.app.ctx.jobs.register(QUEUES.sendMessage, async (jobs) => {
    seen.push(...jobs.map((j) => j.id));
    if (failures-- > 0) return { failed: jobs.map((j) => ({ id: j.id, error: 'provider unavailable' })) };
    for (const job of jobs) await dispatchMessages(t.app.ctx, job.data.workspaceId, [job.data.messageId]);
    return { failed: [] };
  });
  const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Hello', holdSeconds: 0 } });
  await t.app.ctx.jobs.drain();
  const job = await t.app.ctx.jobs.boss.getJobById(QUEUES.sendMessage, seen[0]!);
  expect(job).toMatchObject({ state: 'retry', output: { error: 'provider unavailable' } });
  // Backoff: the retry is scheduled in the future, not immediately.
  expect(job!.startAfter.getTime()).toBeGreaterThan(Date.now());
  expect((await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent })).body.status).toBe('queued');

  await t.app.ctx.jobs.drain();
  expect(seen).toEqual([seen[0], seen[0]]);
  expect(await t.app.ctx.jobs.boss.getJobById(QUEUES.sendMessage, seen[0]!)).toMatchObject({ state: 'completed', retryCount: 1 });
  const message = await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent });
  expect(message.body.status).toBe('delivered');
  const events = await call(t, 'GET', `/api/v1/messages/${sent.body.id}/events`, { token: ws.tokens.agent });
  expect(events.body.items.filter((e: { type: string }) => e.type === 'message.sent')).toHaveLength(1);

  // A duplicate delivery of the same job changes nothing.
  await dispatchMessages(t.app.ctx, ws.workspaceId, [sent.body.id]);
  const again = await call(t, 'GET', `/api/v1/messages/${sent.body.id}/events`, { token: ws.tokens.agent });
  expect(again.body.items).toHaveLength(events.body.items.length);
});
