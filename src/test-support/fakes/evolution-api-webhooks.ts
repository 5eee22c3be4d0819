/**
 * Builders and a sender for Evolution API v2 webhooks (Baileys / WhatsApp Web integration).
 * Shapes follow docs/whatsapp-contracts.md §4.
 */
import { randomUUID } from 'node:crypto';
import { postRaw, type WebhookDelivery } from './fake-http.ts';

export type EvolutionEvent = 'messages.upsert' | 'messages.update' | 'messages.delete' | 'messages.edited' | 'send.message';

/** Ack levels carried by `messages.update` (`status`). */
export type EvolutionAck = 'ERROR' | 'PENDING' | 'SERVER_ACK' | 'DELIVERY_ACK' | 'READ' | 'PLAYED';

export interface EvolutionKey {
  remoteJid: string;
  fromMe: boolean;
  id: string;
  participant?: string;
  /** With `@lid` addressing: the other form of the JID (the phone one), and the mode. */
  remoteJidAlt?: string;
  participantAlt?: string;
  addressingMode?: 'lid' | 'pn';
}

export interface EvolutionWebhookPayload<D = unknown> {
  event: EvolutionEvent;
  instance: string;
  data: D;
  destination: string;
  date_time: string;
  sender: string;
  server_url: string;
  /** The instance key; `null` when the instance hides it (then only the header carries it). */
  apikey: string | null;
}

/** Where a webhook comes from: the instance and its own WhatsApp number. */
export interface EvolutionInstanceRef {
  instance: string;
  instanceId: string;
  /** The instance's own number (digits). */
  ownNumber: string;
  apiKey: string;
  serverUrl: string;
}

export const userJid = (digits: string): string => `${digits.replace(/\D/g, '')}@s.whatsapp.net`;

// Test files run in separate workers against one PostgreSQL database: each worker starts its ids at a
// random point so two files never mint the same message id (a real gateway's ids are random too).
let idSeq = Math.floor(Math.random() * 2 ** 40);
/** A WhatsApp Web style message id: "3EB0" + 36 upper-case hex digits (deterministic per process). */
export function evolutionMessageId(seed?: number): string {
  const n = seed ?? ++idSeq;
  return `3EB0${n.toString(16).toUpperCase().padStart(36, '0')}`;
}

export function evolutionEnvelope<D>(
  ref: EvolutionInstanceRef,
  event: EvolutionEvent,
  data: D,
  opts: { destination?: string; at?: number } = {},
): EvolutionWebhookPayload<D> {
  return {
    event,
    instance: ref.instance,
    data,
    destination: opts.destination ?? '',
    date_time: new Date(opts.at ?? Date.now()).toISOString(),
    sender: userJid(ref.ownNumber),
    server_url: ref.serverUrl,
    apikey: ref.apiKey,
  };
}

/** A new text message from the customer (or `fromMe: true` for one typed on the linked phone). */
export function messagesUpsert(
  ref: EvolutionInstanceRef,
  m: { from: string; text: string; id?: string; pushName?: string; at?: number; fromMe?: boolean },
): EvolutionWebhookPayload {
  const at = m.at ?? Date.now();
  return evolutionEnvelope(
    ref,
    'messages.upsert',
    {
      key: { remoteJid: userJid(m.from), fromMe: m.fromMe ?? false, id: m.id ?? evolutionMessageId() },
      pushName: m.pushName ?? 'Test Customer',
      status: m.fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK',
      message: { conversation: m.text },
      messageType: 'conversation',
      messageTimestamp: Math.floor(at / 1000),
      instanceId: ref.instanceId,
      source: 'android',
    },
    { at },
  );
}

/**
 * A new message of any kind (`message` is Baileys' message object: imageMessage, locationMessage,
 * reactionMessage, protocolMessage …). `lid` sends the sender as `…@lid` with the phone JID in
 * `remoteJidAlt`, as WhatsApp's LID addressing does; `base64` puts media inline, as instances with
 * "webhook base64" on do.
 */
export function messagesUpsertContent(
  ref: EvolutionInstanceRef,
  m: {
    from: string;
    message: Record<string, unknown>;
    messageType: string;
    id?: string;
    lid?: string;
    /** With `lid`: leave the phone JID out (some chats only have the LID). */
    lidOnly?: boolean;
    pushName?: string;
    at?: number;
    fromMe?: boolean;
    source?: 'android' | 'ios' | 'web' | 'desktop' | 'unknown';
    base64?: string;
  },
): EvolutionWebhookPayload {
  const at = m.at ?? Date.now();
  const key: EvolutionKey = m.lid
    ? { remoteJid: `${m.lid}@lid`, fromMe: m.fromMe ?? false, id: m.id ?? evolutionMessageId(), ...(m.lidOnly ? {} : { remoteJidAlt: userJid(m.from) }), addressingMode: 'lid' }
    : { remoteJid: userJid(m.from), fromMe: m.fromMe ?? false, id: m.id ?? evolutionMessageId() };
  return evolutionEnvelope(
    ref,
    'messages.upsert',
    {
      key,
      pushName: m.pushName ?? 'Test Customer',
      status: m.fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK',
      message: { ...m.message, ...(m.base64 !== undefined ? { base64: m.base64 } : {}) },
      contextInfo: null,
      messageType: m.messageType,
      messageTimestamp: Math.floor(at / 1000),
      instanceId: ref.instanceId,
      source: m.source ?? 'android',
    },
    { at },
  );
}

/** An ack for one of our messages (`keyId` is the id returned by sendText). */
export function messagesUpdate(
  ref: EvolutionInstanceRef,
  u: { keyId: string; remoteJid: string; status: EvolutionAck; fromMe?: boolean; at?: number },
): EvolutionWebhookPayload {
  return evolutionEnvelope(
    ref,
    'messages.update',
    {
      messageId: randomUUID(),
      keyId: u.keyId,
      remoteJid: u.remoteJid,
      fromMe: u.fromMe ?? true,
      participant: u.remoteJid,
      status: u.status,
      instanceId: ref.instanceId,
    },
    { at: u.at },
  );
}

/**
 * The customer deleted a message for everyone. Older v2 releases send the bare Baileys key as
 * `data`; newer ones wrap it as `{ key, status: "DELETED", instanceId }`. Receivers must take both.
 */
export function messagesDelete(
  ref: EvolutionInstanceRef,
  d: { id: string; remoteJid: string; fromMe?: boolean; participant?: string; at?: number; shape?: 'bare-key' | 'wrapped' },
): EvolutionWebhookPayload {
  const key: EvolutionKey = { remoteJid: d.remoteJid, fromMe: d.fromMe ?? false, id: d.id };
  if (d.participant) key.participant = d.participant;
  const data = d.shape === 'wrapped' ? { key, status: 'DELETED', instanceId: ref.instanceId } : key;
  return evolutionEnvelope(ref, 'messages.delete', data, { at: d.at });
}

/** The customer edited a text message: `data` is WhatsApp's protocol message (type MESSAGE_EDIT). */
export function messagesEdited(
  ref: EvolutionInstanceRef,
  /** A customer's edit arrives written from their side: `fromMe: true`, `remoteJid` = the instance's own number. */
  e: { id: string; remoteJid: string; text: string; fromMe?: boolean; at?: number },
): EvolutionWebhookPayload {
  const at = e.at ?? Date.now();
  return evolutionEnvelope(
    ref,
    'messages.edited',
    {
      key: { remoteJid: e.remoteJid, fromMe: e.fromMe ?? false, id: e.id },
      type: 'MESSAGE_EDIT',
      editedMessage: { conversation: e.text },
      timestampMs: at,
    },
    { at },
  );
}

/** `messages.upsert` → `messages-upsert`: the suffix Evolution appends when "webhook by events" is on. */
export const eventPathSuffix = (event: EvolutionEvent): string => event.replace(/\./g, '-');

export interface SendEvolutionWebhookOptions {
  /** Value of the `apikey` header; `null` omits it. Defaults to the payload's `apikey`. */
  apikeyHeader?: string | null;
  /** Append `/<event-with-dashes>` to the URL, as Evolution does with webhook_by_events. */
  byEvents?: boolean;
  headers?: Record<string, string>;
}

export function sendEvolutionWebhook(
  targetUrl: string,
  payload: EvolutionWebhookPayload,
  opts: SendEvolutionWebhookOptions = {},
): Promise<WebhookDelivery> {
  const withDestination = { ...payload, destination: payload.destination || targetUrl };
  const rawBody = JSON.stringify(withDestination);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  const key = opts.apikeyHeader === undefined ? payload.apikey : opts.apikeyHeader;
  if (key !== null) headers.apikey = key;
  const url = opts.byEvents ? `${targetUrl.replace(/\/$/, '')}/${eventPathSuffix(payload.event)}` : targetUrl;
  return postRaw(url, rawBody, headers);
}
