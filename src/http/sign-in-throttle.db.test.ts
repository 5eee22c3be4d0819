import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../commands/create-workspace.ts';
import { createTestWorkspace, startTestApp, TEST_METRICS_TOKEN, type TestApp } from '../test-support/test-app.ts';

/**
 * Issue 12, defects 7 and 8, behind a proxy (`trustProxy: true`): X-Forwarded-For names the client
 * and X-Forwarded-Proto says whether it came over https. Time moves on the test's clock only.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ trustProxy: true });
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'correct horse battery';
let seq = 0;
let ipSeq = 0;
/** An address no other test uses (the throttle is per process, per address and per IP). */
const freshIp = () => `198.51.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function person() {
  const ws = await createTestWorkspace(t);
  const email = `owner-${process.pid}-${++seq}-${Date.now()}@test.local`;
  await createUser(t.app.ctx, { workspaceId: ws.workspaceId, email, name: 'Owner', role: 'agent', password: PASSWORD });
  return email;
}

async function login(email: string, password: string, ip: string, proto = 'http') {
  const response = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, 'x-forwarded-proto': proto },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { error?: { code: string; details?: { retryAfterSeconds?: number } } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), cookie: response.headers.get('set-cookie') ?? '', body };
}

describe('sign-in throttling (defect 8)', () => {
  it('spraying one password over many addresses from one IP is slowed; other IPs are not', async () => {
    const sprayer = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await login(`nobody-${seq}-${i}@test.local`, 'Summer2026!', sprayer)).status);
    // Twenty free failures from one IP across addresses, then a wait.
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(401);
    expect(statuses[21]).toBe(429);
    const owner = await person();
    expect((await login(owner, PASSWORD, sprayer)).status).toBe(429);
    expect((await login(owner, PASSWORD, freshIp())).status).toBe(200);
  });

  it('the wait grows with each failure (1 s, 2 s, 4 s, 8 s) and throttled attempts do not extend it', async () => {
    const email = await person();
    const ip = freshIp();
    for (let i = 0; i < 6; i++) expect((await login(email, `guess-${i}`, ip)).status).toBe(401);
    const waits: string[] = [];
    for (let round = 0; round < 4; round++) {
      const blocked = await login(email, `guess-more-${round}`, ip);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error?.code).toBe('rate_limited');
      waits.push(blocked.retryAfter!);
      // Hammering while throttled changes nothing.
      for (let k = 0; k < 5; k++) expect((await login(email, 'hammer', ip)).status).toBe(429);
      t.clock.advance(Number(blocked.retryAfter));
      expect((await login(email, `guess-after-${round}`, ip)).status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8']);
    t.clock.advance(16);
    expect((await login(email, PASSWORD, ip)).status).toBe(200);
  });

  it('never a hard lock: an attacker hammering the owner’s address does not keep the owner out from another IP', async () => {
    const email = await person();
    const attacker = freshIp();
    // Thirty wrong passwords from one attacker IP, with the clock moved on past each wait.
    for (let i = 0; i < 30; i++) {
      const attempt = await login(email, `guess-${i}`, attacker);
      if (attempt.status === 429) t.clock.advance(Number(attempt.retryAfter));
    }
    expect((await login(email, PASSWORD, attacker)).status).toBe(429);
    // The owner, elsewhere, with the right password: in at once.
    const owner = await login(email, PASSWORD, freshIp());
    expect(owner.status).toBe(200);
    // The wait from the attacker's IP is capped (15 min), then even there the right password works.
    t.clock.advance(15 * 60);
    expect((await login(email, PASSWORD, attacker)).status).toBe(200);
  });

  it('distributed guessing (one failure per IP) slows each guessing IP; the owner from a fresh IP gets in, and after a typo waits at most a minute', async () => {
    const email = await person();
    const guessers = Array.from({ length: 15 }, () => freshIp());
    for (const ip of guessers) expect((await login(email, 'Password1', ip)).status).toBe(401);
    // Each guesser has failed on this address: the address-wide count now delays them.
    const again = await login(email, 'Password2', guessers[0]!);
    expect(again.status).toBe(429);
    expect(Number(again.retryAfter)).toBeLessThanOrEqual(60);
    const ownerIp = freshIp();
    expect((await login(email, 'typo', ownerIp)).status).toBe(401);
    const wait = await login(email, PASSWORD, ownerIp);
    expect(wait.status).toBe(429);
    expect(Number(wait.retryAfter)).toBeLessThanOrEqual(60);
    t.clock.advance(Number(wait.retryAfter));
    expect((await login(email, PASSWORD, ownerIp)).status).toBe(200);
  });

  it('failures are logged and counted in the metrics', async () => {
    const warn = vi.spyOn(t.app.ctx.log, 'warn');
    const email = await person();
    const ip = freshIp();
    const metric = async (reason: string) => {
      const text = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }).then((r) => r.text());
      return Number(new RegExp(`errata_sign_in_failures_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    };
    const [bad, throttled] = [await metric('bad_credentials'), await metric('throttled')];
    for (let i = 0; i < 7; i++) await login(email, `guess-${i}`, ip);
    expect((await metric('bad_credentials')) - bad).toBe(6);
    expect((await metric('throttled')) - throttled).toBe(1);
    const logged = warn.mock.calls.map((c) => c[0] as unknown as Record<string, unknown>).filter((o) => o?.email === email);
    expect(logged.filter((o) => o.reason === 'wrong_password')).toHaveLength(6);
    expect(logged.filter((o) => o.reason === 'throttled')).toHaveLength(1);
    expect(logged.every((o) => o.ip === ip)).toBe(true);
    // The password is never logged.
    expect(JSON.stringify(warn.mock.calls)).not.toContain('guess-');
    warn.mockRestore();
  });
});

describe('cookies behind a TLS-terminating proxy (defect 7)', () => {
  it('Secure when the proxy says https, not when it says http', async () => {
    const email = await person();
    const https = await login(email, PASSWORD, freshIp(), 'https');
    expect(https.status).toBe(200);
    expect(https.cookie).toMatch(/;\s*Secure/i);
    expect(https.cookie).toMatch(/HttpOnly/i);
    const http = await login(email, PASSWORD, freshIp(), 'http');
    expect(http.cookie).not.toMatch(/Secure/i);
  });
});
