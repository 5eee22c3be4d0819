import { type Kysely, sql } from 'kysely';

// Rows that copy their parent's keys do not need a foreign key per copy: each key costs the
// database a lookup (a trigger running a query) on every insert, and accepting plus delivering one
// message inserts about ten such rows. The link that carries the meaning stays: an event, a
// version or a delivery state points at its message (or, for a conversation-level event, at its
// conversation), and the message at its workspace, conversation and author. The copies are written
// only from the parent row in the same statement (see docs/decisions.md).
const COPIES: [table: string, column: string][] = [
  ['messages', 'channel_id'],
  ['messages', 'contact_id'],
  ['message_versions', 'workspace_id'],
  ['message_device_states', 'workspace_id'],
  ['message_events', 'workspace_id'],
  ['message_events', 'conversation_id'],
  ['message_events', 'actor_user_id'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of COPIES) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.raw(`${table}_${column}_fkey`)}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
