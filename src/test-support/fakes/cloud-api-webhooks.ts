/**
 * Builders for the WhatsApp Cloud API `messages` webhook (object `whatsapp_business_account`), the
 * signature Meta puts on it, and a sender. Shapes follow docs/whatsapp-contracts.md §2.
 */
import { createHmac } from 'node:crypto';
import { postRaw, type WebhookDelivery } from './fake-http.ts';

/** The business number a webhook is about (goes into `value.metadata`). */
export interface CloudNumberRef {
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
}

/** `wa_id` is absent for users who hide their number; `user_id` is their business-scoped user id (BSUID). */
export interface CloudContact {
  profile: { name: string; username?: string };
  wa_id?: string;
  user_id?: string;
}

export interface CloudWebhookError {
  code: number;
  title: string;
  message: string;
  error_data?: { details: string };
  href?: string;
}

export type CloudInboundMessage = {
  /** The customer's number; absent when they hide it (then `from_user_id` names them). */
  from?: string;
  from_user_id?: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from: string; id: string };
  errors?: CloudWebhookError[];
} & Record<string, unknown>;

export type CloudStatusKind = 'sent' | 'delivered' | 'read' | 'failed';

export interface CloudStatus {
  id: string;
  status: CloudStatusKind;
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string; type?: string };
  errors?: CloudWebhookError[];
}

export interface CloudWebhookValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: CloudContact[];
  messages?: CloudInboundMessage[];
  statuses?: CloudStatus[];
  /** `smb_message_echoes` changes: what the business sent from the WhatsApp Business app (Coexistence). */
  message_echoes?: CloudInboundMessage[];
}

export interface CloudWebhookPayload {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ value: CloudWebhookValue; field: 'messages' | 'smb_message_echoes' }> }>;
}

let inboundSeq = 0;
/** A wamid for a message the customer sent (deterministic within a process). */
export function customerWamid(seed?: string): string {
  const tag = seed ?? `in:${++inboundSeq}`;
  return `wamid.${Buffer.from(`errata-fake-customer:${tag}`).toString('base64')}`;
}

const unixSeconds = (ms: number): string => String(Math.floor(ms / 1000));

/** Wraps messages/statuses for one business number into the full webhook envelope. */
export function cloudEnvelope(
  ref: CloudNumberRef,
  parts: { contacts?: CloudContact[]; messages?: CloudInboundMessage[]; statuses?: CloudStatus[] },
): CloudWebhookPayload {
  const value: CloudWebhookValue = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: ref.displayPhoneNumber, phone_number_id: ref.phoneNumberId },
  };
  if (parts.contacts) value.contacts = parts.contacts;
  if (parts.messages) value.messages = parts.messages;
  if (parts.statuses) value.statuses = parts.statuses;
  return { object: 'whatsapp_business_account', entry: [{ id: ref.wabaId, changes: [{ value, field: 'messages' }] }] };
}

interface FromCustomer {
  /** Customer's WhatsApp id (digits, no "+"); omitted with `hideNumber`. */
  from: string;
  /** The customer's business-scoped user id (sent alongside the number, or alone with `hideNumber`). */
  userId?: string;
  /** A user with a username who hides their number: only `from_user_id` / `user_id` are sent. */
  hideNumber?: boolean;
  profileName?: string;
  /** wamid of this webhook's message; generated when absent. */
  id?: string;
  /** ms since the epoch; defaults to now. */
  at?: number;
}

function customerMessage(
  ref: CloudNumberRef,
  m: FromCustomer,
  type: string,
  extra: Record<string, unknown>,
): CloudWebhookPayload {
  const message: CloudInboundMessage = {
    ...(m.hideNumber ? {} : { from: m.from }),
    ...(m.userId ? { from_user_id: m.userId } : {}),
    id: m.id ?? customerWamid(),
    timestamp: unixSeconds(m.at ?? Date.now()),
    type,
    ...extra,
  };
  const contact: CloudContact = { profile: { name: m.profileName ?? 'Test Customer' } };
  if (!m.hideNumber) contact.wa_id = m.from;
  if (m.userId) contact.user_id = m.userId;
  return cloudEnvelope(ref, { contacts: [contact], messages: [message] });
}

/** A customer's text message; `replyTo` fills `context` (the wamid they replied to). */
export function inboundText(
  ref: CloudNumberRef,
  m: FromCustomer & { body: string; replyTo?: string },
): CloudWebhookPayload {
  const extra: Record<string, unknown> = { text: { body: m.body } };
  if (m.replyTo) extra.context = { from: ref.displayPhoneNumber, id: m.replyTo };
  return customerMessage(ref, m, 'text', extra);
}

/** Coexistence numbers only: the customer deleted one of their own messages. */
export function inboundRevoke(ref: CloudNumberRef, m: FromCustomer & { originalMessageId: string }): CloudWebhookPayload {
  return customerMessage(ref, m, 'revoke', { revoke: { original_message_id: m.originalMessageId } });
}

/** Coexistence numbers only: the customer edited one of their own text messages. */
export function inboundEdit(
  ref: CloudNumberRef,
  m: FromCustomer & { originalMessageId: string; body: string },
): CloudWebhookPayload {
  return customerMessage(ref, m, 'edit', {
    edit: { original_message_id: m.originalMessageId, message: { type: 'text', text: { body: m.body } } },
  });
}

/** A message type the Cloud API cannot pass on (e.g. a poll sent from a new client). */
export function inboundUnsupported(ref: CloudNumberRef, m: FromCustomer): CloudWebhookPayload {
  return customerMessage(ref, m, 'unsupported', {
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: { details: 'This message type is not supported by the Cloud API.' },
      },
    ],
  });
}

/** Any other kind of customer message: `type` and its object, as Meta sends them (§2.4). */
export function inboundOfType(ref: CloudNumberRef, m: FromCustomer & { type: string; body: Record<string, unknown> }): CloudWebhookPayload {
  return customerMessage(ref, m, m.type, m.body);
}

/** A tap on an interactive reply button or list row. */
export function inboundInteractive(
  ref: CloudNumberRef,
  m: FromCustomer & { reply: { kind: 'button_reply' | 'list_reply'; id: string; title: string; description?: string } },
): CloudWebhookPayload {
  const { kind, ...reply } = m.reply;
  return customerMessage(ref, m, 'interactive', { interactive: { type: kind, [kind]: reply } });
}

/** A tap on a template's quick-reply button. */
export function inboundQuickReply(ref: CloudNumberRef, m: FromCustomer & { text: string; payload: string }): CloudWebhookPayload {
  return customerMessage(ref, m, 'button', { button: { text: m.text, payload: m.payload } });
}

/** An image, video, document, audio (voice) or sticker: a media id to fetch, never the bytes. */
export function inboundMedia(
  ref: CloudNumberRef,
  m: FromCustomer & { kind: 'image' | 'video' | 'document' | 'audio' | 'sticker'; mediaId: string; mimeType: string; sha256?: string; caption?: string; filename?: string; voice?: boolean },
): CloudWebhookPayload {
  // Webhooks carry the SHA-256 in base64 (the media endpoint gives it in hex).
  const media: Record<string, unknown> = { id: m.mediaId, mime_type: m.mimeType, sha256: m.sha256 ?? Buffer.from(m.mediaId).toString('base64') };
  if (m.caption !== undefined) media.caption = m.caption;
  if (m.filename !== undefined) media.filename = m.filename;
  if (m.voice !== undefined) media.voice = m.voice;
  return customerMessage(ref, m, m.kind, { [m.kind]: media });
}

/** A reaction to a message; `emoji: ''` takes it back (Meta then leaves `emoji` out). */
export function inboundReaction(ref: CloudNumberRef, m: FromCustomer & { messageId: string; emoji: string }): CloudWebhookPayload {
  return customerMessage(ref, m, 'reaction', { reaction: m.emoji ? { message_id: m.messageId, emoji: m.emoji } : { message_id: m.messageId } });
}

/** A system notice: the customer changed numbers (`new_wa_id`) or their security code changed. */
export function inboundSystem(
  ref: CloudNumberRef,
  m: FromCustomer & { kind: 'customer_changed_number' | 'customer_identity_changed'; body: string; newWaId?: string },
): CloudWebhookPayload {
  const system: Record<string, unknown> = { body: m.body, type: m.kind };
  if (m.newWaId) {
    system.new_wa_id = m.newWaId;
    system.wa_id = m.newWaId;
  }
  return customerMessage(ref, m, 'system', { system });
}

/** Coexistence: the customer edited the caption of one of their media messages. */
export function inboundCaptionEdit(
  ref: CloudNumberRef,
  m: FromCustomer & { originalMessageId: string; kind: 'image' | 'video' | 'document'; caption: string },
): CloudWebhookPayload {
  return customerMessage(ref, m, 'edit', {
    edit: { original_message_id: m.originalMessageId, message: { type: m.kind, [m.kind]: { caption: m.caption } } },
  });
}

/**
 * Coexistence: messages the business sent from the WhatsApp Business app, as a
 * `smb_message_echoes` change (`from` = the business number, `to` = the customer).
 */
export function messageEchoes(
  ref: CloudNumberRef,
  echoes: { to: string; id?: string; at?: number; type: string; body: Record<string, unknown> }[],
): CloudWebhookPayload {
  const message_echoes: CloudInboundMessage[] = echoes.map((e) => ({
    from: ref.displayPhoneNumber.replace(/\D/g, ''),
    to: e.to,
    id: e.id ?? customerWamid(),
    timestamp: unixSeconds(e.at ?? Date.now()),
    type: e.type,
    ...e.body,
  }));
  const value: CloudWebhookValue = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: ref.displayPhoneNumber, phone_number_id: ref.phoneNumberId },
    message_echoes,
  };
  return { object: 'whatsapp_business_account', entry: [{ id: ref.wabaId, changes: [{ value, field: 'smb_message_echoes' }] }] };
}

/** Error objects the fake uses for `failed` statuses. */
export const CLOUD_STATUS_ERRORS = {
  undeliverable: {
    code: 131026,
    title: 'Message undeliverable',
    message: 'Message undeliverable',
    error_data: { details: 'The recipient could not be reached (not on WhatsApp, old client, or blocked).' },
  },
  reEngagement: {
    code: 131047,
    title: 'Re-engagement message',
    message: 'Re-engagement message',
    error_data: { details: 'More than 24 hours have passed since the customer last wrote to this number.' },
  },
  pairRateLimit: {
    code: 131056,
    title: '(Business Account, Consumer Account) pair rate limit hit',
    message: '(Business Account, Consumer Account) pair rate limit hit',
    error_data: { details: 'Too many messages from this business number to the same customer in a short time.' },
  },
} as const satisfies Record<string, CloudWebhookError>;

export interface StatusInput {
  /** wamid of the business message this status is about. */
  id: string;
  status: CloudStatusKind;
  recipientId: string;
  at?: number;
  /** Echo of `biz_opaque_callback_data` given at send time. */
  bizOpaqueCallbackData?: string;
  /** For `failed`; defaults to 131026 undeliverable. */
  errors?: CloudWebhookError[];
  /** Pricing block for sent/delivered/read; `false` leaves it (and `conversation`) out. */
  pricing?: { category: string; type?: string } | false;
}

export function statusUpdate(ref: CloudNumberRef, s: StatusInput): CloudWebhookPayload {
  return cloudEnvelope(ref, { statuses: [statusObject(s)] });
}

export function statusObject(s: StatusInput): CloudStatus {
  const out: CloudStatus = {
    id: s.id,
    status: s.status,
    timestamp: unixSeconds(s.at ?? Date.now()),
    recipient_id: s.recipientId,
  };
  if (s.bizOpaqueCallbackData !== undefined) out.biz_opaque_callback_data = s.bizOpaqueCallbackData;
  if (s.status === 'failed') {
    out.errors = s.errors ?? [CLOUD_STATUS_ERRORS.undeliverable];
    return out;
  }
  if (s.pricing !== false) {
    const category = s.pricing?.category ?? 'service';
    out.conversation = { id: `fakeconv-${s.recipientId}`, origin: { type: category } };
    if (s.status === 'sent') {
      out.conversation.expiration_timestamp = unixSeconds((s.at ?? Date.now()) + 24 * 3_600_000);
    }
    out.pricing = {
      billable: category !== 'service',
      pricing_model: 'PMP',
      category,
      type: s.pricing?.type ?? (category === 'service' ? 'free_customer_service' : 'regular'),
    };
  }
  return out;
}

/** `"sha256=" + hex(HMAC-SHA256(appSecret, rawBody))`, the value of `X-Hub-Signature-256`. */
export function signCloudWebhook(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export interface SendCloudWebhookOptions {
  /** Secret to sign with (the fake's app secret by default when sent through the fake). */
  appSecret: string;
  /** Send these bytes instead of `JSON.stringify(payload)` (e.g. to test whitespace sensitivity). */
  rawBody?: string;
  /** Replace the computed signature header value; `null` omits the header. */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** POSTs a webhook as Meta does: JSON body, `X-Hub-Signature-256` over the exact bytes sent. */
export function sendCloudWebhook(
  targetUrl: string,
  payload: unknown,
  opts: SendCloudWebhookOptions,
): Promise<WebhookDelivery> {
  const rawBody = opts.rawBody ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
    ...opts.headers,
  };
  const signature = opts.signature === undefined ? signCloudWebhook(opts.appSecret, rawBody) : opts.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return postRaw(targetUrl, rawBody, headers);
}

/**
 * Meta's subscription handshake: GET `targetUrl?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.
 * A correct receiver answers 200 with the challenge as the whole body, anything else 403.
 */
export async function verifyCloudSubscription(
  targetUrl: string,
  params: { verifyToken: string; challenge?: string; mode?: string },
): Promise<{ status: number; body: string; challenge: string }> {
  const challenge = params.challenge ?? String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  const url = new URL(targetUrl);
  url.searchParams.set('hub.mode', params.mode ?? 'subscribe');
  url.searchParams.set('hub.verify_token', params.verifyToken);
  url.searchParams.set('hub.challenge', challenge);
  const res = await fetch(url, { headers: { 'user-agent': 'facebookplatform/1.0' } });
  return { status: res.status, body: await res.text(), challenge };
}
