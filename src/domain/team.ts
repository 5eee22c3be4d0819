import type { Bilingual } from '../contracts/error-codes.ts';
import { type Role, roleWithin } from './actor.ts';

/** How long an invitation link works. */
export const INVITATION_SECONDS = 7 * 86_400;
/** How long a password reset link works: short, it signs someone in. */
export const PASSWORD_RESET_SECONDS = 24 * 3_600;
/** Passwords: at least this long (NIST SP 800-63B's floor is 8; we ask a little more), at most the login schema's bound. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export type Refusal = { ok: false; reason: string; message: Bilingual };
export type Decision = { ok: true } | Refusal;

const ok: Decision = { ok: true };
const refuse = (reason: string, en: string, fr: string): Refusal => ({ ok: false, reason, message: { en, fr } });

/** A one-time link (invitation or password reset) as stored: only its hash, its expiry, whether it was used. */
export interface OneTimeLink {
  expiresAt: Date;
  usedAt: Date | null;
}

/**
 * Whether a link may be used now. Unknown, used and expired links get the same answer, so a
 * guesser learns nothing about which tokens ever existed.
 */
export function linkUsable(link: OneTimeLink | undefined, now: Date): Decision {
  if (!link || link.usedAt || now.getTime() >= link.expiresAt.getTime()) {
    return refuse(
      'link_invalid',
      'This link is not valid: it was already used, it has expired, or it was replaced by a newer one. Ask an admin for a new link.',
      'Ce lien n’est pas valide : il a déjà servi, il a expiré ou un lien plus récent l’a remplacé. Demandez un nouveau lien à un administrateur.',
    );
  }
  return ok;
}

/**
 * A password people choose: long enough, and not one of the commonly used passwords (checked
 * case-insensitively, also with trailing digits and punctuation removed: "Password2024!").
 * `isCommon` answers for a lower-cased candidate.
 */
export function passwordAcceptable(password: string, isCommon: (lowercase: string) => boolean, context: { email?: string } = {}): Decision {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return refuse(
      'password_too_short',
      `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
      `Choisissez un mot de passe d’au moins ${PASSWORD_MIN_LENGTH} caractères.`,
    );
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return refuse(
      'password_too_long',
      `A password has at most ${PASSWORD_MAX_LENGTH} characters.`,
      `Un mot de passe compte au plus ${PASSWORD_MAX_LENGTH} caractères.`,
    );
  }
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  const local = context.email?.toLowerCase().split('@')[0];
  if (isCommon(lower) || (stripped.length > 0 && isCommon(stripped)) || (local && local.length >= 4 && stripped === local)) {
    return refuse(
      'password_common',
      'This password is among the most commonly used ones: choose another (a few unrelated words make a good one).',
      'Ce mot de passe fait partie des plus utilisés : choisissez-en un autre (quelques mots sans rapport entre eux font un bon mot de passe).',
    );
  }
  return ok;
}

export interface TeamMember {
  id: string;
  role: Role;
  active: boolean;
}

/**
 * An admin changing someone's role or deactivating them. An admin never deactivates or demotes
 * themself (another admin must), so a workspace always keeps an active admin.
 */
export function userChangeAllowed(
  actor: { userId: string },
  target: TeamMember,
  change: { role?: Role | undefined; active?: boolean | undefined },
): Decision {
  const self = actor.userId === target.id;
  if (self && change.active === false) {
    return refuse('cannot_deactivate_self', 'You cannot deactivate yourself: ask another admin.', 'Vous ne pouvez pas vous désactiver vous-même : demandez à un autre administrateur.');
  }
  if (self && change.role !== undefined && change.role !== target.role) {
    return refuse('cannot_change_own_role', 'You cannot change your own role: ask another admin.', 'Vous ne pouvez pas changer votre propre rôle : demandez à un autre administrateur.');
  }
  return ok;
}

/** A new API token: its role within the creator's, its expiry in the future. */
export function tokenAllowed(creatorRole: Role, input: { role: Role; expiresAt: Date | null }, now: Date): Decision {
  if (!roleWithin(input.role, creatorRole)) {
    return refuse(
      'token_role_too_high',
      `A token cannot do more than you: your role (${creatorRole}) does not include everything a ${input.role} may do.`,
      `Un jeton ne peut pas faire plus que vous : votre rôle (${creatorRole}) n’inclut pas tout ce que peut faire le rôle ${input.role}.`,
    );
  }
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    return refuse('token_expiry_past', 'The expiry date must be in the future.', 'La date d’expiration doit être dans le futur.');
  }
  return ok;
}

/** Tokens whose role is no longer within their owner's new role: revoked with the change. */
export function tokensExceeding<T extends { role: Role }>(tokens: readonly T[], ownerRole: Role): T[] {
  return tokens.filter((token) => !roleWithin(token.role, ownerRole));
}
