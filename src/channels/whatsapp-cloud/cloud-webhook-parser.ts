import { z } from 'zod';
import type { ProviderStatus } from '../../domain/message-lifecycle.ts';
import { mapCloudApiError } from './cloud-api-errors.ts';
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
      if (change.field !== undefined && change.field !== 'messages') {
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
    from: z.string().min(1).max(40),
    id: z.string().min(1).max(300),
    timestamp: z.union([z.string(), z.number()]).optional(),
    type: z.string(),
    text: z.object({ body: z.string() }).passthrough().optional(),
    revoke: z.object({ original_message_id: z.string().min(1).max(300) }).passthrough().optional(),
    edit: z
      .object({
        original_message_id: z.string().min(1).max(300),
        message: z.object({ type: z.string().optional(), text: z.object({ body: z.string() }).passthrough().optional() }).passthrough().optional(),
      })
      .passthrough()
      .optional(),
    errors: z.array(errorSchema).max(20).optional(),
  })
  .passthrough();

const contactSchema = z.object({ wa_id: z.string(), profile: z.object({ name: z.string().max(200) }).partial().optional() }).passthrough();

const STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'failed']);
const MAX_TEXT = 65_536;

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

/** Turns one change into provider events. */
export function parseCloudChange(change: CloudChange, now: Date): { events: ProviderEvent[]; ignored: IgnoredEvent[] } {
  const events: ProviderEvent[] = [];
  const ignored: IgnoredEvent[] = [];
  const names = new Map<string, string>();
  for (const raw of change.value.contacts ?? []) {
    const c = contactSchema.safeParse(raw);
    if (c.success && c.data.profile?.name) names.set(c.data.wa_id, c.data.profile.name);
  }

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
    const msg = m.data;
    const from = e164FromDigits(msg.from);
    if (!from) {
      ignored.push({ reason: 'bad_sender', detail: msg.from.slice(0, 40) });
      continue;
    }
    const at = providerTime(msg.timestamp, now);
    if (msg.type === 'revoke' && msg.revoke) {
      events.push({ kind: 'customer_deleted', dedupeKey: `revoke:${msg.id}`, providerMessageId: msg.revoke.original_message_id, at });
    } else if (msg.type === 'edit' && msg.edit?.message?.text) {
      events.push({
        kind: 'customer_edited',
        dedupeKey: `edit:${msg.id}`,
        providerMessageId: msg.edit.original_message_id,
        text: msg.edit.message.text.body.slice(0, MAX_TEXT),
        at,
      });
    } else if (msg.type === 'text' && msg.text) {
      events.push({
        kind: 'inbound',
        dedupeKey: `in:${msg.id}`,
        providerMessageId: msg.id,
        from,
        profileName: names.get(msg.from),
        contentType: 'text',
        text: msg.text.body.slice(0, MAX_TEXT),
        at,
        errors: [],
      });
    } else {
      // `unsupported` (or the older `unknown`), and every type Errata does not show yet (images,
      // locations…): kept as a placeholder with the provider's reason, so nothing the customer
      // sent disappears silently.
      events.push({
        kind: 'inbound',
        dedupeKey: `in:${msg.id}`,
        providerMessageId: msg.id,
        from,
        profileName: names.get(msg.from),
        contentType: 'unsupported',
        text: '',
        at,
        errors:
          msg.errors && msg.errors.length > 0
            ? errorsOf(msg.errors)
            : [{ code: 'type_not_shown', title: `message type "${msg.type.slice(0, 40)}" is not shown by Errata` }],
      });
    }
  }
  return { events, ignored };
}
