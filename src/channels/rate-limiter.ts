/**
 * At most `perSecond` starts in any window of one second plus a margin (50 ms by default): the
 * provider counts arrivals, and event-loop and network jitter between our start and its arrival
 * must not squeeze N+1 of them into its one-second window. The price is 5 % of the rate. Waiters are served in order. Time comes from `now` (milliseconds,
 * monotonic), so tests can drive it.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private head = 0;
  private last = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private perSecond: number,
    private readonly options: { marginMs: number; now: () => number; sleep: (ms: number) => Promise<void> } = {
      marginMs: 50,
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  ) {}

  get rate(): number {
    return this.perSecond;
  }

  setRate(perSecond: number): void {
    if (perSecond === this.perSecond) return;
    // Keep the most recent starts: the provider still counts them in its window.
    const ordered = [...this.starts.slice(this.head), ...this.starts.slice(0, this.head)];
    this.perSecond = perSecond;
    this.starts.length = 0;
    this.starts.push(...ordered.slice(-perSecond));
    this.head = 0;
  }

  /**
   * The provider said "too fast" for the whole number (130429): nobody starts for `ms`, and the
   * window starts over, as the provider's own count may differ from ours.
   */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.options.now() + ms);
  }

  /** Resolves when one more start fits in the window. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn;
    return turn;
  }

  private async take(): Promise<void> {
    const { now, sleep, marginMs } = this.options;
    // Evenly spaced, not in bursts: a stall on either side then shifts a few requests, not a whole burst.
    const spacing = 1000 / this.perSecond;
    const full = this.starts.length >= this.perSecond;
    // When the ring is full, the oldest of the last N starts also decides when the next may go.
    const notBefore = Math.max(this.last + spacing, full ? this.starts[this.head]! + 1000 + marginMs : 0, this.pausedUntil);
    const wait = notBefore - now();
    if (wait >= 1) await sleep(wait);
    const at = now();
    this.last = at;
    if (!full) {
      this.starts.push(at);
      return;
    }
    this.starts[this.head] = at;
    this.head = (this.head + 1) % this.perSecond;
  }
}
