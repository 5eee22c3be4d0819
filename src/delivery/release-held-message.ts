import type { AppContext } from '../app-context.ts';
import { type EventRecord, lockMessagesById, markReleased, toMessageState } from '../db/queries/message-queries.ts';
import { decideRelease } from '../domain/message-lifecycle.ts';
import { type JobData, QUEUES } from './queues.ts';
import { inTransaction } from '../commands/unit-of-work.ts';

export type ReleaseResult = 'released' | 'not_due' | 'not_held' | 'missing';

export interface HeldMessageRef {
  workspaceId: string;
  messageId: string;
}

/**
 * End of hold windows, many at once: one transaction and a constant number of statements for a
 * whole batch of release jobs (messages whose holds end together, as in a burst of sends), each
 * judged on the injected clock. A job that runs early (clock skew, or a test that drains
 * everything) puts itself back for the time that is left. Answers one result per reference, in order.
 */
export async function releaseHeldMessages(ctx: AppContext, refs: readonly HeldMessageRef[]): Promise<ReleaseResult[]> {
  if (refs.length === 0) return [];
  return inTransaction(ctx, async (uow) => {
    const rows = new Map((await lockMessagesById(uow.trx, [...new Set(refs.map((r) => r.messageId))])).map((r) => [r.id, r]));
    const now = ctx.clock.now();
    const released = new Set<string>();
    const events: EventRecord[] = [];
    const sends: { data: JobData }[] = [];
    const later: { data: JobData; delaySeconds: number }[] = [];
    const results = refs.map((ref): ReleaseResult => {
      const row = rows.get(ref.messageId);
      if (!row || row.workspace_id !== ref.workspaceId) return 'missing';
      // The same message twice in one batch (a repeated job): the first reference releases it.
      if (released.has(row.id)) return 'not_held';
      const decision = decideRelease(toMessageState(row), now);
      if (!decision.ok) {
        if (decision.error.details?.reason !== 'hold_not_over' || !row.hold_until) return 'not_held';
        later.push({ data: { ...ref }, delaySeconds: (row.hold_until.getTime() - now.getTime()) / 1000 });
        return 'not_due';
      }
      released.add(row.id);
      for (const e of decision.events) {
        events.push({ ...e, workspaceId: ref.workspaceId, conversationId: row.conversation_id, messageId: row.id, actorUserId: null, at: now });
      }
      sends.push({ data: { ...ref } });
      return 'released';
    });
    await markReleased(uow.trx, [...released], now);
    await uow.record(events);
    await uow.enqueueMany(QUEUES.sendMessage, sends);
    await uow.enqueueMany(QUEUES.releaseHold, later);
    return results;
  });
}

/** One message's hold end (the recovery sweep). */
export async function releaseHeldMessage(ctx: AppContext, workspaceId: string, messageId: string): Promise<ReleaseResult> {
  const [result] = await releaseHeldMessages(ctx, [{ workspaceId, messageId }]);
  return result!;
}
