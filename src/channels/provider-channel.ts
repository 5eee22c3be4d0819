import type { ProviderError } from '../contracts/provider-errors.ts';

/**
 * What Errata asks of a real WhatsApp provider. Each adapter (Cloud API, Evolution API) turns
 * these calls into its provider's HTTP requests and maps every failure to a neutral
 * `ProviderError`; nothing above this interface knows a provider's error codes.
 */
export interface OutboundMessage {
  /** Stable across attempts: the provider echoes it on statuses (Cloud API) so duplicates are recognisable. */
  idempotencyKey: string;
  /** The customer's number in E.164; empty when they hide it (then `bsuid` or `lid` is the address). */
  to: string;
  /** Cloud API: the business-scoped user id, used when there is no number (`recipient`). */
  bsuid?: string | null | undefined;
  /** Evolution: the customer's `…@lid` JID, used when there is no number. */
  lid?: string | null | undefined;
  text: string;
  template?: { name: string; language: string; parameters: readonly string[] } | null;
  /** An image or document to send, `text` being its caption (empty: none). */
  media?: OutboundMedia | null;
  /** The earlier message this one quotes (a WhatsApp reply): its provider id, text, and whether we sent it. */
  quoted?: { providerMessageId: string; text: string; fromMe: boolean } | null;
}

export interface OutboundMedia {
  kind: 'image' | 'document';
  mimeType: string;
  filename?: string | undefined;
  sha256: string;
  /** The bytes, read when the adapter needs them (not before the rate limiter let the send through). */
  load(): Promise<Buffer>;
}

/** Media a customer sent that the provider keeps (Cloud API: by id), once downloaded and checked. */
export interface FetchedMedia {
  bytes: Buffer;
  mimeType: string | null;
}

export interface SentRef {
  providerMessageId: string;
  /** The provider's conversation handle (Evolution remoteJid), when it has one. */
  chatId?: string;
}

export type ProviderResult<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

export interface ProviderMessageRef {
  providerMessageId: string;
  chatId: string | null;
  /** The customer's number in E.164. */
  to: string;
}

export interface ProviderChannel {
  send(message: OutboundMessage): Promise<ProviderResult<SentRef>>;
  /** Delete for everyone; only on providers that can (the answer is a request sent, never proof). */
  revoke?(ref: ProviderMessageRef): Promise<ProviderResult<{ requestId: string | null }>>;
  edit?(ref: ProviderMessageRef, text: string): Promise<ProviderResult<{ requestId: string | null }>>;
  /**
   * Downloads media the provider keeps for us (Cloud API), checked against the SHA-256 the webhook
   * gave (`checksum_mismatch` otherwise). Providers that send the bytes inline have no such call.
   */
  fetchMedia?(mediaId: string, expectedSha256: string | null): Promise<ProviderResult<FetchedMedia>>;
}
