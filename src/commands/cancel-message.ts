import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideCancel } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';

/** Undo send: only while the message is held, and then the customer never sees it. */
export function cancelMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideCancel(message, actor, now),
  );
}
