/**
 * At most `perSecond` starts in any window of one second plus a margin (25 ms by default): the
 * provider counts arrivals, and event-loop and network jitter between our start and its arrival
 * must not squeeze N+1 of them into its one-second window. The price is 2.5 % of the rate. Waiters are served in order. Time comes from `now` (milliseconds,
 * monotonic), so tests can drive it.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private head = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private perSecond: number,
    private readonly options: { marginMs: number; now: () => number; sleep: (ms: number) => Promise<void> } = {
      marginMs: 25,
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  ) {}

  get rate(): number {
    return this.perSecond;
  }

  setRate(perSecond: number): void {
    if (perSecond === this.perSecond) return;
    this.perSecond = perSecond;
    // Start over: the history was measured against the old rate.
    this.starts.length = 0;
    this.head = 0;
  }

  /** Resolves when one more start fits in the window. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn;
    return turn;
  }

  private async take(): Promise<void> {
    const { now, sleep, marginMs } = this.options;
    if (this.starts.length < this.perSecond) {
      this.starts.push(now());
      return;
    }
    // The ring is full: the oldest of the last N starts decides when the next may go.
    const oldest = this.starts[this.head]!;
    const wait = oldest + 1000 + marginMs - now();
    if (wait > 0) await sleep(wait);
    this.starts[this.head] = now();
    this.head = (this.head + 1) % this.perSecond;
  }
}
