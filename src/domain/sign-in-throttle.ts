/**
 * Sign-in throttling: how long a client must wait before its next password is even looked at.
 * Pure: the caller keeps the counters and passes `now`.
 *
 * Three counters, each forgotten an hour after its last failure:
 * - the client IP, across every address: spraying one password over many addresses is slowed;
 * - the (address, IP) pair: guessing one account's password from one place is slowed;
 * - the address, across every IP: guessing from many places slows each of those places too.
 *
 * What never happens: a hard lock. Each wait grows (1 s, 2 s, 4 s, … after a few free failures)
 * up to a ceiling, and the address-wide counter only ever delays IPs that themselves failed on
 * that address — the owner signing in from another IP with the right password is never kept out
 * by someone else's guesses.
 */
export interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

export interface ThrottlePolicy {
  /** Failures forgotten this long after the last one. */
  forgetAfterMs: number;
  ip: { free: number; maxDelayMs: number };
  pair: { free: number; maxDelayMs: number };
  address: { free: number; maxDelayMs: number };
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  forgetAfterMs: 60 * 60_000,
  // An office behind one address makes typos: twenty free, then growing waits.
  ip: { free: 20, maxDelayMs: 15 * 60_000 },
  pair: { free: 5, maxDelayMs: 15 * 60_000 },
  // Distributed guessing on one address: a shorter ceiling, only for IPs that failed on it.
  address: { free: 10, maxDelayMs: 60_000 },
};

/** The wait after `failures` failures when `free` are free: 0, then 1 s doubling, up to `maxDelayMs`. */
export function growingDelayMs(failures: number, free: number, maxDelayMs: number): number {
  if (failures <= free) return 0;
  return Math.min(maxDelayMs, 1000 * 2 ** Math.min(30, failures - free - 1));
}

/** A count as it stands now (forgotten once `forgetAfterMs` passed since the last failure). */
export function current(count: FailureCount | undefined, nowMs: number, policy: ThrottlePolicy): FailureCount | undefined {
  if (!count || nowMs - count.lastFailureAt >= policy.forgetAfterMs) return undefined;
  return count;
}

export interface ThrottleInput {
  ip: FailureCount | undefined;
  pair: FailureCount | undefined;
  address: FailureCount | undefined;
}

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; by: 'ip' | 'pair' | 'address' };

/** May this attempt be checked now? If not, how long until it may, and which counter says so. */
export function decideSignInAttempt(input: ThrottleInput, nowMs: number, policy: ThrottlePolicy = defaultThrottlePolicy): ThrottleDecision {
  const ip = current(input.ip, nowMs, policy);
  const pair = current(input.pair, nowMs, policy);
  const address = current(input.address, nowMs, policy);
  const waits: { by: 'ip' | 'pair' | 'address'; until: number }[] = [];
  if (ip) waits.push({ by: 'ip', until: ip.lastFailureAt + growingDelayMs(ip.failures, policy.ip.free, policy.ip.maxDelayMs) });
  if (pair) {
    waits.push({ by: 'pair', until: pair.lastFailureAt + growingDelayMs(pair.failures, policy.pair.free, policy.pair.maxDelayMs) });
    // The address-wide count delays this IP only because it failed on this address itself.
    if (address) {
      waits.push({ by: 'address', until: pair.lastFailureAt + growingDelayMs(address.failures, policy.address.free, policy.address.maxDelayMs) });
    }
  }
  const longest = waits.reduce<{ by: 'ip' | 'pair' | 'address'; until: number } | undefined>(
    (max, wait) => (wait.until > nowMs && (!max || wait.until > max.until) ? wait : max),
    undefined,
  );
  return longest ? { allowed: false, retryAfterMs: longest.until - nowMs, by: longest.by } : { allowed: true };
}

/** A failure added to a count (a forgotten count starts again at 1). */
export function withFailure(count: FailureCount | undefined, nowMs: number, policy: ThrottlePolicy = defaultThrottlePolicy): FailureCount {
  const still = current(count, nowMs, policy);
  return { failures: (still?.failures ?? 0) + 1, lastFailureAt: nowMs };
}
