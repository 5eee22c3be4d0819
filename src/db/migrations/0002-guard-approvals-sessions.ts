import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table workspaces
      add column business_name text,
      add column business_phones jsonb not null default '[]'::jsonb,
      add column business_emails jsonb not null default '[]'::jsonb,
      add column business_ibans jsonb not null default '[]'::jsonb,
      add column business_addresses jsonb not null default '[]'::jsonb,
      add column staff_names jsonb not null default '[]'::jsonb,
      add column guard_policy jsonb not null default '{}'::jsonb
  `.execute(db);

  await sql`
    create table catalog_items (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      name text not null,
      price numeric(14, 2) not null,
      currency text not null,
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index catalog_items_workspace on catalog_items (workspace_id)`.execute(db);

  await sql`
    alter table messages
      add column planned_hold_seconds integer not null default 0,
      add column guard_verdict text,
      add column guard_findings jsonb,
      add column guard_acknowledged jsonb not null default '[]'::jsonb,
      add column approval_requested_at timestamptz,
      add column approval_decision text check (approval_decision in ('approved', 'rejected')),
      add column approval_decided_by uuid references users(id),
      add column approval_decided_at timestamptz,
      add column approval_reason text
  `.execute(db);
  await sql`create index messages_awaiting_approval on messages (workspace_id, created_at) where status = 'awaiting_approval'`.execute(
    db,
  );

  await sql`
    create table sessions (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      user_id uuid not null references users(id),
      token_hash text not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
