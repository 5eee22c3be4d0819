import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideRestore } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';

/** Undoes delete for me. */
export function restoreMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message) => decideRestore(message, actor));
}
