/**
 * What to do after a provider attempt failed: retry later (when, honouring the provider's
 * Retry-After) or give up. Pure: the attempt number, the error's nature, `now` and a jitter
 * value in [0, 1) come in; a decision comes out.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelaySeconds: 2, maxDelaySeconds: 300 };

export interface FailedAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  retryable: boolean;
  retryAfterSeconds?: number | undefined;
}

export type RetryDecision = { retry: true; at: Date; delaySeconds: number } | { retry: false; reason: 'permanent' | 'attempts_exhausted' };

export function decideRetry(failure: FailedAttempt, now: Date, jitter: number, policy: RetryPolicy = defaultRetryPolicy): RetryDecision {
  if (!failure.retryable) return { retry: false, reason: 'permanent' };
  if (failure.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const exponential = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (failure.attempt - 1));
  // Up to 20 % more, so many messages failing together do not all come back in the same second.
  const backoff = exponential * (1 + 0.2 * Math.min(Math.max(jitter, 0), 1));
  // The provider's Retry-After is a floor: never earlier than it asked.
  const delaySeconds = Math.max(backoff, failure.retryAfterSeconds ?? 0);
  return { retry: true, at: new Date(now.getTime() + Math.round(delaySeconds * 1000)), delaySeconds };
}
