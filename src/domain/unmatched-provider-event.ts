/**
 * A webhook fact about a message we cannot find yet is not necessarily about someone else's
 * message: a gateway's status can arrive before we have written the answer to our send, and a
 * customer's edit or delete can overtake the message it is about (webhook deliveries are not
 * ordered). Such a fact waits and is tried again, at growing intervals, for a while after it
 * arrived; after that it is counted as unmatched.
 */
export const UNMATCHED_RETRY_HORIZON_MS = 10 * 60_000;
const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/** When to try an unmatched fact again, or null once it is too old to wait for any longer. */
export function retryUnmatchedAt(receivedAt: Date, now: Date): Date | null {
  const age = now.getTime() - receivedAt.getTime();
  if (age >= UNMATCHED_RETRY_HORIZON_MS) return null;
  // Half its age: quick retries while the missing message is likely seconds away, rarer later.
  const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, age / 2));
  return new Date(Math.min(now.getTime() + delay, receivedAt.getTime() + UNMATCHED_RETRY_HORIZON_MS));
}
