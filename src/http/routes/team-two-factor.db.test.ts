import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../auth/totp.ts';
import { call, createTestWorkspace, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'violet kettle harbour';
let seq = 0;

/** Each login from its own address, so the sign-in throttle of one test never slows another. */
async function login(email: string, password: string, totp?: string) {
  const response = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'fr' },
    body: JSON.stringify({ email, password, ...(totp ? { totp } : {}) }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  return { status: response.status, body: (await response.json()) as any, cookie, headers: { cookie, 'x-errata-csrf': '1' } };
}

/** A person with a password (through an invitation), signed in. */
async function person(ws: TestWorkspace, role = 'agent') {
  const email = `tf-${process.pid}-${Date.now()}-${seq++}@test.local`;
  const invited = await call(t, 'POST', '/api/v1/users', { token: ws.tokens.admin, body: { email, name: 'Tess Two', role } });
  const token = new URL(invited.body.invitationUrl).hash.replace('#token=', '');
  const accepted = await call(t, 'POST', '/api/v1/auth/invitations/accept', { body: { token, password: PASSWORD } });
  expect(accepted.status).toBe(200);
  const session = await login(email, PASSWORD);
  return { email, userId: invited.body.user.id as string, session };
}

/** Sets two-factor sign-in up and answers its secret and recovery codes. */
async function enable(headers: Record<string, string>) {
  const setup = await call(t, 'POST', '/api/v1/auth/totp/setup', { headers });
  expect(setup.status).toBe(200);
  const enabled = await call(t, 'POST', '/api/v1/auth/totp/enable', { headers, body: { code: totpCode(setup.body.secret, t.clock.now()) } });
  expect(enabled.status).toBe(200);
  return setup.body as { secret: string; otpauthUrl: string; recoveryCodes: string[] };
}

describe('two-factor sign-in (TOTP, RFC 6238, on the injected clock)', () => {
  it('set-up answers an otpauth:// URL and ten recovery codes; it is on only once a code from the app confirms it', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-01T10:00:00.000Z');
    const { email, session } = await person(ws);
    const setup = await call(t, 'POST', '/api/v1/auth/totp/setup', { headers: session.headers });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]{32}/);
    expect(setup.body.otpauthUrl).toContain(encodeURIComponent(email));
    expect(setup.body.recoveryCodes).toHaveLength(10);
    expect(new Set(setup.body.recoveryCodes).size).toBe(10);
    // The secret is stored sealed, the recovery codes hashed.
    const row = await t.app.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.totp_pending_secret).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(setup.body.secret);
    const codes = await t.app.ctx.db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', row.id).execute();
    expect(JSON.stringify(codes)).not.toContain(setup.body.recoveryCodes[0]);

    // Not on yet: the password alone still signs in.
    expect((await login(email, PASSWORD)).status).toBe(200);
    const wrong = await call(t, 'POST', '/api/v1/auth/totp/enable', { headers: session.headers, body: { code: '000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('totp_required');
    const on = await call(t, 'POST', '/api/v1/auth/totp/enable', { headers: session.headers, body: { code: totpCode(setup.body.secret, t.clock.now()) } });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    expect((await call(t, 'GET', '/api/v1/auth/me', { headers: session.headers })).body.twoFactor).toEqual({ enabled: true, required: false });
  });

  it('sign-in then needs the current code: missing → 401 totp_required; a code is accepted once, one step of drift either way', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-02T10:00:00.000Z');
    const { email, session } = await person(ws);
    const { secret } = await enable(session.headers);
    const missing = await login(email, PASSWORD);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('totp_required');
    expect(missing.body.error.message).toMatch(/code à 6 chiffres/);
    // The code the set-up was confirmed with cannot be replayed.
    expect((await login(email, PASSWORD, totpCode(secret, t.clock.now()))).status).toBe(401);
    t.clock.set('2026-07-02T10:01:00.000Z');
    const code = totpCode(secret, t.clock.now());
    expect((await login(email, 'wrong password here', code)).status).toBe(401);
    expect((await login(email, PASSWORD, code)).status).toBe(200);
    expect((await login(email, PASSWORD, code)).body.error.details.reason).toBe('totp_invalid');
    // A code from the previous 30 s still works (the clock of a phone may lag); two steps back does not.
    t.clock.set('2026-07-02T10:02:30.000Z');
    expect((await login(email, PASSWORD, totpCode(secret, new Date('2026-07-02T10:02:00.000Z')))).status).toBe(200);
    expect((await login(email, PASSWORD, totpCode(secret, new Date('2026-07-02T10:01:30.000Z')))).status).toBe(401);
  });

  it('recovery codes work once each, in any case and with or without dashes', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-03T10:00:00.000Z');
    const { email, userId, session } = await person(ws);
    const { recoveryCodes } = await enable(session.headers);
    const [first, second] = recoveryCodes as [string, string];
    expect((await login(email, PASSWORD, first)).status).toBe(200);
    expect((await login(email, PASSWORD, first)).status).toBe(401);
    expect((await login(email, PASSWORD, second.toUpperCase().replaceAll('-', ''))).status).toBe(200);
    const status = await call(t, 'GET', '/api/v1/auth/totp', { headers: session.headers });
    expect(status.body.recoveryCodesLeft).toBe(8);
    const events = await t.app.ctx.db.selectFrom('team_events').select('type').where('subject_user_id', '=', userId).orderBy('seq').execute();
    expect(events.map((e) => e.type).filter((type) => type.startsWith('user.recovery'))).toEqual(['user.recovery_code_used', 'user.recovery_code_used']);
  });

  it('a new set-up replaces the old one only once confirmed; turning it off needs a code; an admin can turn it off for someone', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-04T10:00:00.000Z');
    const { email, userId, session } = await person(ws);
    const first = await enable(session.headers);
    const again = await call(t, 'POST', '/api/v1/auth/totp/setup', { headers: session.headers });
    // Unconfirmed: the first secret and codes still hold.
    t.clock.advance(60);
    expect((await login(email, PASSWORD, totpCode(first.secret, t.clock.now()))).status).toBe(200);
    expect((await login(email, PASSWORD, again.body.recoveryCodes[0])).status).toBe(401);
    expect((await login(email, PASSWORD, first.recoveryCodes[0])).status).toBe(200);

    const off = await call(t, 'POST', '/api/v1/auth/totp/disable', { headers: session.headers, body: { code: '123456' } });
    expect(off.status).toBe(401);
    expect((await call(t, 'DELETE', `/api/v1/users/${userId}/totp`, { token: ws.tokens.supervisor })).status).toBe(403);
    const other = await createTestWorkspace(t);
    expect((await call(t, 'DELETE', `/api/v1/users/${userId}/totp`, { token: other.tokens.admin })).status).toBe(404);
    expect((await call(t, 'DELETE', `/api/v1/users/${userId}/totp`, { token: ws.tokens.admin })).status).toBe(204);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('a password reset link needs the second factor too when it is on', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-05T10:00:00.000Z');
    const { email, userId, session } = await person(ws);
    const { secret } = await enable(session.headers);
    const reset = await call(t, 'POST', `/api/v1/users/${userId}/password-reset`, { token: ws.tokens.admin });
    const token = new URL(reset.body.resetUrl).hash.replace('#token=', '');
    const without = await call(t, 'POST', '/api/v1/auth/password-reset/accept', { body: { token, password: 'fresh new passphrase' } });
    expect(without.status).toBe(401);
    expect(without.body.error.code).toBe('totp_required');
    t.clock.advance(30);
    const withCode = await call(t, 'POST', '/api/v1/auth/password-reset/accept', {
      body: { token, password: 'fresh new passphrase', totp: totpCode(secret, t.clock.now()) },
    });
    expect(withCode.status).toBe(200);
    t.clock.advance(30);
    expect((await login(email, 'fresh new passphrase', totpCode(secret, t.clock.now()))).status).toBe(200);
  });

  it('a workspace may require it: a session without it reaches only the set-up until it is on; tokens are unaffected', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-07-06T10:00:00.000Z');
    const { session } = await person(ws);
    expect((await call(t, 'GET', '/api/v1/users', { headers: session.headers })).status).toBe(200);
    expect((await call(t, 'PUT', '/api/v1/workspace/security', { token: ws.tokens.supervisor, body: { requireTwoFactor: true } })).status).toBe(403);
    const require = await call(t, 'PUT', '/api/v1/workspace/security', { token: ws.tokens.admin, body: { requireTwoFactor: true } });
    expect(require.body).toEqual({ requireTwoFactor: true });

    // The very next request of the open session is held to the set-up.
    const blocked = await call(t, 'GET', '/api/v1/users', { headers: { ...session.headers, 'accept-language': 'fr' } });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.details.reason).toBe('two_factor_setup_required');
    expect(blocked.body.error.message).toMatch(/deux étapes/);
    const me = await call(t, 'GET', '/api/v1/auth/me', { headers: session.headers });
    expect(me.status).toBe(200);
    expect(me.body.twoFactor).toEqual({ enabled: false, required: true });
    expect((await call(t, 'GET', '/api/v1/users', { token: ws.tokens.agent })).status).toBe(200);

    await enable(session.headers);
    expect((await call(t, 'GET', '/api/v1/users', { headers: session.headers })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/workspace/security', { token: ws.tokens.agent })).body).toEqual({ requireTwoFactor: true });
  });
});
