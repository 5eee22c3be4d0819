import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { ConversationStatus } from '../schema.ts';

/** The workflow part of a conversation, locked for a change (status, assignee, labels). */
export function lockConversationWorkflow(trx: Tx, workspaceId: string, id: string) {
  return trx
    .selectFrom('conversations')
    .select(['id', 'workspace_id', 'status', 'snoozed_until', 'assignee_id', 'assigned_at', 'labels', 'merged_into_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function setConversationStatus(
  trx: Tx,
  id: string,
  change: { status: ConversationStatus; snoozedUntil: Date | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('conversations')
    .set({ status: change.status, snoozed_until: change.snoozedUntil, status_changed_at: change.at })
    .where('id', '=', id)
    .execute();
}

export async function setConversationAssignee(trx: Tx, id: string, assigneeId: string | null, at: Date): Promise<void> {
  await trx.updateTable('conversations').set({ assignee_id: assigneeId, assigned_at: at }).where('id', '=', id).execute();
}

export async function setConversationLabels(trx: Tx, id: string, labels: readonly string[]): Promise<void> {
  await trx.updateTable('conversations').set({ labels: [...labels] }).where('id', '=', id).execute();
}

/**
 * What a customer's message does to the workflow, in one statement (it runs for every inbound
 * message): a resolved or snoozed conversation is reopened (answering the status it had), and the
 * conversation's assignment and the workspace's assignment mode come back for the round-robin
 * decision. The conversation row is locked, the workspace's is not.
 */
export async function customerMessageWorkflow(
  trx: Tx,
  id: string,
  at: Date,
): Promise<
  | { reopened_from: ConversationStatus | null; assignee_id: string | null; assigned_at: Date | null; assignment_mode: 'manual' | 'round_robin' }
  | undefined
> {
  const result = await sql<{
    reopened_from: ConversationStatus | null;
    assignee_id: string | null;
    assigned_at: Date | null;
    assignment_mode: 'manual' | 'round_robin';
  }>`
    with prev as (
      select c.id, c.status, c.assignee_id, c.assigned_at, w.assignment_mode
      from conversations c join workspaces w on w.id = c.workspace_id
      where c.id = ${id}::uuid
      for update of c
    ), reopened as (
      update conversations c set status = 'open', snoozed_until = null, status_changed_at = ${at}::timestamptz
      from prev where c.id = prev.id and prev.status in ('resolved', 'snoozed')
      returning prev.status
    )
    select (select status from reopened) as reopened_from, prev.assignee_id, prev.assigned_at, prev.assignment_mode
    from prev`.execute(trx);
  return result.rows[0];
}

/** Snoozed conversations whose time has come, oldest first (the sweep reopens them). */
export function listExpiredSnoozes(db: DbOrTx, now: Date, limit: number) {
  return db
    .selectFrom('conversations')
    .select(['id', 'workspace_id', 'snoozed_until'])
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .limit(limit)
    .execute();
}

/** Reopens one expired snooze, if it still is one (a person may have changed it meanwhile). */
export async function reopenExpiredSnooze(trx: Tx, id: string, now: Date): Promise<{ workspace_id: string; snoozed_until: Date } | undefined> {
  const result = await sql<{ workspace_id: string; snoozed_until: Date }>`
    update conversations c set status = 'open', snoozed_until = null, status_changed_at = ${now}::timestamptz
    from (select id, snoozed_until from conversations where id = ${id}::uuid for update) prev
    where c.id = prev.id and c.status = 'snoozed' and c.snoozed_until <= ${now}::timestamptz
    returning c.workspace_id, prev.snoozed_until`.execute(trx);
  return result.rows[0];
}

/** The workspace's assignment mode, locked when round-robin must take a turn. */
export function lockAssignmentTurn(trx: Tx, workspaceId: string) {
  return trx
    .selectFrom('workspaces')
    .select(['assignment_mode', 'round_robin_last_user_id'])
    .where('id', '=', workspaceId)
    .forUpdate()
    .executeTakeFirst();
}

export function getAssignmentMode(db: DbOrTx, workspaceId: string) {
  return db.selectFrom('workspaces').select(['assignment_mode']).where('id', '=', workspaceId).executeTakeFirst();
}

export async function setAssignmentMode(trx: Tx, workspaceId: string, mode: 'manual' | 'round_robin'): Promise<void> {
  await trx.updateTable('workspaces').set({ assignment_mode: mode }).where('id', '=', workspaceId).execute();
}

export async function setRoundRobinTurn(trx: Tx, workspaceId: string, userId: string): Promise<void> {
  await trx.updateTable('workspaces').set({ round_robin_last_user_id: userId }).where('id', '=', workspaceId).execute();
}

/** Who takes turns: the workspace's active agents. */
export async function listActiveAgentIds(db: DbOrTx, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'agent')
    .where('disabled_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** A person of the workspace who may be given conversations (or undefined: not of this workspace). */
export function findAssignableUser(db: DbOrTx, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'disabled_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** The active people of a workspace, for @mentions. */
export function listTeammates(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('disabled_at', 'is', null)
    .where('role', '!=', 'auditor')
    .execute();
}

/** Every label the workspace's conversations carry, with how many carry it. */
export async function listWorkspaceLabels(db: DbOrTx, workspaceId: string): Promise<{ label: string; count: number }[]> {
  const result = await sql<{ label: string; count: string }>`
    select l.label, count(*) as count
    from conversations c cross join lateral unnest(c.labels) as l(label)
    where c.workspace_id = ${workspaceId}::uuid and c.merged_into_id is null
    group by l.label
    order by l.label`.execute(db);
  return result.rows.map((r) => ({ label: r.label, count: Number(r.count) }));
}

export async function insertNote(
  trx: Tx,
  note: { id: string; workspaceId: string; conversationId: string; authorUserId: string; text: string; mentions: readonly string[]; at: Date },
) {
  return trx
    .insertInto('conversation_notes')
    .values({
      id: note.id,
      workspace_id: note.workspaceId,
      conversation_id: note.conversationId,
      author_user_id: note.authorUserId,
      text: note.text,
      mentions: [...note.mentions],
      created_at: note.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A conversation's notes before a position of the thread, newest first (same order as its messages). */
export function listConversationNotes(db: DbOrTx, workspaceId: string, conversationId: string, options: { limit: number; before?: number | undefined }) {
  let query = db
    .selectFrom('conversation_notes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  return query.orderBy('seq', 'desc').limit(options.limit).execute();
}
