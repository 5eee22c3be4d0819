import type { EventRecord } from '../../db/queries/message-queries.ts';
import { lockConversationWorkflow } from '../../db/queries/inbox-queries.ts';
import type { Tx } from '../../db/database.ts';
import { type Action, type Actor, can, type Subject } from '../../domain/actor.ts';
import { CommandError, notFound, nouns } from '../command-error.ts';

export interface InboxActor extends Actor {
  workspaceId: string;
}

export function requireCan(actor: Actor, action: Action, subject?: Subject): void {
  if (!can(actor, action, subject)) throw new CommandError('forbidden');
}

/** The conversation, locked, in the actor's workspace — else 404 (another workspace's too). */
export async function lockConversationOr404(trx: Tx, workspaceId: string, id: string) {
  const row = await lockConversationWorkflow(trx, workspaceId, id);
  if (!row) throw notFound(nouns.conversation);
  return row;
}

/** An event about a conversation (no message), with who did it. */
export function conversationEvent(
  workspaceId: string,
  conversationId: string,
  type: string,
  data: Record<string, unknown>,
  actorUserId: string | null,
  at: Date,
): EventRecord {
  return { workspaceId, conversationId, messageId: null, type, data, actorUserId, at };
}
