import type { AppContext } from '../app-context.ts';
import { type ChannelEvents, type StoreReport, storeWebhookEvents } from '../commands/ingest-provider-events.ts';
import type { DeliveryRecord } from '../db/queries/webhook-delivery-queries.ts';

const MAX_EVENTS_PER_STATEMENT = 1_000;

/**
 * Group commit for webhook deliveries: each delivery waits for the statement that stores it (so
 * a 200 always means "durably stored"), and deliveries arriving while one is being written share
 * the next. At rest a delivery is written at once; under load one statement serves many.
 */
export class WebhookIngestQueue {
  private queue: {
    batches: readonly ChannelEvents[];
    deliveries: readonly DeliveryRecord[];
    size: number;
    done: (report?: StoreReport, error?: unknown) => void;
  }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly onStored: () => void,
  ) {}

  /** Stores the facts of a delivery and the delivery itself (its raw body: evidence, and what reprocessing reads). */
  submit(batches: readonly ChannelEvents[], deliveries: readonly DeliveryRecord[] = []): Promise<StoreReport> {
    const size = batches.reduce((n, b) => n + b.events.length, 0) + deliveries.length;
    if (size === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.queue.push({ batches, deliveries, size, done: (report, error) => (error ? reject(error) : resolve(report!)) });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group: typeof this.queue = [];
      let size = 0;
      while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0]!.size <= MAX_EVENTS_PER_STATEMENT)) {
        const next = this.queue.shift()!;
        group.push(next);
        size += next.size;
      }
      await this.store(group);
      this.onStored();
    }
    this.flushing = null;
  }

  private async store(group: typeof this.queue): Promise<void> {
    if (group.length === 1) {
      try {
        group[0]!.done(await storeWebhookEvents(this.ctx, group[0]!.batches, group[0]!.deliveries));
      } catch (error) {
        group[0]!.done(undefined, error);
      }
      return;
    }
    try {
      // One statement for all; the counts are shared (per-delivery detail is not worth a split).
      const report = await storeWebhookEvents(this.ctx, group.flatMap((g) => g.batches), group.flatMap((g) => g.deliveries));
      for (const item of group) item.done(report);
    } catch {
      // One bad delivery must not fail its neighbours: store them one by one.
      for (const item of group) {
        try {
          item.done(await storeWebhookEvents(this.ctx, item.batches, item.deliveries));
        } catch (error) {
          item.done(undefined, error);
        }
      }
    }
  }
}
