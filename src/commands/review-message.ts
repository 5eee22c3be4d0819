import type { AppContext } from '../app-context.ts';
import type { Actor } from '../domain/actor.ts';
import { decideApprove, decideReject } from '../domain/message-lifecycle.ts';
import { getMessage } from '../db/queries/message-queries.ts';
import { changeMessage } from './change-message.ts';
import { checkDraft } from './check-draft.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

/**
 * "Four eyes": a supervisor or admin other than the author lets the message go (into its planned
 * hold). With `text`, approved with changes: the reviewer's text goes through the guard like any
 * message (a blocked one is refused, nothing changes) and becomes a new version; the author's stays.
 */
export async function approveMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, text?: string) {
  if (text !== undefined) {
    const row = await getMessage(ctx.db, workspaceId, messageId);
    if (!row) throw notFound(nouns.message);
    if (text !== row.text) {
      const check = await checkDraft(ctx, { workspaceId, actor, text, contactId: row.contact_id, channelId: row.channel_id });
      if (check.send.outcome === 'blocked') {
        throw new CommandError('guard_blocked', undefined, { verdict: 'block', findings: check.findings });
      }
    }
  }
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideApprove(message, actor, now, text),
  );
}

export function rejectMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, reason: string) {
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideReject(message, actor, now, reason),
  );
}
