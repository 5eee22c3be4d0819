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

export interface CloudContact {
  profile: { name: string };
  wa_id: string;
}

export interface CloudWebhookError {
  code: number;
  title: string;
  message: string;
  error_data?: { details: string };
  href?: string;
}

export type CloudInboundMessage = {
  from: string;
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
}

export interface CloudWebhookPayload {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ value: CloudWebhookValue; field: 'messages' }> }>;
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
  /** Customer's WhatsApp id (digits, no "+"). */
  from: string;
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
    from: m.from,
    id: m.id ?? customerWamid(),
    timestamp: unixSeconds(m.at ?? Date.now()),
    type,
    ...extra,
  };
  return cloudEnvelope(ref, {
    contacts: [{ profile: { name: m.profileName ?? 'Test Customer' }, wa_id: m.from }],
    messages: [message],
  });
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
