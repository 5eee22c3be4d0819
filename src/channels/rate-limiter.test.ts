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

it('lets at most N starts into any one-second window, in order', async () => {
  const time = fakeTime();
  const limiter = new SlidingWindowLimiter(3, { marginMs: 5, now: time.now, sleep: time.sleep });
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 10 }, () => limiter.acquire().then(() => starts.push(time.now()))));
  expect(starts).toEqual([0, 0, 0, 1005, 1005, 1005, 2010, 2010, 2010, 3015]);
  for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThan(1000);
});

it('does not wait when the window has room, and starts over when the rate changes', async () => {
  const time = fakeTime();
  const limiter = new SlidingWindowLimiter(2, { marginMs: 5, now: time.now, sleep: time.sleep });
  await limiter.acquire();
  time.advance(600);
  await limiter.acquire();
  time.advance(500);
  const before = time.now();
  await limiter.acquire();
  expect(time.now()).toBe(before);
  limiter.setRate(1);
  await limiter.acquire();
  await limiter.acquire();
  expect(time.now()).toBe(before + 1005);
});
