import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestWorkspace, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const GOOD_PASSWORD = 'violet kettle harbour';
let seq = 0;
const newEmail = () => `person-${process.pid}-${Date.now()}-${seq++}@test.local`;

/** Signs in and answers the session cookie (and the CSRF header a cookie session must send on writes). */
async function login(email: string, password: string) {
  const response = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: response.status, cookie, headers: { cookie, 'x-errata-csrf': '1' } };
}

/** An invitation's token, from the link (after `#token=`). */
const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');

async function invite(ws: TestWorkspace, role = 'agent', email = newEmail()) {
  const response = await call(t, 'POST', '/api/v1/users', { token: ws.tokens.admin, body: { email, name: 'Nina New', role } });
  expect(response.status).toBe(201);
  return { email, userId: response.body.user.id as string, token: tokenOf(response.body.invitationUrl), body: response.body };
}

async function acceptInvitation(token: string, password = GOOD_PASSWORD, name?: string) {
  const response = await fetch(`${t.baseUrl}/api/v1/auth/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'fr' },
    body: JSON.stringify({ token, password, ...(name ? { name } : {}) }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  return { status: response.status, body: (await response.json()) as any, cookie };
}

describe('invitations', () => {
  it('an admin invites by e-mail with a role: 201 {user, invitationUrl}, the person is listed as invited until they accept', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-03-02T10:00:00.000Z');
    const { body, userId, email } = await invite(ws, 'supervisor');
    expect(body.user).toMatchObject({ email, name: 'Nina New', role: 'supervisor', active: true, status: 'invited', twoFactor: false });
    expect(body.invitationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invitation#token=eri_[A-Za-z0-9_-]{40,}$/);
    expect(body.expiresAt).toBe('2026-03-09T10:00:00.000Z');
    expect(body.user.invitationExpiresAt).toBe('2026-03-09T10:00:00.000Z');

    const list = await call(t, 'GET', '/api/v1/users', { token: ws.tokens.agent });
    expect(list.status).toBe(200);
    expect(list.body.items.find((u: { id: string }) => u.id === userId)).toMatchObject({ status: 'invited' });
    // Only the hash of the link's secret is stored.
    const stored = await t.app.ctx.db.selectFrom('user_links').selectAll().where('user_id', '=', userId).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(tokenOf(body.invitationUrl));
    // The action is recorded with its actor, without the secret.
    const events = await t.app.ctx.db.selectFrom('team_events').selectAll().where('subject_user_id', '=', userId).execute();
    expect(events).toMatchObject([{ type: 'user.invited', actor_user_id: ws.userIds.admin, actor_kind: 'user' }]);
    expect(JSON.stringify(events)).not.toContain('eri_');
  });

  it('accepting signs in (cookie and session with permissions), works once, and lets the person sign in with the password', async () => {
    const ws = await createTestWorkspace(t);
    const { token, email, userId } = await invite(ws);
    const accepted = await acceptInvitation(token, GOOD_PASSWORD, 'Nina Nouvelle');
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ id: userId, name: 'Nina Nouvelle', role: 'agent' });
    expect(accepted.body.permissions).toContain('workspace.write');
    expect(accepted.body.permissions).not.toContain('users.manage');
    expect(accepted.cookie).toMatch(/^errata_session=ers_/);
    const me = await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: accepted.cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(userId);

    const again = await acceptInvitation(token);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('link_invalid');
    expect(again.body.error.message).toMatch(/lien/);

    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
    const list = await call(t, 'GET', '/api/v1/users', { token: ws.tokens.admin });
    expect(list.body.items.find((u: { id: string }) => u.id === userId)).toMatchObject({ status: 'active', invitationExpiresAt: null });
  });

  it('an invitation expires after 7 days on the injected clock', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-04-01T09:00:00.000Z');
    const first = await invite(ws);
    const second = await invite(ws);
    t.clock.set('2026-04-08T08:59:59.000Z');
    expect((await acceptInvitation(first.token)).status).toBe(200);
    t.clock.set('2026-04-08T09:00:00.000Z');
    const late = await acceptInvitation(second.token);
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('link_invalid');
    const list = await call(t, 'GET', '/api/v1/users', { token: ws.tokens.admin });
    expect(list.body.items.find((u: { id: string }) => u.id === second.userId)).toMatchObject({ status: 'invitation_expired' });
  });

  it('refuses short and common passwords (400 validation_failed, FR/EN), and unknown tokens like used ones', async () => {
    const ws = await createTestWorkspace(t);
    const { token } = await invite(ws);
    const short = await acceptInvitation(token, 'short');
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'validation_failed', details: { reason: 'password_too_short' } });
    expect(short.body.error.message).toMatch(/au moins 10 caractères/);
    for (const common of ['password1234', 'Qwertyuiop', 'iloveyou2024!']) {
      const response = await acceptInvitation(token, common);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { reason: 'password_common' } });
    }
    // The refused attempts did not use the link up.
    expect((await acceptInvitation(token)).status).toBe(200);
    const unknown = await acceptInvitation('eri_thisisnotarealtokenatall_0123456789');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('link_invalid');
  });

  it('only admins invite; an e-mail already in use anywhere is a conflict; bodies are validated', async () => {
    const ws = await createTestWorkspace(t);
    for (const role of ['supervisor', 'agent', 'auditor'] as const) {
      const response = await call(t, 'POST', '/api/v1/users', { token: ws.tokens[role], body: { email: newEmail(), name: 'X', role: 'agent' } });
      expect(response.status).toBe(403);
    }
    const { email } = await invite(ws);
    const other = await createTestWorkspace(t);
    const taken = await call(t, 'POST', '/api/v1/users', { token: other.tokens.admin, body: { email: email.toUpperCase(), name: 'X', role: 'agent' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details.reason).toBe('email_taken');
    for (const body of [
      { email: 'not-an-email', name: 'X', role: 'agent' },
      { email: newEmail(), name: '', role: 'agent' },
      { email: newEmail(), name: 'X', role: 'owner' },
      { email: newEmail(), name: 'X'.repeat(101), role: 'agent' },
      { email: newEmail(), name: 'X', role: 'agent', extra: 1 },
    ]) {
      const response = await call(t, 'POST', '/api/v1/users', { token: ws.tokens.admin, body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });
});

describe('PATCH /users/:id', () => {
  it('deactivation stops an open session and a token on the very next request; reactivation brings the token back', async () => {
    const ws = await createTestWorkspace(t);
    const { token, email, userId } = await invite(ws);
    await acceptInvitation(token);
    const session = await login(email, GOOD_PASSWORD);
    expect(session.status).toBe(200);
    const apiToken = await call(t, 'POST', '/api/v1/tokens', { headers: session.headers, body: { name: 'script' } });
    expect(apiToken.status).toBe(201);
    // Both are in the authentication cache now.
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: apiToken.body.token })).status).toBe(200);

    const off = await call(t, 'PATCH', `/api/v1/users/${userId}`, { token: ws.tokens.admin, body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, status: 'deactivated' });
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } })).status).toBe(401);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: apiToken.body.token })).status).toBe(401);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);

    const on = await call(t, 'PATCH', `/api/v1/users/${userId}`, { token: ws.tokens.admin, body: { active: true } });
    expect(on.body).toMatchObject({ active: true, status: 'active' });
    // The token works again; the session was ended for good.
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: apiToken.body.token })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } })).status).toBe(401);
    const events = await t.app.ctx.db.selectFrom('team_events').select(['type', 'actor_user_id']).where('subject_user_id', '=', userId).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['user.invited', 'user.invitation_accepted', 'token.created', 'user.deactivated', 'user.reactivated']);
  });

  it('a role change applies on the next request; lowering it revokes tokens that would now exceed it', async () => {
    const ws = await createTestWorkspace(t);
    const supToken = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.supervisor, body: { name: 'reports' } });
    expect(supToken.body.role).toBe('supervisor');
    const agentRoleToken = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.supervisor, body: { name: 'bot', role: 'agent' } });
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats', { token: supToken.body.token })).status).toBe(200);

    const change = await call(t, 'PATCH', `/api/v1/users/${ws.userIds.supervisor}`, { token: ws.tokens.admin, body: { role: 'agent', name: 'Sue Agent' } });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ role: 'agent', name: 'Sue Agent' });
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: ws.tokens.supervisor })).body.user.role).toBe('agent');
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: supToken.body.token })).status).toBe(401);
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: agentRoleToken.body.token })).status).toBe(200);
  });

  it('an admin cannot deactivate or demote themself; only admins change people; 404 for another workspace’s person', async () => {
    const ws = await createTestWorkspace(t);
    const self = await call(t, 'PATCH', `/api/v1/users/${ws.userIds.admin}`, { token: ws.tokens.admin, body: { active: false } });
    expect(self.status).toBe(409);
    expect(self.body.error.details.reason).toBe('cannot_deactivate_self');
    const demote = await call(t, 'PATCH', `/api/v1/users/${ws.userIds.admin}`, {
      token: ws.tokens.admin,
      body: { role: 'agent' },
      headers: { 'accept-language': 'fr-FR' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/propre rôle/);
    expect((await call(t, 'PATCH', `/api/v1/users/${ws.userIds.admin}`, { token: ws.tokens.admin, body: { name: 'Ada A.' } })).status).toBe(200);
    for (const role of ['supervisor', 'agent', 'auditor'] as const) {
      const response = await call(t, 'PATCH', `/api/v1/users/${ws.userIds.agent2}`, { token: ws.tokens[role], body: { active: false } });
      expect(response.status).toBe(403);
    }
    const other = await createTestWorkspace(t);
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/users/${other.userIds.agent}`, { active: false }],
      ['POST', `/api/v1/users/${other.userIds.agent}/password-reset`, undefined],
    ] as const) {
      const response = await call(t, method, path, { token: ws.tokens.admin, body });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await call(t, 'GET', '/api/v1/auth/me', { token: other.tokens.agent })).status).toBe(200);
    const bad = await call(t, 'PATCH', `/api/v1/users/${ws.userIds.agent}`, { token: ws.tokens.admin, body: {} });
    expect(bad.status).toBe(400);
    expect((await call(t, 'PATCH', '/api/v1/users/not-a-uuid', { token: ws.tokens.admin, body: { active: false } })).status).toBe(400);
  });
});

describe('passwords', () => {
  it('an admin’s reset link sets a new password once, ends the person’s sessions and signs them in', async () => {
    const ws = await createTestWorkspace(t);
    const { token, email, userId } = await invite(ws);
    await acceptInvitation(token);
    const before = await login(email, GOOD_PASSWORD);
    const reset = await call(t, 'POST', `/api/v1/users/${userId}/password-reset`, { token: ws.tokens.admin });
    expect(reset.status).toBe(200);
    expect(reset.body.resetUrl).toMatch(/\/reset-password#token=erp_/);
    expect((await call(t, 'POST', `/api/v1/users/${userId}/password-reset`, { token: ws.tokens.agent })).status).toBe(403);
    // A second link replaces the first.
    const newer = await call(t, 'POST', `/api/v1/users/${userId}/password-reset`, { token: ws.tokens.admin });
    const use = (link: string, password: string) =>
      call(t, 'POST', '/api/v1/auth/password-reset/accept', { body: { token: tokenOf(link), password } });
    expect((await use(reset.body.resetUrl, 'a brand new passphrase')).body.error.code).toBe('link_invalid');
    const used = await use(newer.body.resetUrl, 'a brand new passphrase');
    expect(used.status).toBe(200);
    expect(used.body.user.id).toBe(userId);
    expect((await use(newer.body.resetUrl, 'another new passphrase')).status).toBe(400);
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: before.cookie } })).status).toBe(401);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await login(email, 'a brand new passphrase')).status).toBe(200);
  });

  it('a reset link expires after 24 hours', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-05-01T12:00:00.000Z');
    const reset = await call(t, 'POST', `/api/v1/users/${ws.userIds.agent}/password-reset`, { token: ws.tokens.admin });
    t.clock.set('2026-05-02T12:00:00.000Z');
    const late = await call(t, 'POST', '/api/v1/auth/password-reset/accept', { body: { token: tokenOf(reset.body.resetUrl), password: GOOD_PASSWORD } });
    expect(late.body.error.code).toBe('link_invalid');
  });

  it('changing one’s own password needs the current one, keeps this session and ends the others', async () => {
    const ws = await createTestWorkspace(t);
    const { token, email } = await invite(ws);
    await acceptInvitation(token);
    const here = await login(email, GOOD_PASSWORD);
    const elsewhere = await login(email, GOOD_PASSWORD);
    const wrong = await call(t, 'POST', '/api/v1/auth/password', { headers: here.headers, body: { current: 'not it at all', next: 'calm river stones' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.details.reason).toBe('current_password_wrong');
    const weak = await call(t, 'POST', '/api/v1/auth/password', { headers: here.headers, body: { current: GOOD_PASSWORD, next: 'password' } });
    expect(weak.status).toBe(400);
    const ok = await call(t, 'POST', '/api/v1/auth/password', { headers: here.headers, body: { current: GOOD_PASSWORD, next: 'calm river stones' } });
    expect(ok.status).toBe(204);
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: here.cookie } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: { cookie: elsewhere.cookie } })).status).toBe(401);
    expect((await login(email, 'calm river stones')).status).toBe(200);
  });
});
