/**
 * The period a question is about: [from, to) as instants, and the one just before it, of the same
 * length, for the comparison. Messages belong to the period in which they were sent (deletions,
 * edits and corrections follow their message: docs/analytics.md).
 */
export interface Period {
  from: Date;
  to: Date;
}

export const DAY_MS = 86_400_000;
/** A dashboard question covers at most this many days (a year and a day). */
export const MAX_PERIOD_DAYS = 366;

export function previousPeriod(p: Period): Period {
  const length = p.to.getTime() - p.from.getTime();
  return { from: new Date(p.from.getTime() - length), to: new Date(p.from.getTime()) };
}

/** The default: the 30 days up to now. */
export function defaultPeriod(now: Date, days = 30): Period {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now };
}

/** The last `days` days up to and including `now` (a message sent this very millisecond counts). */
export function lastDays(now: Date, days: number): Period {
  return { from: new Date(now.getTime() - days * DAY_MS), to: new Date(now.getTime() + 1) };
}
