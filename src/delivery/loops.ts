/**
 * The small shapes the delivery loops share: a wake-up that is never lost (a wake during work makes
 * the next wait return at once), a work-until-idle loop around it, and group commit (items arriving
 * while a write is under way share the next one). The sender's channel lanes use only the wake-up:
 * their loop also waits for room in flight, holds a lease and retires when idle.
 */
export class WakeSignal {
  private woken = false;
  private release: (() => void) | null = null;

  /** New work: the current or next `wait` returns at once. */
  wake(): void {
    this.woken = true;
    this.release?.();
  }

  /** Whether a wake-up came since the last `wait` returned. */
  get pending(): boolean {
    return this.woken;
  }

  /** Until woken (or already woken since the last wait) or `ms` pass. */
  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.release = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.release = done;
    });
  }
}

/**
 * Runs `step` while `running()`; after a step that did nothing (or failed: `onError`), waits for a
 * wake-up or `pollMs`. Stop by making `running()` false and waking the signal.
 */
export async function pollLoop(options: {
  running: () => boolean;
  step: () => Promise<number>;
  signal: WakeSignal;
  pollMs: number;
  onError: (error: unknown) => void;
}): Promise<void> {
  while (options.running()) {
    let done = 0;
    try {
      done = await options.step();
    } catch (error) {
      options.onError(error);
    }
    if (done === 0 && options.running()) await options.signal.wait(options.pollMs);
  }
}

/**
 * Group commit: each item waits for the write that stores it; items arriving while `maxInFlight`
 * writes are under way gather into the next one, up to `maxWeight` (at least one item per write).
 * At rest an item is written at once; under load one write serves many. `write` answers each
 * item's outcome in order (a failure for one item need not fail its neighbours).
 */
export class GroupCommit<I, O> {
  private queue: { item: I; weight: number; settle: (outcome: Settled<O>) => void }[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: {
      maxInFlight: number;
      maxWeight: number;
      weight?: (item: I) => number;
      write: (items: I[]) => Promise<Settled<O>[]>;
      /** After each write (a loop to wake, say). */
      afterWrite?: () => void;
    },
  ) {}

  push(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      const weight = this.options.weight?.(item) ?? 1;
      this.queue.push({ item, weight, settle: (o) => (o.ok ? resolve(o.value) : reject(o.error)) });
      this.pump();
    });
  }

  /** Until nothing is waiting or being written. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group: typeof this.queue = [];
      let weight = 0;
      while (this.queue.length > 0 && (group.length === 0 || weight + this.queue[0]!.weight <= this.options.maxWeight)) {
        const next = this.queue.shift()!;
        group.push(next);
        weight += next.weight;
      }
      this.inFlight++;
      void this.writeGroup(group).finally(() => {
        this.inFlight--;
        this.options.afterWrite?.();
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async writeGroup(group: typeof this.queue): Promise<void> {
    let outcomes: Settled<O>[];
    try {
      outcomes = await this.options.write(group.map((g) => g.item));
    } catch (error) {
      outcomes = group.map(() => ({ ok: false, error }));
    }
    for (const [k, g] of group.entries()) g.settle(outcomes[k] ?? { ok: false, error: new Error('no outcome for a grouped item') });
  }
}

export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };
