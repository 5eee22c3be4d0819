import type { AppContext } from '../../app-context.ts';
import { findAssignableUser, setConversationAssignee } from '../../db/queries/inbox-queries.ts';
import { can } from '../../domain/actor.ts';
import { CommandError, notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { conversationEvent, type InboxActor, lockConversationOr404, requireCan } from './inbox-common.ts';

const person = { en: 'Person', fr: 'Personne' };

/**
 * Gives a conversation to a member of the team, or to no one (`userId: null`). Who may give it
 * to whom is can()'s to say; the assignee must be an active member who handles conversations.
 */
export async function assignConversation(
  ctx: AppContext,
  actor: InboxActor,
  input: { conversationId: string; userId: string | null },
): Promise<{ changed: boolean }> {
  requireCan(actor, 'conversation.assign');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const row = await lockConversationOr404(uow.trx, actor.workspaceId, input.conversationId);
    if (input.userId !== null) {
      const assignee = await findAssignableUser(uow.trx, actor.workspaceId, input.userId);
      if (!assignee) throw notFound(person);
      if (assignee.disabled_at) {
        throw new CommandError(
          'validation_failed',
          { en: `${assignee.name} is deactivated: choose an active teammate.`, fr: `${assignee.name} est désactivé(e) : choisissez une personne active.` },
          { field: 'userId' },
        );
      }
      // An auditor reads; conversations are for people who answer them.
      if (!can({ role: assignee.role, userId: assignee.id }, 'conversation.status')) {
        throw new CommandError(
          'validation_failed',
          { en: `${assignee.name} is an auditor and cannot handle conversations.`, fr: `${assignee.name} est auditeur et ne peut pas traiter de conversations.` },
          { field: 'userId' },
        );
      }
    }
    if (row.assignee_id === input.userId) return { changed: false };
    requireCan(actor, 'conversation.assign', { assignment: { from: row.assignee_id, to: input.userId } });
    await setConversationAssignee(uow.trx, row.id, input.userId, now);
    await uow.record([
      conversationEvent(actor.workspaceId, row.id, 'conversation.assigned', { from: row.assignee_id, to: input.userId, by: 'person' }, actor.userId, now),
    ]);
    return { changed: true };
  });
}
