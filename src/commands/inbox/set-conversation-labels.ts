import type { AppContext } from '../../app-context.ts';
import { listWorkspaceLabels, setConversationLabels } from '../../db/queries/inbox-queries.ts';
import { normalizeLabels } from '../../domain/inbox.ts';
import { inTransaction } from '../unit-of-work.ts';
import { conversationEvent, type InboxActor, lockConversationOr404, requireCan } from './inbox-common.ts';

/** Replaces a conversation's labels with the given set (spelled as the workspace spells them). */
export async function setLabels(ctx: AppContext, actor: InboxActor, input: { conversationId: string; labels: readonly string[] }): Promise<{ labels: string[] }> {
  requireCan(actor, 'conversation.labels');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const row = await lockConversationOr404(uow.trx, actor.workspaceId, input.conversationId);
    const known = (await listWorkspaceLabels(uow.trx, actor.workspaceId)).map((l) => l.label);
    const labels = normalizeLabels(input.labels, known);
    const before = [...row.labels].sort((a, b) => a.localeCompare(b));
    if (before.length === labels.length && before.every((l, i) => l === labels[i])) return { labels };
    await setConversationLabels(uow.trx, row.id, labels);
    const added = labels.filter((l) => !before.includes(l));
    const removed = before.filter((l) => !labels.includes(l));
    await uow.record([conversationEvent(actor.workspaceId, row.id, 'conversation.labels_changed', { added, removed, labels }, actor.userId, now)]);
    return { labels };
  });
}
