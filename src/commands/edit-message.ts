import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideEdit } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';

export function editMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, text: string) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, rules, now) =>
    decideEdit(message, actor, text, now, rules),
  );
}
