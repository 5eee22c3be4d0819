import type { EventRecord } from '../../db/queries/message-queries.ts';

/** A workspace-level event in the history (no conversation, no message), caused by a person. */
export function guardEvent(workspaceId: string, actorUserId: string, type: string, data: Record<string, unknown>, at: Date): EventRecord {
  return { type, data, workspaceId, conversationId: null, messageId: null, actorUserId, at };
}
