import type { AppContext } from '../../app-context.ts';
import { isCommonPassword } from '../../auth/common-passwords.ts';
import { hashPassword, hashToken } from '../../auth/secrets.ts';
import {
  findUserLinkForUpdate,
  markUserLinkUsed,
  recordTeamEvents,
  retireUserLinks,
  revokeUserSessions,
  updateUser,
} from '../../db/queries/team-queries.ts';
import { linkUsable, passwordAcceptable } from '../../domain/team.ts';
import { inTransaction } from '../unit-of-work.ts';
import { openSession, orRefuse } from './team-common.ts';
import { checkSecondFactor } from './two-factor.ts';

/**
 * Someone follows an invitation or a password-reset link: chooses a password (and, when invited,
 * may correct their name). The link works once. An invitation signs them in; a reset ends every
 * other session of theirs and signs them in too (the link came from an admin, to them) — with
 * two-factor sign-in on, only with a code from their app or a recovery code as well.
 */
export async function acceptLink(
  ctx: AppContext,
  kind: 'invitation' | 'password_reset',
  input: { token: string; password: string; name?: string | undefined; totp?: string | undefined },
) {
  const now = ctx.clock.now();
  // Hashing is slow on purpose: do it before taking the link's lock.
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (uow) => {
    const link = await findUserLinkForUpdate(uow.trx, hashToken(input.token), kind);
    // A deactivated person's links do not work either (same answer: nothing to learn).
    orRefuse(linkUsable(link && !link.disabledAt ? link : undefined, now), 'link_invalid');
    const found = link!;
    orRefuse(passwordAcceptable(input.password, isCommonPassword, { email: found.email }), 'validation_failed');
    // A reset link stands in for the password, never for the second factor.
    if (found.totpEnabledAt) await checkSecondFactor(ctx, uow.trx, { id: found.userId, workspaceId: found.workspaceId }, input.totp, now);
    await markUserLinkUsed(uow.trx, found.linkId, now);
    await retireUserLinks(uow.trx, found.userId, kind, now);
    await updateUser(uow.trx, found.workspaceId, found.userId, {
      password_hash: passwordHash,
      password_changed_at: now,
      ...(kind === 'invitation' && input.name?.trim() ? { name: input.name.trim() } : {}),
    });
    if (kind === 'password_reset') await revokeUserSessions(uow.trx, found.userId, now);
    await recordTeamEvents(uow.trx, [
      {
        workspaceId: found.workspaceId,
        actorUserId: found.userId,
        actorKind: 'link',
        type: kind === 'invitation' ? 'user.invitation_accepted' : 'user.password_reset_used',
        subjectUserId: found.userId,
        at: now,
      },
    ]);
    return openSession(uow.trx, { id: found.userId, workspaceId: found.workspaceId }, now);
  });
}
