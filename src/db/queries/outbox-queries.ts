import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { MessageRow } from '../schema.ts';

export interface ClaimedMessage {
  row: MessageRow;
  /** The customer's number (E.164). */
  phone: string;
  /** This attempt's number, 1 for the first. */
  attempt: number;
  /** When the customer last wrote in the conversation (24-hour window). */
  customerLastMessageAt: Date | null;
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
  const result = await sql<MessageRow & { contact_phone: string; customer_last_at: Date | null }>`
    with due as (
      select m.id from messages m
      where m.channel_id = ${channelId}::uuid and m.status = 'queued'
        and (m.next_attempt_at is null or m.next_attempt_at <= ${now}::timestamptz)
        and (m.send_lease_until is null or m.send_lease_until < ${now}::timestamptz)
        and not exists (
          select 1 from messages o
          where o.conversation_id = m.conversation_id and o.status = 'queued' and o.seq < m.seq
            and (o.next_attempt_at > ${now}::timestamptz or o.send_lease_until >= ${now}::timestamptz)
        )
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
    returning messages.*, c.phone as contact_phone, cv.customer_last_message_at as customer_last_at`.execute(trx);
  return result.rows
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map(({ contact_phone, customer_last_at, ...row }) => ({
      row: row as MessageRow,
      phone: contact_phone,
      attempt: row.send_attempts,
      customerLastMessageAt: customer_last_at ? new Date(customer_last_at) : null,
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
export async function channelsWithQueuedMessages(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .innerJoin('channels', 'channels.id', 'messages.channel_id')
    .select('messages.channel_id')
    .distinct()
    .where('messages.status', '=', 'queued')
    .where('channels.type', '!=', 'simulator')
    .execute();
  return rows.map((r) => r.channel_id);
}
