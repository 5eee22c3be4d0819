import type { AppContext } from '../app-context.ts';
import { type ChannelEvents, type IngestReport, ingestProviderEvents } from '../commands/ingest-provider-events.ts';

const MAX_EVENTS_PER_COMMIT = 1_000;

/**
 * Group commit for webhook deliveries: each delivery waits for the transaction that stores it
 * (so a 200 always means "durably stored"), and deliveries arriving while one commit is running
 * share the next. At rest a delivery is written at once; under load, one commit serves many.
 */
export class WebhookIngestQueue {
  private queue: { batches: readonly ChannelEvents[]; size: number; done: (report?: IngestReport, error?: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly ctx: AppContext) {}

  submit(batches: readonly ChannelEvents[]): Promise<IngestReport> {
    const size = batches.reduce((n, b) => n + b.events.length, 0);
    return new Promise((resolve, reject) => {
      this.queue.push({ batches, size, done: (report, error) => (error ? reject(error) : resolve(report!)) });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group: typeof this.queue = [];
      let size = 0;
      while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0]!.size <= MAX_EVENTS_PER_COMMIT)) {
        const next = this.queue.shift()!;
        group.push(next);
        size += next.size;
      }
      try {
        await this.commit(group);
      } catch (error) {
        for (const item of group) item.done(undefined, error);
      }
    }
    this.flushing = null;
  }

  private async commit(group: typeof this.queue): Promise<void> {
    if (group.length === 1) {
      group[0]!.done(await ingestProviderEvents(this.ctx, group[0]!.batches));
      return;
    }
    try {
      // One transaction for all; the report is shared (per-delivery detail is not worth a split).
      const report = await ingestProviderEvents(this.ctx, group.flatMap((g) => g.batches));
      for (const item of group) item.done(report);
    } catch {
      // One bad delivery must not fail its neighbours: retry them one by one.
      for (const item of group) {
        try {
          item.done(await ingestProviderEvents(this.ctx, item.batches));
        } catch (error) {
          item.done(undefined, error);
        }
      }
    }
  }
}
