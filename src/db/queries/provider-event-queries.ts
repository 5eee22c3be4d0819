import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import { PREPARED } from '../prepared-statements.ts';
import type { MessageRow } from '../schema.ts';
import { type DeliveryRecord, insertDeliveries } from './webhook-delivery-queries.ts';

export interface ProviderEventRecord {
  workspaceId: string;
  channelId: string;
  dedupeKey: string;
  kind: string;
  at: Date;
  payload: unknown;
  deliveryId?: string | null | undefined;
}

/**
 * Stores webhook facts by their dedupe key — and the raw deliveries they were read from — in one
 * statement; answers how many facts were new. A delivery seen before (Meta and Evolution both
 * retry) is kept as received, but its facts store nothing the second time.
 */
export async function storeProviderEvents(db: DbOrTx, rows: readonly ProviderEventRecord[], deliveries: readonly DeliveryRecord[] = []): Promise<number> {
  if (rows.length === 0) {
    await insertDeliveries(db, deliveries);
    return 0;
  }
  // One fixed text whatever the batch (columns as arrays): PostgreSQL parses and plans it once per
  // connection, not once per flush of a few hundred parameters.
  const inserted = await sql<{ seq: string }>`${sql.raw(PREPARED)} with delivered as (
      insert into webhook_deliveries (id, provider, channel_ids, received_at, body, body_size, media_extracted, outcome, headers)
      select d.id, d.provider, d.channel_ids::uuid[], d.received_at, decode(d.body, 'hex'), d.body_size, d.media_extracted, d.outcome, d.headers::jsonb
      from unnest(${deliveries.map((d) => d.id)}::uuid[], ${deliveries.map((d) => d.provider)}::text[], ${deliveries.map((d) => `{${d.channelIds.join(',')}}`)}::text[],
        ${deliveries.map((d) => d.receivedAt)}::timestamptz[], ${deliveries.map((d) => (d.body ? d.body.toString('hex') : null))}::text[],
        ${deliveries.map((d) => d.bodySize)}::bigint[], ${deliveries.map((d) => d.mediaExtracted)}::boolean[], ${deliveries.map((d) => d.outcome)}::text[],
        ${deliveries.map((d) => JSON.stringify(d.headers))}::text[])
        as d(id, provider, channel_ids, received_at, body, body_size, media_extracted, outcome, headers)
      returning id
    )
    insert into provider_events (workspace_id, channel_id, dedupe_key, kind, received_at, payload, delivery_id)
    select e.workspace_id, e.channel_id, e.dedupe_key, e.kind, e.received_at, e.payload::jsonb, e.delivery_id
    from unnest(${rows.map((r) => r.workspaceId)}::uuid[], ${rows.map((r) => r.channelId)}::uuid[], ${rows.map((r) => r.dedupeKey)}::text[],
      ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.at)}::timestamptz[], ${rows.map((r) => JSON.stringify(r.payload))}::text[],
      ${rows.map((r) => r.deliveryId ?? null)}::uuid[]) with ordinality
      as e(workspace_id, channel_id, dedupe_key, kind, received_at, payload, delivery_id, n)
    -- In arrival order: the order facts are applied in.
    order by e.n
    on conflict (channel_id, dedupe_key) do nothing
    returning seq`.execute(db);
  return inserted.rows.length;
}

/**
 * Facts read again from stored deliveries (`errata webhooks reprocess`): a fact already stored
 * with the same content changes nothing; one now read differently (a newer parser understood
 * more) is stored next to it under `<key>#<hash of its content>`, so reprocessing twice is
 * reprocessing once.
 */
export async function storeReprocessedEvents(db: DbOrTx, rows: readonly ProviderEventRecord[]): Promise<{ stored: number; unchanged: number }> {
  let stored = 0;
  let unchanged = 0;
  for (const r of rows) {
    const payload = JSON.stringify(r.payload);
    const same = await db
      .selectFrom('provider_events')
      .select('seq')
      .where('channel_id', '=', r.channelId)
      .where((eb) => eb.or([eb('dedupe_key', '=', r.dedupeKey), eb('dedupe_key', 'like', `${r.dedupeKey.replace(/[\\%_]/g, (c) => `\\${c}`)}#%`)]))
      .where(sql<boolean>`payload = ${payload}::jsonb`)
      .executeTakeFirst();
    if (same) {
      unchanged++;
      continue;
    }
    const first = await storeProviderEvents(db, [r]);
    if (first === 0) {
      const hash = createHash('sha256').update(payload).digest('hex').slice(0, 16);
      stored += await storeProviderEvents(db, [{ ...r, dedupeKey: `${r.dedupeKey}#${hash}` }]);
    } else stored += first;
  }
  return { stored, unchanged };
}

/** Any fixed number: the transaction lock that makes one process at a time apply webhook facts. */
const APPLIER_LOCK = 7_316_113_001;

/**
 * The oldest stored events not yet applied and due (not waiting for a retry), locked: another
 * applier skips them. Several processes on one database apply one after the other (a transaction
 * lock, waited for): facts are applied in arrival order, and two appliers never race to create the
 * same new customer.
 */
export async function lockPendingProviderEvents(trx: Tx, limit: number, now: Date, workspaceIds?: readonly string[]) {
  await sql`select pg_advisory_xact_lock(${sql.lit(APPLIER_LOCK)})`.execute(trx);
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

export interface ProviderMessageParams {
  id: string;
  newConversationId: string;
  workspaceId: string;
  channelId: string;
  /**
   * The contact, resolved beforehand — or, for someone known by a phone number alone (most
   * messages), found or created by that number in the same statement.
   */
  contact: { id: string } | { newId: string; phone: string; name: string; language: string };
  /** `in`: the customer's (or a system notice); `out`: the business's, sent from its phone app. */
  direction: 'in' | 'out';
  origin: 'app' | null;
  providerMessageId: string;
  chatId: string | null;
  contentType: string;
  content: unknown;
  text: string;
  summary: string;
  providerErrors: unknown[] | null;
  /** Adds to the team's unread count. */
  unread: boolean;
  /** When the customer wrote, if this opens the customer-service window (never a system notice). */
  customerAt: Date | null;
  /** For the business's own messages: when it left. */
  sentAt: Date | null;
  now: Date;
}

/**
 * A message WhatsApp told us about, in one statement: the conversation (created on first use,
 * summary, unread count and 24-hour window as the kind says), the message and its first version.
 * A message id the channel already has inserts nothing and answers undefined.
 */
export async function insertProviderMessage(
  trx: Tx,
  p: ProviderMessageParams,
): Promise<{ id: string; conversation_id: string; contact_id: string; contact_created: boolean } | undefined> {
  const contact =
    'id' in p.contact
      ? sql`select ${p.contact.id}::uuid as id, false as created`
      : sql`
      insert into contacts (id, workspace_id, name, phone, language, created_at, updated_at)
      values (${p.contact.newId}::uuid, ${p.workspaceId}::uuid, ${p.contact.name}::text, ${p.contact.phone}::text, ${p.contact.language}::text,
        ${p.now}::timestamptz, ${p.now}::timestamptz)
      on conflict (workspace_id, phone) do update set updated_at = contacts.updated_at
      returning coalesce(merged_into_id, id) as id, (xmax = 0) as created`;
  const result = await sql<{ id: string; conversation_id: string; contact_id: string; contact_created: boolean }>`
    with contact as (${contact}), conv as (
      insert into conversations
        (id, workspace_id, contact_id, channel_id, created_at, last_message_at, last_message_text, unread_count, customer_last_message_at)
      select ${p.newConversationId}::uuid, ${p.workspaceId}::uuid, contact.id, ${p.channelId}::uuid, ${p.now}::timestamptz,
        ${p.now}::timestamptz, ${p.summary.slice(0, 200)}::text, ${p.unread ? 1 : 0}::int, ${p.customerAt}::timestamptz
      from contact
      on conflict (workspace_id, contact_id, channel_id) do update set
        last_message_at = excluded.last_message_at,
        last_message_text = excluded.last_message_text,
        unread_count = conversations.unread_count + excluded.unread_count,
        customer_last_message_at = greatest(conversations.customer_last_message_at, excluded.customer_last_message_at)
      -- A message the channel already has changes nothing (not even the unread count).
      where not exists (select 1 from messages m where m.channel_id = ${p.channelId}::uuid and m.provider_message_id = ${p.providerMessageId}::text)
      returning id
    ), msg as (
      insert into messages
        (id, workspace_id, conversation_id, channel_id, contact_id, direction, author_user_id, status, text, version, sent_version, sent_at,
         content_type, content, origin, provider_message_id, provider_chat_id, provider_errors, read_before_revoke, send_attempts, created_at, updated_at)
      select ${p.id}::uuid, ${p.workspaceId}::uuid, conv.id, ${p.channelId}::uuid, contact.id, ${p.direction}::text, null,
        ${p.direction === 'out' ? 'sent' : 'received'}::text, ${p.text}::text, 1, ${p.direction === 'out' ? 1 : null}::int, ${p.sentAt}::timestamptz,
        ${p.contentType}::text, ${p.content ? JSON.stringify(p.content) : null}::jsonb, ${p.origin}::text, ${p.providerMessageId}::text, ${p.chatId}::text,
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

/** Messages of a channel by the provider's ids, as they are (not locked): was this one seen? */
export function findMessagesByProviderIds(trx: Tx, channelId: string, providerIds: readonly string[]) {
  if (providerIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'direction', 'content_type', 'provider_errors', 'provider_message_id'])
    .where('channel_id', '=', channelId)
    .where('provider_message_id', 'in', [...providerIds])
    .execute();
}

/** A placeholder read again and now understood: its kind and content, in place. */
export async function reinterpretMessage(trx: Tx, id: string, change: { contentType: string; content: unknown; text: string; now: Date }) {
  await trx
    .updateTable('messages')
    .set({
      content_type: change.contentType,
      content: change.content ? JSON.stringify(change.content) : null,
      text: change.text,
      provider_errors: null,
      updated_at: change.now,
    })
    .where('id', '=', id)
    .execute();
}

export async function setMessageContent(trx: Tx, id: string, content: unknown): Promise<void> {
  await trx.updateTable('messages').set({ content: JSON.stringify(content) }).where('id', '=', id).execute();
}

export async function setCustomerReaction(trx: Tx, id: string, reaction: { emoji: string; at: string } | null): Promise<void> {
  await trx.updateTable('messages').set({ customer_reaction: reaction ? JSON.stringify(reaction) : null }).where('id', '=', id).execute();
}
