import type { AppContext } from '../app-context.ts';
import { type ChannelEvents, type StoreReport, storeWebhookEvents } from './ingest-provider-events.ts';
import type { DeliveryRecord } from '../db/queries/webhook-delivery-queries.ts';
import { GroupCommit, type Settled } from './loops.ts';

const MAX_EVENTS_PER_STATEMENT = 1_000;

/**
 * Statements writing at once. Storing a delivery is mostly waiting for its commit to reach the
 * disk (and, since issue 19, writing its raw body too): with a second statement collecting and
 * writing while the first commits, the two commits share the wait instead of queueing for it.
 */
const MAX_IN_FLIGHT = 2;

/**
 * Group commit for webhook deliveries: each delivery waits for the statement that stores it (so
 * a 200 always means "durably stored"), and deliveries arriving while statements are being
 * written share the next one. At rest a delivery is written at once; under load one statement
 * serves many, and up to MAX_IN_FLIGHT are written at the same time.
 */
export class WebhookIngestQueue {
  private readonly commits: GroupCommit<Delivery, StoreReport>;

  constructor(
    private readonly ctx: AppContext,
    onStored: () => void,
  ) {
    this.commits = new GroupCommit({
      maxInFlight: MAX_IN_FLIGHT,
      maxWeight: MAX_EVENTS_PER_STATEMENT,
      weight: (d) => d.size,
      write: (group) => this.store(group),
      afterWrite: onStored,
    });
  }

  /** Stores the facts of a delivery and the delivery itself (its raw body: evidence, and what reprocessing reads). */
  submit(batches: readonly ChannelEvents[], deliveries: readonly DeliveryRecord[] = []): Promise<StoreReport> {
    const size = batches.reduce((n, b) => n + b.events.length, 0) + deliveries.length;
    if (size === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return this.commits.push({ batches, deliveries, size });
  }

  /**
   * Two statements at once may both hold a redelivered fact the other is writing, in opposite
   * orders: PostgreSQL then cancels one (deadlock). Written again, it finds the other committed.
   */
  private async write(batches: readonly ChannelEvents[], deliveries: readonly DeliveryRecord[]): Promise<StoreReport> {
    try {
      return await storeWebhookEvents(this.ctx, batches, deliveries);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== '40P01') throw error;
      return storeWebhookEvents(this.ctx, batches, deliveries);
    }
  }

  private async store(group: Delivery[]): Promise<Settled<StoreReport>[]> {
    if (group.length > 1) {
      try {
        // One statement for all; the counts are shared (per-delivery detail is not worth a split).
        const report = await storeWebhookEvents(this.ctx, group.flatMap((g) => g.batches), group.flatMap((g) => g.deliveries));
        return group.map(() => ({ ok: true, value: report }));
      } catch {
        // One bad delivery must not fail its neighbours: store them one by one.
      }
    }
    const outcomes: Settled<StoreReport>[] = [];
    for (const item of group) {
      try {
        outcomes.push({ ok: true, value: await this.write(item.batches, item.deliveries) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }
}

interface Delivery {
  batches: readonly ChannelEvents[];
  deliveries: readonly DeliveryRecord[];
  size: number;
}
