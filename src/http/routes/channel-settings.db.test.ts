import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createTestWorkspace,
  setupSimulator,
  startTestApp,
  type TestApp,
  type TestWorkspace,
  uniquePhoneNumberId,
} from '../../test-support/test-app.ts';

/** Channel settings an admin changes from the Channels page: `PATCH /channels/:id`, recorded with its actor. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const channelEvents = (workspaceId: string) =>
  t.app.ctx.db
    .selectFrom('team_events')
    .select(['type', 'actor_user_id', 'actor_kind', 'data'])
    .where('workspace_id', '=', workspaceId)
    .where('type', 'like', 'channel.%')
    .orderBy('seq')
    .execute();

async function realChannels(ws: TestWorkspace) {
  const cloud = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: {
      type: 'whatsapp-cloud',
      name: 'Support',
      config: { phoneNumberId: uniquePhoneNumberId(), wabaId: '20110000001', accessToken: 'a', appSecret: 'b', verifyToken: `v-${Math.random()}` },
    },
  });
  const evolution = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'evolution', name: 'Gateway', config: { baseUrl: 'https://evo.example', apiKey: 'k', instance: `i-${Math.random()}` } },
  });
  expect([cloud.status, evolution.status]).toEqual([201, 201]);
  return { cloudId: cloud.body.id as string, evolutionId: evolution.body.id as string };
}

describe('PATCH /channels/:id on a simulator', () => {
  it('changes name, hold, windows and simulated phones; records who changed what (from → to)', async () => {
    const ws = await createTestWorkspace(t);
    const created = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'simulator', name: 'Training', defaultHoldSeconds: 5, simulator: { minClientVersion: '2.20.0' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.simulator).toEqual({ minClientVersion: '2.20.0', offlineRevokeDeadlineSeconds: 86_400 });

    const changed = await call(t, 'PATCH', `/api/v1/channels/${created.body.id}`, {
      token: ws.tokens.admin,
      body: {
        name: 'Formation',
        defaultHoldSeconds: 30,
        revokeWindowSeconds: 216_000,
        editWindowSeconds: 600,
        simulator: { offlineRevokeDeadlineSeconds: 3_600 },
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Formation',
      defaultHoldSeconds: 30,
      revokeWindowSeconds: 216_000,
      editWindowSeconds: 600,
      simulator: { minClientVersion: '2.20.0', offlineRevokeDeadlineSeconds: 3_600 },
    });
    const listed = (await call(t, 'GET', '/api/v1/channels', { token: ws.tokens.agent })).body.items;
    expect(listed).toEqual([changed.body]);

    const events = await channelEvents(ws.workspaceId);
    expect(events.map((e) => [e.type, e.actor_user_id, e.actor_kind])).toEqual([
      ['channel.created', ws.userIds.admin, 'user'],
      ['channel.changed', ws.userIds.admin, 'user'],
    ]);
    expect(events[1]!.data).toEqual({
      channelId: created.body.id,
      changes: {
        name: { from: 'Training', to: 'Formation' },
        defaultHoldSeconds: { from: 5, to: 30 },
        revokeWindowSeconds: { from: 4_096, to: 216_000 },
        editWindowSeconds: { from: 900, to: 600 },
        'simulator.offlineRevokeDeadlineSeconds': { from: 86_400, to: 3_600 },
      },
    });

    // Giving the same values again changes nothing and records nothing.
    const same = await call(t, 'PATCH', `/api/v1/channels/${created.body.id}`, { token: ws.tokens.admin, body: { name: 'Formation', defaultHoldSeconds: 30 } });
    expect(same.status).toBe(200);
    expect(await channelEvents(ws.workspaceId)).toHaveLength(2);
  });

  it('a shorter revoke window is what delete for everyone then obeys', async () => {
    const { ws, channelId, contactId } = await setupSimulator(t, { channel: { defaultHoldSeconds: 0 } });
    expect((await call(t, 'PATCH', `/api/v1/channels/${channelId}`, { token: ws.tokens.admin, body: { revokeWindowSeconds: 60 } })).status).toBe(200);
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Hello James', holdSeconds: 0 } });
    expect(sent.status).toBe(202);
    await t.app.ctx.jobs.drain();
    const message = (await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent })).body;
    expect(message.revocableUntil).toBe(new Date(t.clock.now().getTime() + 60_000).toISOString());
    t.clock.advance(61);
    const late = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/delete`, { token: ws.tokens.agent, body: { scope: 'everyone', reason: 'wrong_price' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('revoke_window_expired');
  });

  it('refuses bad values next to their field, in French for a French reader, and stores nothing', async () => {
    const { ws, channelId } = await setupSimulator(t);
    const bad = await call(t, 'PATCH', `/api/v1/channels/${channelId}`, {
      token: ws.tokens.admin,
      headers: { 'accept-language': 'fr' },
      body: { revokeWindowSeconds: 31 * 86_400, defaultHoldSeconds: -1, simulator: { minClientVersion: 'latest' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const byPath = Object.fromEntries(bad.body.error.details.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(byPath).toEqual({
      revokeWindowSeconds: expect.stringMatching(/^Au plus 2\s592\s000\.$/),
      defaultHoldSeconds: 'Au moins 0.',
      'simulator.minClientVersion': 'Un numéro de version comme 2.24.1.',
    });
    const nul = await call(t, 'PATCH', `/api/v1/channels/${channelId}`, { token: ws.tokens.admin, body: { name: 'a\u0000b' } });
    expect(nul.status).toBe(400);
    expect(await channelEvents(ws.workspaceId)).toHaveLength(1);
  });
});

describe('PATCH /channels/:id on real channels', () => {
  it('refuses windows (WhatsApp sets them) and simulator settings, says why in the reader’s language, changes nothing', async () => {
    const ws = await createTestWorkspace(t);
    const { cloudId, evolutionId } = await realChannels(ws);
    const before = (await call(t, 'GET', '/api/v1/channels', { token: ws.tokens.admin })).body.items;

    const cloud = await call(t, 'PATCH', `/api/v1/channels/${cloudId}`, {
      token: ws.tokens.admin,
      body: { revokeWindowSeconds: 3_600, defaultHoldSeconds: 20 },
    });
    expect(cloud.status).toBe(400);
    expect(cloud.body.error.details).toEqual({ fields: ['revokeWindowSeconds'], reason: 'windows_set_by_provider' });
    expect(cloud.body.error.message).toContain('cannot delete or edit a sent message');

    const evolution = await call(t, 'PATCH', `/api/v1/channels/${evolutionId}`, {
      token: ws.tokens.admin,
      headers: { 'accept-language': 'fr' },
      body: { editWindowSeconds: 3_600 },
    });
    expect(evolution.status).toBe(400);
    expect(evolution.body.error.message).toBe(
      'WhatsApp fixe les délais de suppression pour tous et de modification d’un canal Evolution API (environ 60 h et 15 min) : Errata ne peut pas les changer.',
    );
    const simulatorOnly = await call(t, 'PATCH', `/api/v1/channels/${evolutionId}`, { token: ws.tokens.admin, body: { simulator: { minClientVersion: '2.30.0' } } });
    expect(simulatorOnly.status).toBe(400);
    expect(simulatorOnly.body.error.details).toEqual({ fields: ['simulator'] });

    // Creating one with windows is refused the same way.
    const create = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'evolution', name: 'Other', editWindowSeconds: 86_400, config: { baseUrl: 'https://evo2.example', apiKey: 'k', instance: 'x' } },
    });
    expect(create.status).toBe(400);
    expect(create.body.error.details.reason).toBe('windows_set_by_provider');

    expect((await call(t, 'GET', '/api/v1/channels', { token: ws.tokens.admin })).body.items).toEqual(before);
    expect((await channelEvents(ws.workspaceId)).map((e) => e.type)).toEqual(['channel.created', 'channel.created']);
  });

  it('records a hold and rate change, and a rotated secret by its name only', async () => {
    const ws = await createTestWorkspace(t);
    const { cloudId } = await realChannels(ws);
    const changed = await call(t, 'PATCH', `/api/v1/channels/${cloudId}`, {
      token: ws.tokens.admin,
      body: { defaultHoldSeconds: 20, ratePerSecond: 120, config: { accessToken: 'rotated-secret-token' } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.defaultHoldSeconds).toBe(20);
    expect(changed.body.revokeWindowSeconds).toBe(0);
    const events = await channelEvents(ws.workspaceId);
    const last = events.at(-1)!;
    expect(last.data).toEqual({
      channelId: cloudId,
      changes: { defaultHoldSeconds: { from: 10, to: 20 }, ratePerSecond: { from: 80, to: 120 } },
      secretsReplaced: ['accessToken'],
    });
    expect(JSON.stringify(events)).not.toContain('rotated-secret-token');
  });
});

describe('who may change a channel', () => {
  it('admins only (can: channels.manage); another workspace’s channel is not found', async () => {
    const { ws, channelId } = await setupSimulator(t);
    for (const role of ['agent', 'supervisor', 'auditor'] as const) {
      const refused = await call(t, 'PATCH', `/api/v1/channels/${channelId}`, { token: ws.tokens[role], body: { defaultHoldSeconds: 60 } });
      expect(refused.status).toBe(403);
      const create = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens[role], body: { type: 'simulator', name: 'Mine' } });
      expect(create.status).toBe(403);
    }
    const other = await createTestWorkspace(t);
    const crossed = await call(t, 'PATCH', `/api/v1/channels/${channelId}`, { token: other.tokens.admin, body: { defaultHoldSeconds: 60 } });
    expect(crossed.status).toBe(404);
    expect(crossed.body.error.code).toBe('not_found');
    const after = (await call(t, 'GET', '/api/v1/channels', { token: ws.tokens.admin })).body.items;
    expect(after[0].defaultHoldSeconds).not.toBe(60);
    expect(await channelEvents(ws.workspaceId)).toHaveLength(1);
  });
});
