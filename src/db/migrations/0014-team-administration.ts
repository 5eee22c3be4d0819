import { type Kysely, sql } from 'kysely';

/**
 * Team administration (issue 12): invitations and password resets as one-time links (only their
 * hash is stored), API tokens with a role and an expiry, two-factor sign-in (TOTP secret sealed
 * with the SecretBox, recovery codes hashed), the workspace's "two-factor required" setting, and
 * an append-only record of who did what to whom.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users
      add column invited_by uuid,
      add column password_changed_at timestamptz,
      add column totp_secret text,
      add column totp_pending_secret text,
      add column totp_enabled_at timestamptz,
      add column totp_last_step bigint`.execute(db);

  await sql`
    alter table api_tokens
      add column role text check (role in ('admin', 'supervisor', 'agent', 'auditor')),
      add column expires_at timestamptz,
      add column revoked_by uuid`.execute(db);
  await sql`create index api_tokens_user on api_tokens (user_id)`.execute(db);

  await sql`alter table workspaces add column require_totp boolean not null default false`.execute(db);

  await sql`
    create table user_links (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      user_id uuid not null references users(id),
      kind text not null check (kind in ('invitation', 'password_reset')),
      token_hash text not null unique,
      created_by uuid,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index user_links_user on user_links (user_id, kind)`.execute(db);

  await sql`
    create table totp_recovery_codes (
      id uuid primary key,
      user_id uuid not null references users(id),
      code_hash text not null,
      pending boolean not null,
      created_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index totp_recovery_codes_user on totp_recovery_codes (user_id)`.execute(db);

  await sql`
    create table team_events (
      seq bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces(id),
      -- null when the platform operator (ERRATA_PLATFORM_TOKEN) or the CLI acted
      actor_user_id uuid,
      actor_kind text not null check (actor_kind in ('user', 'platform', 'cli', 'link')),
      type text not null,
      subject_user_id uuid,
      subject_token_id uuid,
      at timestamptz not null,
      data jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index team_events_workspace on team_events (workspace_id, seq)`.execute(db);
  await sql`
    create trigger team_events_append_only before update or delete on team_events
    for each row execute function errata_forbid_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
