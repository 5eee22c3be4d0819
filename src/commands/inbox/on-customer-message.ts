import { type ConversationStatus, nextInTurn } from '../../domain/inbox.ts';
import type { LifecycleEvent } from '../../domain/message-lifecycle.ts';
import type { Tx } from '../../db/database.ts';
import {
  customerMessageWorkflow,
  listActiveAgentIds,
  lockAssignmentTurn,
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
  const state = await customerMessageWorkflow(trx, input.conversationId, input.now);
  if (!state) return events;
  if (state.reopened_from) {
    events.push({ type: 'conversation.status_changed', data: { from: state.reopened_from satisfies ConversationStatus, to: 'open', reason: 'customer_message' } });
  }
  if (state.assignee_id !== null || state.assigned_at !== null) return events;
  // Read first, lock only to take a turn: a manual workspace's inbound messages never wait on each other.
  if (state.assignment_mode !== 'round_robin') return events;
  const turn = await lockAssignmentTurn(trx, input.workspaceId);
  if (turn?.assignment_mode !== 'round_robin') return events;
  const next = nextInTurn(await listActiveAgentIds(trx, input.workspaceId), turn.round_robin_last_user_id);
  if (!next) return events;
  await setConversationAssignee(trx, input.conversationId, next, input.now);
  await setRoundRobinTurn(trx, input.workspaceId, next);
  events.push({ type: 'conversation.assigned', data: { from: null, to: next, by: 'round_robin' } });
  return events;
}
