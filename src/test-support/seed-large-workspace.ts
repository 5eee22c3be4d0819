import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Fills a workspace with `count` contacts, each with a conversation and one customer message,
 * in three set-based statements: for measuring the inbox on a large workspace (10 000+).
 */
export async function seedConversations(db: Db, workspaceId: string, channelId: string, count: number, now: Date): Promise<void> {
  await sql`
    insert into contacts (id, workspace_id, name, phone, language, created_at, updated_at)
    select gen_random_uuid(), ${workspaceId}::uuid, 'Client ' || n, '+3370' || lpad(n::text, 7, '0'),
      case when n % 2 = 0 then 'fr' else 'en' end, ${now}::timestamptz, ${now}::timestamptz
    from generate_series(1, ${count}::int) as n
  `.execute(db);
  await sql`
    insert into conversations (id, workspace_id, contact_id, channel_id, last_message_at, last_message_text, unread_count, created_at)
    select gen_random_uuid(), c.workspace_id, c.id, ${channelId}::uuid,
      ${now}::timestamptz - (row_number() over (order by c.phone)) * interval '1 minute',
      'Bonjour, où en est ma commande ' || c.phone || ' ?', 1, ${now}::timestamptz
    from contacts c
    where c.workspace_id = ${workspaceId}::uuid and c.phone like '+3370%'
      and not exists (select 1 from conversations v where v.contact_id = c.id and v.channel_id = ${channelId}::uuid)
  `.execute(db);
  await sql`
    insert into messages (id, workspace_id, conversation_id, channel_id, contact_id, direction, status, text, version,
      sent_version, sent_at, read_before_revoke, send_attempts, created_at, updated_at)
    select gen_random_uuid(), v.workspace_id, v.id, v.channel_id, v.contact_id, 'in', 'received', v.last_message_text, 1,
      1, v.last_message_at, false, 0, v.last_message_at, v.last_message_at
    from conversations v
    where v.workspace_id = ${workspaceId}::uuid and v.channel_id = ${channelId}::uuid
      and not exists (select 1 from messages m where m.conversation_id = v.id)
  `.execute(db);
}
