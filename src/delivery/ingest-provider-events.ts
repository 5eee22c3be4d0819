import type { AppContext } from '../app-context.ts';
import { identityOf, type InboundEvent, type ProviderEvent } from '../channels/provider-events.ts';
import {
  attachIdentities,
  findIdentityMatches,
  insertContactWithIdentities,
  mergeContacts,
  moveContactPhone,
  setContactPhone,
} from '../db/queries/contact-identity-queries.ts';
import { type EventRecord, insertVersion, systemEvent, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import {
  applyStatusChanges,
  findMessagesByProviderIds,
  insertProviderMessage,
  listChannelsById,
  lockMessagesByProviderIds,
  lockOutgoingByIds,
  lockPendingProviderEvents,
  markProviderEventsApplied,
  retryProviderEventsAt,
  reinterpretMessage,
  type StatusChange,
  setCustomerReaction,
  setMessageContent,
  storeProviderEvents,
  workspaceLanguage,
} from '../db/queries/provider-event-queries.ts';
import type { DeliveryRecord } from '../db/queries/webhook-delivery-queries.ts';
import type { ChannelRow, MessageRow } from '../db/schema.ts';
import { type ContactIdentity, identityLabel, planContactIdentity } from '../domain/contact-identity.ts';
import { conversationEffect, type ContentType, isMediaType, isUpgradablePlaceholder, summaryOf } from '../domain/inbound-content.ts';
import { decideProviderStatus, type MessagePatch } from '../domain/message-lifecycle.ts';
import { retryUnmatchedAt } from '../domain/unmatched-provider-event.ts';
import { QUEUES } from './queues.ts';
import { inTransaction } from '../commands/unit-of-work.ts';
import { onCustomerMessage } from '../commands/inbox/on-customer-message.ts';

export interface ChannelEvents {
  channel: ChannelRow;
  events: readonly ProviderEvent[];
  /** The webhook delivery these were read from. */
  deliveryId?: string | undefined;
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
export async function storeWebhookEvents(ctx: AppContext, batches: readonly ChannelEvents[], deliveries: readonly DeliveryRecord[] = []): Promise<StoreReport> {
  const rows = batches.flatMap(({ channel, events, deliveryId }) =>
    events.map((e) => ({
      workspaceId: channel.workspace_id,
      channelId: channel.id,
      dedupeKey: e.dedupeKey,
      kind: e.kind,
      at: ctx.clock.now(),
      payload: e,
      deliveryId: deliveryId ?? null,
    })),
  );
  const stored = await storeProviderEvents(ctx.db, rows, deliveries);
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
    // Media the provider keeps by id (Cloud API) is downloaded by a job, after this commits.
    const fetches = history.filter((e) => e.data.fetchMedia === true && e.messageId);
    await uow.enqueueMany(
      QUEUES.fetchMedia,
      fetches.map((e) => ({ data: { workspaceId: e.workspaceId, messageId: e.messageId!, attempt: 1 } })),
    );
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
  return event.kind === 'customer_deleted' || event.kind === 'customer_edited' || event.kind === 'reaction';
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

  // Messages first (the customer's, the business's from its app, system notices): an edit,
  // delete or reaction in the same batch may be about one of them.
  const messageEvents = events.filter((e): e is MessageEvent => e.kind === 'inbound' || e.kind === 'echo' || e.kind === 'system');
  const seen = new Map((await findMessagesByProviderIds(trx, channel.id, messageEvents.map((e) => e.providerMessageId))).map((r) => [r.provider_message_id!, r]));
  for (const event of messageEvents) {
    const outcome = await insertMessageEvent(trx, channel, event, seen.get(event.providerMessageId), now, record);
    report[outcome]++;
  }

  const referenced = events.filter((e) => !CREATES_MESSAGE.has(e.kind)).map((e) => e.providerMessageId);
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
    if (event.kind === 'inbound' || event.kind === 'echo' || event.kind === 'system') continue;
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
    } else if (event.kind === 'reaction') {
      // A reaction is about the message it reacts to: never a message, an unread, or the window.
      const reaction = event.emoji ? { emoji: event.emoji, at: event.at.toISOString() } : null;
      await setCustomerReaction(trx, row.id, reaction);
      record(row, event.emoji ? 'message.reaction' : 'message.reaction_removed', { emoji: event.emoji || null, providerAt: event.at.toISOString() });
    } else if (event.kind === 'customer_deleted') {
      const side = sideOf(row, event.side);
      if (side === 'business') {
        if (row.revoked_at || entry.patch.revokedAt) {
          report.noChange++;
          continue;
        }
        // Deleted for everyone from the WhatsApp Business app: what the customer's phone did is not reported.
        entry.patch = { ...entry.patch, revokedAt: now };
        record(row, 'message.revoked_in_app', { providerAt: event.at.toISOString() });
      } else {
        if (side !== 'customer' || row.customer_deleted_at || entry.patch.customerDeletedAt) {
          report.noChange++;
          continue;
        }
        entry.patch = { ...entry.patch, customerDeletedAt: now };
        record(row, 'message.deleted_by_customer', { providerAt: event.at.toISOString() });
      }
    } else {
      const side = sideOf(row, event.side);
      if (side === null || event.text === (entry.patch.text ?? row.text)) {
        report.noChange++;
        continue;
      }
      const version = (entry.patch.version ?? row.version) + 1;
      await insertVersion(trx, { messageId: row.id, workspaceId: row.workspace_id, version, text: event.text, at: now, by: null });
      entry.patch = { ...entry.patch, text: event.text, version, editedAt: now };
      // A media message's text is its caption.
      if (isMediaType(row.content_type) && row.content) await setMessageContent(trx, row.id, { ...row.content, caption: event.text });
      record(row, side === 'customer' ? 'message.edited_by_customer' : 'message.edited_in_app', { version, providerAt: event.at.toISOString() });
    }
    report.applied++;
    patches.set(row.id, entry);
  }

  const bulk: StatusChange[] = [];
  for (const { row, patch, errors } of patches.values()) {
    const { customerDeletedAt, text, version, editedAt, revokedAt, ...status } = patch;
    if (text !== undefined || version !== undefined || editedAt !== undefined || revokedAt !== undefined) {
      // Edits and deletions from a phone are rare: the general path (it writes text and version too).
      await updateMessage(
        trx,
        row.id,
        { ...(text !== undefined ? { text } : {}), ...(version !== undefined ? { version } : {}), ...(editedAt ? { editedAt } : {}), ...(revokedAt ? { revokedAt } : {}) },
        now,
      );
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

type Recorder = (row: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'id'>, type: string, data: Record<string, unknown>) => void;
type Outcome = 'applied' | 'noChange' | 'unmatched';

/** Event kinds that are messages of their own (the rest are facts about a message). */
const CREATES_MESSAGE: ReadonlySet<ProviderEvent['kind']> = new Set(['inbound', 'echo', 'system']);

/**
 * Who acted, for a delete or an edit, from the message it is about: `customer` for the
 * customer's own message, `business` for one the business sent from its phone app. A gateway
 * names only the message (`sender`); the Cloud API says which side. Our own sends, echoed back
 * by a gateway, are neither.
 */
function sideOf(row: MessageRow, side: 'customer' | 'business' | 'sender' | undefined): 'customer' | 'business' | null {
  if (row.direction === 'in') return side === 'business' || row.content_type === 'system' ? null : 'customer';
  return row.origin === 'app' && side !== 'customer' ? 'business' : null;
}

/**
 * The contact an identity belongs to — found by any of its parts, completed with the parts it
 * lacked, merged with another contact the same payload proves is the same person — or created
 * when the kind of message may create one. Null when it may not and nobody matches.
 */
async function resolveContact(
  trx: Trx,
  workspaceId: string,
  identity: ContactIdentity,
  profileName: string | undefined,
  now: Date,
  create: boolean,
): Promise<string | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const plan = planContactIdentity(identity, await findIdentityMatches(trx, workspaceId, identity));
    if (plan.action === 'use') {
      if (plan.absorb.length > 0) await mergeContacts(trx, workspaceId, plan.contactId, plan.absorb, now);
      await attachIdentities(trx, workspaceId, plan.contactId, plan.attach, now);
      if (plan.setPhone) await setContactPhone(trx, plan.contactId, plan.setPhone, now);
      return plan.contactId;
    }
    if (!create) return null;
    const id = crypto.randomUUID();
    const created = await insertContactWithIdentities(trx, {
      id,
      workspaceId,
      name: profileName?.trim() || identityLabel(identity),
      phone: plan.phone,
      language: await languageOf(trx, workspaceId),
      now,
      attach: plan.attach,
    });
    if (created) return id;
    // Someone created the contact with this phone meanwhile: look again.
  }
  return null;
}

/** A Cloud API media message: its bytes are at WhatsApp, behind its media id. */
function needsMediaFetch(channel: ChannelRow, event: MessageEvent): boolean {
  if (channel.type !== 'whatsapp-cloud' || event.kind === 'system' || !isMediaType(event.contentType)) return false;
  const content = event.content as { mediaId?: unknown; stored?: unknown } | undefined;
  return typeof content?.mediaId === 'string' && !content.stored;
}

type MessageEvent = Extract<ProviderEvent, { kind: 'inbound' | 'echo' | 'system' }>;

async function insertMessageEvent(
  trx: Trx,
  channel: ChannelRow,
  event: MessageEvent,
  existing: Awaited<ReturnType<typeof findMessagesByProviderIds>>[number] | undefined,
  now: Date,
  record: Recorder,
): Promise<Outcome> {
  const workspaceId = channel.workspace_id;
  const contentType: ContentType = event.kind === 'system' ? 'system' : event.contentType;
  if (existing) {
    // Seen before. A placeholder for a kind we did not understand then is understood now
    // (`errata webhooks reprocess`): it becomes what it was.
    if (event.kind === 'inbound' && contentType !== 'unsupported' && isUpgradablePlaceholder(existing.content_type, existing.provider_errors as { code?: unknown }[] | null)) {
      await reinterpretMessage(trx, existing.id, { contentType, content: event.content ?? null, text: event.text, now });
      record({ workspace_id: workspaceId, conversation_id: existing.conversation_id, id: existing.id }, 'message.reinterpreted', { from: existing.content_type, to: contentType });
      return 'applied';
    }
    return 'noChange';
  }
  const side = event.kind === 'echo' ? 'business' : 'customer';
  const effect = conversationEffect(contentType, side);
  const identity = event.kind === 'echo' ? event.to : event.kind === 'system' ? event.identity : identityOf(event as InboundEvent);
  const profileName = event.kind === 'inbound' ? event.profileName : undefined;
  // Known by a number alone (most messages): the contact is found or created in the insert itself.
  const byPhoneOnly = effect.createsContact && identity.phone && !identity.bsuid && !identity.lid;
  const contact = byPhoneOnly
    ? { newId: crypto.randomUUID(), phone: identity.phone!, name: profileName?.trim() || identity.phone!, language: await languageOf(trx, workspaceId) }
    : { id: await resolveContact(trx, workspaceId, identity, profileName, now, effect.createsContact) };
  if ('id' in contact && !contact.id) return 'unmatched';
  // The window runs from when the customer wrote, never from a time in our future.
  const at = event.at.getTime() <= now.getTime() ? event.at : now;
  const inserted = await insertProviderMessage(trx, {
    id: crypto.randomUUID(),
    newConversationId: crypto.randomUUID(),
    workspaceId,
    channelId: channel.id,
    contact: contact as { id: string } | { newId: string; phone: string; name: string; language: string },
    direction: event.kind === 'echo' ? 'out' : 'in',
    origin: event.kind === 'echo' ? 'app' : null,
    providerMessageId: event.providerMessageId,
    chatId: (event.kind === 'system' ? undefined : event.chatId) ?? null,
    contentType,
    // `fetching` until the fetch-media job stored the bytes or gave up: the thread says which.
    content: needsMediaFetch(channel, event) ? { ...event.content, fetching: true } : (event.content ?? null),
    text: event.text,
    summary: summaryOf(contentType, event.text),
    providerErrors: event.kind === 'inbound' && event.errors.length > 0 ? event.errors : null,
    unread: effect.unread,
    customerAt: effect.opensServiceWindow ? at : null,
    sentAt: event.kind === 'echo' ? at : null,
    now,
  });
  if (!inserted) return 'noChange';
  const contactId = inserted.contact_id;
  const row = { workspace_id: workspaceId, conversation_id: inserted.conversation_id, id: inserted.id };
  if (event.kind === 'system') {
    record(row, 'message.system_notice', { providerMessageId: event.providerMessageId, systemKind: event.content.systemKind });
    // A number change moves the contact to the new number; the old one stays on it, retired.
    if (event.newIdentity?.phone) await moveContactPhone(trx, workspaceId, contactId, event.newIdentity.phone, now);
    if (event.newIdentity?.bsuid) await attachIdentities(trx, workspaceId, contactId, [{ kind: 'bsuid', value: event.newIdentity.bsuid }], now);
    if (event.newIdentity) record(row, 'contact.identity_changed', { contactId, ...event.newIdentity });
  } else {
    record(row, event.kind === 'echo' ? 'message.sent_from_app' : 'message.received', {
      providerMessageId: event.providerMessageId,
      contentType,
      contactCreated: inserted.contact_created,
      ...(needsMediaFetch(channel, event) ? { fetchMedia: true } : {}),
    });
    if (event.kind === 'inbound') {
      for (const e of await onCustomerMessage(trx, { workspaceId, conversationId: inserted.conversation_id, now })) record(row, e.type, e.data);
    }
  }
  return 'applied';
}
