import type { LifecycleEvent, MessagePatch, MessageState, MessageStatus } from '../../domain/message-lifecycle.ts';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../database.ts';
import type { MessageRow, MessageRowPatch, NewMessageRow } from '../schema.ts';

export async function insertMessage(db: DbOrTx, row: NewMessageRow): Promise<MessageRow> {
  return db.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
}

export function getMessage(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Locks the row for the rest of the transaction, so two changes to one message never interleave. */
export function lockMessage(trx: Tx, workspaceId: string, id: string) {
  return trx
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function lockMessagesById(trx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx.selectFrom('messages').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export function findMessageByIdempotencyKey(db: DbOrTx, workspaceId: string, key: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function toMessageState(row: MessageRow): MessageState {
  return {
    direction: row.direction,
    authorUserId: row.author_user_id,
    status: row.status as MessageStatus,
    text: row.text,
    version: row.version,
    holdUntil: row.hold_until,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    deletedForMeAt: row.deleted_for_me_at,
    revokedAt: row.revoked_at,
    plannedHoldSeconds: row.planned_hold_seconds,
  };
}

const columnOf: { [K in keyof MessagePatch]-?: keyof MessageRowPatch } = {
  status: 'status',
  text: 'text',
  version: 'version',
  sentVersion: 'sent_version',
  holdUntil: 'hold_until',
  queuedAt: 'queued_at',
  sentAt: 'sent_at',
  deliveredAt: 'delivered_at',
  readAt: 'read_at',
  failedAt: 'failed_at',
  failureCode: 'failure_code',
  failureDetail: 'failure_detail',
  cancelledAt: 'cancelled_at',
  editedAt: 'edited_at',
  deletedForMeAt: 'deleted_for_me_at',
  deletedForMeBy: 'deleted_for_me_by',
  deletedForMeReason: 'deleted_for_me_reason',
  revokedAt: 'revoked_at',
  revokedBy: 'revoked_by',
  revokeReason: 'revoke_reason',
  revokeNote: 'revoke_note',
  readBeforeRevoke: 'read_before_revoke',
  providerMessageId: 'provider_message_id',
  approvalDecision: 'approval_decision',
  approvalDecidedBy: 'approval_decided_by',
  approvalDecidedAt: 'approval_decided_at',
  approvalReason: 'approval_reason',
  approvalRequestedAt: 'approval_requested_at',
  guardVerdict: 'guard_verdict',
  guardFindings: 'guard_findings',
  guardAcknowledged: 'guard_acknowledged',
};

/** JSON columns are written as JSON text (a driver would send an array as a PostgreSQL array). */
const jsonColumns: ReadonlySet<keyof MessagePatch> = new Set(['guardFindings', 'guardAcknowledged']);

export function patchToRow(patch: MessagePatch): MessageRowPatch {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      row[columnOf[key as keyof MessagePatch]] = jsonColumns.has(key as keyof MessagePatch) ? JSON.stringify(value) : value;
    }
  }
  return row as MessageRowPatch;
}

export async function updateMessage(db: DbOrTx, id: string, patch: MessagePatch, now: Date): Promise<MessageRow> {
  return db
    .updateTable('messages')
    .set({ ...patchToRow(patch), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertVersion(
  db: DbOrTx,
  row: { messageId: string; workspaceId: string; version: number; text: string; at: Date; by: string | null },
) {
  await db
    .insertInto('message_versions')
    .values({
      message_id: row.messageId,
      workspace_id: row.workspaceId,
      version: row.version,
      text: row.text,
      created_at: row.at,
      created_by: row.by,
    })
    .execute();
}

export function listVersions(db: DbOrTx, messageIds: readonly string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_versions')
    .selectAll()
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('version')
    .execute();
}

export interface EventRecord extends LifecycleEvent {
  workspaceId: string;
  conversationId: string | null;
  messageId: string | null;
  actorUserId: string | null;
  at: Date;
}

/** An event about a message that no person caused (a provider, the customer, a job). */
export function systemEvent(
  row: { workspace_id: string; conversation_id: string; id: string },
  type: string,
  data: Record<string, unknown>,
  at: Date,
): EventRecord {
  return { type, data, workspaceId: row.workspace_id, conversationId: row.conversation_id, messageId: row.id, actorUserId: null, at };
}

/** Appends to the event history (the table refuses updates and deletes). */
export async function appendEvents(db: DbOrTx, events: readonly EventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('message_events')
    .values(
      events.map((e) => ({
        workspace_id: e.workspaceId,
        conversation_id: e.conversationId,
        message_id: e.messageId,
        type: e.type,
        actor_user_id: e.actorUserId,
        at: e.at,
        data: JSON.stringify(e.data),
      })),
    )
    .execute();
}

export function listEvents(db: DbOrTx, workspaceId: string, messageId: string) {
  return db
    .selectFrom('message_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('message_id', '=', messageId)
    .orderBy('seq')
    .execute();
}

/** Newest first, `seq` as the cursor. Messages deleted for me are left out unless asked for. */
export function listConversationMessages(
  db: DbOrTx,
  workspaceId: string,
  conversationId: string,
  options: { limit: number; before?: number | undefined; includeHidden: boolean },
) {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  if (!options.includeHidden) query = query.where('deleted_for_me_at', 'is', null);
  return query.orderBy('seq', 'desc').limit(options.limit).execute();
}

/**
 * Marks a batch of queued messages as handed to the channel at `now` (and delivered, when a
 * device received them) in one statement: the dispatch worker's hot path.
 */
export async function markDispatched(
  db: DbOrTx,
  ids: readonly string[],
  change: { now: Date; delivered: boolean; providerPrefix: string },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('messages')
    .set({
      status: change.delivered ? 'delivered' : 'sent',
      sent_at: change.now,
      sent_version: sql<number>`version`,
      provider_message_id: sql<string>`${change.providerPrefix} || id::text`,
      ...(change.delivered ? { delivered_at: change.now } : {}),
      updated_at: change.now,
    })
    .where('id', 'in', ids)
    .where('status', '=', 'queued')
    .execute();
}

/** Held messages whose hold is over, queued for sending in one statement. */
export async function markReleased(db: DbOrTx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('messages')
    .set({ status: 'queued', queued_at: now, updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'held')
    .execute();
}

/** Messages waiting for a colleague's approval, oldest first. */
export function listAwaitingApproval(db: DbOrTx, workspaceId: string, options: { authorUserId?: string; limit: number }) {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'awaiting_approval');
  if (options.authorUserId) query = query.where('author_user_id', '=', options.authorUserId);
  return query.orderBy('created_at').limit(options.limit).execute();
}
