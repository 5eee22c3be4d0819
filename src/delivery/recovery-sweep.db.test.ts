import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, settle, setupSimulator, startTestApp, type TestApp } from '../test-support/test-app.ts';
import { recoverStalledMessages } from './recovery-sweep.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('releases a hold whose job was lost and sends it; leaves holds that are not over alone', async () => {
  const s = await setupSimulator(t);
  const lost = await call(t, 'POST', '/api/v1/messages', { token: s.ws.tokens.agent, body: { contactId: s.contactId, text: 'Bonjour', holdSeconds: 30 } });
  // The crashed process had taken the release job: pg-boss would not hand it out again for minutes.
  // (The sweep is limited to this test's workspace: the PostgreSQL suite shares one database.)
  t.clock.advance(35);
  const early = await recoverStalledMessages(t.app.ctx, { workspaceId: s.ws.workspaceId });
  expect(early.released).toBe(0); // within the grace period the regular job still has its chance

  t.clock.advance(10);
  const late = await call(t, 'POST', '/api/v1/messages', { token: s.ws.tokens.agent, body: { contactId: s.contactId, text: 'Encore', holdSeconds: 60 } });
  const result = await recoverStalledMessages(t.app.ctx, { workspaceId: s.ws.workspaceId });
  expect(result.released).toBe(1);
  expect((await call(t, 'GET', `/api/v1/messages/${lost.body.id}`, { token: s.ws.tokens.agent })).body.status).toBe('queued');
  expect((await call(t, 'GET', `/api/v1/messages/${late.body.id}`, { token: s.ws.tokens.agent })).body.status).toBe('held');

  // Its send job may be lost too: the sweep dispatches queued simulator messages after the grace period.
  t.clock.advance(11);
  const again = await recoverStalledMessages(t.app.ctx, { workspaceId: s.ws.workspaceId });
  expect(again.dispatched).toBeGreaterThanOrEqual(1);
  expect((await call(t, 'GET', `/api/v1/messages/${lost.body.id}`, { token: s.ws.tokens.agent })).body.status).toBe('delivered');
  await settle(t);
});
