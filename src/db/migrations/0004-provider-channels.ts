import { type Kysely, sql } from 'kysely';

/**
 * Real WhatsApp channels (Cloud API, Evolution API): where their secrets live, how webhooks find
 * the channel, the send outbox columns, and the receipt log that makes webhook deliveries
 * idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table channels
      add column external_id text,
      add column secrets text,
      add column verify_token_hash text,
      add column rate_per_second integer not null default 80 check (rate_per_second between 1 and 1000)
  `.execute(db);
  // A business number (or gateway instance) belongs to one channel: webhooks are routed by it.
  await sql`create unique index channels_external_id on channels (type, external_id) where external_id is not null`.execute(db);
  await sql`create index channels_verify_token on channels (verify_token_hash) where verify_token_hash is not null`.execute(db);

  await sql`
    alter table conversations
      add column customer_last_message_at timestamptz
  `.execute(db);

  await sql`
    alter table messages
      add column content_type text not null default 'text',
      add column template jsonb,
      add column provider_chat_id text,
      add column send_lease_until timestamptz,
      add column next_attempt_at timestamptz,
      add column last_send_error text,
      add column customer_deleted_at timestamptz,
      add column provider_errors jsonb
  `.execute(db);
  // Statuses and customer edits/deletes name a message by the provider's id.
  await sql`
    create unique index messages_provider_id on messages (channel_id, provider_message_id)
    where provider_message_id is not null`.execute(db);
  // The send outbox: a channel's queued messages, oldest first.
  await sql`create index messages_outbox on messages (channel_id, seq) where status = 'queued'`.execute(db);

  // Recovery after a crash: holds that should have ended, queued messages nobody picked up.
  await sql`create index messages_held_until on messages (hold_until) where status = 'held'`.execute(db);
  await sql`create index messages_queued_at on messages (queued_at) where status = 'queued'`.execute(db);

  await sql`
    create table provider_events (
      seq bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces(id),
      channel_id uuid not null references channels(id),
      dedupe_key text not null,
      kind text not null,
      received_at timestamptz not null,
      payload jsonb not null,
      -- Stored and acknowledged first, applied to messages right after by a background loop.
      pending boolean not null default true,
      unique (channel_id, dedupe_key)
    )`.execute(db);
  await sql`create index provider_events_pending on provider_events (seq) where pending`.execute(db);
  // What a provider told us is evidence: the only change allowed is marking it applied.
  await sql`
    create function errata_provider_event_applied_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or new.pending or not old.pending
        or (new.seq, new.workspace_id, new.channel_id, new.dedupe_key, new.kind, new.received_at, new.payload::text)
          is distinct from (old.seq, old.workspace_id, old.channel_id, old.dedupe_key, old.kind, old.received_at, old.payload::text)
      then
        raise exception 'provider_events: only marking an event applied is allowed' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger provider_events_applied_only before update or delete on provider_events
    for each row execute function errata_provider_event_applied_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
