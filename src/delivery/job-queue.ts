import PgBoss from 'pg-boss';
import { type SqlExecutor, type Tx, transactionExecutor } from '../db/database.ts';
import { pollLoop, WakeSignal } from './loops.ts';
import { type EnqueueOptions, type JobData, QUEUES, type QueueName } from './queues.ts';

export interface JobOutcome {
  /** Jobs whose failure should be retried by pg-boss (with backoff). */
  failed: { id: string; error: string }[];
}

export type JobHandler = (jobs: PgBoss.Job<JobData>[], options: { drain: boolean }) => Promise<JobOutcome>;

const retryDefaults = { retryLimit: 8, retryDelay: 2, retryBackoff: true } as const;
const IDLE_POLL_MS = 1_000;

/**
 * pg-boss behind a small surface: enqueue inside our transaction, run workers that take jobs in
 * batches and are woken as soon as a transaction that enqueued work commits, and `drain` for
 * tests and scripts that want every due job processed now.
 */
export class JobQueue {
  readonly boss: PgBoss;
  private readonly handlers = new Map<QueueName, JobHandler>();
  private readonly signals = new Map<QueueName, WakeSignal>();
  private running = false;
  /** Where a job row goes when a statement enqueues it itself (see accept-message-queries.ts). */
  readonly jobTable: string;
  readonly retry = { limit: retryDefaults.retryLimit, delaySeconds: retryDefaults.retryDelay };
  private loops: Promise<void>[] = [];

  constructor(executor: SqlExecutor, options: { maintenance: boolean; schema?: string | undefined }) {
    this.jobTable = `${options.schema ?? 'pgboss'}.job`;
    this.boss = new PgBoss({
      db: executor as PgBoss.Db,
      supervise: options.maintenance,
      schedule: false,
      migrate: true,
      ...(options.schema ? { schema: options.schema } : {}),
      ...retryDefaults,
    });
  }

  async init(onError: (error: Error) => void): Promise<void> {
    this.boss.on('error', onError);
    await this.boss.start();
    for (const name of Object.values(QUEUES)) {
      if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, ...retryDefaults });
    }
  }

  /** Whether the background workers run (readiness). */
  get workersRunning(): boolean {
    return this.running;
  }

  register(queue: QueueName, handler: JobHandler): void {
    this.handlers.set(queue, handler);
  }

  async enqueue(trx: Tx, queue: QueueName, data: JobData, options: EnqueueOptions = {}): Promise<void> {
    await this.enqueueMany(trx, queue, [{ data, ...options }]);
  }

  /** Many jobs of one queue in one statement, in the caller's transaction. */
  async enqueueMany(trx: Tx, queue: QueueName, jobs: readonly { data: JobData; delaySeconds?: number }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((job) => ({
        name: queue,
        data: job.data as object,
        // pg-boss reads a start_after without a 'Z' as an interval after the database's now().
        ...(job.delaySeconds && job.delaySeconds > 0 ? { startAfter: `${Math.ceil(job.delaySeconds)} seconds` } : {}),
      })),
      { db: transactionExecutor(trx) as PgBoss.Db },
    );
  }

  /** Call after the enqueuing transaction committed: a waiting worker picks the job up at once. */
  wake(queue: QueueName): void {
    this.signals.get(queue)?.wake();
  }

  startWorkers(options: { batchSize: number }): void {
    if (this.running) return;
    this.running = true;
    for (const queue of this.handlers.keys()) this.loops.push(this.workLoop(queue, options.batchSize));
  }

  private workLoop(queue: QueueName, batchSize: number): Promise<void> {
    const signal = new WakeSignal();
    this.signals.set(queue, signal);
    return pollLoop({
      running: () => this.running,
      step: () => this.runBatch(queue, batchSize, false),
      signal,
      pollMs: IDLE_POLL_MS,
      onError: (error) => this.boss.emit('error', error),
    });
  }

  private async runBatch(queue: QueueName, batchSize: number, drain: boolean): Promise<number> {
    const handler = this.handlers.get(queue);
    if (!handler) return 0;
    const jobs = await this.boss.fetch<JobData>(queue, { batchSize, ...(drain ? { ignoreStartAfter: true } : {}) });
    if (jobs.length === 0) return 0;
    let outcome: JobOutcome;
    try {
      outcome = await handler(jobs, { drain });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { failed: jobs.map((job) => ({ id: job.id, error: message })) };
    }
    const failedIds = new Set(outcome.failed.map((f) => f.id));
    const completed = jobs.filter((job) => !failedIds.has(job.id)).map((job) => job.id);
    if (completed.length > 0) await this.boss.complete(queue, completed);
    for (const failure of outcome.failed) await this.boss.fail(queue, failure.id, { error: failure.error });
    return jobs.length;
  }

  /**
   * Processes every job now, including delayed ones (their handlers check the injected clock
   * and re-enqueue what is not due yet). Each queue is drained until a pass finds nothing new.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < 50; pass++) {
      let processed = 0;
      for (const queue of this.handlers.keys()) processed += await this.runBatch(queue, 500, pass === 0);
      total += processed;
      if (processed === 0) break;
    }
    return total;
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const signal of this.signals.values()) signal.wake();
    await Promise.all(this.loops);
    this.loops = [];
    await this.boss.stop({ graceful: false, wait: true, close: false } as PgBoss.StopOptions);
  }
}
