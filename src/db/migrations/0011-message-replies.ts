import { type Kysely, sql } from 'kysely';

/**
 * A message may quote an earlier one of its conversation (a WhatsApp reply: Cloud API
 * `context.message_id`, Evolution `quoted`): a correction that quotes the wrong message. No
 * foreign key: the column is written only by the accept statement, after the command checked that
 * the quoted message is in the same conversation (docs/decisions.md, "Foreign keys on links").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add column reply_to_message_id uuid`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages drop column reply_to_message_id`.execute(db);
}
