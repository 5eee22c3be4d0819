import { z } from 'zod';
import type { ProviderStatus } from '../../domain/message-lifecycle.ts';
import { mapCloudApiError } from './cloud-api-errors.ts';
import { type ContactIdentity, hasIdentity } from '../../domain/contact-identity.ts';
import { type ContentType, isMediaType, type MessageContent, type SharedContact } from '../../domain/inbound-content.ts';
import {
  e164FromDigits,
  type IgnoredEvent,
  type ProviderErrorDetail,
  type ProviderEvent,
  providerTime,
} from '../provider-events.ts';

/**
 * The Cloud API `messages` webhook (docs/whatsapp-contracts.md §2). The envelope is validated
 * strictly enough to route it; inside, anything we do not know is ignored (and reported), never
 * a reason to refuse the whole delivery, since Meta would send it again for days.
 */
const errorSchema = z
  .object({
    code: z.union([z.number(), z.string()]),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

const valueSchema = z
  .object({
    metadata: z.object({ phone_number_id: z.string().min(1).max(64) }).passthrough(),
    contacts: z.array(z.unknown()).max(1_000).optional(),
    messages: z.array(z.unknown()).max(1_000).optional(),
    statuses: z.array(z.unknown()).max(1_000).optional(),
    /** `smb_message_echoes`: what the business sent from the WhatsApp Business app (Coexistence). */
    message_echoes: z.array(z.unknown()).max(1_000).optional(),
  })
  .passthrough();

export const cloudEnvelopeSchema = z
  .object({
    object: z.string(),
    entry: z
      .array(
        z
          .object({
            changes: z.array(z.object({ field: z.string().optional(), value: z.unknown() }).passthrough()).max(100),
          })
          .passthrough(),
      )
      .max(100),
  })
  .passthrough();

export type CloudEnvelope = z.infer<typeof cloudEnvelopeSchema>;

export interface CloudChange {
  phoneNumberId: string;
  value: z.infer<typeof valueSchema>;
}

/** The changes of a delivery, each with the business number it is about. */
export function cloudChanges(envelope: CloudEnvelope): { changes: CloudChange[]; ignored: IgnoredEvent[] } {
  const changes: CloudChange[] = [];
  const ignored: IgnoredEvent[] = [];
  if (envelope.object !== 'whatsapp_business_account') {
    ignored.push({ reason: 'unknown_object', detail: envelope.object.slice(0, 100) });
    return { changes, ignored };
  }
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== 'messages' && change.field !== 'smb_message_echoes') {
        ignored.push({ reason: 'unknown_field', detail: String(change.field).slice(0, 100) });
        continue;
      }
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        ignored.push({ reason: 'malformed_change' });
        continue;
      }
      changes.push({ phoneNumberId: value.data.metadata.phone_number_id, value: value.data });
    }
  }
  return { changes, ignored };
}

const statusSchema = z
  .object({
    id: z.string().min(1).max(300),
    status: z.string(),
    timestamp: z.union([z.string(), z.number()]).optional(),
    biz_opaque_callback_data: z.string().max(512).optional(),
    errors: z.array(errorSchema).max(20).optional(),
  })
  .passthrough();

const inboundSchema = z
  .object({
    /** The customer's number; absent for users who hide it behind a username. */
    from: z.string().min(1).max(40).optional(),
    /** The customer's business-scoped user id (BSUID). */
    from_user_id: z.string().min(1).max(200).optional(),
    /** Echoes (`smb_message_echoes`): the customer the business wrote to. */
    to: z.string().min(1).max(40).optional(),
    to_user_id: z.string().min(1).max(200).optional(),
    id: z.string().min(1).max(300),
    timestamp: z.union([z.string(), z.number()]).optional(),
    type: z.string().max(60),
    errors: z.array(errorSchema).max(20).optional(),
  })
  .passthrough();
type CloudMessage = z.infer<typeof inboundSchema>;

const contactSchema = z
  .object({
    wa_id: z.string().max(40).optional(),
    user_id: z.string().max(200).optional(),
    profile: z.object({ name: z.string().max(200), username: z.string().max(200) }).partial().optional(),
  })
  .passthrough();

const STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'failed']);
const MAX_TEXT = 65_536;
const str = (v: unknown, max = 1_000): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const compact = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function errorsOf(list: z.infer<typeof errorSchema>[] | undefined): ProviderErrorDetail[] {
  return (list ?? []).map((e) => ({
    code: String(e.code),
    ...(e.title ? { title: e.title.slice(0, 300) } : {}),
    ...(e.message ? { message: e.message.slice(0, 500) } : {}),
    ...(e.error_data?.details ? { details: e.error_data.details.slice(0, 1_000) } : {}),
  }));
}

/** A `failed` status's first error, in our neutral vocabulary (e.g. 131047 → outside_service_window). */
function failureCodeOf(errors: z.infer<typeof errorSchema>[] | undefined) {
  const first = errors?.[0];
  if (!first) return 'rejected' as const;
  return mapCloudApiError(400, { error: { code: Number(first.code), message: first.title } }, null).code;
}

interface Content {
  contentType: ContentType;
  content?: MessageContent;
  text: string;
}

/**
 * The typed content of a Cloud API message object (inbound, echo, or an edit's inner message);
 * null for kinds that are not content (reactions, system notices, revokes, edits, unsupported).
 */
export function cloudContent(type: string, message: Record<string, unknown>): Content | null {
  const body = obj(message[type]);
  if (type === 'text') return { contentType: 'text', text: (str(body.body, MAX_TEXT) ?? '').slice(0, MAX_TEXT) };
  if (type === 'interactive') {
    const kind = str(body.type);
    if (kind === 'button_reply' || kind === 'list_reply') {
      const reply = obj(body[kind]);
      const title = str(reply.title, 1_000) ?? '';
      return {
        contentType: 'interactive_reply',
        content: compact({ type: 'interactive_reply' as const, replyKind: kind === 'button_reply' ? ('button' as const) : ('list' as const), id: str(reply.id, 512), title, description: str(reply.description) }),
        text: title,
      };
    }
    if (kind === 'nfm_reply') {
      const reply = obj(body.nfm_reply);
      const title = str(reply.body, 1_000) ?? str(reply.name) ?? '';
      return {
        contentType: 'interactive_reply',
        content: compact({ type: 'interactive_reply' as const, replyKind: 'flow' as const, id: str(reply.name), title, payload: str(reply.response_json, 10_000) }),
        text: title,
      };
    }
    return null;
  }
  if (type === 'button') {
    const title = str(body.text, 1_000) ?? '';
    return {
      contentType: 'interactive_reply',
      content: compact({ type: 'interactive_reply' as const, replyKind: 'quick_reply' as const, title, payload: str(body.payload, 1_000) }),
      text: title,
    };
  }
  if (isMediaType(type)) {
    const caption = str(body.caption, MAX_TEXT);
    return {
      contentType: type,
      content: compact({
        type,
        mediaId: str(body.id, 300),
        mimeType: str(body.mime_type, 200),
        sha256: str(body.sha256, 200),
        caption,
        filename: str(body.filename, 500),
        voice: typeof body.voice === 'boolean' ? body.voice : undefined,
        animated: typeof body.animated === 'boolean' ? body.animated : undefined,
      }),
      text: caption ?? str(body.filename, 500) ?? '',
    };
  }
  if (type === 'location') {
    const latitude = num(body.latitude);
    const longitude = num(body.longitude);
    if (latitude === undefined || longitude === undefined) return null;
    const name = str(body.name, 500);
    const address = str(body.address, 1_000);
    return {
      contentType: 'location',
      content: compact({ type: 'location' as const, latitude, longitude, name, address, url: str(body.url, 1_000) }),
      text: [name, address].filter(Boolean).join(', '),
    };
  }
  if (type === 'contacts') {
    const list = Array.isArray(message.contacts) ? message.contacts.slice(0, 50) : [];
    const contacts: SharedContact[] = list.map((raw) => {
      const c = obj(raw);
      const name = obj(c.name);
      return compact({
        name: str(name.formatted_name, 300) ?? [str(name.first_name), str(name.last_name)].filter(Boolean).join(' '),
        phones: (Array.isArray(c.phones) ? c.phones : []).slice(0, 20).map((p) => compact({ phone: str(obj(p).phone, 60) ?? '', waId: str(obj(p).wa_id, 40), type: str(obj(p).type, 40) })),
        emails: (Array.isArray(c.emails) ? c.emails : []).slice(0, 20).map((e) => str(obj(e).email, 300) ?? '').filter(Boolean),
        organization: str(obj(c.org).company, 300),
      });
    });
    return { contentType: 'contacts', content: { type: 'contacts', contacts }, text: contacts.map((c) => c.name).join(', ') };
  }
  if (type === 'order') {
    const items = (Array.isArray(body.product_items) ? body.product_items : []).slice(0, 200).map((raw) => {
      const i = obj(raw);
      return compact({ productId: str(i.product_retailer_id, 300) ?? '', quantity: num(i.quantity) ?? 1, price: num(i.item_price), currency: str(i.currency, 10) });
    });
    const text = str(body.text, 4_096);
    return { contentType: 'order', content: compact({ type: 'order' as const, catalogId: str(body.catalog_id, 100), text, items }), text: text ?? '' };
  }
  return null;
}

/** Identities named in `contacts[]`: phone ↔ BSUID pairs and profile names. */
function contactIndex(raw: readonly unknown[] | undefined) {
  const entries: { phone?: string; bsuid?: string; name?: string }[] = [];
  for (const item of raw ?? []) {
    const c = contactSchema.safeParse(item);
    if (!c.success) continue;
    entries.push(
      compact({
        phone: c.data.wa_id ? (e164FromDigits(c.data.wa_id) ?? undefined) : undefined,
        bsuid: str(c.data.user_id, 200),
        name: str(c.data.profile?.name, 200) ?? str(c.data.profile?.username, 200),
      }),
    );
  }
  return entries;
}

function identityFrom(phoneDigits: string | undefined, userId: string | undefined, contacts: ReturnType<typeof contactIndex>) {
  const phone = phoneDigits ? (e164FromDigits(phoneDigits) ?? undefined) : undefined;
  const entry = contacts.find((c) => (phone && c.phone === phone) || (userId && c.bsuid === userId)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const identity: ContactIdentity = compact({ phone: phone ?? entry?.phone, bsuid: userId ?? entry?.bsuid });
  return { identity, name: entry?.name };
}

const SYSTEM_KINDS: Record<string, 'number_changed' | 'identity_changed'> = {
  customer_changed_number: 'number_changed',
  user_changed_number: 'number_changed',
  customer_identity_changed: 'identity_changed',
  user_identity_changed: 'identity_changed',
};

/** Turns one change into provider events. */
export function parseCloudChange(change: CloudChange, now: Date): { events: ProviderEvent[]; ignored: IgnoredEvent[] } {
  const events: ProviderEvent[] = [];
  const ignored: IgnoredEvent[] = [];
  const contacts = contactIndex(change.value.contacts);

  for (const raw of change.value.statuses ?? []) {
    const s = statusSchema.safeParse(raw);
    if (!s.success) {
      ignored.push({ reason: 'malformed_status' });
      continue;
    }
    if (!STATUSES.has(s.data.status)) {
      ignored.push({ reason: 'unknown_status', detail: s.data.status.slice(0, 50) });
      continue;
    }
    events.push({
      kind: 'status',
      dedupeKey: `status:${s.data.id}:${s.data.status}`,
      providerMessageId: s.data.id,
      status: s.data.status as ProviderStatus,
      callbackKey: s.data.biz_opaque_callback_data,
      at: providerTime(s.data.timestamp, now),
      errors: errorsOf(s.data.errors),
      ...(s.data.status === 'failed' ? { failureCode: failureCodeOf(s.data.errors) } : {}),
    });
  }

  for (const raw of change.value.messages ?? []) {
    const m = inboundSchema.safeParse(raw);
    if (!m.success) {
      ignored.push({ reason: 'malformed_message' });
      continue;
    }
    const { identity, name } = identityFrom(m.data.from, m.data.from_user_id, contacts);
    if (!hasIdentity(identity)) {
      ignored.push({ reason: 'bad_sender', detail: String(m.data.from ?? m.data.from_user_id ?? '').slice(0, 40) });
      continue;
    }
    events.push(...customerEvents(m.data, identity, name, now));
  }

  for (const raw of change.value.message_echoes ?? []) {
    const m = inboundSchema.safeParse(raw);
    if (!m.success) {
      ignored.push({ reason: 'malformed_echo' });
      continue;
    }
    const { identity } = identityFrom(m.data.to, m.data.to_user_id, contacts);
    const echo = echoEvent(m.data, identity, now);
    if (echo) events.push(echo);
    else ignored.push({ reason: 'unknown_echo', detail: m.data.type.slice(0, 40) });
  }
  return { events, ignored };
}

function customerEvents(msg: CloudMessage, identity: ContactIdentity, profileName: string | undefined, now: Date): ProviderEvent[] {
  const at = providerTime(msg.timestamp, now);
  const body = obj(msg[msg.type]);
  if (msg.type === 'revoke') {
    const original = str(body.original_message_id, 300);
    return original ? [{ kind: 'customer_deleted', dedupeKey: `revoke:${msg.id}`, providerMessageId: original, at }] : [];
  }
  if (msg.type === 'edit') {
    const edit = editOf(body);
    if (edit) return [{ kind: 'customer_edited', dedupeKey: `edit:${msg.id}`, providerMessageId: edit.original, text: edit.text, at }];
  }
  if (msg.type === 'reaction') {
    const target = str(body.message_id, 300);
    if (target) return [{ kind: 'reaction', dedupeKey: `reaction:${msg.id}`, providerMessageId: target, emoji: str(body.emoji, 50) ?? '', from: identity, at }];
  }
  if (msg.type === 'system') {
    const systemKind = SYSTEM_KINDS[str(body.type, 60) ?? ''] ?? 'other';
    const newDigits = str(body.new_wa_id, 40) ?? (systemKind === 'number_changed' ? str(body.wa_id, 40) : undefined);
    const newPhone = newDigits ? (e164FromDigits(newDigits) ?? undefined) : undefined;
    const text = str(body.body, 2_000) ?? '';
    const newUserId = str(body.new_user_id, 200) ?? (systemKind === 'number_changed' ? str(body.user_id, 200) : undefined);
    return [
      {
        kind: 'system',
        dedupeKey: `system:${msg.id}`,
        providerMessageId: msg.id,
        identity,
        ...(newPhone || newUserId ? { newIdentity: compact({ phone: newPhone, bsuid: newUserId }) } : {}),
        content: compact({ type: 'system' as const, systemKind, body: text, oldPhone: identity.phone, newPhone }),
        text,
        at,
      },
    ];
  }
  const content = cloudContent(msg.type, msg);
  const inbound = { kind: 'inbound' as const, dedupeKey: `in:${msg.id}`, providerMessageId: msg.id, identity, profileName, at };
  if (content) return [{ ...inbound, ...content, errors: [] }];
  // `unsupported` (or the older `unknown`), and any type Errata does not know yet: kept as a
  // placeholder with the provider's reason, so nothing the customer sent disappears silently.
  return [
    {
      ...inbound,
      contentType: 'unsupported',
      text: '',
      errors:
        msg.errors && msg.errors.length > 0
          ? errorsOf(msg.errors)
          : [{ code: 'type_not_shown', title: `message type "${msg.type.slice(0, 40)}" is not shown by Errata` }],
    },
  ];
}

/** An edit's target and new text — the body of a text, or the caption of a media message. */
function editOf(body: Record<string, unknown>): { original: string; text: string } | null {
  const original = str(body.original_message_id, 300);
  const inner = obj(body.message);
  const type = str(inner.type) ?? (inner.text ? 'text' : Object.keys(inner).find((k) => isMediaType(k)));
  if (!original || !type) return null;
  const part = obj(inner[type]);
  const text = type === 'text' ? str(part.body, MAX_TEXT) : str(part.caption, MAX_TEXT);
  return text === undefined ? null : { original, text };
}

/** A message the business sent from the WhatsApp Business app on a Coexistence number. */
function echoEvent(msg: CloudMessage, to: ContactIdentity, now: Date): ProviderEvent | null {
  const at = providerTime(msg.timestamp, now);
  const body = obj(msg[msg.type]);
  if (msg.type === 'revoke') {
    const original = str(body.original_message_id, 300);
    return original ? { kind: 'customer_deleted', side: 'business', dedupeKey: `echo-revoke:${msg.id}`, providerMessageId: original, at } : null;
  }
  if (msg.type === 'edit') {
    const edit = editOf(body);
    return edit ? { kind: 'customer_edited', side: 'business', dedupeKey: `echo-edit:${msg.id}`, providerMessageId: edit.original, text: edit.text, at } : null;
  }
  if (msg.type === 'reaction' || !hasIdentity(to)) return null;
  const content = cloudContent(msg.type, msg) ?? { contentType: 'unsupported' as const, text: '' };
  return { kind: 'echo', dedupeKey: `echo:${msg.id}`, providerMessageId: msg.id, to, ...content, at };
}
