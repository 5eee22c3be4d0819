import { describe, expect, it } from 'vitest';
import { GroupCommit, pollLoop, WakeSignal } from './loops.ts';

describe('WakeSignal', () => {
  it('a wake-up that comes while nobody waits makes the next wait return at once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    expect(signal.pending).toBe(true);
    const started = performance.now();
    await signal.wait(5_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(signal.pending).toBe(false);
  });

  it('a wait ends on a wake-up, or after its time without one', async () => {
    const signal = new WakeSignal();
    const woken = signal.wait(5_000);
    setTimeout(() => signal.wake(), 10);
    const started = performance.now();
    await woken;
    expect(performance.now() - started).toBeLessThan(1_000);
    const t0 = performance.now();
    await signal.wait(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
});

describe('pollLoop', () => {
  it('repeats while there is work, waits when idle, survives a failing step and stops', async () => {
    const signal = new WakeSignal();
    let running = true;
    const steps: string[] = [];
    const script: (number | Error)[] = [2, 1, new Error('boom'), 0];
    const errors: unknown[] = [];
    const loop = pollLoop({
      running: () => running,
      signal,
      pollMs: 60_000,
      onError: (error) => errors.push(error),
      step: async () => {
        const next = script.shift() ?? 0;
        steps.push(String(next instanceof Error ? 'error' : next));
        if (next instanceof Error) throw next;
        return next;
      },
    });
    // After the error it waits (60 s poll): only a wake-up brings the next step.
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(['2', '1', 'error']);
    signal.wake();
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(['2', '1', 'error', '0']);
    running = false;
    signal.wake();
    await loop;
    expect(errors).toHaveLength(1);
  });
});

describe('GroupCommit', () => {
  it('writes the first item at once and groups what arrives meanwhile, within the weight and in-flight limits', async () => {
    const writes: number[][] = [];
    const releases: (() => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const commits = new GroupCommit<number, string>({
      maxInFlight: 2,
      maxWeight: 10,
      weight: (n) => n,
      write: (items) => {
        writes.push(items);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise((resolve) =>
          releases.push(() => {
            inFlight--;
            resolve(items.map((n) => (n === 7 ? { ok: false, error: new Error('seven') } : { ok: true, value: `ok ${n}` })));
          }),
        );
      },
    });
    const results = [1, 2, 3, 4, 7, 5].map((n) => commits.push(n).catch((error: Error) => error.message));
    // Two writes at once; the rest waits for one of them to end.
    expect(writes).toEqual([[1], [2]]);
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(writes).toEqual([[1], [2], [3, 4]]);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    await commits.idle();
    expect(writes).toEqual([[1], [2], [3, 4], [7], [5]]);
    expect(maxInFlight).toBe(2);
    expect(await Promise.all(results)).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4', 'seven', 'ok 5']);
  });

  it('a write that throws fails every item of its group, and the next group is written', async () => {
    let calls = 0;
    const commits = new GroupCommit<number, number>({
      maxInFlight: 1,
      maxWeight: 100,
      write: async (items) => {
        calls++;
        if (calls === 1) throw new Error('down');
        return items.map((n) => ({ ok: true, value: n * 2 }));
      },
    });
    const a = commits.push(1).catch(() => 'failed');
    const b = commits.push(2);
    expect(await a).toBe('failed');
    expect(await b).toBe(4);
  });
});
