import type { AppContext } from '../app-context.ts';
import { getMessage } from '../db/queries/message-queries.ts';
import type { Actor } from '../domain/actor.ts';
import { decideResubmit } from '../domain/message-lifecycle.ts';
import { changeMessage } from './change-message.ts';
import { checkDraft } from './check-draft.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

/**
 * Edit and resubmit a rejected message: the guard reads the new text (a block is refused, as when
 * sending), then the message goes back to a reviewer with those findings. It never left, so the
 * customer sees nothing of this.
 */
export async function resubmitMessage(ctx: AppContext, workspaceId: string, messageId: string, actor: Actor, text: string) {
  const row = await getMessage(ctx.db, workspaceId, messageId);
  if (!row) throw notFound(nouns.message);
  const check = await checkDraft(ctx, { workspaceId, actor, text, contactId: row.contact_id, channelId: row.channel_id });
  if (check.send.outcome === 'blocked') {
    throw new CommandError('guard_blocked', undefined, { verdict: 'block', findings: check.findings });
  }
  return changeMessage(ctx, { workspaceId, messageId, actorUserId: actor.userId }, (message, _rules, now) =>
    decideResubmit(message, actor, text, now, { verdict: check.decision.verdict, findings: check.findings, acknowledged: [] }),
  );
}
