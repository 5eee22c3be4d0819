import { z } from 'zod';
import type { ProviderStatus } from '../../domain/message-lifecycle.ts';
import { e164FromDigits, type IgnoredEvent, type ParsedWebhook, type ProviderEvent, providerTime } from '../provider-events.ts';

/**
 * Evolution API v2 webhooks (docs/whatsapp-contracts.md §4): `messages.upsert` (new messages),
 * `messages.update` (acks of ours), `messages.delete` (two shapes across releases) and
 * `messages.edited`. Other events may be enabled on the instance: understood, ignored.
 */
export const evolutionEnvelopeSchema = z
  .object({
    event: z.string().min(1).max(100),
    instance: z.string().max(200).optional(),
    data: z.unknown(),
    apikey: z.string().max(2_000).optional(),
  })
  .passthrough();

export type EvolutionEnvelope = z.infer<typeof evolutionEnvelopeSchema>;

const keySchema = z.object({ remoteJid: z.string().max(200), fromMe: z.boolean().optional(), id: z.string().min(1).max(300) }).passthrough();

const messageContent = z
  .object({
    conversation: z.string().optional(),
    extendedTextMessage: z.object({ text: z.string() }).passthrough().optional(),
  })
  .passthrough();

const upsertSchema = z
  .object({
    key: keySchema,
    pushName: z.string().max(200).nullish(),
    message: messageContent.nullish(),
    messageType: z.string().max(100).optional(),
    messageTimestamp: z.union([z.number(), z.string()]).optional(),
  })
  .passthrough();

const updateSchema = z
  .object({ keyId: z.string().min(1).max(300), remoteJid: z.string().max(200).optional(), fromMe: z.boolean().optional(), status: z.string() })
  .passthrough();

const editedSchema = z
  .object({ key: keySchema, editedMessage: messageContent.optional(), timestampMs: z.union([z.number(), z.string()]).optional() })
  .passthrough();

const ACKS: Record<string, ProviderStatus> = {
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  ERROR: 'failed',
};

const MAX_TEXT = 65_536;
const isGroup = (jid: string) => jid.endsWith('@g.us');

function textOf(content: z.infer<typeof messageContent> | null | undefined): string | null {
  if (!content) return null;
  return content.conversation ?? content.extendedTextMessage?.text ?? null;
}

export function parseEvolutionWebhook(envelope: EvolutionEnvelope, now: Date): ParsedWebhook {
  const events: ProviderEvent[] = [];
  const ignored: IgnoredEvent[] = [];
  // "Webhook by events" and older releases spell events in upper snake case.
  const event = envelope.event.toLowerCase().replace(/_/g, '.');
  const data = envelope.data;

  if (event === 'messages.upsert') {
    // Some releases send a list of messages.
    const items = Array.isArray(data) ? data : [data];
    for (const item of items.slice(0, 1_000)) {
      const m = upsertSchema.safeParse(item);
      if (!m.success) {
        ignored.push({ reason: 'malformed_message' });
        continue;
      }
      const { key } = m.data;
      if (key.fromMe) {
        // Our own sends echoed back, or typed on the linked phone: acks tell us what we need.
        ignored.push({ reason: 'own_message', detail: key.id });
        continue;
      }
      if (isGroup(key.remoteJid)) {
        ignored.push({ reason: 'group_message', detail: key.remoteJid });
        continue;
      }
      const from = e164FromDigits(key.remoteJid);
      if (!from) {
        ignored.push({ reason: 'bad_sender', detail: key.remoteJid.slice(0, 100) });
        continue;
      }
      const text = textOf(m.data.message);
      events.push({
        kind: 'inbound',
        dedupeKey: `in:${key.id}`,
        providerMessageId: key.id,
        from,
        profileName: m.data.pushName ?? undefined,
        contentType: text === null ? 'unsupported' : 'text',
        text: (text ?? '').slice(0, MAX_TEXT),
        at: providerTime(m.data.messageTimestamp, now),
        errors: text === null ? [{ code: 'type_not_shown', title: `message type "${(m.data.messageType ?? 'unknown').slice(0, 40)}" is not shown by Errata` }] : [],
        chatId: key.remoteJid,
      });
    }
  } else if (event === 'messages.update') {
    const items = Array.isArray(data) ? data : [data];
    for (const item of items.slice(0, 1_000)) {
      const u = updateSchema.safeParse(item);
      if (!u.success) {
        ignored.push({ reason: 'malformed_status' });
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
    // Bare key, or `{ key, status: "DELETED" }`.
    const wrapped = z.object({ key: keySchema }).passthrough().safeParse(data);
    const bare = keySchema.safeParse(data);
    const key = wrapped.success ? wrapped.data.key : bare.success ? bare.data : null;
    if (!key) ignored.push({ reason: 'malformed_delete' });
    else if (key.fromMe) ignored.push({ reason: 'own_delete', detail: key.id });
    else events.push({ kind: 'customer_deleted', dedupeKey: `revoke:${key.id}`, providerMessageId: key.id, at: now });
  } else if (event === 'messages.edited') {
    const e = editedSchema.safeParse(data);
    const text = e.success ? textOf(e.data.editedMessage) : null;
    if (!e.success || text === null) ignored.push({ reason: 'malformed_edit' });
    else if (e.data.key.fromMe) ignored.push({ reason: 'own_edit', detail: e.data.key.id });
    else {
      const at = providerTime(e.data.timestampMs, now, 'milliseconds');
      events.push({
        kind: 'customer_edited',
        dedupeKey: `edit:${e.data.key.id}:${at.getTime()}`,
        providerMessageId: e.data.key.id,
        text: text.slice(0, MAX_TEXT),
        at,
      });
    }
  } else {
    ignored.push({ reason: 'unknown_event', detail: event.slice(0, 100) });
  }
  return { events, ignored };
}
