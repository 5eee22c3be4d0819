import type { ProviderStatus } from '../domain/message-lifecycle.ts';
import type { ProviderErrorCode } from '../contracts/provider-errors.ts';
import type { ContactIdentity } from '../domain/contact-identity.ts';
import type { ContentType, MessageContent } from '../domain/inbound-content.ts';

/**
 * What a provider's webhook told us, in our own terms. Parsers (one per provider) produce these;
 * the ingest command applies them. `dedupeKey` identifies the fact itself, so the same delivery
 * received twice changes nothing the second time.
 */
export interface ProviderErrorDetail {
  code: string;
  title?: string;
  message?: string;
  details?: string;
}

export type ProviderEvent =
  | {
      kind: 'status';
      dedupeKey: string;
      providerMessageId: string;
      status: ProviderStatus;
      /** Our idempotency key echoed back (Cloud API `biz_opaque_callback_data`). */
      callbackKey?: string | undefined;
      at: Date;
      errors: ProviderErrorDetail[];
      /** For `failed`: the neutral code agents see. */
      failureCode?: ProviderErrorCode | undefined;
    }
  | InboundEvent
  | {
      /** A message the business sent from its own WhatsApp Business app (Coexistence echoes, a gateway's linked phone). */
      kind: 'echo';
      dedupeKey: string;
      providerMessageId: string;
      /** The customer it went to. */
      to: ContactIdentity;
      contentType: ContentType;
      content?: MessageContent | undefined;
      text: string;
      at: Date;
      chatId?: string | undefined;
    }
  | {
      /** A reaction to a message (ours or the customer's); an empty emoji takes it back. */
      kind: 'reaction';
      dedupeKey: string;
      providerMessageId: string;
      emoji: string;
      from: ContactIdentity;
      at: Date;
    }
  | {
      kind: 'system';
      dedupeKey: string;
      providerMessageId: string;
      /** The contact it is about (before a number change). */
      identity: ContactIdentity;
      /** After a number change: who they are now. */
      newIdentity?: ContactIdentity | undefined;
      content: Extract<MessageContent, { type: 'system' }>;
      text: string;
      at: Date;
    }
  | {
      kind: 'customer_deleted';
      dedupeKey: string;
      providerMessageId: string;
      at: Date;
      /** Who deleted: the customer (default), the business from its phone app, or "whoever sent it" (matched by id). */
      side?: DeleteSide | undefined;
    }
  | {
      kind: 'customer_edited';
      dedupeKey: string;
      providerMessageId: string;
      /** The new text, or the new caption of a media message. */
      text: string;
      at: Date;
      side?: DeleteSide | undefined;
    };

export type DeleteSide = 'customer' | 'business' | 'sender';

export interface InboundEvent {
  kind: 'inbound';
  dedupeKey: string;
  providerMessageId: string;
  /** The customer's number in E.164 (older stored events; new ones carry `identity`). */
  from?: string | undefined;
  identity?: ContactIdentity | undefined;
  profileName?: string | undefined;
  contentType: ContentType;
  content?: MessageContent | undefined;
  text: string;
  at: Date;
  /** The provider's own reason when it could not pass the content on. */
  errors: ProviderErrorDetail[];
  chatId?: string | undefined;
}

/** Who sent an inbound event (older stored events carry only `from`). */
export function identityOf(event: Pick<InboundEvent, 'from' | 'identity'>): ContactIdentity {
  return event.identity ?? (event.from ? { phone: event.from } : {});
}

/** An event we understood but do not act on (another event type, our own echo): logged and counted. */
export interface IgnoredEvent {
  reason: string;
  detail?: string;
}

export interface ParsedWebhook {
  events: ProviderEvent[];
  ignored: IgnoredEvent[];
}

/** Provider timestamps are seconds (sometimes as strings); absurd ones fall back to `now`. */
export function providerTime(value: unknown, now: Date, unit: 'seconds' | 'milliseconds' = 'seconds'): Date {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return now;
  const at = new Date(unit === 'seconds' ? n * 1000 : n);
  return Number.isNaN(at.getTime()) ? now : at;
}

/** WhatsApp ids are digits; we keep numbers in E.164. */
export function e164FromDigits(value: string): string | null {
  const digits = value.replace(/@.*$/, '').replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? `+${digits}` : null;
}
