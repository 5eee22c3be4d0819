import { sql } from 'kysely';
import type { DbOrTx } from '../database.ts';
import type { ConversationStatus } from '../schema.ts';

/** What to show for a contact: the phone, else the business-scoped user id or LID WhatsApp gave. */
const contactHandle = sql<string>`coalesce(contacts.phone, (select i.value from contact_identities i
  where i.contact_id = contacts.id and i.retired_at is null order by i.kind limit 1), '')`.as('contact_handle');

/**
 * What was actually said last: the current version of the latest message that reached the
 * customer or came from them — never a draft still held, waiting for approval, cancelled,
 * rejected or failed, nor a text an edit replaced — and not one the team hid (deleted for me).
 * `conversations.last_message_at` stays the activity order of the list.
 */
function lastSaid(db: DbOrTx) {
  return db
    .selectFrom('messages as m')
    .select([
      'm.text as said_text',
      'm.content_type as said_content_type',
      sql<Date>`coalesce(m.sent_at, m.created_at)`.as('said_at'),
      sql<boolean>`(m.revoked_at is not null or m.customer_deleted_at is not null)`.as('said_deleted'),
    ])
    .where(sql<boolean>`m.conversation_id = conversations.id`)
    .where((eb) => eb.or([eb('m.direction', '=', 'in'), eb('m.sent_at', 'is not', null)]))
    .where('m.deleted_for_me_at', 'is', null)
    .orderBy('m.seq', 'desc')
    .limit(1)
    .as('said');
}

/**
 * The conversation for a contact on a channel, created on first use, with its last-message
 * summary brought up to date — one statement, race-safe, on the hottest path of sending.
 */
export async function upsertConversation(
  db: DbOrTx,
  row: { id: string; workspaceId: string; contactId: string; channelId: string; at: Date; text: string; incoming: boolean },
): Promise<string> {
  const summary = row.text.slice(0, 200);
  const inserted = await db
    .insertInto('conversations')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      contact_id: row.contactId,
      channel_id: row.channelId,
      created_at: row.at,
      last_message_at: row.at,
      last_message_text: summary,
      unread_count: row.incoming ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'contact_id', 'channel_id']).doUpdateSet({
        last_message_at: row.at,
        last_message_text: summary,
        ...(row.incoming ? { unread_count: sql<number>`conversations.unread_count + 1` } : {}),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function markConversationRead(db: DbOrTx, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ unread_count: 0 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function getConversation(db: DbOrTx, workspaceId: string, id: string) {
  return db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoinLateral(lastSaid(db), (join) => join.onTrue())
    .selectAll('conversations')
    .select(['said.said_text', 'said.said_content_type', 'said.said_at', 'said.said_deleted'])
    .select(['contacts.name as contact_name', 'contacts.phone as contact_phone', 'contacts.language as contact_language'])
    .select(contactHandle)
    .where('conversations.workspace_id', '=', workspaceId)
    .where('conversations.id', '=', id)
    .executeTakeFirst();
}

export interface ConversationCursor {
  lastMessageAt: Date | null;
  id: string;
}

/** Most recent first; conversations without messages come last. */
export function listConversations(
  db: DbOrTx,
  workspaceId: string,
  options: {
    limit: number;
    after?: ConversationCursor | undefined;
    search?: string | undefined;
    /** A user's id, or null for conversations no one handles (team inbox filters). */
    assigneeId?: string | null | undefined;
    status?: ConversationStatus | undefined;
    label?: string | undefined;
  },
) {
  let query = db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoinLateral(lastSaid(db), (join) => join.onTrue())
    .selectAll('conversations')
    .select(['said.said_text', 'said.said_content_type', 'said.said_at', 'said.said_deleted'])
    .select(['contacts.name as contact_name', 'contacts.phone as contact_phone', 'contacts.language as contact_language'])
    .select(contactHandle)
    .where('conversations.workspace_id', '=', workspaceId)
    // A conversation merged into another (two contacts found to be one person) lives on there.
    .where('conversations.merged_into_id', 'is', null);
  // Each filter is a leading column of an index in the list's order (0017), or the labels' GIN index.
  if (options.assigneeId !== undefined) {
    const assigneeId = options.assigneeId;
    query = query.where('conversations.assignee_id', assigneeId === null ? 'is' : '=', assigneeId);
  }
  if (options.status) query = query.where('conversations.status', '=', options.status);
  if (options.label) query = query.where(sql<boolean>`conversations.labels @> array[${options.label}]::text[]`);
  if (options.search) {
    const pattern = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('contacts.name', 'ilike', pattern),
        eb('contacts.phone', 'like', pattern),
        eb.and([eb('said.said_text', 'ilike', pattern), eb('said.said_deleted', '=', false)]),
      ]),
    );
  }
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      after.lastMessageAt === null
        ? eb.and([eb('conversations.last_message_at', 'is', null), eb('conversations.id', '<', after.id)])
        : eb.or([
            eb('conversations.last_message_at', '<', after.lastMessageAt),
            eb('conversations.last_message_at', 'is', null),
            eb.and([eb('conversations.last_message_at', '=', after.lastMessageAt), eb('conversations.id', '<', after.id)]),
          ]),
    );
  }
  return query
    .orderBy(sql`conversations.last_message_at desc nulls last`)
    .orderBy('conversations.id', 'desc')
    .limit(options.limit)
    .execute();
}


/** When the customer last wrote to this channel (the Cloud API's 24-hour window), null if never. */
export async function findCustomerLastMessageAt(db: DbOrTx, workspaceId: string, contactId: string, channelId: string) {
  const row = await db
    .selectFrom('conversations')
    .select('customer_last_message_at')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row?.customer_last_message_at ?? null;
}

/**
 * The conversation for a contact on a channel, created empty (no last message, nothing unread)
 * when there is none yet; an existing one is left as it is. A merged conversation answers with
 * the one it lives on in.
 */
export async function openConversation(
  db: DbOrTx,
  row: { id: string; workspaceId: string; contactId: string; channelId: string; at: Date },
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('conversations')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      contact_id: row.contactId,
      channel_id: row.channelId,
      created_at: row.at,
      last_message_at: null,
      last_message_text: null,
      unread_count: 0,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'contact_id', 'channel_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('conversations')
    .select(['id', 'merged_into_id'])
    .where('workspace_id', '=', row.workspaceId)
    .where('contact_id', '=', row.contactId)
    .where('channel_id', '=', row.channelId)
    .executeTakeFirstOrThrow();
  return { id: existing.merged_into_id ?? existing.id, created: false };
}
