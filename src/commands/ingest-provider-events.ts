import type { AppContext } from '../app-context.ts';
import type { ProviderEvent } from '../channels/provider-events.ts';
import { type EventRecord, insertVersion, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import {
  findOrCreateContact,
  lockMessagesByProviderIds,
  lockOutgoingByIds,
  recordProviderEvents,
  upsertInboundConversation,
  workspaceLanguage,
} from '../db/queries/provider-event-queries.ts';
import type { ChannelRow, MessageRow } from '../db/schema.ts';
import { decideProviderStatus, type MessagePatch } from '../domain/message-lifecycle.ts';
import { inTransaction } from './unit-of-work.ts';

export interface ChannelEvents {
  channel: ChannelRow;
  events: readonly ProviderEvent[];
}

export interface IngestReport {
  applied: number;
  /** Seen before (same dedupe key): nothing changed. */
  duplicates: number;
  /** About a message we do not have (statuses for someone else's sends, deletes of unknown messages). */
  unmatched: number;
  /** Understood, but they change nothing (a `delivered` after `read`). */
  noChange: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies webhook facts from providers, many deliveries in one transaction: each fact is first
 * recorded by its dedupe key (a repeat changes nothing), then statuses move our messages forward
 * (never back), customer messages create contacts and conversations and reopen the 24-hour
 * window, and customer deletes and edits are shown as such while the original text stays in the
 * history.
 */
export async function ingestProviderEvents(ctx: AppContext, batches: readonly ChannelEvents[]): Promise<IngestReport> {
  const report: IngestReport = { applied: 0, duplicates: 0, unmatched: 0, noChange: 0 };
  if (batches.every((b) => b.events.length === 0)) return report;
  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const fresh = await recordProviderEvents(
      uow.trx,
      batches.flatMap(({ channel, events }) =>
        events.map((e) => ({ workspaceId: channel.workspace_id, channelId: channel.id, dedupeKey: e.dedupeKey, kind: e.kind, at: now, payload: e })),
      ),
    );
    const history: EventRecord[] = [];
    for (const { channel, events } of batches) {
      // The same fact twice within one batch counts once, like across batches.
      const seen = new Set<string>();
      const todo = events.filter((e) => {
        const key = `${channel.id}|${e.dedupeKey}`;
        if (!fresh.has(key) || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      report.duplicates += events.length - todo.length;
      if (todo.length === 0) continue;
      await applyChannelEvents(ctx, uow.trx, channel, todo, now, history, report);
    }
    await uow.record(history);
  });
  return report;
}

type Trx = Parameters<typeof updateMessage>[0] & Parameters<typeof lockOutgoingByIds>[0];

async function applyChannelEvents(
  ctx: AppContext,
  trx: Trx,
  channel: ChannelRow,
  events: readonly ProviderEvent[],
  now: Date,
  history: EventRecord[],
  report: IngestReport,
): Promise<void> {
  const record = (row: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'id'>, type: string, data: Record<string, unknown>) =>
    history.push({ type, data, workspaceId: row.workspace_id, conversationId: row.conversation_id, messageId: row.id, actorUserId: null, at: now });

  // Customer messages first: an edit or delete in the same batch may be about one of them.
  for (const event of events) {
    if (event.kind !== 'inbound') continue;
    if (await insertInbound(ctx, trx, channel, event, now, record)) report.applied++;
    else report.duplicates++;
  }

  const referenced = events.filter((e) => e.kind !== 'inbound').map((e) => e.providerMessageId);
  const rows = new Map((await lockMessagesByProviderIds(trx, channel.id, referenced)).map((r) => [r.provider_message_id!, r]));
  // A status can beat our own record of the send: find the message by the key we gave the provider.
  const missing = events.filter(
    (e): e is Extract<ProviderEvent, { kind: 'status' }> => e.kind === 'status' && !rows.has(e.providerMessageId) && UUID.test(e.callbackKey ?? ''),
  );
  const byKey = new Map((await lockOutgoingByIds(trx, channel.id, missing.map((e) => e.callbackKey!))).map((r) => [r.id, r]));

  type Patch = MessagePatch & { customerDeletedAt?: Date };
  const patches = new Map<string, { row: MessageRow; patch: Patch; errors: unknown[] }>();
  const current = (row: MessageRow) => patches.get(row.id) ?? { row, patch: {}, errors: [] };

  for (const event of events) {
    if (event.kind === 'inbound') continue;
    const row = rows.get(event.providerMessageId) ?? (event.kind === 'status' && event.callbackKey ? byKey.get(event.callbackKey) : undefined);
    if (!row) {
      report.unmatched++;
      ctx.log.debug({ channelId: channel.id, kind: event.kind, providerMessageId: event.providerMessageId }, 'webhook event for an unknown message: ignored');
      continue;
    }
    const entry = current(row);
    const state = { ...toMessageState(entry.row), ...stateOf(entry.patch) };
    if (event.kind === 'status') {
      const failure = event.status === 'failed' ? { code: event.failureCode ?? 'rejected', detail: describe(event.errors) } : undefined;
      const decision = decideProviderStatus(state, event.status, now, { providerMessageId: event.providerMessageId, ...(failure ? { failure } : {}) });
      if (event.errors.length > 0) entry.errors.push(...event.errors.map((e) => ({ ...e, status: event.status, at: event.at.toISOString() })));
      if (!decision.ok || decision.events.length === 0) {
        report.noChange++;
        if (event.errors.length > 0) patches.set(row.id, entry);
        continue;
      }
      entry.patch = { ...entry.patch, ...decision.patch };
      for (const e of decision.events) record(row, e.type, { ...e.data, providerStatusAt: event.at.toISOString() });
    } else if (event.kind === 'customer_deleted') {
      if (row.direction !== 'in' || row.customer_deleted_at || entry.patch.customerDeletedAt) {
        report.noChange++;
        continue;
      }
      entry.patch = { ...entry.patch, customerDeletedAt: now };
      record(row, 'message.deleted_by_customer', { providerAt: event.at.toISOString() });
    } else {
      if (row.direction !== 'in' || event.text === (entry.patch.text ?? row.text)) {
        report.noChange++;
        continue;
      }
      const version = (entry.patch.version ?? row.version) + 1;
      await insertVersion(trx, { messageId: row.id, workspaceId: row.workspace_id, version, text: event.text, at: now, by: null });
      entry.patch = { ...entry.patch, text: event.text, version, editedAt: now };
      record(row, 'message.edited_by_customer', { version, providerAt: event.at.toISOString() });
    }
    report.applied++;
    patches.set(row.id, entry);
  }

  for (const { row, patch, errors } of patches.values()) {
    const { customerDeletedAt, ...lifecycle } = patch;
    await updateMessage(trx, row.id, lifecycle, now);
    if (customerDeletedAt || errors.length > 0) {
      await trx
        .updateTable('messages')
        .set({
          ...(customerDeletedAt ? { customer_deleted_at: customerDeletedAt } : {}),
          ...(errors.length > 0 ? { provider_errors: JSON.stringify([...(row.provider_errors ?? []), ...errors].slice(-20)) } : {}),
        })
        .where('id', '=', row.id)
        .execute();
    }
  }
}

function stateOf(patch: MessagePatch) {
  return {
    ...(patch.status ? { status: patch.status } : {}),
    ...(patch.sentAt ? { sentAt: patch.sentAt } : {}),
    ...(patch.deliveredAt ? { deliveredAt: patch.deliveredAt } : {}),
    ...(patch.readAt ? { readAt: patch.readAt } : {}),
    ...(patch.text !== undefined ? { text: patch.text } : {}),
    ...(patch.version !== undefined ? { version: patch.version } : {}),
  };
}

function describe(errors: readonly { code: string; title?: string; details?: string }[]): string | undefined {
  const first = errors[0];
  if (!first) return undefined;
  return [first.code, first.title, first.details].filter(Boolean).join(' — ').slice(0, 500);
}

async function insertInbound(
  ctx: AppContext,
  trx: Trx,
  channel: ChannelRow,
  event: Extract<ProviderEvent, { kind: 'inbound' }>,
  now: Date,
  record: (row: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'id'>, type: string, data: Record<string, unknown>) => void,
): Promise<boolean> {
  const workspaceId = channel.workspace_id;
  const contact = await findOrCreateContact(trx, {
    id: crypto.randomUUID(),
    workspaceId,
    phone: event.from,
    name: event.profileName?.trim() || event.from,
    language: await workspaceLanguage(trx, workspaceId),
    at: now,
  });
  // The window runs from when the customer wrote, never from a time in our future.
  const customerAt = event.at.getTime() <= now.getTime() ? event.at : now;
  const conversationId = await upsertInboundConversation(trx, {
    id: crypto.randomUUID(),
    workspaceId,
    contactId: contact.id,
    channelId: channel.id,
    at: now,
    customerAt,
    text: event.contentType === 'text' ? event.text : '',
  });
  const id = crypto.randomUUID();
  const inserted = await trx
    .insertInto('messages')
    .values({
      id,
      workspace_id: workspaceId,
      conversation_id: conversationId,
      channel_id: channel.id,
      contact_id: contact.id,
      direction: 'in',
      author_user_id: null,
      status: 'received',
      text: event.text,
      version: 1,
      content_type: event.contentType,
      provider_message_id: event.providerMessageId,
      provider_chat_id: event.chatId ?? null,
      provider_errors: event.errors.length > 0 ? JSON.stringify(event.errors) : null,
      read_before_revoke: false,
      send_attempts: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'provider_message_id']).where('provider_message_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await insertVersion(trx, { messageId: id, workspaceId, version: 1, text: event.text, at: now, by: null });
  record(
    { workspace_id: workspaceId, conversation_id: conversationId, id },
    'message.received',
    { providerMessageId: event.providerMessageId, contentType: event.contentType, contactCreated: contact.created },
  );
  return true;
}
