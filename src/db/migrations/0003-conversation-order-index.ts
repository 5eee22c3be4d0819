import { type Kysely, sql } from 'kysely';

// The inbox lists conversations by (last_message_at desc nulls last, id desc): give it an index
// in exactly that order, so the first page of a large workspace is an index scan.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists conversations_recent`.execute(db);
  await sql`
    create index conversations_recent
    on conversations (workspace_id, last_message_at desc nulls last, id desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
