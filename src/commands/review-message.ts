import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideApprove, decideReject } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';

/** "Four eyes": a supervisor or admin other than the author lets the message go (into its planned hold). */
export function approveMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideApprove(message, actor, now),
  );
}

export function rejectMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, reason: string) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideReject(message, actor, now, reason),
  );
}
