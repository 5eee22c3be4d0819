import type { AppContext } from '../../app-context.ts';
import { insertNote, listTeammates } from '../../db/queries/inbox-queries.ts';
import { findMentions } from '../../domain/inbox.ts';
import { inTransaction } from '../unit-of-work.ts';
import { conversationEvent, type InboxActor, lockConversationOr404, requireCan } from './inbox-common.ts';

/**
 * An internal note in the thread: stored beside the messages, never a message — no outbox, no
 * job, no channel adapter ever sees it. Teammates it @mentions hear of it (a realtime event
 * naming them, never the text).
 */
export async function addConversationNote(ctx: AppContext, actor: InboxActor, input: { conversationId: string; text: string }) {
  requireCan(actor, 'conversation.note');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const conversation = await lockConversationOr404(uow.trx, actor.workspaceId, input.conversationId);
    const team = await listTeammates(uow.trx, actor.workspaceId);
    const mentions = findMentions(input.text, team);
    const note = await insertNote(uow.trx, {
      id: crypto.randomUUID(),
      workspaceId: actor.workspaceId,
      conversationId: conversation.id,
      authorUserId: actor.userId,
      text: input.text,
      mentions,
      at: now,
    });
    await uow.record([conversationEvent(actor.workspaceId, conversation.id, 'conversation.note_added', { noteId: note.id, mentions }, actor.userId, now)]);
    const notified = mentions.filter((id) => id !== actor.userId);
    if (notified.length > 0) {
      uow.announce({
        type: 'note.mentioned',
        workspaceId: actor.workspaceId,
        conversationId: conversation.id,
        messageId: null,
        at: now.toISOString(),
        data: { noteId: note.id, userIds: notified, by: actor.userId },
      });
    }
    return note;
  });
}
