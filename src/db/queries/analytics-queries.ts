import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { RevokeOutcome } from '../../domain/device-delivery.ts';
import { CORRECTION_PATTERN, OWNING_PATTERN } from '../../domain/analytics/correction-text.ts';
import type { IncidentFact, SentCount } from '../../domain/analytics/deletion-measures.ts';
import type { BlockedSend, FeedbackCounts, PreventionFact } from '../../domain/analytics/prevention-measures.ts';
import type { DbOrTx } from '../database.ts';
import type { Database } from '../schema.ts';

/**
 * The facts behind the deletion-health measures (docs/analytics.md): the database selects, the
 * domain (src/domain/analytics) computes. Every query reads one workspace's period through a partial
 * index of migration 0018, so its cost follows the period's messages, not the table's.
 */
export interface AnalyticsScope {
  workspaceId: string;
  from: Date;
  to: Date;
  agentId?: string | undefined;
  channelId?: string | undefined;
  /** The contact's language. */
  language?: string | undefined;
}

/**
 * Runs an analytics read with PostgreSQL's JIT off: these plans look expensive (many small index
 * probes) and JIT compilation took ~0.7 s of a 1 s query in bench:analytics, for nothing.
 */
async function read<T>(db: DbOrTx, work: (trx: DbOrTx) => Promise<T>, options: { noBitmap?: boolean } = {}): Promise<T> {
  if (db.isTransaction) return work(db);
  return (db as Kysely<Database>).transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    // Per-deletion look-ups read a few rows of one conversation in order and stop at the first match.
    if (options.noBitmap) await sql`set local enable_bitmapscan = off`.execute(trx);
    return work(trx);
  });
}

/** Filters on a message aliased `m` (the language one needs the contact). */
function filters(scope: AnalyticsScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (scope.agentId) parts.push(sql`and m.author_user_id = ${scope.agentId}::uuid`);
  if (scope.channelId) parts.push(sql`and m.channel_id = ${scope.channelId}::uuid`);
  if (scope.language) parts.push(sql`and exists (select 1 from contacts ct where ct.id = m.contact_id and ct.language = ${scope.language})`);
  return sql.join(parts, sql` `);
}

/** Messages sent in the period, per author and calendar day in `timeZone`. */
export async function countSent(db: DbOrTx, scope: AnalyticsScope, timeZone: string): Promise<SentCount[]> {
  const result = await read(db, (trx) => sql<{ agent_id: string | null; day: string; sent: number }>`
    select agent_id, day::text as day, sent from (
      select m.author_user_id as agent_id, (m.sent_at at time zone ${timeZone})::date as day, count(*)::int as sent
      from messages m
      where m.workspace_id = ${scope.workspaceId}::uuid and m.direction = 'out' and m.sent_at is not null and m.origin is null
        and m.sent_at >= ${scope.from} and m.sent_at < ${scope.to} ${filters(scope)}
      group by 1, 2
    ) t`.execute(trx));
  return result.rows.map((r) => ({ agentId: r.agent_id, day: r.day, sent: Number(r.sent) }));
}

/** Instants cross as milliseconds since the epoch: parsing 20 000 rows of timestamps took longer than the query. */
const ms = (expression: RawBuilder<unknown>) => sql`(extract(epoch from ${expression}) * 1000)::float8`;
const date = (value: number | null) => (value === null ? null : new Date(value));

interface IncidentRow {
  id: string;
  conversation_id: string;
  author_user_id: string | null;
  channel_id: string;
  sent_at: number;
  edited_at: number | null;
  deleted_for_me_at: number | null;
  deleted_for_me_reason: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  read_before_revoke: boolean;
  confirms_revoke: boolean;
  outcomes: RevokeOutcome[] | null;
  correction_sent_at: number | null;
  correction_owns: boolean | null;
  customer_reply_at: number | null;
  customer_deleted_at: number | null;
}

/**
 * Messages sent in the period that were edited after leaving or deleted, each with what followed:
 * device outcomes, the first qualifying correction, the customer's first message and first
 * deletion after ours. `messageIds` narrows to given messages (drill-down uses the same facts).
 */
export async function listIncidents(db: DbOrTx, scope: AnalyticsScope): Promise<IncidentFact[]> {
  const result = await read(
    db,
    (trx) => sql<IncidentRow>`
    select m.id, m.conversation_id, m.author_user_id, m.channel_id, ${ms(sql`m.sent_at`)} as sent_at, ${ms(sql`m.edited_at`)} as edited_at,
      ${ms(sql`m.deleted_for_me_at`)} as deleted_for_me_at, m.deleted_for_me_reason, ${ms(sql`m.revoked_at`)} as revoked_at, m.revoke_reason,
      m.read_before_revoke, ch.type = 'simulator' as confirms_revoke,
      case when m.revoked_at is null then null when f.outcomes is not null then f.outcomes else ${liveOutcomes} end as outcomes,
      ${ms(sql`case when f.message_id is not null then f.correction_sent_at else corr.sent_at end`)} as correction_sent_at,
      case when f.message_id is not null then f.correction_owns else corr.owns end as correction_owns,
      ${ms(sql`case when m.revoked_at is null then null when f.message_id is not null then f.customer_reply_at else ${liveCustomerReply} end`)} as customer_reply_at,
      ${ms(sql`case when m.revoked_at is null then null when f.message_id is not null then f.customer_deleted_at else ${liveCustomerDeleted} end`)} as customer_deleted_at
    from messages m
    join channels ch on ch.id = m.channel_id
    left join analytics_deletion_facts f on f.message_id = m.id and m.revoked_at is not null
    left join lateral (${liveCorrection(sql`f.message_id is null`)}) corr on true
    where m.workspace_id = ${scope.workspaceId}::uuid and m.direction = 'out'
      and (m.revoked_at is not null or m.edited_at is not null or m.deleted_for_me_at is not null)
      and m.sent_at >= ${scope.from} and m.sent_at < ${scope.to} and m.origin is null ${filters(scope)}`.execute(trx),
    { noBitmap: true },
  );
  return result.rows.map((r) => ({
    messageId: r.id,
    conversationId: r.conversation_id,
    agentId: r.author_user_id,
    channelId: r.channel_id,
    sentAt: new Date(r.sent_at),
    editedAt: date(r.edited_at),
    deletedForMeAt: date(r.deleted_for_me_at),
    deletedForMeReason: r.deleted_for_me_reason,
    revokedAt: date(r.revoked_at),
    revokeReason: r.revoke_reason,
    readBeforeRevoke: r.read_before_revoke,
    confirmsRevoke: r.confirms_revoke,
    outcomes: r.outcomes ?? [],
    correction: r.correction_sent_at !== null ? { sentAt: new Date(r.correction_sent_at), ownsMistake: r.correction_owns === true } : null,
    customerReplyAt: date(r.customer_reply_at),
    customerDeletedAt: date(r.customer_deleted_at),
  }));
}

// What followed a deletion for everyone of message `m` (docs/analytics.md), looked up live.
const liveOutcomes = sql`(select array_agg(s.revoke_outcome::text) from message_device_states s where s.message_id = m.id and s.revoke_outcome is not null)`;
const liveCustomerReply = sql`(select i.created_at from messages i
  where i.conversation_id = m.conversation_id and i.direction = 'in' and i.seq > m.seq and i.created_at > m.revoked_at
  order by i.seq limit 1)`;
const liveCustomerDeleted = sql`(select min(i.customer_deleted_at) from messages i
  where i.conversation_id = m.conversation_id and i.customer_deleted_at is not null and i.direction = 'in' and i.customer_deleted_at > m.revoked_at)`;
// The first qualifying correction in the conversation's order: the scan stops there (messages_conversation).
const liveCorrection = (only: RawBuilder<unknown> = sql`true`) => sql`select c.sent_at, c.text ~* ${OWNING_PATTERN} as owns
  from messages c
  where ${only} and m.revoked_at is not null and c.conversation_id = m.conversation_id and c.seq > m.seq and c.direction = 'out'
    and c.created_at >= m.revoked_at and c.sent_at is not null
    and (c.reply_to_message_id = m.id or c.text ~* ${CORRECTION_PATTERN})
  order by c.seq
  limit 1`;

/** A week after the deletion no correction can count any more (the longest window) and the 24-hour customer signals are over. */
export const SETTLED_AFTER_SECONDS = 7 * 86_400;

/**
 * Stores the follow-ups of deletions that can no longer change, a batch at a time (device outcomes
 * only when none is pending: they stay live otherwise); answers how many were stored. Run by the
 * analytics job.
 */
export async function storeSettledDeletionFacts(db: DbOrTx, workspaceId: string, now: Date, batch = 5_000): Promise<number> {
  const before = new Date(now.getTime() - SETTLED_AFTER_SECONDS * 1000);
  const result = await read(
    db,
    (trx) => sql`
    insert into analytics_deletion_facts (message_id, workspace_id, sent_at, outcomes, correction_sent_at, correction_owns,
      customer_reply_at, customer_deleted_at, computed_at)
    select m.id, m.workspace_id, m.sent_at,
      case when not exists (select 1 from message_device_states s where s.message_id = m.id and s.revoke_outcome = 'pending')
        then coalesce(${liveOutcomes}, '{}') end,
      corr.sent_at, corr.owns, ${liveCustomerReply}, ${liveCustomerDeleted}, ${now}
    from messages m
    left join lateral (${liveCorrection()}) corr on true
    where m.workspace_id = ${workspaceId}::uuid and m.direction = 'out' and m.sent_at < ${before} and m.origin is null
      and (m.revoked_at is not null or m.edited_at is not null or m.deleted_for_me_at is not null)
      and m.revoked_at is not null and m.revoked_at < ${before}
      and not exists (select 1 from analytics_deletion_facts f where f.message_id = m.id)
    limit ${batch}
    on conflict (message_id) do nothing
    returning message_id`.execute(trx),
    { noBitmap: true },
  );
  return result.rows.length;
}

interface PreventionRow {
  id: string;
  author_user_id: string | null;
  created_at: Date;
  guard_verdict: PreventionFact['guardVerdict'];
  categories: string[] | null;
  acknowledged: string[] | null;
  approval_requested_at: Date | null;
  approval_decision: PreventionFact['approvalDecision'];
  approval_decided_at: Date | null;
  rejections: number;
  cancelled_at: Date | null;
  sent_at: Date | null;
}

/** Messages written in the period that met the guard, a reviewer or an undo. */
export async function listPreventionFacts(db: DbOrTx, scope: AnalyticsScope): Promise<PreventionFact[]> {
  const result = await read(db, (trx) => sql<PreventionRow>`
    select m.id, m.author_user_id, m.created_at, case when m.guard_findings is not null and jsonb_array_length(m.guard_findings) > 0 then m.guard_verdict end as guard_verdict,
      (select array_agg(f->>'category') from jsonb_array_elements(coalesce(m.guard_findings, '[]'::jsonb)) f) as categories,
      m.guard_acknowledged as acknowledged,
      m.approval_requested_at, m.approval_decision, m.approval_decided_at,
      case when m.approval_requested_at is not null then
        (select count(*)::int from message_events e where e.message_id = m.id and e.type = 'message.rejected')
      else 0 end as rejections,
      m.cancelled_at, m.sent_at
    from messages m
    where m.workspace_id = ${scope.workspaceId}::uuid and m.direction = 'out'
      and (m.guard_findings is not null or m.approval_requested_at is not null or m.cancelled_at is not null)
      and m.created_at >= ${scope.from} and m.created_at < ${scope.to} ${filters(scope)}`.execute(trx));
  return result.rows.map((r) => ({
    messageId: r.id,
    agentId: r.author_user_id,
    createdAt: r.created_at,
    guardVerdict: r.guard_verdict,
    findingCategories: r.categories ?? [],
    acknowledged: r.acknowledged ?? [],
    approvalRequestedAt: r.approval_requested_at,
    approvalDecision: r.approval_decision,
    approvalDecidedAt: r.approval_decided_at,
    rejections: Number(r.rejections),
    cancelledAt: r.cancelled_at,
    sentAt: r.sent_at,
  }));
}

export async function listBlockedSends(db: DbOrTx, scope: AnalyticsScope): Promise<BlockedSend[]> {
  const parts: RawBuilder<unknown>[] = [];
  if (scope.agentId) parts.push(sql`and b.user_id = ${scope.agentId}::uuid`);
  if (scope.channelId) parts.push(sql`and b.channel_id = ${scope.channelId}::uuid`);
  if (scope.language) parts.push(sql`and exists (select 1 from contacts ct where ct.id = b.contact_id and ct.language = ${scope.language})`);
  const result = await sql<{ user_id: string | null; at: Date; categories: string[] }>`
    select b.user_id, b.at, b.categories from guard_blocked_sends b
    where b.workspace_id = ${scope.workspaceId}::uuid and b.at >= ${scope.from} and b.at < ${scope.to} ${sql.join(parts, sql` `)}`.execute(db);
  return result.rows.map((r) => ({ agentId: r.user_id, at: r.at, categories: r.categories }));
}

/** Agents' guard reports in the period; null when a channel or language filter cannot apply to them. */
export async function countGuardReports(db: DbOrTx, scope: AnalyticsScope): Promise<FeedbackCounts | null> {
  if (scope.channelId || scope.language) return null;
  const agent = scope.agentId ? sql`and f.user_id = ${scope.agentId}::uuid` : sql``;
  const result = await sql<{ false_alarms: number; missed: number }>`
    select count(*) filter (where f.verdict = 'false_alarm')::int as false_alarms, count(*) filter (where f.verdict = 'missed')::int as missed
    from guard_feedback f
    where f.workspace_id = ${scope.workspaceId}::uuid and f.created_at >= ${scope.from} and f.created_at < ${scope.to} ${agent}`.execute(db);
  const row = result.rows[0];
  return { falseAlarms: Number(row?.false_alarms ?? 0), missed: Number(row?.missed ?? 0) };
}

export async function recordBlockedSend(
  db: DbOrTx,
  row: { workspaceId: string; userId: string | null; channelId: string | null; contactId: string | null; at: Date; kinds: string[]; categories: string[] },
): Promise<void> {
  await sql`
    insert into guard_blocked_sends (id, workspace_id, user_id, channel_id, contact_id, at, kinds, categories)
    values (${crypto.randomUUID()}::uuid, ${row.workspaceId}::uuid, ${row.userId}::uuid, ${row.channelId}::uuid, ${row.contactId}::uuid,
      ${row.at}, ${row.kinds}::text[], ${row.categories}::text[])`.execute(db);
}

/** Drill-down: the messages behind a number (ids chosen by the domain), newest first, with what a list shows. */
export async function listMessagesForDrillDown(db: DbOrTx, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const result = await sql<{
    id: string;
    conversation_id: string;
    contact_id: string;
    contact_name: string;
    author_user_id: string | null;
    channel_id: string;
    text: string;
    created_at: Date;
    sent_at: Date | null;
    revoked_at: Date | null;
    revoke_reason: string | null;
    edited_at: Date | null;
    deleted_for_me_at: Date | null;
    status: string;
  }>`
    select m.id, m.conversation_id, m.contact_id, ct.name as contact_name, m.author_user_id, m.channel_id, m.text, m.created_at,
      m.sent_at, m.revoked_at, m.revoke_reason, m.edited_at, m.deleted_for_me_at, m.status
    from messages m join contacts ct on ct.id = m.contact_id
    where m.workspace_id = ${workspaceId}::uuid and m.id = any(${ids as string[]}::uuid[])
    order by coalesce(m.sent_at, m.created_at) desc, m.id`.execute(db);
  return result.rows;
}
