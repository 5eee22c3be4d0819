import { type Kysely, sql } from 'kysely';

/**
 * Feedback from agents on the pre-send guard (issue 10, "Feedback from agents"): what they said
 * was a false alarm or a missed mistake, append-only; and the workspace's allow-list (its
 * glossary being the entries of kind `spelling.word`), where nothing is deleted: a removal is
 * recorded on the entry, who and when.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table guard_feedback (
      seq bigint generated always as identity unique,
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      user_id uuid not null references users(id),
      created_at timestamptz not null,
      verdict text not null check (verdict in ('false_alarm', 'missed')),
      -- A guard kind ('tone.blaming'); a missed mistake may name only its category ('tone').
      kind text not null,
      category text not null check (category in ('pii', 'price', 'recipient', 'tone', 'spelling')),
      -- The whole message as the agent had it, and the part judged (UTF-16 offsets, as findings).
      text text not null,
      span_start integer,
      span_end integer,
      phrase text,
      -- The phrase case-, accent- and space-folded: repeats are counted on it.
      folded_phrase text,
      glossary boolean not null default false,
      note text,
      check ((span_start is null) = (span_end is null)),
      check (span_start is null or (span_start >= 0 and span_end > span_start)),
      check ((phrase is null) = (span_start is null) and (folded_phrase is null) = (phrase is null))
    )`.execute(db);
  await sql`create index guard_feedback_workspace on guard_feedback (workspace_id, seq)`.execute(db);
  await sql`
    create index guard_feedback_repeats on guard_feedback (workspace_id, kind, folded_phrase)
    where verdict = 'false_alarm'`.execute(db);
  await sql`
    create trigger guard_feedback_append_only before update or delete on guard_feedback
    for each row execute function errata_forbid_change()`.execute(db);

  await sql`
    create table guard_allowlist (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      phrase text not null,
      folded_phrase text not null,
      -- What the entry applies to: one kind, one category, or (both null) every finding.
      kind text,
      category text check (category in ('pii', 'price', 'recipient', 'tone', 'spelling')),
      created_by uuid not null references users(id),
      created_at timestamptz not null,
      removed_at timestamptz,
      removed_by uuid references users(id),
      check (kind is null or category is null),
      check ((removed_at is null) = (removed_by is null))
    )`.execute(db);
  await sql`
    create unique index guard_allowlist_active on guard_allowlist (workspace_id, folded_phrase, coalesce(kind, ''), coalesce(category, ''))
    where removed_at is null`.execute(db);
  // The only change an entry may see is its removal, once.
  await sql`
    create function errata_guard_allowlist_remove_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or old.removed_at is not null or new.removed_at is null
        or (new.id, new.workspace_id, new.phrase, new.folded_phrase, new.kind, new.category, new.created_by, new.created_at)
          is distinct from (old.id, old.workspace_id, old.phrase, old.folded_phrase, old.kind, old.category, old.created_by, old.created_at)
      then
        raise exception 'guard_allowlist: only recording a removal is allowed' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger guard_allowlist_remove_only before update or delete on guard_allowlist
    for each row execute function errata_guard_allowlist_remove_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
