import type { RevokeOutcome } from '../device-delivery.ts';

/**
 * Deletion health (issue 17, PRODUCT.md §2 "Measure"): the measures, defined over recorded facts.
 * docs/analytics.md states every definition in words; the functions below are those definitions.
 * Pure: no clock, no I/O. The database hands over counts of messages sent and one fact per
 * "incident" (a message that was edited after leaving, deleted for me or deleted for everyone).
 */

/** Messages sent through Errata, counted per author and per day of the reader's time zone. */
export interface SentCount {
  agentId: string | null;
  /** YYYY-MM-DD in the period's time zone. */
  day: string;
  sent: number;
}

/** A sent message that was edited after leaving, or deleted (for me, or for everyone). */
export interface IncidentFact {
  messageId: string;
  conversationId: string;
  agentId: string | null;
  channelId: string;
  sentAt: Date;
  /** Set only by an edit after the message left (edits during the hold are drafts). */
  editedAt: Date | null;
  /** In effect now: a restored message has none. */
  deletedForMeAt: Date | null;
  deletedForMeReason: string | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  /** The message was read (by any device) before the delete-for-everyone. */
  readBeforeRevoke: boolean;
  /** Does the channel report per device (the simulator)? Real channels confirm nothing. */
  confirmsRevoke: boolean;
  /** One per device the message reached (simulator); empty when it reached none. */
  outcomes: readonly RevokeOutcome[];
  /** The first message of the team that qualifies as a correction after the deletion (see docs/analytics.md). */
  correction: { sentAt: Date; ownsMistake: boolean } | null;
  /** The customer's first message in the conversation after the deletion. */
  customerReplyAt: Date | null;
  /** The first time after the deletion that the customer deleted one of their own messages in the conversation. */
  customerDeletedAt: Date | null;
}

export interface MeasureOptions {
  /** A deletion is "followed by a correction" when one is sent within this many seconds of it. */
  correctionWithinSeconds: number;
  /** IANA time zone of the day buckets. */
  timeZone: string;
}

export const DEFAULT_CORRECTION_WITHIN_SECONDS = 3_600;
/** Customer signals after a deletion are looked for during this long. */
export const CUSTOMER_SIGNAL_SECONDS = 86_400;

/** Outcomes under which nobody can say the customer no longer sees the message. */
const UNVERIFIABLE: ReadonlySet<RevokeOutcome> = new Set(['unknown', 'ignored', 'expired']);

export const isDeletedForEveryone = (f: IncidentFact) => f.revokedAt !== null;
/** Hidden from the team only: a message also deleted for everyone counts once, as deleted for everyone. */
export const isDeletedForMeOnly = (f: IncidentFact) => f.revokedAt === null && f.deletedForMeAt !== null;
/** Edited after leaving and not deleted for everyone afterwards. */
export const isEditedOnly = (f: IncidentFact) => f.revokedAt === null && f.editedAt !== null;

/** The channel confirms nothing, or a device answered unknown, ignored or expired. No device at all is not unverifiable: nobody received it. */
export function isUnverifiable(f: IncidentFact): boolean {
  if (!f.revokedAt) return false;
  if (!f.confirmsRevoke) return true;
  return f.outcomes.some((o) => UNVERIFIABLE.has(o));
}

export const hasNoDevices = (f: IncidentFact) => f.revokedAt !== null && f.confirmsRevoke && f.outcomes.length === 0;

/** Read before the deletion, or unverifiable: the customer may have seen the mistake. */
export const mayHaveBeenSeen = (f: IncidentFact) => f.readBeforeRevoke || isUnverifiable(f);

const secondsBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 1000;

export function isCorrected(f: IncidentFact, withinSeconds: number): boolean {
  if (!f.revokedAt || !f.correction) return false;
  const delay = secondsBetween(f.revokedAt, f.correction.sentAt);
  return delay >= 0 && delay <= withinSeconds;
}

const within = (from: Date | null, at: Date | null, seconds: number) => {
  if (!from || !at) return false;
  const delay = secondsBetween(from, at);
  return delay > 0 && delay <= seconds;
};

/** Nearest-rank percentile (PostgreSQL's percentile_disc): the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

/** A share: null when there is nothing to divide by (never a made-up 0). */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

const formatters = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, string>();
/** Offsets change on a quarter hour at the finest (UTC+5:45 exists): one answer per quarter hour. */
const QUARTER_MS = 900_000;

/** The calendar day of an instant in a time zone (YYYY-MM-DD). */
export function dayIn(at: Date, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(at.getTime() / QUARTER_MS)}`;
  const known = dayCache.get(key);
  if (known) return known;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${get('year')}-${get('month')}-${get('day')}`;
  if (dayCache.size > 200_000) dayCache.clear();
  dayCache.set(key, day);
  return day;
}

export interface AgentDeletions {
  agentId: string | null;
  sent: number;
  deleted: number;
  deletedForMe: number;
  edited: number;
  deletionRate: number | null;
}

export interface DeletionMeasures {
  sent: number;
  deletedForEveryone: number;
  deletedForMe: number;
  edited: number;
  deletionRate: number | null;
  editRate: number | null;
  timeToDelete: { p50Seconds: number | null; p90Seconds: number | null };
  beforeReadRate: number | null;
  unverifiableRate: number | null;
  mayHaveBeenSeenRate: number | null;
  withoutDevices: number;
  /** Deletions for everyone by the outcome on their devices (a message counts under each outcome it has). */
  outcomes: Record<RevokeOutcome, number>;
  corrected: number;
  transparencyRate: number | null;
  ownsMistakeRate: number | null;
  byReason: Record<string, number>;
  byReasonForMe: Record<string, number>;
  byAgent: AgentDeletions[];
  customer: { repliesWithin24h: number; replyRate: number | null; customerDeletesWithin24h: number; optOuts: null };
  series: { day: string; sent: number; deletedForEveryone: number; edited: number; deletionRate: number | null }[];
}

/** Every deletion measure of one period: `sent` and `incidents` are the messages sent in it. */
export function deletionMeasures(sentCounts: readonly SentCount[], incidents: readonly IncidentFact[], options: MeasureOptions): DeletionMeasures {
  const sent = sentCounts.reduce((n, c) => n + c.sent, 0);
  const deleted = incidents.filter(isDeletedForEveryone);
  const forMe = incidents.filter(isDeletedForMeOnly);
  const edited = incidents.filter(isEditedOnly);
  const corrected = deleted.filter((f) => isCorrected(f, options.correctionWithinSeconds));
  const outcomes: Record<RevokeOutcome, number> = { applied: 0, pending: 0, ignored: 0, expired: 0, unknown: 0 };
  for (const f of deleted) {
    const kinds = new Set<RevokeOutcome>(f.confirmsRevoke ? f.outcomes : ['unknown']);
    for (const k of kinds) outcomes[k]++;
  }
  const count = (facts: readonly IncidentFact[], key: (f: IncidentFact) => string) => {
    const out: Record<string, number> = {};
    for (const f of facts) out[key(f)] = (out[key(f)] ?? 0) + 1;
    return out;
  };
  const delays = deleted.map((f) => secondsBetween(f.sentAt, f.revokedAt!));
  const replies = deleted.filter((f) => within(f.revokedAt, f.customerReplyAt, CUSTOMER_SIGNAL_SECONDS)).length;

  const agents = new Map<string | null, AgentDeletions>();
  const agent = (id: string | null) => {
    let a = agents.get(id);
    if (!a) {
      a = { agentId: id, sent: 0, deleted: 0, deletedForMe: 0, edited: 0, deletionRate: null };
      agents.set(id, a);
    }
    return a;
  };
  for (const c of sentCounts) agent(c.agentId).sent += c.sent;
  for (const f of deleted) agent(f.agentId).deleted++;
  for (const f of forMe) agent(f.agentId).deletedForMe++;
  for (const f of edited) agent(f.agentId).edited++;
  const byAgent = [...agents.values()]
    .map((a) => ({ ...a, deletionRate: ratio(a.deleted, a.sent) }))
    .sort((a, b) => b.deleted - a.deleted || b.sent - a.sent || String(a.agentId).localeCompare(String(b.agentId)));

  const days = new Map<string, { day: string; sent: number; deletedForEveryone: number; edited: number }>();
  const day = (d: string) => {
    let row = days.get(d);
    if (!row) {
      row = { day: d, sent: 0, deletedForEveryone: 0, edited: 0 };
      days.set(d, row);
    }
    return row;
  };
  for (const c of sentCounts) day(c.day).sent += c.sent;
  for (const f of deleted) day(dayIn(f.sentAt, options.timeZone)).deletedForEveryone++;
  for (const f of edited) day(dayIn(f.sentAt, options.timeZone)).edited++;
  const series = [...days.values()]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({ ...d, deletionRate: ratio(d.deletedForEveryone, d.sent) }));

  return {
    sent,
    deletedForEveryone: deleted.length,
    deletedForMe: forMe.length,
    edited: edited.length,
    deletionRate: ratio(deleted.length, sent),
    editRate: ratio(edited.length, sent),
    timeToDelete: { p50Seconds: percentile(delays, 0.5), p90Seconds: percentile(delays, 0.9) },
    beforeReadRate: ratio(deleted.filter((f) => !f.readBeforeRevoke).length, deleted.length),
    unverifiableRate: ratio(deleted.filter(isUnverifiable).length, deleted.length),
    mayHaveBeenSeenRate: ratio(deleted.filter(mayHaveBeenSeen).length, deleted.length),
    withoutDevices: deleted.filter(hasNoDevices).length,
    outcomes,
    corrected: corrected.length,
    transparencyRate: ratio(corrected.length, deleted.length),
    ownsMistakeRate: ratio(corrected.filter((f) => f.correction!.ownsMistake).length, corrected.length),
    byReason: count(deleted, (f) => f.revokeReason ?? 'other'),
    byReasonForMe: count(forMe, (f) => f.deletedForMeReason ?? 'other'),
    byAgent,
    customer: {
      repliesWithin24h: replies,
      replyRate: ratio(replies, deleted.length),
      customerDeletesWithin24h: deleted.filter((f) => within(f.revokedAt, f.customerDeletedAt, CUSTOMER_SIGNAL_SECONDS)).length,
      optOuts: null,
    },
    series,
  };
}
