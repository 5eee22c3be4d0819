import type { AppContext } from '../app-context.ts';
import type { ProviderEvent } from '../channels/provider-events.ts';
import { type EventRecord, insertVersion, systemEvent, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import {
  applyStatusChanges,
  insertInboundMessage,
  listChannelsById,
  lockMessagesByProviderIds,
  lockOutgoingByIds,
  lockPendingProviderEvents,
  markProviderEventsApplied,
  retryProviderEventsAt,
  type StatusChange,
  storeProviderEvents,
  workspaceLanguage,
} from '../db/queries/provider-event-queries.ts';
import type { ChannelRow, MessageRow } from '../db/schema.ts';
import { decideProviderStatus, type MessagePatch } from '../domain/message-lifecycle.ts';
import { retryUnmatchedAt } from '../domain/unmatched-provider-event.ts';
import { inTransaction } from './unit-of-work.ts';

export interface ChannelEvents {
  channel: ChannelRow;
  events: readonly ProviderEvent[];
}

export interface StoreReport {
  /** New facts, stored durably (applied to messages right after). */
  stored: number;
  /** Seen before (same dedupe key): nothing stored. */
  duplicates: number;
}

export interface ApplyReport {
  applied: number;
  /** About a message we do not have (statuses for someone else's sends, deletes of unknown messages). */
  unmatched: number;
  /** About a message we do not have yet: left pending, tried again shortly. */
  deferred: number;
  /** Understood, but they change nothing (a `delivered` after `read`). */
  noChange: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Step one of a webhook: store what the provider told us, deduplicated, in one statement — the
 * 200 goes back once this is durable. Applying it to messages is step two.
 */
export async function storeWebhookEvents(ctx: AppContext, batches: readonly ChannelEvents[]): Promise<StoreReport> {
  const rows = batches.flatMap(({ channel, events }) =>
    events.map((e) => ({ workspaceId: channel.workspace_id, channelId: channel.id, dedupeKey: e.dedupeKey, kind: e.kind, at: ctx.clock.now(), payload: e })),
  );
  const stored = await storeProviderEvents(ctx.db, rows);
  return { stored, duplicates: rows.length - stored };
}

/**
 * Step two: applies stored facts in the order they arrived, many at once. Statuses move our
 * messages forward (never back); customer messages create contacts and conversations and reopen
 * the 24-hour window; customer deletes and edits are shown as such while the original text stays
 * in the history. Answers what it did (zero when nothing was pending).
 */
export async function applyPendingProviderEvents(
  ctx: AppContext,
  limit = 1_000,
  workspaceIds?: readonly string[],
): Promise<ApplyReport & { events: number }> {
  const report: ApplyReport = { applied: 0, unmatched: 0, noChange: 0, deferred: 0 };
  const events = await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const pending = await lockPendingProviderEvents(uow.trx, limit, now, workspaceIds);
    if (pending.length === 0) return 0;
    const channels = new Map((await listChannelsById(uow.trx, [...new Set(pending.map((p) => p.channel_id))])).map((c) => [c.id, c]));
    const byChannel = new Map<string, StoredEvent[]>();
    for (const row of pending) {
      const list = byChannel.get(row.channel_id) ?? [];
      list.push({ seq: Number(row.seq), receivedAt: row.received_at, event: reviveEvent(row.payload) });
      byChannel.set(row.channel_id, list);
    }
    const history: EventRecord[] = [];
    const retries: Retry[] = [];
    for (const [channelId, list] of byChannel) {
      const channel = channels.get(channelId);
      if (channel) await applyChannelEvents(ctx, uow.trx, channel, list, now, history, report, retries);
    }
    const waiting = new Set(retries.map((r) => r.seq));
    await markProviderEventsApplied(uow.trx, pending.map((p) => Number(p.seq)).filter((seq) => !waiting.has(seq)));
    await retryProviderEventsAt(uow.trx, retries);
    await uow.record(history);
    return pending.length;
  });
  return { ...report, events };
}

/** Stored as JSON: dates come back as strings. */
function reviveEvent(payload: unknown): ProviderEvent {
  const event = (typeof payload === 'string' ? JSON.parse(payload) : payload) as ProviderEvent & { at: string | Date };
  return { ...event, at: new Date(event.at) } as ProviderEvent;
}

type Trx = Parameters<typeof updateMessage>[0] & Parameters<typeof lockOutgoingByIds>[0];
interface StoredEvent {
  seq: number;
  receivedAt: Date;
  event: ProviderEvent;
}
interface Retry {
  seq: number;
  retryAt: Date;
}

/**
 * Whether a fact about a message we cannot find may still find it later. Our sends carry our
 * message id back on the Cloud API, so a Cloud status we cannot match by either id is about a
 * message sent from elsewhere (the WhatsApp Business app on the same number, another tool); a
 * gateway's status carries only its own id, which we learn from the answer to the send — the
 * status can beat it. A customer's edit or delete can overtake the message it is about.
 */
function mayStillMatch(channel: ChannelRow, event: ProviderEvent): boolean {
  if (event.kind === 'status') return channel.type !== 'whatsapp-cloud';
  return event.kind === 'customer_deleted' || event.kind === 'customer_edited';
}

async function applyChannelEvents(
  ctx: AppContext,
  trx: Trx,
  channel: ChannelRow,
  stored: readonly StoredEvent[],
  now: Date,
  history: EventRecord[],
  report: ApplyReport,
  retries: Retry[],
): Promise<void> {
  const events = stored.map((s) => s.event);
  const record = (row: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'id'>, type: string, data: Record<string, unknown>) =>
    history.push(systemEvent(row, type, data, now));

  // Customer messages first: an edit or delete in the same batch may be about one of them.
  for (const event of events) {
    if (event.kind !== 'inbound') continue;
    if (await insertInbound(trx, channel, event, now, record)) report.applied++;
    else report.noChange++;
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

  for (const { seq, receivedAt, event } of stored) {
    if (event.kind === 'inbound') continue;
    const row = rows.get(event.providerMessageId) ?? (event.kind === 'status' && event.callbackKey ? byKey.get(event.callbackKey) : undefined);
    if (!row) {
      const retryAt = mayStillMatch(channel, event) ? retryUnmatchedAt(receivedAt, now) : null;
      if (retryAt) {
        retries.push({ seq, retryAt });
        report.deferred++;
        continue;
      }
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

  const bulk: StatusChange[] = [];
  for (const { row, patch, errors } of patches.values()) {
    const { customerDeletedAt, text, version, editedAt, ...status } = patch;
    if (text !== undefined || version !== undefined || editedAt !== undefined) {
      // Customer edits are rare: the general path (it writes text and version too).
      await updateMessage(trx, row.id, { ...(text !== undefined ? { text } : {}), ...(version !== undefined ? { version } : {}), ...(editedAt ? { editedAt } : {}) }, now);
    }
    bulk.push({
      id: row.id,
      ...status,
      ...(customerDeletedAt ? { customerDeletedAt } : {}),
      ...(errors.length > 0 ? { providerErrors: [...(row.provider_errors ?? []), ...errors].slice(-20) } : {}),
    });
  }
  await applyStatusChanges(trx, bulk, now);
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

const languages = new Map<string, { language: string; at: number }>();
/** A new contact speaks the workspace's language until someone says otherwise (cached a minute). */
async function languageOf(trx: Trx, workspaceId: string): Promise<string> {
  const hit = languages.get(workspaceId);
  if (hit && hit.at > Date.now() - 60_000) return hit.language;
  const language = await workspaceLanguage(trx, workspaceId);
  if (languages.size > 10_000) languages.clear();
  languages.set(workspaceId, { language, at: Date.now() });
  return language;
}

async function insertInbound(
  trx: Trx,
  channel: ChannelRow,
  event: Extract<ProviderEvent, { kind: 'inbound' }>,
  now: Date,
  record: (row: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'id'>, type: string, data: Record<string, unknown>) => void,
): Promise<boolean> {
  const workspaceId = channel.workspace_id;
  const inserted = await insertInboundMessage(trx, {
    id: crypto.randomUUID(),
    newContactId: crypto.randomUUID(),
    newConversationId: crypto.randomUUID(),
    workspaceId,
    channelId: channel.id,
    phone: event.from,
    contactName: event.profileName?.trim() || event.from,
    language: await languageOf(trx, workspaceId),
    providerMessageId: event.providerMessageId,
    chatId: event.chatId ?? null,
    contentType: event.contentType,
    text: event.text,
    providerErrors: event.errors.length > 0 ? event.errors : null,
    // The window runs from when the customer wrote, never from a time in our future.
    customerAt: event.at.getTime() <= now.getTime() ? event.at : now,
    now,
  });
  if (!inserted) return false;
  record({ workspace_id: workspaceId, conversation_id: inserted.conversation_id, id: inserted.id }, 'message.received', {
    providerMessageId: event.providerMessageId,
    contentType: event.contentType,
    contactCreated: inserted.contact_created,
  });
  return true;
}
