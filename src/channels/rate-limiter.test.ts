import { expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limiter.ts';

/** A clock the test moves; sleeping advances it, so the test runs instantly and exactly. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

it('spaces starts evenly and lets at most N into any one-second window, in order', async () => {
  const time = fakeTime();
  const limiter = new SlidingWindowLimiter(4, { marginMs: 5, now: time.now, sleep: time.sleep });
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 9 }, () => limiter.acquire().then(() => starts.push(time.now()))));
  expect(starts.slice(0, 4)).toEqual([0, 250, 500, 750]);
  expect(starts[4]).toBe(1005);
  for (let i = 4; i < starts.length; i++) expect(starts[i]! - starts[i - 4]!).toBeGreaterThan(1000);
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(250);
});

it('does not wait when the spacing has passed, and keeps recent starts when the rate changes', async () => {
  const time = fakeTime();
  const limiter = new SlidingWindowLimiter(2, { marginMs: 5, now: time.now, sleep: time.sleep });
  await limiter.acquire();
  time.advance(600);
  await limiter.acquire();
  time.advance(500);
  const before = time.now();
  await limiter.acquire();
  expect(time.now()).toBe(before); // 1 100 ms after the first start, 500 ms after the second: room
  limiter.setRate(1);
  time.advance(10);
  await limiter.acquire();
  // The start at 1 100 ms is still in the window at the new rate of 1/s.
  expect(time.now()).toBe(before + 1005);
  limiter.setRate(3);
  await limiter.acquire();
  expect(time.now()).toBeCloseTo(before + 1005 + 1000 / 3, 6);
});

it('waits out a pause the provider asked for', async () => {
  const time = fakeTime();
  const limiter = new SlidingWindowLimiter(10, { marginMs: 5, now: time.now, sleep: time.sleep });
  await limiter.acquire();
  limiter.pause(2_000);
  await limiter.acquire();
  expect(time.now()).toBe(2_000);
});
