import type { AppContext } from '../app-context.ts';
import type { Tx } from '../db/database.ts';
import { appendEvents, type EventRecord } from '../db/queries/message-queries.ts';
import type { EnqueueOptions, JobData, QueueName } from '../delivery/queues.ts';
import type { RealtimeEvent } from '../realtime/event-bus.ts';

/**
 * The shape of every command: load → decide → save, record events and enqueue jobs in one
 * transaction. What others should hear about is published only once it has committed.
 */
export class UnitOfWork {
  private readonly realtime: RealtimeEvent[] = [];
  private readonly toWake = new Set<QueueName>();

  constructor(
    readonly trx: Tx,
    private readonly ctx: AppContext,
  ) {}

  async record(events: readonly EventRecord[]): Promise<void> {
    await appendEvents(this.trx, events);
    for (const e of events) {
      this.realtime.push({
        type: e.type,
        workspaceId: e.workspaceId,
        conversationId: e.conversationId,
        messageId: e.messageId,
        at: e.at.toISOString(),
      });
    }
  }

  /** A realtime event with no record of its own (e.g. who a note mentions), published with the rest after commit. */
  announce(event: RealtimeEvent): void {
    this.realtime.push(event);
  }

  async enqueue(queue: QueueName, data: JobData, options?: EnqueueOptions): Promise<void> {
    await this.ctx.jobs.enqueue(this.trx, queue, data, options);
    if (!options?.delaySeconds) this.toWake.add(queue);
  }

  async enqueueMany(queue: QueueName, jobs: readonly { data: JobData; delaySeconds?: number }[]): Promise<void> {
    await this.ctx.jobs.enqueueMany(this.trx, queue, jobs);
    if (jobs.some((job) => !job.delaySeconds)) this.toWake.add(queue);
  }

  /** @internal called last inside the transaction: other processes hear of it only if it commits */
  async beforeCommit(): Promise<void> {
    if (this.realtime.length > 0) await this.ctx.bus.relayInTransaction(this.trx, this.realtime);
  }

  /** @internal called after commit */
  afterCommit(): void {
    this.ctx.bus.publishLocal(this.realtime);
    for (const queue of this.toWake) this.ctx.jobs.wake(queue);
  }
}

export async function inTransaction<T>(ctx: AppContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let unit: UnitOfWork | undefined;
  const result = await ctx.db.transaction().execute(async (trx) => {
    unit = new UnitOfWork(trx, ctx);
    const value = await work(unit);
    await unit.beforeCommit();
    return value;
  });
  unit?.afterCommit();
  return result;
}
