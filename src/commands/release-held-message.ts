import type { AppContext } from '../app-context.ts';
import { lockMessage, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import { decideRelease } from '../domain/message-lifecycle.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { inTransaction } from './unit-of-work.ts';

export type ReleaseResult = 'released' | 'not_due' | 'not_held' | 'missing';

/**
 * End of a hold window. Judged on the injected clock: a job that runs early (clock skew, or a
 * test that drains everything) puts itself back for the time that is left.
 */
export async function releaseHeldMessage(ctx: AppContext, workspaceId: string, messageId: string): Promise<ReleaseResult> {
  return inTransaction(ctx, async (uow) => {
    const row = await lockMessage(uow.trx, workspaceId, messageId);
    if (!row) return 'missing';
    const now = ctx.clock.now();
    const decision = decideRelease(toMessageState(row), now);
    const job = { workspaceId, messageId };
    if (!decision.ok) {
      if (decision.error.details?.reason !== 'hold_not_over' || !row.hold_until) return 'not_held';
      await uow.enqueue(QUEUES.releaseHold, job, { delaySeconds: (row.hold_until.getTime() - now.getTime()) / 1000 });
      return 'not_due';
    }
    await updateMessage(uow.trx, row.id, decision.patch, now);
    await uow.record(
      decision.events.map((e) => ({
        ...e,
        workspaceId,
        conversationId: row.conversation_id,
        messageId,
        actorUserId: null,
        at: now,
      })),
    );
    await uow.enqueue(QUEUES.sendMessage, job);
    return 'released';
  });
}
