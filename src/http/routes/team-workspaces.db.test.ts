import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestWorkspace, startTestApp, TEST_PLATFORM_TOKEN, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const platform = { authorization: `Bearer ${TEST_PLATFORM_TOKEN}` };
let seq = 0;
const newEmail = () => `owner-${process.pid}-${Date.now()}-${seq++}@test.local`;

describe('POST /workspaces (platform operator)', () => {
  it('creates a workspace and invites its first admin: 201 {workspace, invitationUrl}; the admin accepts and runs it alone', async () => {
    t.clock.set('2026-08-01T09:00:00.000Z');
    const adminEmail = newEmail();
    const created = await call(t, 'POST', '/api/v1/workspaces', { headers: platform, body: { name: ' Boulangerie Martin ', adminEmail } });
    expect(created.status).toBe(201);
    expect(created.body.workspace).toMatchObject({ name: 'Boulangerie Martin', country: 'FR', language: 'fr' });
    expect(created.body.admin).toMatchObject({ email: adminEmail, role: 'admin', status: 'invited' });
    expect(created.body.expiresAt).toBe('2026-08-08T09:00:00.000Z');
    expect(created.body.invitationUrl).toMatch(/\/invitation#token=eri_/);
    t.workspaceIds.add(created.body.workspace.id);

    const token = new URL(created.body.invitationUrl).hash.replace('#token=', '');
    const accepted = await call(t, 'POST', '/api/v1/auth/invitations/accept', { body: { token, password: 'crusty baguette morning', name: 'Paul Martin' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspace.id).toBe(created.body.workspace.id);
    expect(accepted.body.permissions).toContain('users.manage');
    const events = await t.app.ctx.db
      .selectFrom('team_events')
      .select(['type', 'actor_kind', 'actor_user_id'])
      .where('workspace_id', '=', created.body.workspace.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'workspace.created', actor_kind: 'platform', actor_user_id: null },
      { type: 'user.invited', actor_kind: 'platform', actor_user_id: null },
      { type: 'user.invitation_accepted', actor_kind: 'link', actor_user_id: accepted.body.user.id },
    ]);
  });

  it('refuses without the platform token, with a user’s token (even an admin’s), and with a wrong one', async () => {
    const ws = await createTestWorkspace(t);
    const body = { name: 'Nope', adminEmail: newEmail() };
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${ws.tokens.admin}` },
      { authorization: 'Bearer test-platform-tokeN' },
      { authorization: TEST_PLATFORM_TOKEN },
    ];
    for (const headers of attempts) {
      const response = await call(t, 'POST', '/api/v1/workspaces', { headers, body });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
    const garbage = await call(t, 'POST', '/api/v1/workspaces', { body: '{not json' });
    expect(garbage.status).toBe(400);
    const count = await t.app.ctx.db.selectFrom('workspaces').select('id').where('name', '=', 'Nope').execute();
    expect(count).toHaveLength(0);
  });

  it('validates the body (400) and refuses an e-mail already in use (409), creating nothing', async () => {
    for (const body of [
      {},
      { name: '', adminEmail: newEmail() },
      { name: 'X'.repeat(101), adminEmail: newEmail() },
      { name: 'X', adminEmail: 'nobody' },
      { name: 'X', adminEmail: newEmail(), country: 'France' },
      { name: 'X', adminEmail: newEmail(), extra: 1 },
    ]) {
      const response = await call(t, 'POST', '/api/v1/workspaces', { headers: platform, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const ws = await createTestWorkspace(t);
    const admin = await t.app.ctx.db.selectFrom('users').select('email').where('id', '=', ws.userIds.admin).executeTakeFirstOrThrow();
    const taken = await call(t, 'POST', '/api/v1/workspaces', { headers: platform, body: { name: 'Dup Check', adminEmail: admin.email } });
    expect(taken.status).toBe(409);
    expect(await t.app.ctx.db.selectFrom('workspaces').select('id').where('name', '=', 'Dup Check').execute()).toHaveLength(0);
  });
});

describe('two workspaces: every id route of team administration crossed answers 404', () => {
  it('users and tokens of another workspace are not found, and nothing changes there', async () => {
    const mine = await createTestWorkspace(t);
    const theirs = await createTestWorkspace(t);
    const theirToken = await call(t, 'POST', '/api/v1/tokens', { token: theirs.tokens.agent, body: { name: 'theirs' } });
    const crossed: [string, string, unknown][] = [
      ['PATCH', `/api/v1/users/${theirs.userIds.agent}`, { active: false }],
      ['PATCH', `/api/v1/users/${theirs.userIds.admin}`, { role: 'agent' }],
      ['POST', `/api/v1/users/${theirs.userIds.agent}/password-reset`, undefined],
      ['DELETE', `/api/v1/users/${theirs.userIds.agent}/totp`, undefined],
      ['DELETE', `/api/v1/tokens/${theirToken.body.id}`, undefined],
    ];
    for (const [method, path, body] of crossed) {
      const response = await call(t, method, path, { token: mine.tokens.admin, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    const list = await call(t, 'GET', '/api/v1/users', { token: mine.tokens.admin });
    expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(theirs.userIds.agent);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: theirs.tokens.agent })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: theirToken.body.token })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: theirs.tokens.admin })).body.user.role).toBe('admin');
    const events = await t.app.ctx.db.selectFrom('team_events').select('type').where('workspace_id', '=', theirs.workspaceId).execute();
    expect(events.map((e) => e.type)).toEqual(['token.created']);
  });
});
