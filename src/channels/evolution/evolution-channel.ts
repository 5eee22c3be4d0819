import { type HttpOutcome, headerValue, requestJson } from '../http-client.ts';
import type { OutboundMessage, ProviderChannel, ProviderMessageRef, ProviderResult, SentRef } from '../provider-channel.ts';
import { networkError } from '../whatsapp-cloud/cloud-api-channel.ts';
import { mapEvolutionError } from './evolution-errors.ts';

export interface EvolutionSettings {
  baseUrl: string;
  instance: string;
  apiKey: string;
  timeoutMs: number;
}

interface EvolutionKey {
  id?: unknown;
  remoteJid?: unknown;
}

/** A person's WhatsApp JID from an E.164 number. */
export function personJid(e164: string): string {
  return `${e164.replace(/\D/g, '')}@s.whatsapp.net`;
}

/**
 * An Evolution API v2 gateway (WhatsApp Web under the hood): send text, delete for everyone, edit.
 * The gateway answers a revoke or an edit with the protocol message it sent, which proves nothing
 * about the customer's phone: callers record "requested", never "applied".
 */
export function evolutionChannel(settings: EvolutionSettings): ProviderChannel {
  const base = settings.baseUrl.replace(/\/+$/, '');
  const instance = encodeURIComponent(settings.instance);
  const call = (method: 'POST' | 'DELETE', path: string, body: unknown) =>
    requestJson({ method, url: `${base}${path}/${instance}`, headers: { apikey: settings.apiKey }, body, timeoutMs: settings.timeoutMs });
  const keyOf = (ref: ProviderMessageRef) => ({ id: ref.providerMessageId, remoteJid: ref.chatId ?? personJid(ref.to), fromMe: true });

  return {
    async send(message: OutboundMessage): Promise<ProviderResult<SentRef>> {
      // A customer known only by a LID is written to at that JID (the gateway takes a JID as `number`).
      const number = message.to ? message.to.replace(/\D/g, '') : (message.lid ?? '');
      // A reply quotes the earlier message by its key (and its text, which the gateway shows).
      const quoted = message.quoted
        ? { quoted: { key: { id: message.quoted.providerMessageId, fromMe: message.quoted.fromMe }, message: { conversation: message.quoted.text } } }
        : {};
      const outcome = message.media
        ? await call('POST', '/message/sendMedia', {
            number,
            mediatype: message.media.kind,
            mimetype: message.media.mimeType,
            caption: message.text,
            // The gateway takes a URL or the bytes in base64; ours live in the database.
            media: (await message.media.load()).toString('base64'),
            fileName: message.media.filename ?? `${message.media.kind}-${message.media.sha256.slice(0, 12)}`,
            ...quoted,
          })
        : await call('POST', '/message/sendText', { number, text: message.text, ...quoted });
      return readAnswer(outcome, (key) => {
        const chatId = typeof key.remoteJid === 'string' ? key.remoteJid : message.to ? personJid(message.to) : number;
        return { providerMessageId: String(key.id), chatId };
      });
    },
    async revoke(ref) {
      const outcome = await call('DELETE', '/chat/deleteMessageForEveryone', keyOf(ref));
      return readAnswer(outcome, requestIdOf, true);
    },
    async edit(ref, text) {
      const number = ref.to ? ref.to.replace(/\D/g, '') : (ref.chatId ?? '');
      const outcome = await call('POST', '/chat/updateMessage', { number, key: keyOf(ref), text });
      return readAnswer(outcome, requestIdOf, true);
    },
  };
}

const requestIdOf = (key: EvolutionKey) => ({ requestId: typeof key.id === 'string' ? key.id : null });

function readAnswer<T>(outcome: HttpOutcome, pick: (key: EvolutionKey) => T, keyOptional = false): ProviderResult<T> {
  if ('network' in outcome) return { ok: false, error: networkError(outcome.network, outcome.detail) };
  const { status, json, headers } = outcome.answer;
  if (status >= 200 && status < 300) {
    const key = (json as { key?: EvolutionKey } | undefined)?.key;
    if (key && typeof key.id === 'string') return { ok: true, value: pick(key) };
    if (keyOptional) return { ok: true, value: pick({ id: null }) };
    return { ok: false, error: { code: 'rejected', retryable: false, providerMessage: 'answer without a message key' } };
  }
  return { ok: false, error: mapEvolutionError(status, json, headerValue(headers, 'retry-after')) };
}
