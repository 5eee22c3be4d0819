import type { AppContext } from '../../app-context.ts';
import { newLinkToken } from '../../auth/one-time-secrets.ts';
import { hashToken } from '../../auth/secrets.ts';
import { getTeamMember, insertUserLink, recordTeamEvents, retireUserLinks } from '../../db/queries/team-queries.ts';
import { PASSWORD_RESET_SECONDS } from '../../domain/team.ts';
import { CommandError, notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { requireCan, type TeamActor, userNoun } from './team-common.ts';

/**
 * An admin makes a one-time password-reset link for someone (valid 24 h; a newer link replaces
 * the older). The admin hands it over; Errata sends no mail yet. The current password keeps
 * working until the link is used.
 */
export async function issuePasswordReset(ctx: AppContext, actor: TeamActor, userId: string) {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const user = await getTeamMember(uow.trx, actor.workspaceId, userId);
    if (!user) throw notFound(userNoun);
    requireCan(actor, 'users.manage', { user: { id: userId } });
    if (user.disabled_at) {
      throw new CommandError(
        'conflict',
        { en: 'This person is deactivated: reactivate them first.', fr: 'Cette personne est désactivée : réactivez-la d’abord.' },
        { reason: 'user_deactivated' },
      );
    }
    await retireUserLinks(uow.trx, userId, 'password_reset', now);
    const token = newLinkToken('password_reset');
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_SECONDS * 1000);
    await insertUserLink(uow.trx, {
      id: crypto.randomUUID(),
      workspaceId: actor.workspaceId,
      userId,
      kind: 'password_reset',
      tokenHash: hashToken(token),
      createdBy: actor.userId,
      createdAt: now,
      expiresAt,
    });
    await recordTeamEvents(uow.trx, [
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'user.password_reset_issued', subjectUserId: userId, at: now, data: { expiresAt: expiresAt.toISOString() } },
    ]);
    return { token, expiresAt, recipient: { email: user.email, name: user.name } };
  });
}
