/**
 * Window arithmetic, on server time, to the second. A window of W seconds is open while
 * `now − start ≤ W`: acting at exactly the limit succeeds, one second later is refused.
 */
export function windowEnd(start: Date, windowSeconds: number): Date {
  return new Date(start.getTime() + windowSeconds * 1000);
}

export function isWithinWindow(start: Date, now: Date, windowSeconds: number): boolean {
  return now.getTime() - start.getTime() <= windowSeconds * 1000;
}

/** Whole seconds left before the window closes; 0 when it is closed (or closes this very second). */
export function secondsLeft(end: Date, now: Date): number {
  return Math.max(0, Math.floor((end.getTime() - now.getTime()) / 1000));
}
