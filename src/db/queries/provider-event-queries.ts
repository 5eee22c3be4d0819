import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { MessageRow } from '../schema.ts';

/**
 * Stores webhook facts by their dedupe key, in one statement; answers how many were new. A
 * delivery seen before (Meta and Evolution both retry) stores nothing the second time.
 */
export async function storeProviderEvents(
  db: DbOrTx,
  rows: readonly { workspaceId: string; channelId: string; dedupeKey: string; kind: string; at: Date; payload: unknown }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('provider_events')
    .values(
      rows.map((r) => ({
        workspace_id: r.workspaceId,
        channel_id: r.channelId,
        dedupe_key: r.dedupeKey,
        kind: r.kind,
        received_at: r.at,
        payload: JSON.stringify(r.payload),
      })),
    )
    .onConflict((oc) => oc.columns(['channel_id', 'dedupe_key']).doNothing())
    .returning('seq')
    .execute();
  return inserted.length;
}

/**
 * The oldest stored events not yet applied and due (not waiting for a retry), locked: another
 * applier skips them.
 */
export function lockPendingProviderEvents(trx: Tx, limit: number, now: Date, workspaceIds?: readonly string[]) {
  let query = trx.selectFrom('provider_events').select(['seq', 'channel_id', 'payload', 'received_at']);
  if (workspaceIds) query = query.where('workspace_id', 'in', workspaceIds.length > 0 ? [...workspaceIds] : ['00000000-0000-0000-0000-000000000000']);
  return query
    .where('pending', '=', true)
    .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<=', now)]))
    .orderBy('seq')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markProviderEventsApplied(trx: Tx, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await trx.updateTable('provider_events').set({ pending: false }).where('seq', 'in', [...seqs]).execute();
}

/** Leaves events pending, to be tried again from `retryAt` on. */
export async function retryProviderEventsAt(trx: Tx, retries: readonly { seq: number; retryAt: Date }[]): Promise<void> {
  if (retries.length === 0) return;
  await sql`
    update provider_events set retry_at = r.retry_at
    from (select unnest(${retries.map((r) => r.seq)}::bigint[]) as seq,
                 unnest(${retries.map((r) => r.retryAt.toISOString())}::timestamptz[]) as retry_at) as r
    where provider_events.seq = r.seq and provider_events.pending`.execute(trx);
}

export function listChannelsById(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').selectAll().where('id', 'in', [...ids]).execute();
}

/** Messages of a channel by the provider's ids, locked for the rest of the transaction. */
export function lockMessagesByProviderIds(trx: Tx, channelId: string, providerIds: readonly string[]): Promise<MessageRow[]> {
  if (providerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('provider_message_id', 'in', [...providerIds])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Our own messages by id (the idempotency key the Cloud API echoes), locked. */
export function lockOutgoingByIds(trx: Tx, channelId: string, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('direction', '=', 'out')
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function workspaceLanguage(db: DbOrTx, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('language').where('id', '=', workspaceId).executeTakeFirst();
  return row?.language ?? 'fr';
}

/** A delivery status's change to one message (the lifecycle decided it; this only writes it). */
export interface StatusChange {
  id: string;
  status?: string | undefined;
  sentAt?: Date | undefined;
  sentVersion?: number | undefined;
  providerMessageId?: string | undefined;
  deliveredAt?: Date | undefined;
  readAt?: Date | undefined;
  failedAt?: Date | undefined;
  failureCode?: string | undefined;
  failureDetail?: string | null | undefined;
  customerDeletedAt?: Date | undefined;
  /** Replaces the list (already merged with the row's). */
  providerErrors?: unknown[] | undefined;
}

/**
 * Writes many status changes in one statement: webhook ingest is hot, and one round trip per
 * message would make it crawl. A field left undefined keeps its current value.
 */
export async function applyStatusChanges(trx: Tx, changes: readonly StatusChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map(
      (c) => sql`(${c.id}::uuid, ${c.status ?? null}::text, ${c.sentAt ?? null}::timestamptz, ${c.sentVersion ?? null}::int,
        ${c.providerMessageId ?? null}::text, ${c.deliveredAt ?? null}::timestamptz, ${c.readAt ?? null}::timestamptz,
        ${c.failedAt ?? null}::timestamptz, ${c.failureCode ?? null}::text, ${c.failureDetail ?? null}::text,
        ${c.customerDeletedAt ?? null}::timestamptz, ${c.providerErrors ? JSON.stringify(c.providerErrors) : null}::jsonb)`,
    ),
  );
  await sql`
    update messages m set
      status = coalesce(v.status, m.status),
      sent_at = coalesce(v.sent_at, m.sent_at),
      sent_version = coalesce(v.sent_version, m.sent_version),
      provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
      delivered_at = coalesce(v.delivered_at, m.delivered_at),
      read_at = coalesce(v.read_at, m.read_at),
      failed_at = coalesce(v.failed_at, m.failed_at),
      failure_code = coalesce(v.failure_code, m.failure_code),
      failure_detail = coalesce(v.failure_detail, m.failure_detail),
      customer_deleted_at = coalesce(v.customer_deleted_at, m.customer_deleted_at),
      provider_errors = coalesce(v.provider_errors, m.provider_errors),
      updated_at = ${now}::timestamptz
    from (values ${values}) as v(id, status, sent_at, sent_version, provider_message_id, delivered_at, read_at, failed_at,
      failure_code, failure_detail, customer_deleted_at, provider_errors)
    where m.id = v.id`.execute(trx);
}

export interface InboundMessageParams {
  id: string;
  newContactId: string;
  newConversationId: string;
  workspaceId: string;
  channelId: string;
  phone: string;
  contactName: string;
  language: string;
  providerMessageId: string;
  chatId: string | null;
  contentType: string;
  text: string;
  providerErrors: unknown[] | null;
  customerAt: Date;
  now: Date;
}

/**
 * A customer's message in one statement: the contact (created on first contact), the
 * conversation (summary, unread count, the 24-hour window reopened), the message and its first
 * version. A message id the channel already has inserts nothing and answers undefined.
 */
export async function insertInboundMessage(
  trx: Tx,
  p: InboundMessageParams,
): Promise<{ id: string; conversation_id: string; contact_id: string; contact_created: boolean } | undefined> {
  const summary = p.text.slice(0, 200);
  const result = await sql<{ id: string; conversation_id: string; contact_id: string; contact_created: boolean }>`
    with contact as (
      insert into contacts (id, workspace_id, name, phone, language, created_at, updated_at)
      values (${p.newContactId}::uuid, ${p.workspaceId}::uuid, ${p.contactName}::text, ${p.phone}::text, ${p.language}::text,
        ${p.now}::timestamptz, ${p.now}::timestamptz)
      on conflict (workspace_id, phone) do update set updated_at = contacts.updated_at
      returning id, (xmax = 0) as created
    ), conv as (
      insert into conversations
        (id, workspace_id, contact_id, channel_id, created_at, last_message_at, last_message_text, unread_count, customer_last_message_at)
      select ${p.newConversationId}::uuid, ${p.workspaceId}::uuid, contact.id, ${p.channelId}::uuid, ${p.now}::timestamptz,
        ${p.now}::timestamptz, ${summary}::text, 1, ${p.customerAt}::timestamptz
      from contact
      on conflict (workspace_id, contact_id, channel_id) do update set
        last_message_at = excluded.last_message_at,
        last_message_text = excluded.last_message_text,
        unread_count = conversations.unread_count + 1,
        customer_last_message_at = greatest(conversations.customer_last_message_at, excluded.customer_last_message_at)
      returning id
    ), msg as (
      insert into messages
        (id, workspace_id, conversation_id, channel_id, contact_id, direction, author_user_id, status, text, version,
         content_type, provider_message_id, provider_chat_id, provider_errors, read_before_revoke, send_attempts, created_at, updated_at)
      select ${p.id}::uuid, ${p.workspaceId}::uuid, conv.id, ${p.channelId}::uuid, contact.id, 'in', null, 'received', ${p.text}::text, 1,
        ${p.contentType}::text, ${p.providerMessageId}::text, ${p.chatId}::text,
        ${p.providerErrors ? JSON.stringify(p.providerErrors) : null}::jsonb, false, 0, ${p.now}::timestamptz, ${p.now}::timestamptz
      from conv, contact
      on conflict (channel_id, provider_message_id) where provider_message_id is not null do nothing
      returning id, conversation_id, contact_id
    ), version as (
      insert into message_versions (message_id, version, workspace_id, text, created_at, created_by)
      select msg.id, 1, ${p.workspaceId}::uuid, ${p.text}::text, ${p.now}::timestamptz, null from msg
    )
    select msg.id, msg.conversation_id, msg.contact_id, (select created from contact) as contact_created from msg`.execute(trx);
  return result.rows[0];
}
