import { type Kysely, sql } from 'kysely';

// Everything WhatsApp and Evolution send (issue 19): contacts known by a phone number, a
// business-scoped user id or a LID (merged when one payload names two); the typed content of each
// kind of message; reactions; messages the business sent from its own phone app; the raw body of
// every webhook delivery (evidence, and what `errata webhooks reprocess` reads); media bytes
// taken out of Evolution bodies. Deliveries and media are append-only, like provider_events.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A customer who hides their number has none; merged contacts point at the one kept.
  await sql`
    alter table contacts
      alter column phone drop not null,
      add column merged_into_id uuid references contacts(id)
  `.execute(db);
  await sql`
    create table contact_identities (
      workspace_id uuid not null references workspaces(id),
      kind text not null check (kind in ('phone', 'bsuid', 'lid')),
      value text not null,
      contact_id uuid not null references contacts(id),
      created_at timestamptz not null,
      -- A number the customer left (they changed numbers): kept for the record, matched no more.
      retired_at timestamptz
    )`.execute(db);
  await sql`
    create unique index contact_identities_current on contact_identities (workspace_id, kind, value)
    where retired_at is null`.execute(db);
  await sql`create index contact_identities_contact on contact_identities (contact_id)`.execute(db);

  await sql`alter table conversations add column merged_into_id uuid references conversations(id)`.execute(db);

  await sql`
    alter table messages
      add column content jsonb,
      add column origin text check (origin in ('app')),
      add column customer_reaction jsonb
  `.execute(db);

  await sql`
    create table media_objects (
      workspace_id uuid not null references workspaces(id),
      sha256 text not null,
      mime_type text,
      size integer not null,
      bytes bytea not null,
      created_at timestamptz not null,
      primary key (workspace_id, sha256)
    )`.execute(db);

  await sql`
    create table webhook_deliveries (
      id uuid primary key,
      seq bigint generated always as identity unique,
      provider text not null check (provider in ('whatsapp-cloud', 'evolution')),
      channel_ids uuid[] not null,
      received_at timestamptz not null,
      -- The bytes received (for Evolution, base64 media replaced by a marker naming the stored media).
      body bytea,
      body_size bigint not null,
      media_extracted boolean not null default false,
      -- stored: read and acknowledged; too_large: refused with 413, only its first bytes kept.
      outcome text not null check (outcome in ('stored', 'too_large')),
      headers jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index webhook_deliveries_received on webhook_deliveries (received_at)`.execute(db);

  for (const table of ['media_objects', 'webhook_deliveries']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function errata_forbid_change()`.execute(db);
  }

  await sql`alter table provider_events add column delivery_id uuid`.execute(db);
  await sql`
    create or replace function errata_provider_event_applied_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or not old.pending
        or (new.seq, new.workspace_id, new.channel_id, new.dedupe_key, new.kind, new.received_at, new.payload::text, new.delivery_id)
          is distinct from (old.seq, old.workspace_id, old.channel_id, old.dedupe_key, old.kind, old.received_at, old.payload::text, old.delivery_id)
      then
        raise exception 'provider_events: only marking an event applied or retried later is allowed' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
