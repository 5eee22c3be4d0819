import { z } from 'zod';

/**
 * Deletion health (issue 17): the analytics API's queries and answers, shared by the server and,
 * as types, the web app. Every measure's description is its definition (docs/analytics.md).
 */

const MAX_PERIOD_DAYS = 366;

/** An IANA zone name (Europe/Paris, UTC) that this runtime knows; offsets and POSIX rules are refused. */
const isTimeZone = (tz: string) => {
  if (!/^(?:UTC|[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z0-9_+-]+){1,2})$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const instant = z.iso.datetime({ offset: true }).max(40);

export const analyticsQuery = z
  .strictObject({
    from: instant.optional().describe('Start of the period (inclusive), ISO 8601 with an offset. Default: 30 days before `to`.'),
    to: instant.optional().describe('End of the period (exclusive). Default: now.'),
    agentId: z.uuid().optional().describe('Only messages this person wrote. Agents only ever see their own.'),
    channelId: z.uuid().optional(),
    language: z
      .string()
      .min(2)
      .max(8)
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, { message: 'a language code such as fr or en' })
      .optional()
      .describe('The contact’s language.'),
    tz: z.string().min(1).max(64).refine(isTimeZone, { message: 'an IANA time zone such as Europe/Paris' }).optional().describe('Time zone of the day buckets (default UTC).'),
    correctionWithinSeconds: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional()
      .describe('A deletion is followed by a correction when one is sent within this many seconds (default 3 600).'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same numbers as a CSV file (RFC 4180).'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `a period of at most ${MAX_PERIOD_DAYS} days`,
    path: ['from'],
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

const rate = (definition: string) => z.number().nullable().describe(`${definition} Null when there is nothing to divide by.`);
const seconds = z.object({
  p50Seconds: z.number().nullable().describe('Median (nearest rank).'),
  p90Seconds: z.number().nullable().describe('90th percentile (nearest rank).'),
});
const counts = z.record(z.string(), z.number());
const period = z.object({ from: z.string(), to: z.string() });

const deletionScalars = {
  sent: z.number().describe('Outgoing messages sent through Errata in the period (sent_at in [from, to); not the business phone’s own).'),
  deletedForEveryone: z.number().describe('Of those, deleted for everyone (revoked).'),
  deletedForMe: z.number().describe('Of those, hidden from the team now and not deleted for everyone (a restored message counts nowhere).'),
  edited: z.number().describe('Of those, edited after leaving and not deleted for everyone afterwards.'),
  deletionRate: rate('deletedForEveryone / sent.'),
  editRate: rate('edited / sent.'),
  timeToDelete: seconds.describe('revoked_at − sent_at over deletions for everyone.'),
  beforeReadRate: rate('Deletions for everyone of messages not read when deleted, over deletions for everyone.'),
  unverifiableRate: rate('Deletions for everyone whose outcome nobody can confirm (channel confirms nothing, or a device answered unknown, ignored or expired), over deletions for everyone.'),
  mayHaveBeenSeenRate: rate('Read before the deletion or unverifiable, over deletions for everyone.'),
  withoutDevices: z.number().describe('Simulator deletions whose message reached no device.'),
  outcomes: z
    .object({ applied: z.number(), pending: z.number(), ignored: z.number(), expired: z.number(), unknown: z.number() })
    .describe('Deletions for everyone per device outcome (a message counts once under each outcome it has).'),
  corrected: z.number().describe('Deletions for everyone followed by a correction within correctionWithinSeconds (quotes the deleted message or uses a correction’s words, written after the deletion, same conversation).'),
  transparencyRate: rate('corrected / deletedForEveryone.'),
  ownsMistakeRate: rate('Corrections whose text owns the mistake (an apology, “my mistake”), over corrections.'),
};
const deletionScalarsSchema = z.object(deletionScalars);

export const deletionsResponse = z.object({
  period,
  previousPeriod: period,
  correctionWithinSeconds: z.number(),
  timeZone: z.string(),
  ...deletionScalars,
  byReason: counts.describe('Deletions for everyone by mistake kind.'),
  byReasonForMe: counts.describe('deletedForMe by mistake kind.'),
  byAgent: z
    .array(
      z.object({
        agentId: z.string().nullable(),
        name: z.string().nullable(),
        sent: z.number(),
        deleted: z.number(),
        deletedForMe: z.number(),
        edited: z.number(),
        deletionRate: z.number().nullable(),
      }),
    )
    .describe('Per author. Agents see only themselves.'),
  customer: z.object({
    repliesWithin24h: z.number().describe('Deletions for everyone after which the customer wrote within 24 h.'),
    replyRate: z.number().nullable(),
    customerDeletesWithin24h: z.number().describe('Deletions for everyone after which the customer deleted one of their messages within 24 h.'),
    optOuts: z.null().describe('Not recorded by Errata yet.'),
  }),
  series: z
    .array(z.object({ day: z.string(), sent: z.number(), deletedForEveryone: z.number(), edited: z.number(), deletionRate: z.number().nullable() }))
    .describe('Per calendar day in `tz`, by the day the message was sent.'),
  previous: deletionScalarsSchema.describe('The same measures over the previous period of the same length.'),
  change: z.object({ deletionRate: z.number().nullable(), transparencyRate: z.number().nullable(), beforeReadRate: z.number().nullable(), unverifiableRate: z.number().nullable() }).describe('Current minus previous.'),
});
export type DeletionsResponse = z.infer<typeof deletionsResponse>;

const preventionScalars = {
  guardFindings: counts.describe('Findings by category stored with messages written in the period, plus those of blocked sends.'),
  guardVerdicts: z.object({ pass: z.number(), warn: z.number(), review: z.number(), block: z.number() }).describe('Messages with findings by verdict; block = blocked sends.'),
  blocked: z.number().describe('Sends the guard refused.'),
  sentForApproval: z.number().describe('Messages that went to a colleague for approval.'),
  approved: z.number().describe('Of those, approved (latest decision).'),
  rejected: z.number().describe('Of those, rejected at least once.'),
  withdrawn: z.number().describe('Of those, cancelled by the author while waiting or after a rejection.'),
  awaitingDecision: z.number(),
  approvalTurnaround: seconds.describe('decided_at − requested_at.'),
  rejectionRate: rate('rejected / messages decided at least once.'),
  undoSends: z.number().describe('Messages cancelled while held: never sent.'),
  warningsAcknowledged: z.number().describe('Messages whose author accepted at least one warning before sending.'),
  falseAlarmReports: z.number().nullable().describe('Agents’ “not a mistake” reports; null under a channel or language filter.'),
  missedMistakeReports: z.number().nullable(),
};
export const preventionResponse = z.object({ period, previousPeriod: period, ...preventionScalars, previous: z.object(preventionScalars) });
export type PreventionResponse = z.infer<typeof preventionResponse>;

const funnel = z.object({
  mistakes: z.number().describe('caughtBeforeSend + undone + edited + deleted.'),
  caughtBeforeSend: z.number().describe('Blocked sends + rejected approvals.'),
  undone: z.number(),
  edited: z.number(),
  deleted: z.number(),
  corrected: z.number().describe('A part of deleted: followed by a correction.'),
});

export const trustResponse = z.object({
  period,
  previousPeriod: period,
  score: z
    .number()
    .nullable()
    .describe('round(100 × (0.5 × (1 − min(1, (deleted + ½ edited) / sent / 5 %)) + 0.3 × transparency + 0.2 × (1 − mayHaveBeenSeen))); null when nothing was sent.'),
  previousScore: z.number().nullable(),
  trend: z.number().nullable().describe('score − previousScore.'),
  byAgent: z.array(z.object({ agentId: z.string().nullable(), name: z.string().nullable(), sent: z.number(), score: z.number().nullable(), previousScore: z.number().nullable(), trend: z.number().nullable() })),
  funnel,
  alerts: z.array(z.lazy(() => alertSchema)).describe('Open alerts (team readers only).'),
});
export type TrustResponse = z.infer<typeof trustResponse>;

export const drillDownMeasures = [
  'deleted',
  'deleted_for_me',
  'edited',
  'before_read',
  'unverifiable',
  'corrected',
  'not_corrected',
  'undo_sends',
  'rejected',
  'acknowledged',
] as const;

export const drillDownQuery = z
  .strictObject({
    measure: z.enum(drillDownMeasures),
    reason: z.string().min(2).max(40).regex(/^[a-z_]+$/).optional().describe('Deletions with this mistake kind.'),
    from: instant.optional(),
    to: instant.optional(),
    agentId: z.uuid().optional(),
    channelId: z.uuid().optional(),
    language: z.string().min(2).max(8).regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/).optional(),
    correctionWithinSeconds: z.coerce.number().int().min(60).max(7 * 86_400).optional(),
    tz: z.string().min(1).max(64).refine(isTimeZone, { message: 'an IANA time zone such as Europe/Paris' }).optional().describe('Accepted for symmetry with the measures (the list has no day buckets).'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERIOD_DAYS * 86_400_000, { message: `a period of at most ${MAX_PERIOD_DAYS} days`, path: ['from'] });

export const drillDownResponse = z.object({
  measure: z.enum(drillDownMeasures),
  total: z.number().describe('How many messages the number counts; `items` lists the newest 200.'),
  items: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      contactId: z.string(),
      contactName: z.string(),
      authorUserId: z.string().nullable(),
      channelId: z.string(),
      text: z.string().nullable().describe('Null for a message deleted for me: hidden from the team’s view (the thread can restore it).'),
      status: z.string(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      revokedAt: z.string().nullable(),
      revokeReason: z.string().nullable(),
      editedAt: z.string().nullable(),
    }),
  ),
});
export type DrillDownResponse = z.infer<typeof drillDownResponse>;

const share = z.number().min(0).max(1);
export const alertSettingsBody = z.strictObject({
  deletionRateAbove: share.nullable().describe('Alert when over this share of sent messages is deleted for everyone (0.03 = 3 %); null: off.'),
  transparencyBelow: share.nullable().describe('Alert when the transparency rate is under this share; null: off.'),
  agentFactorAbove: z.number().min(1).max(100).nullable().describe('Alert when an agent’s deletion rate is over this many times the team median (floored at 1 %); null: off.'),
  windowDays: z.number().int().min(1).max(90),
  minSent: z.number().int().min(1).max(100_000).describe('A rate on fewer messages sent raises nothing.'),
  correctionWithinSeconds: z.number().int().min(60).max(7 * 86_400),
  webhookUrl: z.url({ protocol: /^https?$/ }).min(10).max(2_000).nullable().describe('POSTed when an alert is raised or cleared, signed with X-Errata-Signature.'),
  /** Replace the webhook's signing secret (the answer shows it once). */
  rotateSecret: z.boolean().optional(),
});

export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(['deletion_rate', 'transparency', 'agent_outlier']),
  agentId: z.string().nullable(),
  value: z.number(),
  threshold: z.number(),
  raisedAt: z.string(),
  clearedAt: z.string().nullable(),
});
export type AnalyticsAlert = z.infer<typeof alertSchema>;

export const alertSettingsResponse = z.object({
  deletionRateAbove: z.number().nullable(),
  transparencyBelow: z.number().nullable(),
  agentFactorAbove: z.number().nullable(),
  windowDays: z.number(),
  minSent: z.number(),
  correctionWithinSeconds: z.number(),
  webhookUrl: z.string().nullable(),
  /** Whether a signing secret exists; the secret itself only right after it was made. */
  webhookSecretSet: z.boolean(),
  webhookSecret: z.string().optional().describe('Shown once, when created or rotated: HMAC-SHA256 key of X-Errata-Signature.'),
  alerts: z.array(alertSchema).describe('Open alerts and the 50 most recently cleared.'),
});
export type AlertSettingsResponse = z.infer<typeof alertSettingsResponse>;
