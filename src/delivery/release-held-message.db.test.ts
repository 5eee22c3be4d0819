import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, settle, setupSimulator, startTestApp, type TestApp } from '../test-support/test-app.ts';
import { releaseHeldMessages } from './release-held-message.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('releases a batch of holds in one go: due ones queued once, early ones put back, the rest left alone', async () => {
  const s = await setupSimulator(t);
  const send = async (text: string, holdSeconds: number) =>
    (await call(t, 'POST', '/api/v1/messages', { token: s.ws.tokens.agent, body: { contactId: s.contactId, text, holdSeconds } })).body.id as string;
  const due1 = await send('Bonjour', 10);
  const due2 = await send('Votre colis part demain', 10);
  const early = await send('Encore un mot', 60);
  const cancelled = await send('Oups', 10);
  expect((await call(t, 'POST', `/api/v1/messages/${cancelled}/cancel`, { token: s.ws.tokens.agent })).status).toBe(200);
  const other = await setupSimulator(t);
  const elsewhere = (
    await call(t, 'POST', '/api/v1/messages', { token: other.ws.tokens.agent, body: { contactId: other.contactId, text: 'Hello', holdSeconds: 10 } })
  ).body.id as string;

  t.clock.advance(11);
  const ref = (messageId: string, workspaceId = s.ws.workspaceId) => ({ workspaceId, messageId });
  const results = await releaseHeldMessages(t.app.ctx, [
    ref(due1),
    ref(early),
    ref(due2),
    ref(cancelled),
    ref(due1), // a repeated job
    ref(elsewhere), // another workspace's message under this workspace's name
    ref(crypto.randomUUID()),
  ]);
  expect(results).toEqual(['released', 'not_due', 'released', 'not_held', 'not_held', 'missing', 'missing']);
  const status = async (id: string, token = s.ws.tokens.agent) => (await call(t, 'GET', `/api/v1/messages/${id}`, { token })).body.status;
  expect([await status(due1), await status(due2), await status(early), await status(cancelled)]).toEqual(['queued', 'queued', 'held', 'cancelled']);
  expect(await status(elsewhere, other.ws.tokens.agent)).toBe('held');
  const events = await call(t, 'GET', `/api/v1/messages/${due1}/events`, { token: s.ws.tokens.agent });
  expect(events.body.items.filter((e: { type: string }) => e.type === 'message.queued')).toHaveLength(1);

  // The released ones were handed to the channel; the early one waits for its own time.
  await settle(t);
  expect([await status(due1), await status(due2), await status(early)]).toEqual(['delivered', 'delivered', 'held']);
  t.clock.advance(50);
  await settle(t);
  expect(await status(early)).toBe('delivered');
  expect(await status(elsewhere, other.ws.tokens.agent)).toBe('delivered');
});
