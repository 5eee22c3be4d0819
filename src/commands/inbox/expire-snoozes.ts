import type { AppContext } from '../../app-context.ts';
import { listExpiredSnoozes, reopenExpiredSnooze } from '../../db/queries/inbox-queries.ts';
import { inTransaction } from '../unit-of-work.ts';
import { conversationEvent } from './inbox-common.ts';

const BATCH = 500;

/**
 * Snoozes whose time has come (on the injected clock) end: the conversation is open again, with
 * an event saying so. Idempotent; the recovery sweep runs it every few seconds.
 */
export async function expireSnoozes(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let reopened = 0;
  for (const due of await listExpiredSnoozes(ctx.db, now, BATCH)) {
    const done = await inTransaction(ctx, async (uow) => {
      const row = await reopenExpiredSnooze(uow.trx, due.id, now);
      if (!row) return false;
      await uow.record([
        conversationEvent(row.workspace_id, due.id, 'conversation.status_changed', { from: 'snoozed', to: 'open', reason: 'snooze_expired', snoozedUntil: new Date(row.snoozed_until).toISOString() }, null, now),
      ]);
      return true;
    });
    if (done) reopened++;
  }
  return reopened;
}
