import { type Kysely, sql } from 'kysely';

/**
 * Team inbox workflow (issue 14): a conversation's status (snoozed until a time), who handles it,
 * its labels; the workspace's assignment mode (manual or round-robin, with the last agent given
 * one); internal notes, append-only like the rest of the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table conversations
      add column status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
      add column snoozed_until timestamptz,
      add column status_changed_at timestamptz,
      add column assignee_id uuid references users(id),
      add column assigned_at timestamptz,
      add column labels text[] not null default '{}'`.execute(db);
  await sql`
    alter table conversations add constraint conversations_snooze_time
      check ((status = 'snoozed') = (snoozed_until is not null))`.execute(db);
  // The inbox's filters keep the list's order (see 0003): "mine", "unassigned" and a status are
  // each an index range read newest first, however large the workspace.
  await sql`
    create index conversations_by_assignee
    on conversations (workspace_id, assignee_id, last_message_at desc nulls last, id desc)`.execute(db);
  await sql`
    create index conversations_by_status
    on conversations (workspace_id, status, last_message_at desc nulls last, id desc)`.execute(db);
  await sql`create index conversations_snoozed on conversations (snoozed_until) where status = 'snoozed'`.execute(db);
  await sql`create index conversations_labels on conversations using gin (labels)`.execute(db);

  await sql`
    alter table workspaces
      add column assignment_mode text not null default 'manual' check (assignment_mode in ('manual', 'round_robin')),
      add column round_robin_last_user_id uuid`.execute(db);

  // A note takes its place in the thread from the messages' own sequence: one order, one cursor.
  await sql`
    create table conversation_notes (
      seq bigint not null default nextval(pg_get_serial_sequence('messages', 'seq')::regclass) unique,
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      conversation_id uuid not null references conversations(id),
      author_user_id uuid not null references users(id),
      text text not null,
      mentions uuid[] not null default '{}',
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index conversation_notes_conversation on conversation_notes (conversation_id, seq desc)`.execute(db);
  await sql`
    create trigger conversation_notes_append_only before update or delete on conversation_notes
    for each row execute function errata_forbid_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
