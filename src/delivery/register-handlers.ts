import type { AppContext } from '../app-context.ts';
import { applyProviderAction } from './apply-provider-action.ts';
import { fetchProviderMedia } from './fetch-provider-media.ts';
import { dispatchMessages } from './dispatch-messages.ts';
import { releaseHeldMessages } from './release-held-message.ts';
import type { JobOutcome } from './job-queue.ts';
import { QUEUES } from './queues.ts';

export function registerJobHandlers(ctx: AppContext): void {
  ctx.jobs.register(QUEUES.releaseHold, async (jobs) => {
    const refs = jobs.map((job) => ({ workspaceId: job.data.workspaceId, messageId: job.data.messageId }));
    try {
      await releaseHeldMessages(ctx, refs);
      return { failed: [] };
    } catch (error) {
      // The batch is one transaction: nothing of it was written. One by one, so that one message
      // that cannot be released does not hold the others back; pg-boss retries the failures.
      ctx.log.warn({ err: error, jobs: jobs.length }, 'releasing a batch of holds failed; releasing one by one');
      const outcome: JobOutcome = { failed: [] };
      for (const [k, job] of jobs.entries()) {
        try {
          await releaseHeldMessages(ctx, [refs[k]!]);
        } catch (single) {
          outcome.failed.push({ id: job.id, error: errorText(single) });
        }
      }
      return outcome;
    }
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
  ctx.jobs.register(QUEUES.fetchMedia, async (jobs) => {
    const outcome: JobOutcome = { failed: [] };
    for (const job of jobs) {
      try {
        await fetchProviderMedia(ctx, job.data);
      } catch (error) {
        // Our own failure (the database): pg-boss tries the job again.
        outcome.failed.push({ id: job.id, error: errorText(error) });
      }
    }
    return outcome;
  });
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
