import type { AppContext } from '../../app-context.ts';
import {
  getTeamMember,
  liveTokensOf,
  pendingInvitations,
  recordTeamEvents,
  retireUserLinks,
  revokeTokens,
  revokeUserSessions,
  updateUser,
} from '../../db/queries/team-queries.ts';
import type { Role } from '../../domain/actor.ts';
import { tokensExceeding, userChangeAllowed } from '../../domain/team.ts';
import { notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { orRefuse, requireCan, type TeamActor, toUserView, userNoun } from './team-common.ts';

export interface UserChange {
  role?: Role | undefined;
  name?: string | undefined;
  active?: boolean | undefined;
}

/**
 * An admin changes someone's role or name, or deactivates / reactivates them. Deactivation ends
 * their sessions and unused links in the same transaction (their tokens stop because the token
 * lookup requires an active owner; they work again on reactivation unless revoked). A lower role
 * revokes the person's tokens whose role is no longer within it. The caller drops the person
 * from the authentication cache, so the next request already sees the change.
 */
export async function updateTeamMember(ctx: AppContext, actor: TeamActor, userId: string, change: UserChange) {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const before = await getTeamMember(uow.trx, actor.workspaceId, userId);
    if (!before) throw notFound(userNoun);
    requireCan(actor, 'users.manage', { user: { id: userId } });
    orRefuse(userChangeAllowed(actor, { id: before.id, role: before.role, active: before.disabled_at === null }, change), 'conflict');

    const events: Parameters<typeof recordTeamEvents>[1][number][] = [];
    const event = (type: string, data: Record<string, unknown>) =>
      events.push({ workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type, subjectUserId: userId, at: now, data });
    const patch: Parameters<typeof updateUser>[3] = {};

    if (change.name !== undefined && change.name.trim() !== before.name) {
      patch.name = change.name.trim();
      event('user.renamed', { from: before.name, to: patch.name });
    }
    if (change.role !== undefined && change.role !== before.role) {
      patch.role = change.role;
      event('user.role_changed', { from: before.role, to: change.role });
      const exceeding = tokensExceeding(await liveTokensOf(uow.trx, userId), change.role);
      await revokeTokens(
        uow.trx,
        exceeding.map((t) => t.id),
        actor.userId,
        now,
      );
      for (const token of exceeding) {
        events.push({ workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'token.revoked', subjectUserId: userId, subjectTokenId: token.id, at: now, data: { reason: 'role_lowered', tokenRole: token.role } });
      }
    }
    const wasActive = before.disabled_at === null;
    if (change.active === false && wasActive) {
      patch.disabled_at = now;
      await revokeUserSessions(uow.trx, userId, now);
      await retireUserLinks(uow.trx, userId, 'password_reset', now);
      event('user.deactivated', {});
    } else if (change.active === true && !wasActive) {
      patch.disabled_at = null;
      event('user.reactivated', {});
    }
    await updateUser(uow.trx, actor.workspaceId, userId, patch);
    await recordTeamEvents(uow.trx, events);
    const after = await getTeamMember(uow.trx, actor.workspaceId, userId);
    const [invitation] = await pendingInvitations(uow.trx, actor.workspaceId, userId);
    return { user: toUserView(after!, invitation ? { expiresAt: invitation.expires_at } : undefined, now), changed: events.length > 0 };
  });
}
