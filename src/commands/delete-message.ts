import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideDeleteForEveryone, decideDeleteForMe, type MistakeKind } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';

export interface DeleteMessageInput {
  scope: 'me' | 'everyone';
  reason: MistakeKind;
  note?: string | undefined;
}

/** Delete for me hides it from the team; delete for everyone revokes it on the customer's devices. */
export function deleteMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, input: DeleteMessageInput) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, rules, now) =>
    input.scope === 'me'
      ? decideDeleteForMe(message, actor, now, input.reason, input.note)
      : decideDeleteForEveryone(message, actor, now, rules, input.reason, input.note),
  );
}
