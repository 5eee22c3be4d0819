import { type Selectable, sql } from 'kysely';
import type { AllowEntry, FalseAlarmGroup, FeedbackCategory, FeedbackVerdict, GuardFeedback } from '../../domain/guard-feedback.ts';
import type { DbOrTx } from '../database.ts';
import type { GuardAllowlistTable, GuardFeedbackTable } from '../schema.ts';

function toFeedback(row: Selectable<GuardFeedbackTable>): GuardFeedback {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    createdAt: row.created_at,
    verdict: row.verdict,
    kind: row.kind,
    category: row.category as FeedbackCategory,
    text: row.text,
    span: row.span_start === null || row.span_end === null ? null : { start: row.span_start, end: row.span_end },
    phrase: row.phrase,
    foldedPhrase: row.folded_phrase,
    glossary: row.glossary,
    note: row.note,
  };
}

function toAllowEntry(row: Selectable<GuardAllowlistTable>): AllowEntry {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    phrase: row.phrase,
    foldedPhrase: row.folded_phrase,
    kind: row.kind,
    category: row.category,
    createdBy: row.created_by,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
  };
}

export async function insertFeedback(db: DbOrTx, f: GuardFeedback): Promise<void> {
  await db
    .insertInto('guard_feedback')
    .values({
      id: f.id,
      workspace_id: f.workspaceId,
      user_id: f.userId,
      created_at: f.createdAt,
      verdict: f.verdict,
      kind: f.kind,
      category: f.category,
      text: f.text,
      span_start: f.span?.start ?? null,
      span_end: f.span?.end ?? null,
      phrase: f.phrase,
      folded_phrase: f.foldedPhrase,
      glossary: f.glossary,
      note: f.note,
    })
    .execute();
}

/** Every report of the workspace, in the order they were made (the export). */
export async function listFeedback(db: DbOrTx, workspaceId: string): Promise<GuardFeedback[]> {
  const rows = await db.selectFrom('guard_feedback').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute();
  return rows.map(toFeedback);
}

/** Reports per verdict and kind since a time. */
export async function countFeedbackByKind(db: DbOrTx, workspaceId: string, since: Date) {
  const rows = await db
    .selectFrom('guard_feedback')
    .select(['verdict', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', since)
    .groupBy(['verdict', 'kind'])
    .execute();
  return rows.map((r) => ({ verdict: r.verdict as FeedbackVerdict, kind: r.kind, n: Number(r.n) }));
}

/** Findings the guard stored with messages accepted since a time, per kind (the rate's denominator). */
export async function countStoredFindingsByKind(db: DbOrTx, workspaceId: string, since: Date) {
  const result = await sql<{ kind: string; n: string }>`
    select f.value ->> 'kind' as kind, count(*) as n
    from messages m, jsonb_array_elements(m.guard_findings) f
    where m.workspace_id = ${workspaceId} and m.created_at >= ${since} and m.guard_findings is not null
    group by 1`.execute(db);
  return result.rows.filter((r) => typeof r.kind === 'string').map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** False alarms grouped by kind and folded phrase: what allow-list proposals are made of. */
export async function listFalseAlarmGroups(db: DbOrTx, workspaceId: string): Promise<FalseAlarmGroup[]> {
  const result = await sql<{
    kind: string;
    category: string;
    folded_phrase: string;
    phrase: string;
    n: string;
    reporters: string;
    last_at: Date | string;
    glossary: boolean;
  }>`
    select kind, category, folded_phrase,
      (array_agg(phrase order by created_at desc))[1] as phrase,
      count(*) as n, count(distinct user_id) as reporters, max(created_at) as last_at, bool_or(glossary) as glossary
    from guard_feedback
    where workspace_id = ${workspaceId} and verdict = 'false_alarm' and folded_phrase is not null
    group by kind, category, folded_phrase`.execute(db);
  return result.rows.map((r) => ({
    kind: r.kind,
    category: r.category,
    foldedPhrase: r.folded_phrase,
    phrase: r.phrase,
    count: Number(r.n),
    reporters: Number(r.reporters),
    lastAt: new Date(r.last_at),
    glossary: r.glossary,
  }));
}

export async function listAllowEntries(db: DbOrTx, workspaceId: string, options: { includeRemoved: boolean }): Promise<AllowEntry[]> {
  let query = db.selectFrom('guard_allowlist').selectAll().where('workspace_id', '=', workspaceId);
  if (!options.includeRemoved) query = query.where('removed_at', 'is', null);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(toAllowEntry);
}

export async function getAllowEntry(db: DbOrTx, workspaceId: string, id: string): Promise<AllowEntry | undefined> {
  const row = await db.selectFrom('guard_allowlist').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toAllowEntry(row) : undefined;
}

export async function insertAllowEntry(db: DbOrTx, e: AllowEntry): Promise<void> {
  await db
    .insertInto('guard_allowlist')
    .values({
      id: e.id,
      workspace_id: e.workspaceId,
      phrase: e.phrase,
      folded_phrase: e.foldedPhrase,
      kind: e.kind,
      category: e.category,
      created_by: e.createdBy,
      created_at: e.createdAt,
      removed_at: null,
      removed_by: null,
    })
    .execute();
}

/** Records a removal (the row stays). Answers false when the entry was already removed meanwhile. */
export async function markAllowEntryRemoved(db: DbOrTx, e: AllowEntry): Promise<boolean> {
  const result = await db
    .updateTable('guard_allowlist')
    .set({ removed_at: e.removedAt, removed_by: e.removedBy })
    .where('workspace_id', '=', e.workspaceId)
    .where('id', '=', e.id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
