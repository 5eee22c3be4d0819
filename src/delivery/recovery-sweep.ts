import type { AppContext } from '../app-context.ts';
import { dispatchMessages } from './dispatch-messages.ts';
import { expireSnoozes } from '../commands/inbox/expire-snoozes.ts';
import { releaseHeldMessage } from './release-held-message.ts';
import { listOverdueHolds, listStaleSimulatorQueue } from '../db/queries/outbox-queries.ts';

const GRACE_SECONDS = 10;
const BATCH = 500;

/**
 * The safety net under the job queue. A job a crashed process had taken stays "active" in
 * pg-boss until it expires (minutes later); the message rows say what is really pending, so
 * this sweep releases holds that are over and dispatches queued simulator messages nobody
 * picked up. Real channels have their own sweep in the sender. Every step is idempotent: it
 * races harmlessly with the regular jobs.
 */
export async function recoverStalledMessages(
  ctx: AppContext,
  options: { workspaceId?: string } = {},
): Promise<{ released: number; dispatched: number }> {
  const now = ctx.clock.now();
  let released = 0;
  for (const row of await listOverdueHolds(ctx.db, now, GRACE_SECONDS, BATCH, options.workspaceId)) {
    if ((await releaseHeldMessage(ctx, row.workspace_id, row.id)) === 'released') released++;
  }
  const stale = await listStaleSimulatorQueue(ctx.db, now, GRACE_SECONDS, BATCH, options.workspaceId);
  const byWorkspace = new Map<string, string[]>();
  for (const row of stale) byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row.id]);
  for (const [workspaceId, ids] of byWorkspace) await dispatchMessages(ctx, workspaceId, ids);
  if (released + stale.length > 0) ctx.log.info({ released, dispatched: stale.length }, 'recovered stalled messages');
  return { released, dispatched: stale.length };
}

/** Runs the sweep now and every `intervalMs` until stopped. */
export function startRecoverySweep(ctx: AppContext, intervalMs = 5_000): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    recoverStalledMessages(ctx)
      // Snoozes end on the same beat (team inbox): a few seconds late at most, never early.
      .then(() => expireSnoozes(ctx))
      .catch((error) => ctx.log.warn({ err: error }, 'recovery sweep failed'))
      .finally(() => {
        running = false;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  return () => clearInterval(timer);
}
