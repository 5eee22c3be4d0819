import { type Kysely, sql } from 'kysely';

// One migration set for PGlite and PostgreSQL: plain SQL that both understand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function errata_forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception 'append-only table %: % is not allowed', tg_table_name, tg_op
        using errcode = 'P0001';
    end $$
  `.execute(db);

  await sql`
    create table workspaces (
      id uuid primary key,
      name text not null,
      country text not null default 'FR',
      language text not null default 'fr',
      created_at timestamptz not null
    )`.execute(db);

  await sql`
    create table users (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      email text not null unique,
      name text not null,
      role text not null check (role in ('admin', 'supervisor', 'agent', 'auditor')),
      password_hash text,
      language text,
      created_at timestamptz not null,
      disabled_at timestamptz
    )`.execute(db);
  await sql`create index users_workspace on users (workspace_id)`.execute(db);

  await sql`
    create table api_tokens (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      user_id uuid not null references users(id),
      token_hash text not null unique,
      label text not null,
      created_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  await sql`
    create table channels (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      type text not null check (type in ('simulator', 'whatsapp-cloud', 'evolution')),
      name text not null,
      revoke_window_seconds integer,
      edit_window_seconds integer,
      default_hold_seconds integer not null default 0,
      config jsonb not null default '{}'::jsonb,
      is_default boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index channels_workspace on channels (workspace_id)`.execute(db);

  await sql`
    create table contacts (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      name text not null,
      phone text not null,
      language text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (workspace_id, phone)
    )`.execute(db);

  await sql`
    create table conversations (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      contact_id uuid not null references contacts(id),
      channel_id uuid not null references channels(id),
      last_message_at timestamptz,
      last_message_text text,
      unread_count integer not null default 0,
      created_at timestamptz not null,
      unique (workspace_id, contact_id, channel_id)
    )`.execute(db);
  await sql`create index conversations_recent on conversations (workspace_id, last_message_at desc nulls last, id)`.execute(
    db,
  );

  await sql`
    create table messages (
      seq bigint generated always as identity unique,
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      conversation_id uuid not null references conversations(id),
      channel_id uuid not null references channels(id),
      contact_id uuid not null references contacts(id),
      direction text not null check (direction in ('out', 'in')),
      author_user_id uuid references users(id),
      status text not null,
      text text not null,
      version integer not null default 1,
      sent_version integer,
      hold_until timestamptz,
      queued_at timestamptz,
      sent_at timestamptz,
      delivered_at timestamptz,
      read_at timestamptz,
      failed_at timestamptz,
      failure_code text,
      failure_detail text,
      cancelled_at timestamptz,
      edited_at timestamptz,
      deleted_for_me_at timestamptz,
      deleted_for_me_by uuid references users(id),
      deleted_for_me_reason text,
      revoked_at timestamptz,
      revoked_by uuid references users(id),
      revoke_reason text,
      revoke_note text,
      read_before_revoke boolean not null default false,
      send_attempts integer not null default 0,
      provider_message_id text,
      idempotency_key text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (workspace_id, idempotency_key)
    )`.execute(db);
  await sql`create index messages_conversation on messages (conversation_id, seq desc)`.execute(db);

  await sql`
    create table message_versions (
      message_id uuid not null references messages(id),
      version integer not null,
      workspace_id uuid not null references workspaces(id),
      text text not null,
      created_at timestamptz not null,
      created_by uuid references users(id),
      primary key (message_id, version)
    )`.execute(db);

  await sql`
    create table message_events (
      seq bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces(id),
      conversation_id uuid references conversations(id),
      message_id uuid references messages(id),
      type text not null,
      actor_user_id uuid references users(id),
      at timestamptz not null,
      data jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index message_events_message on message_events (message_id, seq)`.execute(db);

  for (const table of ['message_versions', 'message_events']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function errata_forbid_change()`.execute(db);
  }

  await sql`
    create table simulator_devices (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      contact_id uuid not null references contacts(id),
      label text not null,
      client_version text not null,
      online boolean not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index simulator_devices_contact on simulator_devices (contact_id)`.execute(db);

  await sql`
    create table message_device_states (
      message_id uuid not null references messages(id),
      device_id uuid not null references simulator_devices(id),
      workspace_id uuid not null references workspaces(id),
      delivered_at timestamptz,
      read_at timestamptz,
      shown_version integer not null default 0,
      revoke_outcome text check (revoke_outcome in ('applied', 'pending', 'ignored', 'expired', 'unknown')),
      revoke_requested_at timestamptz,
      revoke_resolved_at timestamptz,
      primary key (message_id, device_id)
    )`.execute(db);
  await sql`create index message_device_states_device on message_device_states (device_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
