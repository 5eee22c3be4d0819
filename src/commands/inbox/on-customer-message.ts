import { type ConversationStatus, nextInTurn } from '../../domain/inbox.ts';
import type { LifecycleEvent } from '../../domain/message-lifecycle.ts';
import type { Tx } from '../../db/database.ts';
import {
  getAssignmentMode,
  listActiveAgentIds,
  lockAssignmentTurn,
  reopenForCustomer,
  setConversationAssignee,
  setRoundRobinTurn,
} from '../../db/queries/inbox-queries.ts';

/**
 * What a customer's message does to the team's workflow, inside the transaction that stores it:
 * a resolved or snoozed conversation is open again, and a conversation never assigned is given to
 * the next agent in turn when the workspace assigns by round-robin. Answers the events to record
 * (no person acted: the customer's message did).
 */
export async function onCustomerMessage(trx: Tx, input: { workspaceId: string; conversationId: string; now: Date }): Promise<LifecycleEvent[]> {
  const events: LifecycleEvent[] = [];
  const reopened = await reopenForCustomer(trx, input.conversationId, input.now);
  if (reopened) events.push({ type: 'conversation.status_changed', data: { from: reopened.from satisfies ConversationStatus, to: 'open', reason: 'customer_message' } });
  const conversation = await trx
    .selectFrom('conversations')
    .select(['assignee_id', 'assigned_at'])
    .where('id', '=', input.conversationId)
    .executeTakeFirst();
  if (!conversation || conversation.assignee_id !== null || conversation.assigned_at !== null) return events;
  // Read first, lock only to take a turn: a manual workspace's inbound messages never wait on each other.
  if ((await getAssignmentMode(trx, input.workspaceId))?.assignment_mode !== 'round_robin') return events;
  const turn = await lockAssignmentTurn(trx, input.workspaceId);
  if (turn?.assignment_mode !== 'round_robin') return events;
  const next = nextInTurn(await listActiveAgentIds(trx, input.workspaceId), turn.round_robin_last_user_id);
  if (!next) return events;
  await setConversationAssignee(trx, input.conversationId, next, input.now);
  await setRoundRobinTurn(trx, input.workspaceId, next);
  events.push({ type: 'conversation.assigned', data: { from: null, to: next, by: 'round_robin' } });
  return events;
}
