import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedConversations } from './seed-large-workspace.ts';
import { call, setupSimulator, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('seeds conversations that the inbox lists newest first, page by page', async () => {
  const { ws, channelId } = await setupSimulator(t);
  await seedConversations(t.app.ctx.db, ws.workspaceId, channelId, 120, t.clock.now());
  const first = await call(t, 'GET', '/api/v1/conversations?limit=50', { token: ws.tokens.agent });
  expect(first.body.items).toHaveLength(50);
  const times = first.body.items.map((c: { lastMessageAt: string }) => Date.parse(c.lastMessageAt));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  const ids = new Set<string>(first.body.items.map((c: { id: string }) => c.id));
  let cursor = first.body.nextCursor;
  while (cursor) {
    const page = await call(t, 'GET', `/api/v1/conversations?limit=50&cursor=${cursor}`, { token: ws.tokens.agent });
    for (const c of page.body.items) ids.add(c.id);
    cursor = page.body.nextCursor;
  }
  // Only the seeded contacts: the setup's own contact has no conversation yet.
  expect(ids.size).toBe(120);
});
