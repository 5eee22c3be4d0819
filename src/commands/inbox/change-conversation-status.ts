import type { AppContext } from '../../app-context.ts';
import { setConversationStatus } from '../../db/queries/inbox-queries.ts';
import { type ConversationStatus, decideStatus } from '../../domain/inbox.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { conversationEvent, type InboxActor, lockConversationOr404, requireCan } from './inbox-common.ts';

/** Open, pending, snoozed until a time, or resolved; the same status again changes nothing. */
export async function changeConversationStatus(
  ctx: AppContext,
  actor: InboxActor,
  input: { conversationId: string; status: ConversationStatus; snoozeUntil?: Date | undefined },
): Promise<{ changed: boolean }> {
  requireCan(actor, 'conversation.status');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const row = await lockConversationOr404(uow.trx, actor.workspaceId, input.conversationId);
    const decision = decideStatus({ status: row.status, snoozedUntil: row.snoozed_until }, input, now);
    if (!decision.ok) throw CommandError.from(decision.error);
    if (!decision.changed) return { changed: false };
    await setConversationStatus(uow.trx, row.id, { status: decision.next.status, snoozedUntil: decision.next.snoozedUntil, at: now });
    await uow.record([conversationEvent(actor.workspaceId, row.id, decision.event.type, decision.event.data, actor.userId, now)]);
    return { changed: true };
  });
}
