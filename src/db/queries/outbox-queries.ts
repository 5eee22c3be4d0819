import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { MessageRow } from '../schema.ts';

export interface ClaimedMessage {
  row: MessageRow;
  /** The customer's number (E.164); null when they hide it. */
  phone: string | null;
  /** Their business-scoped user id and LID, for a reply when there is no number. */
  bsuid: string | null;
  lid: string | null;
  /** This attempt's number, 1 for the first. */
  attempt: number;
  /** When the customer last wrote in the conversation (24-hour window). */
  customerLastMessageAt: Date | null;
  /** The message it quotes, as the provider knows it (null when none, or when it never reached the provider). */
  quoted: { providerMessageId: string; text: string; fromMe: boolean } | null;
}

/**
 * Claims up to `limit` due messages of a real channel for one send attempt each: the attempt is
 * counted and leased before the provider is called, so a crash mid-call is visible afterwards
 * (the lease runs out and the message is retried with the same idempotency key). Within one
 * conversation, a message never overtakes an older one that is in flight or waiting for a retry.
 */
export async function claimDueMessages(
  trx: Tx,
  options: { channelId: string; limit: number; now: Date; leaseUntil: Date },
): Promise<ClaimedMessage[]> {
  const { channelId, limit, now, leaseUntil } = options;
  const result = await sql<
    MessageRow & {
      contact_phone: string | null;
      contact_bsuid: string | null;
      contact_lid: string | null;
      customer_last_at: Date | null;
      quoted: { providerMessageId: string; text: string; fromMe: boolean } | null;
    }
  >`
    with blocked as (
      -- Conversations with a message in flight or waiting for a retry, and its place in line.
      select conversation_id, min(seq) as seq from messages
      where channel_id = ${channelId}::uuid and status = 'queued'
        and (next_attempt_at > ${now}::timestamptz or send_lease_until >= ${now}::timestamptz)
      group by conversation_id
    ), due as (
      select m.id from messages m
      left join blocked b on b.conversation_id = m.conversation_id
      where m.channel_id = ${channelId}::uuid and m.status = 'queued'
        and (m.next_attempt_at is null or m.next_attempt_at <= ${now}::timestamptz)
        and (m.send_lease_until is null or m.send_lease_until < ${now}::timestamptz)
        and (b.seq is null or b.seq > m.seq)
      order by m.seq
      limit ${limit}
      for update of m skip locked
    )
    update messages set
      send_attempts = messages.send_attempts + 1,
      send_lease_until = ${leaseUntil}::timestamptz,
      updated_at = ${now}::timestamptz
    from due, contacts c, conversations cv
    where messages.id = due.id and c.id = messages.contact_id and cv.id = messages.conversation_id
    returning messages.*, c.phone as contact_phone, cv.customer_last_message_at as customer_last_at,
      case when c.phone is null then (select i.value from contact_identities i
        where i.contact_id = c.id and i.kind = 'bsuid' and i.retired_at is null order by i.created_at desc limit 1) end as contact_bsuid,
      case when c.phone is null then (select i.value from contact_identities i
        where i.contact_id = c.id and i.kind = 'lid' and i.retired_at is null order by i.created_at desc limit 1) end as contact_lid,
      case when messages.reply_to_message_id is not null then (select json_build_object('providerMessageId', q.provider_message_id,
          'text', q.text, 'fromMe', q.direction = 'out') from messages q
        where q.id = messages.reply_to_message_id and q.provider_message_id is not null) end as quoted`.execute(trx);
  return result.rows
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map(({ contact_phone, contact_bsuid, contact_lid, customer_last_at, quoted, ...row }) => ({
      row: row as MessageRow,
      phone: contact_phone,
      bsuid: contact_bsuid,
      lid: contact_lid,
      attempt: row.send_attempts,
      customerLastMessageAt: customer_last_at ? new Date(customer_last_at) : null,
      quoted: quoted ?? null,
    }));
}

/** Clears the lease and schedules the next attempt (a transient failure). */
export async function scheduleRetry(db: DbOrTx, id: string, change: { now: Date; at: Date; error: string }) {
  await db
    .updateTable('messages')
    .set({ send_lease_until: null, next_attempt_at: change.at, last_send_error: change.error, updated_at: change.now })
    .where('id', '=', id)
    .execute();
}

export async function clearLease(db: DbOrTx, id: string, fields: { providerChatId?: string | null; lastSendError?: string | null }) {
  await db
    .updateTable('messages')
    .set({
      send_lease_until: null,
      ...(fields.providerChatId !== undefined ? { provider_chat_id: fields.providerChatId } : {}),
      ...(fields.lastSendError !== undefined ? { last_send_error: fields.lastSendError } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Real channels that have queued messages: the sender looks at them at start-up and now and then. */
export async function channelsWithQueuedMessages(db: DbOrTx, workspaceIds?: readonly string[]): Promise<string[]> {
  if (workspaceIds && workspaceIds.length === 0) return [];
  let query = db.selectFrom('messages').innerJoin('channels', 'channels.id', 'messages.channel_id').select('messages.channel_id');
  if (workspaceIds) query = query.where('messages.workspace_id', 'in', [...workspaceIds]);
  const rows = await query
    .distinct()
    .where('messages.status', '=', 'queued')
    .where('channels.type', '!=', 'simulator')
    .execute();
  return rows.map((r) => r.channel_id);
}

/**
 * The hot path of a successful send, for a whole batch in one statement: `sent`, the provider's
 * ids, lease cleared. Rows no longer queued (a status webhook got there first) are left alone.
 */
export async function markSentByProvider(
  db: DbOrTx,
  rows: readonly { id: string; providerMessageId: string; chatId: string | null }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.providerMessageId}::text, ${r.chatId}::text)`));
  await sql`
    update messages set
      status = 'sent', sent_at = ${now}::timestamptz, sent_version = messages.version,
      provider_message_id = v.provider_message_id, provider_chat_id = v.chat_id,
      send_lease_until = null, last_send_error = null, updated_at = ${now}::timestamptz
    from (values ${values}) as v(id, provider_message_id, chat_id)
    where messages.id = v.id and messages.status = 'queued'`.execute(db);
}

/** Clears the lease of messages that a status webhook already moved on. */
export async function clearLeases(db: DbOrTx, ids: readonly string[], chatIds: ReadonlyMap<string, string | null>): Promise<void> {
  if (ids.length === 0) return;
  const values = sql.join(ids.map((id) => sql`(${id}::uuid, ${chatIds.get(id) ?? null}::text)`));
  await sql`
    update messages set send_lease_until = null, last_send_error = null,
      provider_chat_id = coalesce(messages.provider_chat_id, v.chat_id)
    from (values ${values}) as v(id, chat_id)
    where messages.id = v.id`.execute(db);
}

/** Holds that ended more than `graceSeconds` ago and are still held (their release job was lost). */
export function listOverdueHolds(db: DbOrTx, now: Date, graceSeconds: number, limit: number, workspaceId?: string) {
  let query = db.selectFrom('messages').select(['id', 'workspace_id']);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query
    .where('status', '=', 'held')
    .where('hold_until', '<', new Date(now.getTime() - graceSeconds * 1000))
    .orderBy('hold_until')
    .limit(limit)
    .execute();
}

/** Simulator messages queued for longer than `graceSeconds` (their send job was lost). */
export function listStaleSimulatorQueue(db: DbOrTx, now: Date, graceSeconds: number, limit: number, workspaceId?: string) {
  let query = db
    .selectFrom('messages')
    .innerJoin('channels', 'channels.id', 'messages.channel_id')
    .select(['messages.id', 'messages.workspace_id']);
  if (workspaceId) query = query.where('messages.workspace_id', '=', workspaceId);
  return query
    .where('messages.status', '=', 'queued')
    .where('channels.type', '=', 'simulator')
    .where('messages.queued_at', '<', new Date(now.getTime() - graceSeconds * 1000))
    .orderBy('messages.queued_at')
    .limit(limit)
    .execute();
}
