import type { AppContext } from '../app-context.ts';
import { applyProviderAction } from '../commands/apply-provider-action.ts';
import { dispatchMessages } from '../commands/dispatch-messages.ts';
import { releaseHeldMessage } from '../commands/release-held-message.ts';
import { type JobOutcome, QUEUES } from './job-queue.ts';

export function registerJobHandlers(ctx: AppContext): void {
  ctx.jobs.register(QUEUES.releaseHold, async (jobs) => {
    const outcome: JobOutcome = { failed: [] };
    for (const job of jobs) {
      try {
        await releaseHeldMessage(ctx, job.data.workspaceId, job.data.messageId);
      } catch (error) {
        outcome.failed.push({ id: job.id, error: errorText(error) });
      }
    }
    return outcome;
  });

  ctx.jobs.register(QUEUES.sendMessage, async (jobs) => {
    const byWorkspace = new Map<string, typeof jobs>();
    for (const job of jobs) {
      const list = byWorkspace.get(job.data.workspaceId) ?? [];
      list.push(job);
      byWorkspace.set(job.data.workspaceId, list);
    }
    const outcome: JobOutcome = { failed: [] };
    for (const [workspaceId, list] of byWorkspace) {
      try {
        await dispatchMessages(
          ctx,
          workspaceId,
          list.map((j) => j.data.messageId),
        );
      } catch (error) {
        ctx.log.warn({ err: error, workspaceId, jobs: list.length }, 'dispatch failed; jobs will be retried');
        for (const job of list) outcome.failed.push({ id: job.id, error: errorText(error) });
      }
    }
    return outcome;
  });
  registerProviderActionHandler(ctx);
}

export function registerProviderActionHandler(ctx: AppContext): void {
  ctx.jobs.register(QUEUES.providerAction, async (jobs) => {
    const outcome: JobOutcome = { failed: [] };
    for (const job of jobs) {
      try {
        await applyProviderAction(ctx, job.data);
      } catch (error) {
        outcome.failed.push({ id: job.id, error: errorText(error) });
      }
    }
    return outcome;
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
