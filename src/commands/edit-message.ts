import type { AppContext } from '../app-context.ts';
import { getMessage } from '../db/queries/message-queries.ts';
import type { Actor } from '../domain/actor.ts';
import { decideEdit } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';
import { resubmitMessage } from './resubmit-message.ts';

/** Edit a message; editing a rejected one resubmits it for approval (it never left). */
export async function editMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, text: string) {
  const current = await getMessage(ctx.db, workspaceId, messageId);
  if (current?.status === 'rejected' && current.direction === 'out') return resubmitMessage(ctx, workspaceId, messageId, actor, text);
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, rules, now) =>
    decideEdit(message, actor, text, now, rules),
  );
}
