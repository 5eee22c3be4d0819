import { describe, expect, it } from 'vitest';
import { decideSignInAttempt, defaultThrottlePolicy as policy, type FailureCount, growingDelayMs, withFailure } from './sign-in-throttle.ts';

describe('sign-in throttling rules', () => {
  it('a growing wait after the free failures, up to a ceiling', () => {
    expect([5, 6, 7, 8, 9].map((n) => growingDelayMs(n, 5, 15 * 60_000))).toEqual([0, 1_000, 2_000, 4_000, 8_000]);
    expect(growingDelayMs(500, 5, 15 * 60_000)).toBe(15 * 60_000);
  });

  it('another IP with no failure on the address is never delayed by the address-wide count', () => {
    let address: FailureCount | undefined;
    for (let i = 0; i < 1_000; i++) address = withFailure(address, i, policy);
    expect(decideSignInAttempt({ ip: undefined, pair: undefined, address }, 1_000, policy)).toEqual({ allowed: true });
    // An IP that failed on it once waits at most the address ceiling (60 s), never longer.
    const pair = withFailure(undefined, 1_000, policy);
    const decision = decideSignInAttempt({ ip: pair, pair, address }, 1_000, policy);
    expect(decision).toMatchObject({ allowed: false, by: 'address', retryAfterMs: 60_000 });
    expect(decideSignInAttempt({ ip: pair, pair, address }, 61_000, policy)).toEqual({ allowed: true });
  });

  it('failures are forgotten an hour after the last one', () => {
    let ip: FailureCount | undefined;
    for (let i = 0; i < 40; i++) ip = withFailure(ip, 0, policy);
    expect(decideSignInAttempt({ ip, pair: undefined, address: undefined }, 1_000, policy).allowed).toBe(false);
    expect(decideSignInAttempt({ ip, pair: undefined, address: undefined }, 3_600_000, policy)).toEqual({ allowed: true });
    expect(withFailure(ip, 3_600_000, policy)).toEqual({ failures: 1, lastFailureAt: 3_600_000 });
  });
});
