import { hashToken, newApiToken } from '../../auth/secrets.ts';
import type { DbOrTx } from '../../db/database.ts';
import { insertSession } from '../../db/queries/session-queries.ts';
import { type Action, can, type Role, type Subject } from '../../domain/actor.ts';
import type { Decision } from '../../domain/team.ts';
import { CommandError } from '../command-error.ts';

/** How long a session lasts (sign-in, and the session a new member's first password opens). */
export const SESSION_SECONDS = 7 * 86_400;

/** Someone signed in (or holding a token) acting in their workspace. */
export interface TeamActor {
  workspaceId: string;
  userId: string;
  role: Role;
}

export const userNoun = { en: 'User', fr: 'Utilisateur' };
export const tokenNoun = { en: 'Token', fr: 'Jeton' };

export function requireCan(actor: TeamActor, action: Action, subject?: Subject): void {
  if (!can(actor, action, subject)) throw new CommandError('forbidden');
}

/** A refused domain decision, as the error the client gets. */
export function orRefuse(decision: Decision, code: 'validation_failed' | 'conflict' | 'forbidden' | 'link_invalid'): void {
  if (!decision.ok) throw new CommandError(code, decision.message, { reason: decision.reason });
}

/** A new signed-in session for a user (as signing in makes). */
export async function openSession(db: DbOrTx, user: { id: string; workspaceId: string }, now: Date) {
  const token = newApiToken().replace(/^ert_/, 'ers_');
  const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
  await insertSession(db, {
    id: crypto.randomUUID(),
    workspaceId: user.workspaceId,
    userId: user.id,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt,
  });
  return { token, userId: user.id, workspaceId: user.workspaceId, expiresAt };
}

/**
 * A person as the API shows them. `status`: deactivated; active (has a password); invited (an
 * invitation not yet accepted, still valid) or invitation_expired; no_password (a token-only
 * account, e.g. made by `errata token create`).
 */
export function toUserView(
  u: { id: string; email: string; name: string; role: Role; created_at: Date; disabled_at: Date | null; password_hash: string | null; totp_enabled_at: Date | null },
  invitation: { expiresAt: Date } | undefined,
  now: Date,
) {
  const status = u.disabled_at
    ? ('deactivated' as const)
    : u.password_hash
      ? ('active' as const)
      : invitation
        ? invitation.expiresAt.getTime() > now.getTime()
          ? ('invited' as const)
          : ('invitation_expired' as const)
        : ('no_password' as const);
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.disabled_at === null,
    status,
    twoFactor: u.totp_enabled_at !== null,
    createdAt: u.created_at.toISOString(),
    deactivatedAt: u.disabled_at?.toISOString() ?? null,
    invitationExpiresAt: status === 'invited' || status === 'invitation_expired' ? invitation!.expiresAt.toISOString() : null,
  };
}
