import { describe, expect, it } from 'vitest';
import type { Guard } from './create-guard.ts';
import { DeferredGuard, loadedGuard } from './deferred-guard.ts';

/** A guard that finds one thing, and says whether it was disposed. */
function loadable() {
  const state = { loads: 0, disposed: 0 };
  const guard: Guard = {
    check: () => [{ kind: 'spelling' } as never],
    decide: () => ({ findings: [] }) as never,
    readyMs: 42,
    dispose: () => {
      state.disposed++;
    },
  };
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const load = async () => {
    state.loads++;
    await gate;
    return guard;
  };
  return { state, load, release };
}

describe('DeferredGuard', () => {
  it('loads nothing until asked, then once, and checks only once loaded', async () => {
    const { state, load, release } = loadable();
    const deferred = new DeferredGuard(load);
    expect(state.loads).toBe(0);
    expect(deferred.loaded).toBe(false);
    expect(() => deferred.check({ text: 'x' })).toThrow(/still loading/);
    const first = loadedGuard(deferred);
    const second = loadedGuard(deferred);
    expect(state.loads).toBe(1);
    release();
    expect(await first).toBe(await second);
    expect(deferred.loaded).toBe(true);
    expect(deferred.readyMs).toBe(42);
    expect(deferred.check({ text: 'x' })).toHaveLength(1);
  });

  it('tries a failed load again on the next call', async () => {
    const { state, load, release } = loadable();
    let calls = 0;
    const deferred = new DeferredGuard(() => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('dictionary missing')) : load();
    });
    await expect(deferred.load()).rejects.toThrow('dictionary missing');
    expect(deferred.loaded).toBe(false);
    release();
    await deferred.load();
    expect(calls).toBe(2);
    expect(state.loads).toBe(1);
    expect(deferred.loaded).toBe(true);
  });

  it('disposes a guard that finishes loading after the app closed', async () => {
    const { state, load, release } = loadable();
    const deferred = new DeferredGuard(load);
    const loading = deferred.load();
    deferred.dispose();
    release();
    await loading;
    expect(state.disposed).toBe(1);
    expect(deferred.loaded).toBe(false);
  });

  it('leaves an eagerly loaded guard as it is', () => {
    const eager = { check: () => [], decide: () => ({}) as never, readyMs: 0, dispose() {} } satisfies Guard;
    expect(loadedGuard(eager)).toBe(eager);
  });
});
