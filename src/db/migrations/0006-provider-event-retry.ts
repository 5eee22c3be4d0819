import { type Kysely, sql } from 'kysely';

// A webhook fact about a message we do not have yet (the gateway's status for a send whose answer
// we have not written, a customer's edit that overtook the message it edits) waits and is tried
// again instead of being dropped: `retry_at` says when. The evidence itself still never changes:
// besides marking a fact applied, only `retry_at` of a pending fact may move.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table provider_events add column retry_at timestamptz`.execute(db);
  await sql`
    create or replace function errata_provider_event_applied_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or not old.pending
        or (new.seq, new.workspace_id, new.channel_id, new.dedupe_key, new.kind, new.received_at, new.payload::text)
          is distinct from (old.seq, old.workspace_id, old.channel_id, old.dedupe_key, old.kind, old.received_at, old.payload::text)
      then
        raise exception 'provider_events: only marking an event applied or retried later is allowed' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
