import type { AppContext } from '../app-context.ts';
import { hashPassword, hashToken, newApiToken, verifyPassword } from '../auth/secrets.ts';
import { insertSession, revokeSession } from '../db/queries/session-queries.ts';
import { findUserByEmail } from '../db/queries/user-queries.ts';
import { CommandError } from './command-error.ts';

export const SESSION_SECONDS = 7 * 86_400;
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

const wrongCredentials = new CommandError('unauthorized', {
  en: 'Wrong email or password.',
  fr: 'E-mail ou mot de passe incorrect.',
});

// Compared against when the email is unknown, so both failures take the same time.
const decoy = hashPassword('errata-decoy-password');

/** Failed sign-ins per email, to slow down password guessing (per process). */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  check(email: string, nowMs: number): void {
    const recent = (this.failures.get(email) ?? []).filter((t) => nowMs - t < FAILURE_WINDOW_MS);
    this.failures.set(email, recent);
    if (recent.length >= MAX_FAILURES) {
      throw new CommandError('rate_limited', {
        en: 'Too many failed sign-ins. Wait a few minutes and try again.',
        fr: 'Trop de tentatives de connexion échouées. Patientez quelques minutes avant de réessayer.',
      });
    }
  }

  fail(email: string, nowMs: number): void {
    this.failures.set(email, [...(this.failures.get(email) ?? []), nowMs]);
  }

  succeed(email: string): void {
    this.failures.delete(email);
  }
}

export async function signIn(
  ctx: AppContext,
  throttle: SignInThrottle,
  input: { email: string; password: string },
): Promise<{ token: string; userId: string; workspaceId: string; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase();
  const now = ctx.clock.now();
  throttle.check(email, Date.now());
  const user = await findUserByEmail(ctx.db, email);
  const ok = user && !user.disabled_at ? await verifyPassword(input.password, user.password_hash) : false;
  if (!user) await verifyPassword(input.password, await decoy);
  if (!ok || !user) {
    throttle.fail(email, Date.now());
    throw wrongCredentials;
  }
  throttle.succeed(email);
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
