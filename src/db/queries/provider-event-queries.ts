import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { MessageRow } from '../schema.ts';

/**
 * Records webhook facts by their dedupe key; answers the keys that were new. A delivery seen
 * before (Meta and Evolution both retry) inserts nothing and so changes nothing.
 */
export async function recordProviderEvents(
  trx: Tx,
  rows: readonly { workspaceId: string; channelId: string; dedupeKey: string; kind: string; at: Date; payload: unknown }[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await trx
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
    .returning(['channel_id', 'dedupe_key'])
    .execute();
  return new Set(inserted.map((r) => `${r.channel_id}|${r.dedupe_key}`));
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

/** The contact with this number, created on first contact (named after the WhatsApp profile). */
export async function findOrCreateContact(
  trx: Tx,
  row: { id: string; workspaceId: string; phone: string; name: string; language: string; at: Date },
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('contacts')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      name: row.name,
      phone: row.phone,
      language: row.language,
      created_at: row.at,
      updated_at: row.at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'phone']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await trx
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', row.workspaceId)
    .where('phone', '=', row.phone)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** The conversation, its summary and unread count updated, and the customer's window reopened. */
export async function upsertInboundConversation(
  trx: Tx,
  row: { id: string; workspaceId: string; contactId: string; channelId: string; at: Date; customerAt: Date; text: string },
): Promise<string> {
  const summary = row.text.slice(0, 200);
  const result = await sql<{ id: string }>`
    insert into conversations
      (id, workspace_id, contact_id, channel_id, created_at, last_message_at, last_message_text, unread_count, customer_last_message_at)
    values (${row.id}::uuid, ${row.workspaceId}::uuid, ${row.contactId}::uuid, ${row.channelId}::uuid, ${row.at}::timestamptz,
      ${row.at}::timestamptz, ${summary}::text, 1, ${row.customerAt}::timestamptz)
    on conflict (workspace_id, contact_id, channel_id) do update set
      last_message_at = excluded.last_message_at,
      last_message_text = excluded.last_message_text,
      unread_count = conversations.unread_count + 1,
      customer_last_message_at = greatest(conversations.customer_last_message_at, excluded.customer_last_message_at)
    returning id`.execute(trx);
  return result.rows[0]!.id;
}

export async function workspaceLanguage(db: DbOrTx, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('language').where('id', '=', workspaceId).executeTakeFirst();
  return row?.language ?? 'fr';
}
