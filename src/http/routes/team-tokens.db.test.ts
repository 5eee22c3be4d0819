import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/secrets.ts';
import { call, createTestWorkspace, startTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const me = (token: string) => call(t, 'GET', '/api/v1/auth/me', { token });

describe('API tokens', () => {
  it('creates a named token shown once (201 {id, token, …}); the list never shows a secret; only the hash is stored', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-06-01T08:00:00.000Z');
    const created = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: ' CRM sync ' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'CRM sync',
      role: 'agent',
      userId: ws.userIds.agent,
      userName: 'Alice Agent',
      createdAt: '2026-06-01T08:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      state: 'live',
    });
    expect(created.body.token).toMatch(/^ert_/);
    const list = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.agent });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(list.body.items.every((i: Record<string, unknown>) => !('token' in i))).toBe(true);
    const row = await t.app.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(created.body.token));
    expect(JSON.stringify(row)).not.toContain(created.body.token);
  });

  it('records the last-used time (on the injected clock)', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-06-02T08:00:00.000Z');
    const created = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: 'cli' } });
    t.clock.set('2026-06-02T09:15:00.000Z');
    expect((await me(created.body.token)).status).toBe(200);
    // Written without holding the request up: give it a moment.
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      const list = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.agent });
      lastUsedAt = list.body.items.find((x: { id: string }) => x.id === created.body.id).lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lastUsedAt).toBe('2026-06-02T09:15:00.000Z');
  });

  it('a role no higher than the creator’s (every action of the token’s role allowed to the creator’s): higher ones are refused (403)', async () => {
    const ws = await createTestWorkspace(t);
    const cases: [keyof typeof ws.tokens, string, number][] = [
      ['admin', 'auditor', 201],
      ['admin', 'supervisor', 201],
      ['supervisor', 'agent', 201],
      ['supervisor', 'admin', 403],
      // Within is derived from can(): an auditor may do nothing a supervisor may not; an auditor reads
      // the team's deletion health (issue 17), which an agent may not, so an agent cannot mint one.
      ['supervisor', 'auditor', 201],
      ['agent', 'supervisor', 403],
      ['agent', 'admin', 403],
      ['agent', 'auditor', 403],
      ['auditor', 'agent', 403],
      ['auditor', 'auditor', 201],
    ];
    for (const [who, role, status] of cases) {
      const response = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens[who], body: { name: `${who} as ${role}`, role } });
      expect(response.status, `${who} → ${role}`).toBe(status);
      if (status === 403) expect(response.body.error.details.reason).toBe('token_role_too_high');
    }
    // A lower-role token acts with its own role.
    const auditorToken = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.admin, body: { name: 'read only', role: 'auditor' } });
    const session = await me(auditorToken.body.token);
    expect(session.body.user.role).toBe('auditor');
    expect(session.body.permissions).not.toContain('workspace.write');
    const send = await call(t, 'POST', '/api/v1/contacts', { token: auditorToken.body.token, body: { name: 'X', phone: '+33 6 11 22 33 44', language: 'fr' } });
    expect(send.status).toBe(403);
  });

  it('an expiry in the future is required; the token stops at it (injected clock), the list says expired', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-06-03T08:00:00.000Z');
    const past = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: 'x', expiresAt: '2026-06-03T07:59:59Z' } });
    expect(past.status).toBe(400);
    expect(past.body.error.details.reason).toBe('token_expiry_past');
    for (const expiresAt of ['tomorrow', '2026-13-01T00:00:00Z', 12]) {
      expect((await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: 'x', expiresAt } })).status).toBe(400);
    }
    t.clock.set('2026-06-03T07:00:00.000Z');
    const created = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: 'short-lived', expiresAt: '2026-06-03T10:00:00+02:00' } });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe('2026-06-03T08:00:00.000Z');
    t.clock.set('2026-06-03T07:59:00.000Z');
    expect((await me(created.body.token)).status).toBe(200);
    t.clock.set('2026-06-03T08:00:00.000Z');
    // The authentication cache never outlives the token's own expiry.
    expect((await me(created.body.token)).status).toBe(401);
    const list = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.agent });
    expect(list.body.items.find((i: { id: string }) => i.id === created.body.id).state).toBe('expired');
  });

  it('own tokens only; admins see all (scope=mine for theirs) and may revoke anyone’s; revoked tokens stop on the next request', async () => {
    const ws = await createTestWorkspace(t);
    const alices = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent, body: { name: 'alice' } });
    const bobs = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.agent2, body: { name: 'bob' } });
    const aliceList = await call(t, 'GET', '/api/v1/tokens?scope=all', { token: ws.tokens.agent });
    expect(aliceList.body.items.every((i: { userId: string }) => i.userId === ws.userIds.agent)).toBe(true);
    const adminList = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.admin });
    const ids = adminList.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([alices.body.id, bobs.body.id]));
    const adminMine = await call(t, 'GET', '/api/v1/tokens?scope=mine', { token: ws.tokens.admin });
    expect(adminMine.body.items.every((i: { userId: string }) => i.userId === ws.userIds.admin)).toBe(true);
    expect((await call(t, 'GET', '/api/v1/tokens?scope=everyone', { token: ws.tokens.admin })).status).toBe(400);

    // Bob cannot see, hence cannot revoke, Alice's token.
    const notBobs = await call(t, 'DELETE', `/api/v1/tokens/${alices.body.id}`, { token: ws.tokens.agent2 });
    expect(notBobs.status).toBe(404);
    expect(notBobs.body.error.code).toBe('not_found');
    expect((await me(alices.body.token)).status).toBe(200);

    expect((await call(t, 'DELETE', `/api/v1/tokens/${alices.body.id}`, { token: ws.tokens.agent })).status).toBe(204);
    expect((await me(alices.body.token)).status).toBe(401);
    expect((await call(t, 'DELETE', `/api/v1/tokens/${alices.body.id}`, { token: ws.tokens.agent })).status).toBe(204);
    expect((await me(bobs.body.token)).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/v1/tokens/${bobs.body.id}`, { token: ws.tokens.admin })).status).toBe(204);
    expect((await me(bobs.body.token)).status).toBe(401);
    const list = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.agent2 });
    expect(list.body.items.find((i: { id: string }) => i.id === bobs.body.id)).toMatchObject({ state: 'revoked' });
    const events = await t.app.ctx.db
      .selectFrom('team_events')
      .select(['type', 'actor_user_id', 'subject_user_id'])
      .where('subject_token_id', '=', bobs.body.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'token.created', actor_user_id: ws.userIds.agent2, subject_user_id: ws.userIds.agent2 },
      { type: 'token.revoked', actor_user_id: ws.userIds.admin, subject_user_id: ws.userIds.agent2 },
    ]);
  });

  it('another workspace’s token is not found, even for its admin; names are validated', async () => {
    const ws = await createTestWorkspace(t);
    const other = await createTestWorkspace(t);
    const theirs = await call(t, 'POST', '/api/v1/tokens', { token: other.tokens.agent, body: { name: 'theirs' } });
    const crossed = await call(t, 'DELETE', `/api/v1/tokens/${theirs.body.id}`, { token: ws.tokens.admin });
    expect(crossed.status).toBe(404);
    expect((await me(theirs.body.token)).status).toBe(200);
    const list = await call(t, 'GET', '/api/v1/tokens', { token: ws.tokens.admin });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(theirs.body.id);
    for (const body of [{}, { name: '' }, { name: ' ' }, { name: 'x'.repeat(101) }, { name: 'x', role: 'root' }, { name: 'x', extra: true }]) {
      const response = await call(t, 'POST', '/api/v1/tokens', { token: ws.tokens.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(t, 'DELETE', '/api/v1/tokens/123', { token: ws.tokens.admin })).status).toBe(400);
  });
});
