import { z } from 'zod';
import { type ContactIdentity, hasIdentity } from '../../domain/contact-identity.ts';
import type { ContentType, MediaType, MessageContent, SharedContact } from '../../domain/inbound-content.ts';
import type { ProviderStatus } from '../../domain/message-lifecycle.ts';
import { e164FromDigits, type IgnoredEvent, type ParsedWebhook, type ProviderEvent, providerTime } from '../provider-events.ts';
import { parseStoredMediaMarker } from './evolution-media.ts';

/**
 * Evolution API v2 webhooks (docs/whatsapp-contracts.md §4): `messages.upsert` (new messages of
 * every kind, reactions, and edits/revokes as protocol messages), `messages.update` (acks of
 * ours), `messages.delete` (two shapes across releases) and `messages.edited`. Other events may
 * be enabled on the instance: understood, ignored.
 */
export const evolutionEnvelopeSchema = z
  .object({
    event: z.string().min(1).max(100),
    instance: z.string().max(200).nullish(),
    data: z.unknown(),
    // An instance that hides its key sends `"apikey": null`: authentication is by header then.
    apikey: z.string().max(2_000).nullish(),
  })
  .passthrough();

export type EvolutionEnvelope = z.infer<typeof evolutionEnvelopeSchema>;

const keySchema = z
  .object({
    remoteJid: z.string().max(200),
    fromMe: z.boolean().nullish(),
    id: z.string().min(1).max(300),
    participant: z.string().max(200).nullish(),
    /** With `@lid` addressing, the other form of the chat's JID (usually the phone JID). */
    remoteJidAlt: z.string().max(200).nullish(),
    participantAlt: z.string().max(200).nullish(),
    senderPn: z.string().max(200).nullish(),
    addressingMode: z.string().max(20).nullish(),
  })
  .passthrough();
type EvolutionKey = z.infer<typeof keySchema>;

const upsertSchema = z
  .object({
    key: keySchema,
    pushName: z.string().max(200).nullish(),
    message: z.record(z.string(), z.unknown()).nullish(),
    messageType: z.string().max(100).nullish(),
    messageTimestamp: z.union([z.number(), z.string()]).nullish(),
    source: z.string().max(40).nullish(),
  })
  .passthrough();

const updateSchema = z
  .object({ keyId: z.string().min(1).max(300), remoteJid: z.string().max(200).nullish(), fromMe: z.boolean().nullish(), status: z.string() })
  .passthrough();

const editedSchema = z
  .object({ key: keySchema, editedMessage: z.record(z.string(), z.unknown()).nullish(), timestampMs: z.union([z.number(), z.string()]).nullish() })
  .passthrough();

const ACKS: Record<string, ProviderStatus> = {
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  ERROR: 'failed',
};

const MAX_TEXT = 65_536;
/** Devices a person types on (Baileys' guess from the message id); `web` is what gateways, Errata included, send from. */
const PHONE_SOURCES: ReadonlySet<string> = new Set(['android', 'ios', 'desktop']);
const isGroup = (jid: string) => jid.endsWith('@g.us');
const isLid = (jid: string | null | undefined): jid is string => typeof jid === 'string' && jid.endsWith('@lid');
const isPhoneJid = (jid: string | null | undefined): jid is string => typeof jid === 'string' && jid.endsWith('@s.whatsapp.net');
const str = (v: unknown, max = 1_000): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const compact = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Who a key names: the phone from a phone JID, the LID from a `@lid` JID, each completed by the
 * other form when the gateway gives it (`remoteJidAlt`, `participantAlt`, `senderPn`).
 */
export function evolutionIdentity(key: EvolutionKey): ContactIdentity {
  const forms = [key.remoteJid, key.remoteJidAlt, key.senderPn, key.participantAlt].filter((j): j is string => typeof j === 'string');
  const phoneJid = forms.find(isPhoneJid);
  const lid = forms.find(isLid);
  const phone = phoneJid ? (e164FromDigits(phoneJid) ?? undefined) : undefined;
  return compact({ phone, lid });
}

const MEDIA: Record<string, MediaType> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

/** The first name and numbers of a vCard (enough to show a card). */
export function readVcard(vcard: string, displayName?: string): SharedContact {
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const value = (line: string) => line.slice(line.indexOf(':') + 1).trim();
  const fn = lines.find((l) => /^FN[:;]/i.test(l));
  const phones = lines
    .filter((l) => /^(item\d+\.)?TEL[:;]/i.test(l))
    .slice(0, 20)
    .map((l) => {
      const waid = /waid=(\d+)/i.exec(l)?.[1];
      return compact({ phone: value(l).slice(0, 60), waId: waid });
    });
  const emails = lines.filter((l) => /^(item\d+\.)?EMAIL[:;]/i.test(l)).slice(0, 20).map((l) => value(l).slice(0, 300));
  const org = lines.find((l) => /^ORG[:;]/i.test(l));
  return compact({ name: (displayName ?? (fn ? value(fn) : '')).slice(0, 300), phones, emails, organization: org ? value(org).replace(/;+$/, '').slice(0, 300) : undefined });
}

interface Content {
  contentType: ContentType;
  content?: MessageContent;
  text: string;
}

/** The typed content of a Baileys message object; null when it is not content we know. */
export function evolutionContent(message: Record<string, unknown>): Content | null {
  const text = str(message.conversation, MAX_TEXT) ?? str(obj(message.extendedTextMessage).text, MAX_TEXT);
  if (text !== undefined) return { contentType: 'text', text };
  const docWithCaption = obj(obj(obj(message.documentWithCaptionMessage).message).documentMessage);
  for (const [field, type] of Object.entries(MEDIA)) {
    const part = field === 'documentMessage' && !message.documentMessage && Object.keys(docWithCaption).length > 0 ? docWithCaption : obj(message[field]);
    if (field === 'documentMessage' ? Object.keys(part).length === 0 : !message[field]) continue;
    const caption = str(part.caption, MAX_TEXT);
    const stored = parseStoredMediaMarker(part.base64) ?? parseStoredMediaMarker(message.base64);
    return {
      contentType: type,
      content: compact({
        type,
        mimeType: str(part.mimetype, 200),
        caption,
        filename: str(part.fileName, 500) ?? str(part.title, 500),
        voice: type === 'audio' && typeof part.ptt === 'boolean' ? part.ptt : undefined,
        animated: type === 'sticker' && typeof part.isAnimated === 'boolean' ? part.isAnimated : undefined,
        stored: stored ?? undefined,
      }),
      text: caption ?? str(part.fileName, 500) ?? '',
    };
  }
  const location = obj(message.locationMessage ?? message.liveLocationMessage);
  const latitude = num(location.degreesLatitude);
  const longitude = num(location.degreesLongitude);
  if (latitude !== undefined && longitude !== undefined) {
    const name = str(location.name, 500);
    const address = str(location.address, 1_000);
    return {
      contentType: 'location',
      content: compact({ type: 'location' as const, latitude, longitude, name, address, url: str(location.url, 1_000) }),
      text: [name, address].filter(Boolean).join(', '),
    };
  }
  const cards = message.contactMessage ? [obj(message.contactMessage)] : Array.isArray(obj(message.contactsArrayMessage).contacts) ? (obj(message.contactsArrayMessage).contacts as unknown[]).map(obj) : [];
  if (cards.length > 0) {
    const contacts = cards.slice(0, 50).map((c) => readVcard(str(c.vcard, 20_000) ?? '', str(c.displayName, 300)));
    return { contentType: 'contacts', content: { type: 'contacts', contacts }, text: contacts.map((c) => c.name).join(', ') };
  }
  const buttons = obj(message.buttonsResponseMessage);
  if (Object.keys(buttons).length > 0) {
    const title = str(buttons.selectedDisplayText, 1_000) ?? '';
    return { contentType: 'interactive_reply', content: compact({ type: 'interactive_reply' as const, replyKind: 'button' as const, id: str(buttons.selectedButtonId, 512), title }), text: title };
  }
  const list = obj(message.listResponseMessage);
  if (Object.keys(list).length > 0) {
    const title = str(list.title, 1_000) ?? '';
    return {
      contentType: 'interactive_reply',
      content: compact({ type: 'interactive_reply' as const, replyKind: 'list' as const, id: str(obj(list.singleSelectReply).selectedRowId, 512), title, description: str(list.description) }),
      text: title,
    };
  }
  const template = obj(message.templateButtonReplyMessage);
  if (Object.keys(template).length > 0) {
    const title = str(template.selectedDisplayText, 1_000) ?? '';
    return { contentType: 'interactive_reply', content: compact({ type: 'interactive_reply' as const, replyKind: 'quick_reply' as const, id: str(template.selectedId, 512), title, payload: str(template.selectedId, 1_000) }), text: title };
  }
  const order = obj(message.orderMessage);
  if (Object.keys(order).length > 0) {
    const note = str(order.message, 4_096) ?? str(order.orderTitle, 500);
    const count = num(order.itemCount) ?? 0;
    return {
      contentType: 'order',
      content: compact({ type: 'order' as const, catalogId: str(order.orderId, 100), text: note, items: count > 0 ? [{ productId: str(order.orderTitle, 300) ?? '', quantity: count }] : [] }),
      text: note ?? '',
    };
  }
  return null;
}

/** The new text of an edit: a text's body or a media message's caption. */
function editedText(edited: Record<string, unknown> | null | undefined): string | undefined {
  if (!edited) return undefined;
  const inner = obj(edited.message);
  const source = Object.keys(inner).length > 0 ? inner : edited;
  const content = evolutionContent(source);
  if (!content) return undefined;
  return content.contentType === 'text' ? content.text : ((content.content as { caption?: string } | undefined)?.caption ?? undefined);
}

export function parseEvolutionWebhook(envelope: EvolutionEnvelope, now: Date): ParsedWebhook {
  const events: ProviderEvent[] = [];
  const ignored: IgnoredEvent[] = [];
  // "Webhook by events" and older releases spell events in upper snake case.
  const event = envelope.event.toLowerCase().replace(/_/g, '.');
  const data = envelope.data;

  if (event === 'messages.upsert' || event === 'send.message') {
    // Some releases send a list of messages.
    const items = Array.isArray(data) ? data : [data];
    for (const item of items.slice(0, 1_000)) {
      const m = upsertSchema.safeParse(item);
      if (!m.success) {
        ignored.push({ reason: 'malformed_message' });
        continue;
      }
      upsertEvents(m.data, event, now, events, ignored);
    }
  } else if (event === 'messages.update') {
    const items = Array.isArray(data) ? data : [data];
    for (const item of items.slice(0, 1_000)) {
      const u = updateSchema.safeParse(item);
      if (!u.success) {
        ignored.push({ reason: 'malformed_status' });
        continue;
      }
      if (u.data.status === 'DELETED') {
        // Deleted for everyone: Evolution marks the stored message DELETED here, sometimes without
        // a `messages.delete`. Whose message it was is decided by its id (same fact, same key).
        events.push({ kind: 'customer_deleted', side: 'sender', dedupeKey: `revoke:${u.data.keyId}`, providerMessageId: u.data.keyId, at: now });
        continue;
      }
      const status = ACKS[u.data.status];
      if (!status || u.data.fromMe === false) {
        ignored.push({ reason: 'unknown_status', detail: u.data.status.slice(0, 50) });
        continue;
      }
      events.push({
        kind: 'status',
        dedupeKey: `status:${u.data.keyId}:${status}`,
        providerMessageId: u.data.keyId,
        status,
        at: now,
        errors: status === 'failed' ? [{ code: 'ERROR', title: 'the gateway reported an error for this message' }] : [],
        ...(status === 'failed' ? { failureCode: 'rejected' as const } : {}),
      });
    }
  } else if (event === 'messages.delete') {
    // Bare key, or `{ key, status: "DELETED" }`. Whose message it was is decided by its id: the
    // key may be written from either side.
    const wrapped = z.object({ key: keySchema }).passthrough().safeParse(data);
    const bare = keySchema.safeParse(data);
    const key = wrapped.success ? wrapped.data.key : bare.success ? bare.data : null;
    if (!key) ignored.push({ reason: 'malformed_delete' });
    else events.push({ kind: 'customer_deleted', side: 'sender', dedupeKey: `revoke:${key.id}`, providerMessageId: key.id, at: now });
  } else if (event === 'messages.edited') {
    // The protocol message as its sender wrote it: a customer's edit comes with `fromMe: true`
    // and our own number as `remoteJid` (their side of the chat). Match by id, never by fromMe.
    const e = editedSchema.safeParse(data);
    const text = e.success ? editedText(e.data.editedMessage) : undefined;
    if (!e.success || text === undefined) ignored.push({ reason: 'malformed_edit' });
    else {
      const at = providerTime(e.data.timestampMs, now, 'milliseconds');
      events.push({ kind: 'customer_edited', side: 'sender', dedupeKey: `edit:${e.data.key.id}:${at.getTime()}`, providerMessageId: e.data.key.id, text, at });
    }
  } else {
    ignored.push({ reason: 'unknown_event', detail: event.slice(0, 100) });
  }
  return { events, ignored };
}

function upsertEvents(m: z.infer<typeof upsertSchema>, event: string, now: Date, events: ProviderEvent[], ignored: IgnoredEvent[]): void {
  const { key } = m;
  const message = m.message ?? {};
  const at = providerTime(m.messageTimestamp, now);
  if (isGroup(key.remoteJid)) {
    ignored.push({ reason: 'group_message', detail: key.remoteJid.slice(0, 100) });
    return;
  }
  // Edits and revokes can come as protocol messages (also wrapped in `editedMessage`).
  const protocol = obj(message.protocolMessage ?? obj(obj(message.editedMessage).message).protocolMessage);
  if (Object.keys(protocol).length > 0) {
    const target = str(obj(protocol.key).id, 300);
    const type = protocol.type;
    if (target && (type === 'REVOKE' || type === 0)) {
      events.push({ kind: 'customer_deleted', side: 'sender', dedupeKey: `revoke:${target}`, providerMessageId: target, at });
      return;
    }
    const text = editedText(obj(protocol.editedMessage));
    if (target && (type === 'MESSAGE_EDIT' || type === 14) && text !== undefined) {
      const editedAt = providerTime(protocol.timestampMs, at, 'milliseconds');
      events.push({ kind: 'customer_edited', side: 'sender', dedupeKey: `edit:${target}:${editedAt.getTime()}`, providerMessageId: target, text, at: editedAt });
      return;
    }
    ignored.push({ reason: 'protocol_message', detail: String(type).slice(0, 40) });
    return;
  }
  // An edit WhatsApp encrypted for the original's message secret (newer apps): it changes a message
  // we have and is never a new one, but its text cannot be read. Kept raw; never an unread.
  const secret = obj(message.secretEncryptedMessage);
  if (Object.keys(secret).length > 0) {
    ignored.push({ reason: 'encrypted_edit', detail: (str(obj(secret.targetMessageKey).id, 300) ?? key.id).slice(0, 100) });
    return;
  }
  const identity = evolutionIdentity(key);
  const reaction = obj(message.reactionMessage);
  if (Object.keys(reaction).length > 0) {
    const target = str(obj(reaction.key).id, 300);
    if (!target || key.fromMe) ignored.push({ reason: key.fromMe ? 'own_reaction' : 'malformed_reaction', detail: key.id });
    else events.push({ kind: 'reaction', dedupeKey: `reaction:${key.id}`, providerMessageId: target, emoji: str(reaction.text, 50) ?? '', from: identity, at });
    return;
  }
  if (!hasIdentity(identity)) {
    ignored.push({ reason: 'bad_sender', detail: key.remoteJid.slice(0, 100) });
    return;
  }
  const content = evolutionContent(message);
  if (key.fromMe) {
    // Typed on the linked phone (the business's app) — unless the gateway is echoing what we sent.
    if (event !== 'messages.upsert' || !PHONE_SOURCES.has(m.source ?? '')) {
      ignored.push({ reason: 'own_message', detail: key.id });
      return;
    }
    events.push({ kind: 'echo', dedupeKey: `echo:${key.id}`, providerMessageId: key.id, to: identity, ...(content ?? { contentType: 'unsupported', text: '' }), at, chatId: key.remoteJid });
    return;
  }
  events.push({
    kind: 'inbound',
    dedupeKey: `in:${key.id}`,
    providerMessageId: key.id,
    identity,
    profileName: m.pushName ?? undefined,
    ...(content ?? { contentType: 'unsupported' as const, text: '' }),
    at,
    errors: content ? [] : [{ code: 'type_not_shown', title: `message type "${(m.messageType ?? 'unknown').slice(0, 40)}" is not shown by Errata` }],
    chatId: key.remoteJid,
  });
}
