import { sql } from 'kysely';
import type { LifecycleEvent } from '../../domain/message-lifecycle.ts';
import type { DbOrTx } from '../database.ts';
import { PREPARED } from '../prepared-statements.ts';
import type { MessageRow } from '../schema.ts';

/** What an outgoing image or document holds (`messages.content`); the caption is the message text. */
export interface OutboundMediaContent {
  type: 'image' | 'document';
  mimeType: string;
  sha256: string;
  filename?: string;
  stored: { sha256: string; size: number };
}

export interface AcceptMessageParams {
  id: string;
  newConversationId: string;
  workspaceId: string;
  contactId: string;
  channelId: string;
  authorUserId: string;
  text: string;
  contentType: 'text' | 'template' | 'image' | 'document';
  /** An attachment's typed content (caption in `text`); null for text and templates. */
  content?: OutboundMediaContent | null;
  /** The conversation list's line when it is not the text itself (an attachment's mark). */
  summary?: string | undefined;
  template: { name: string; language: string; parameters: string[] } | null;
  /** The message it quotes (same conversation, checked by the caller), or null. */
  replyToMessageId: string | null;
  status: 'held' | 'queued' | 'awaiting_approval';
  plannedHoldSeconds: number;
  guard: { verdict: string; findings: unknown[]; acknowledged: string[] } | null;
  holdUntil: Date | null;
  queuedAt: Date | null;
  idempotencyKey: string | null;
  now: Date;
  events: readonly LifecycleEvent[];
  /** Null while the message waits for approval: nothing is scheduled until a colleague decides. */
  job: {
    /** pg-boss's job table, schema-qualified. */
    table: string;
    queue: string;
    delaySeconds: number;
    retryLimit: number;
    retryDelaySeconds: number;
  } | null;
}

/**
 * Accepting a message is the hottest write: conversation summary, message, first version, events
 * and the pg-boss job all go in one statement — atomic on its own, one round trip. The contact
 * must belong to the workspace, or nothing at all is written and no row comes back.
 *
 * The job row follows pg-boss 10's `job` table (its documented columns and defaults); the
 * database tests prove pg-boss fetches and runs these jobs, so a schema change on upgrade fails
 * loudly there.
 */
export async function acceptOutgoingMessage(db: DbOrTx, p: AcceptMessageParams): Promise<MessageRow | undefined> {
  const summary = (p.summary ?? p.text).slice(0, 200);
  const events = JSON.stringify(p.events.map((e) => ({ type: e.type, data: e.data })));
  const guardFindings = p.guard ? JSON.stringify(p.guard.findings) : null;
  const job = p.job;
  const result = await sql<MessageRow>`${sql.raw(PREPARED)}
    with contact as (
      select id from contacts where id = ${p.contactId}::uuid and workspace_id = ${p.workspaceId}::uuid
    ), conv as (
      insert into conversations
        (id, workspace_id, contact_id, channel_id, created_at, last_message_at, last_message_text, unread_count)
      select ${p.newConversationId}::uuid, ${p.workspaceId}::uuid, contact.id, ${p.channelId}::uuid,
        ${p.now}::timestamptz, ${p.now}::timestamptz, ${summary}::text, 0
      from contact
      on conflict (workspace_id, contact_id, channel_id) do update
        set last_message_at = excluded.last_message_at, last_message_text = excluded.last_message_text
      returning id
    ), msg as (
      insert into messages
        (id, workspace_id, conversation_id, channel_id, contact_id, direction, author_user_id, status, text, version,
         hold_until, queued_at, idempotency_key, read_before_revoke, send_attempts, created_at, updated_at,
         planned_hold_seconds, guard_verdict, guard_findings, guard_acknowledged, approval_requested_at,
         content_type, template, reply_to_message_id, content)
      select ${p.id}::uuid, ${p.workspaceId}::uuid, conv.id, ${p.channelId}::uuid, ${p.contactId}::uuid, 'out',
        ${p.authorUserId}::uuid, ${p.status}::text, ${p.text}::text, 1, ${p.holdUntil}::timestamptz,
        ${p.queuedAt}::timestamptz, ${p.idempotencyKey}::text, false, 0, ${p.now}::timestamptz, ${p.now}::timestamptz,
        ${p.plannedHoldSeconds}::int, ${p.guard?.verdict ?? null}::text, ${guardFindings}::jsonb,
        ${JSON.stringify(p.guard?.acknowledged ?? [])}::jsonb,
        ${p.status === 'awaiting_approval' ? p.now : null}::timestamptz,
        ${p.contentType}::text, ${p.template ? JSON.stringify(p.template) : null}::jsonb, ${p.replyToMessageId}::uuid,
        ${p.content ? JSON.stringify(p.content) : null}::jsonb
      from conv
      returning *
    ), version as (
      insert into message_versions (message_id, version, workspace_id, text, created_at, created_by)
      select msg.id, 1, msg.workspace_id, msg.text, msg.created_at, msg.author_user_id from msg
    ), history as (
      insert into message_events (workspace_id, conversation_id, message_id, type, actor_user_id, at, data)
      select msg.workspace_id, msg.conversation_id, msg.id, e.type, msg.author_user_id, msg.created_at, e.data
      from msg, jsonb_to_recordset(${events}::jsonb) as e(type text, data jsonb)
    )${
      job
        ? sql`, job as (
      insert into ${sql.raw(job.table)} (name, data, retry_limit, retry_delay, retry_backoff, start_after, policy)
      select ${job.queue}::text,
        jsonb_build_object('workspaceId', msg.workspace_id::text, 'messageId', msg.id::text),
        ${job.retryLimit}::int, ${job.retryDelaySeconds}::int, true,
        now() + make_interval(secs => ${job.delaySeconds}::float8), 'standard'
      from msg
    )`
        : sql``
    }
    select * from msg
  `.execute(db);
  return result.rows[0];
}
