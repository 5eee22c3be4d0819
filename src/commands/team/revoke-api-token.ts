import type { AppContext } from '../../app-context.ts';
import { getToken, recordTeamEvents, revokeTokens } from '../../db/queries/team-queries.ts';
import { can } from '../../domain/actor.ts';
import { notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { requireCan, type TeamActor, tokenNoun } from './team-common.ts';

/**
 * Revokes a token: one's own, or (admins) anyone's in the workspace. Someone else's token is
 * "not found" to a non-admin, as tokens of other workspaces are to everyone. Revoking twice is
 * harmless (the first time is kept).
 */
export async function revokeApiToken(ctx: AppContext, actor: TeamActor, tokenId: string) {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const token = await getToken(uow.trx, actor.workspaceId, tokenId);
    if (!token || (token.user_id !== actor.userId && !can(actor, 'tokens.read_all'))) throw notFound(tokenNoun);
    requireCan(actor, 'tokens.revoke', { ownerUserId: token.user_id });
    if (!token.revoked_at) {
      await revokeTokens(uow.trx, [token.id], actor.userId, now);
      await recordTeamEvents(uow.trx, [
        { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'token.revoked', subjectUserId: token.user_id, subjectTokenId: token.id, at: now, data: { name: token.label } },
      ]);
    }
    return { ownerUserId: token.user_id };
  });
}
