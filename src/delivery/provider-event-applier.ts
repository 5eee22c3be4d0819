import type { AppContext } from '../app-context.ts';
import { type ApplyReport, applyPendingProviderEvents } from './ingest-provider-events.ts';
import { pollLoop, WakeSignal } from './loops.ts';

const BATCH = 1_000;
const POLL_MS = 2_000;

/**
 * Applies stored webhook facts to messages, in arrival order, a thousand at a time: the webhook
 * request only stores (and is acknowledged), this loop does the rest moments later. Events stored
 * before a crash are still pending afterwards and get applied then.
 */
export class ProviderEventApplier {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly signal = new WakeSignal();

  constructor(
    private readonly ctx: AppContext,
    private readonly onApplied: (report: ApplyReport) => void = () => {},
  ) {}

  private async applyBatch(workspaceIds?: readonly string[]): Promise<number> {
    const report = await applyPendingProviderEvents(this.ctx, BATCH, workspaceIds);
    if (report.events > 0) this.onApplied(report);
    return report.events;
  }

  start(): void {
    this.running = true;
    this.loop ??= this.run();
  }

  wake(): void {
    this.signal.wake();
  }

  private run(): Promise<void> {
    return pollLoop({
      running: () => this.running,
      step: () => this.applyBatch(),
      signal: this.signal,
      pollMs: POLL_MS,
      onError: (error) => this.ctx.log.error({ err: error }, 'applying webhook events failed; will retry'),
    });
  }

  /** Applies everything pending now (tests, scripts), optionally only for some workspaces. */
  async drain(options: { workspaceIds?: readonly string[] } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const events = await this.applyBatch(options.workspaceIds);
      if (events === 0) return total;
      total += events;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.wake();
    await this.loop;
    this.loop = null;
  }
}
