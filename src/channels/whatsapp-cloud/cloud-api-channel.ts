import { type HttpOutcome, headerValue, requestJson } from '../http-client.ts';
import type { OutboundMessage, ProviderChannel, ProviderResult, SentRef } from '../provider-channel.ts';
import type { ProviderError } from '../../contracts/provider-errors.ts';
import { mapCloudApiError } from './cloud-api-errors.ts';
import { fetchCloudMedia, uploadCloudMedia } from './cloud-api-media.ts';

export const CLOUD_DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const CLOUD_DEFAULT_API_VERSION = 'v23.0';

export interface CloudApiSettings {
  apiBaseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs: number;
  /** Customer media larger than this are not downloaded (default 25 MiB). */
  maxMediaDownloadBytes?: number;
}

/**
 * The official WhatsApp Cloud API: send text and template messages. It cannot delete or edit a
 * sent message, so this adapter has no `revoke` or `edit` (the hold window is the only unsend).
 * Our idempotency key travels in `biz_opaque_callback_data`, which Meta echoes on every status.
 */
export function cloudApiChannel(settings: CloudApiSettings): ProviderChannel {
  const graphUrl = `${settings.apiBaseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;
  const endpoint = `${graphUrl}/${encodeURIComponent(settings.phoneNumberId)}/messages`;
  const media = {
    graphUrl,
    phoneNumberId: settings.phoneNumberId,
    accessToken: settings.accessToken,
    timeoutMs: settings.timeoutMs,
    maxDownloadBytes: settings.maxMediaDownloadBytes ?? 25 * 1024 * 1024,
  };
  return {
    async send(message: OutboundMessage): Promise<ProviderResult<SentRef>> {
      // An attachment is uploaded first (each attempt: an upload whose send failed is not reused).
      let mediaId: string | null = null;
      if (message.media) {
        const uploaded = await uploadCloudMedia(media, message.media);
        if (!uploaded.ok) return uploaded;
        mediaId = uploaded.value;
      }
      const outcome = await requestJson({
        method: 'POST',
        url: endpoint,
        headers: { authorization: `Bearer ${settings.accessToken}` },
        body: cloudMessageBody(message, mediaId),
        timeoutMs: settings.timeoutMs,
      });
      return readSendOutcome(outcome);
    },
    fetchMedia: (mediaId, expectedSha256) => fetchCloudMedia(media, mediaId, expectedSha256),
  };
}

function cloudMessageBody(message: OutboundMessage, mediaId: string | null): Record<string, unknown> {
  // A customer who hides their number is addressed by their business-scoped user id (`recipient`).
  const address = message.to || !message.bsuid ? { to: message.to.replace(/^\+/, '') } : { recipient: message.bsuid };
  const common = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...address,
    biz_opaque_callback_data: message.idempotencyKey,
    // A reply: the customer's app shows the quoted message above this one.
    ...(message.quoted ? { context: { message_id: message.quoted.providerMessageId } } : {}),
  };
  if (message.template) {
    const parameters = message.template.parameters.map((text) => ({ type: 'text', text }));
    return {
      ...common,
      type: 'template',
      template: {
        name: message.template.name,
        language: { code: message.template.language },
        components: parameters.length > 0 ? [{ type: 'body', parameters }] : [],
      },
    };
  }
  if (message.media && mediaId) {
    const caption = message.text ? { caption: message.text } : {};
    if (message.media.kind === 'image') return { ...common, type: 'image', image: { id: mediaId, ...caption } };
    const filename = message.media.filename ? { filename: message.media.filename } : {};
    return { ...common, type: 'document', document: { id: mediaId, ...caption, ...filename } };
  }
  return { ...common, type: 'text', text: { preview_url: false, body: message.text } };
}

function readSendOutcome(outcome: HttpOutcome): ProviderResult<SentRef> {
  if ('network' in outcome) return { ok: false, error: networkError(outcome.network, outcome.detail) };
  const { status, json, headers } = outcome.answer;
  if (status >= 200 && status < 300) {
    const id = (json as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    if (typeof id === 'string' && id.length > 0) return { ok: true, value: { providerMessageId: id } };
    return { ok: false, error: { code: 'rejected', retryable: false, providerMessage: 'answer without a message id' } };
  }
  return { ok: false, error: mapCloudApiError(status, json, headerValue(headers, 'retry-after')) };
}

export function networkError(kind: 'timeout' | 'connection', detail: string): ProviderError {
  return { code: kind === 'timeout' ? 'timeout' : 'provider_unavailable', retryable: true, providerMessage: detail };
}
