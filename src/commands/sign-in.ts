import type { AppContext } from '../app-context.ts';
import { hashPassword, hashToken, newApiToken, verifyPassword } from '../auth/secrets.ts';
import { insertSession, revokeSession } from '../db/queries/session-queries.ts';
import { findUserByEmail } from '../db/queries/user-queries.ts';
import {
  decideSignInAttempt,
  defaultThrottlePolicy,
  type FailureCount,
  type ThrottlePolicy,
  withFailure,
} from '../domain/sign-in-throttle.ts';
import { CommandError } from './command-error.ts';
import { SESSION_SECONDS } from './team/team-common.ts';
import { checkSecondFactor } from './team/two-factor.ts';

// Here too for the routes that set the session cookie; it lives with the team's session helper.
export { SESSION_SECONDS };

/** Past this many remembered counters, forgotten ones are dropped (and, if need be, the oldest). */
const MAX_ENTRIES = 50_000;

const wrongCredentials = new CommandError('unauthorized', {
  en: 'Wrong email or password.',
  fr: 'E-mail ou mot de passe incorrect.',
});

// Compared against when the email is unknown, so both failures take the same time.
const decoy = hashPassword('errata-decoy-password');

export type SignInFailure = 'bad_credentials' | 'throttled';

/**
 * Failed sign-ins per client IP, per address and IP, and per address (per process), read on the
 * injected clock; the rules are in `src/domain/sign-in-throttle.ts`. `onFailure` counts each
 * failure (the `errata_sign_in_failures_total` metric).
 */
export class SignInThrottle {
  private readonly byIp = new Map<string, FailureCount>();
  private readonly byPair = new Map<string, FailureCount>();
  private readonly byAddress = new Map<string, FailureCount>();

  constructor(
    private readonly onFailure: (reason: SignInFailure) => void = () => {},
    private readonly policy: ThrottlePolicy = defaultThrottlePolicy,
  ) {}

  check(email: string, ip: string, nowMs: number): void {
    const decision = decideSignInAttempt(
      { ip: this.byIp.get(ip), pair: this.byPair.get(pairKey(email, ip)), address: this.byAddress.get(email) },
      nowMs,
      this.policy,
    );
    if (decision.allowed) return;
    this.onFailure('throttled');
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new CommandError(
      'rate_limited',
      {
        en: `Too many failed sign-ins. Try again in ${seconds} s.`,
        fr: `Trop de tentatives de connexion échouées. Réessayez dans ${seconds} s.`,
      },
      { retryAfterSeconds: seconds, reason: 'sign_in_throttled' },
    );
  }

  fail(email: string, ip: string, nowMs: number): void {
    this.onFailure('bad_credentials');
    for (const [map, key] of [
      [this.byIp, ip],
      [this.byPair, pairKey(email, ip)],
      [this.byAddress, email],
    ] as const) {
      map.set(key, withFailure(map.get(key), nowMs, this.policy));
      if (map.size > MAX_ENTRIES) this.prune(map, nowMs);
    }
  }

  /** A right password clears that address's count from that IP (never the IP's own: no reset by signing into one's own account). */
  succeed(email: string, ip: string): void {
    this.byPair.delete(pairKey(email, ip));
  }

  private prune(map: Map<string, FailureCount>, nowMs: number): void {
    for (const [key, count] of map) if (nowMs - count.lastFailureAt >= this.policy.forgetAfterMs) map.delete(key);
    // Still full: drop the oldest (insertion order) down to three quarters.
    for (const key of map.keys()) {
      if (map.size <= (MAX_ENTRIES * 3) / 4) break;
      map.delete(key);
    }
  }
}

const pairKey = (email: string, ip: string) => `${email}\n${ip}`;

export async function signIn(
  ctx: AppContext,
  throttle: SignInThrottle,
  input: { email: string; password: string; ip: string; totp?: string | undefined },
): Promise<{ token: string; userId: string; workspaceId: string; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase();
  const now = ctx.clock.now();
  try {
    throttle.check(email, input.ip, now.getTime());
  } catch (error) {
    ctx.log.warn({ email, ip: input.ip, reason: 'throttled' }, 'sign-in refused: too many failures');
    throw error;
  }
  const user = await findUserByEmail(ctx.db, email);
  const ok = user && !user.disabled_at ? await verifyPassword(input.password, user.password_hash) : false;
  if (!user) await verifyPassword(input.password, await decoy);
  if (!ok || !user) {
    throttle.fail(email, input.ip, now.getTime());
    ctx.log.warn({ email, ip: input.ip, reason: user ? 'wrong_password' : 'unknown_email' }, 'sign-in failed');
    throw wrongCredentials;
  }
  if (user.totp_enabled_at) {
    // Two-factor sign-in: the right password alone is not enough. A wrong code counts as a failure.
    try {
      await checkSecondFactor(ctx, ctx.db, { id: user.id, workspaceId: user.workspace_id }, input.totp, now);
    } catch (error) {
      if (input.totp) throttle.fail(email, input.ip, now.getTime());
      ctx.log.warn({ email, ip: input.ip, reason: input.totp ? 'wrong_second_factor' : 'second_factor_missing' }, 'sign-in needs a second factor');
      throw error;
    }
  }
  throttle.succeed(email, input.ip);
  const token = newApiToken().replace(/^ert_/, 'ers_');
  const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
  await insertSession(ctx.db, {
    id: crypto.randomUUID(),
    workspaceId: user.workspace_id,
    userId: user.id,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt,
  });
  return { token, userId: user.id, workspaceId: user.workspace_id, expiresAt };
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await revokeSession(ctx.db, hashToken(token), ctx.clock.now());
}
