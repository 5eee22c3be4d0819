import { createHash } from 'node:crypto';
import type { ProviderError } from '../../contracts/provider-errors.ts';
import { headerValue } from '../http-client.ts';
import { getBytes, postMultipart } from '../http-media.ts';
import { requestJson } from '../http-client.ts';
import type { FetchedMedia, OutboundMedia, ProviderResult } from '../provider-channel.ts';
import { mapCloudApiError } from './cloud-api-errors.ts';

export interface CloudMediaSettings {
  /** `{apiBaseUrl}/{apiVersion}` without a trailing slash. */
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs: number;
  /** Media larger than this are not downloaded (they would not fit the database row we keep them in). */
  maxDownloadBytes: number;
}

/** Uploads and downloads take longer than a JSON call: at least 30 s. */
const mediaTimeout = (s: CloudMediaSettings) => Math.max(s.timeoutMs, 30_000);

/** `POST /{phone-number-id}/media` (multipart: file, type, messaging_product) → the media id to send. */
export async function uploadCloudMedia(s: CloudMediaSettings, media: OutboundMedia): Promise<ProviderResult<string>> {
  const bytes = await media.load();
  const outcome = await postMultipart({
    url: `${s.graphUrl}/${encodeURIComponent(s.phoneNumberId)}/media`,
    headers: { authorization: `Bearer ${s.accessToken}` },
    fields: { messaging_product: 'whatsapp', type: media.mimeType },
    file: { field: 'file', bytes, mimeType: media.mimeType, filename: media.filename ?? `${media.kind}-${media.sha256.slice(0, 12)}` },
    timeoutMs: mediaTimeout(s),
  });
  if ('network' in outcome) return { ok: false, error: networkError(outcome.network, outcome.detail) };
  const { status, json, headers } = outcome.answer;
  const id = (json as { id?: unknown } | undefined)?.id;
  if (status >= 200 && status < 300 && typeof id === 'string' && id) return { ok: true, value: id };
  if (status >= 200 && status < 300) return { ok: false, error: { code: 'rejected', retryable: false, providerMessage: 'upload answer without a media id' } };
  return { ok: false, error: mapCloudApiError(status, json, headerValue(headers, 'retry-after')) };
}

/**
 * A customer's media: `GET /{media-id}` gives a short-lived URL (about five minutes), which is then
 * fetched with the same bearer token. Each attempt asks for a fresh URL. The bytes must hash to the
 * SHA-256 announced (the webhook gives it in base64, the media endpoint in hex: both are accepted).
 */
export async function fetchCloudMedia(s: CloudMediaSettings, mediaId: string, expectedSha256: string | null): Promise<ProviderResult<FetchedMedia>> {
  const auth = { authorization: `Bearer ${s.accessToken}` };
  const info = await requestJson({
    method: 'GET',
    url: `${s.graphUrl}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(s.phoneNumberId)}`,
    headers: auth,
    timeoutMs: s.timeoutMs,
  });
  if ('network' in info) return { ok: false, error: networkError(info.network, info.detail) };
  const { status, json, headers } = info.answer;
  if (status < 200 || status >= 300) {
    const error = mapCloudApiError(status, json, headerValue(headers, 'retry-after'));
    // An id Meta does not know (expired after 30 days, or never ours) will not come back.
    if (!error.retryable && error.code !== 'auth_failed') return { ok: false, error: { ...error, code: 'media_unavailable' } };
    return { ok: false, error };
  }
  const body = (json ?? {}) as { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown };
  if (typeof body.url !== 'string') return { ok: false, error: { code: 'media_unavailable', retryable: false, providerMessage: 'media answer without a url' } };
  const size = Number(body.file_size);
  if (Number.isFinite(size) && size > s.maxDownloadBytes) return { ok: false, error: tooLarge(size, s.maxDownloadBytes) };

  const download = await getBytes(body.url, auth, mediaTimeout(s), s.maxDownloadBytes);
  if ('network' in download) return { ok: false, error: networkError(download.network, download.detail) };
  if ('tooLarge' in download) return { ok: false, error: tooLarge(download.tooLarge, s.maxDownloadBytes) };
  const answer = download.answer;
  if (answer.status < 200 || answer.status >= 300) {
    // An expired URL (404) is asked for again on the next attempt.
    const error = mapCloudApiError(answer.status, answer.json, answer.headers.get('retry-after'));
    return { ok: false, error: answer.status === 404 ? { ...error, code: 'provider_unavailable', retryable: true } : error };
  }
  const digest = createHash('sha256').update(answer.bytes).digest();
  for (const announced of [expectedSha256, typeof body.sha256 === 'string' ? body.sha256 : null]) {
    if (announced && !sameDigest(digest, announced)) {
      return { ok: false, error: { code: 'checksum_mismatch', retryable: true, providerMessage: `sha256 ${digest.toString('hex')} is not ${announced}` } };
    }
  }
  const mimeType = typeof body.mime_type === 'string' ? body.mime_type : answer.headers.get('content-type');
  return { ok: true, value: { bytes: answer.bytes, mimeType } };
}

/** Meta writes the digest in hex (media endpoint) or base64 (webhooks). */
export function sameDigest(digest: Buffer, announced: string): boolean {
  const a = announced.trim();
  if (/^[0-9a-f]{64}$/i.test(a)) return digest.toString('hex') === a.toLowerCase();
  return digest.toString('base64') === a || digest.toString('base64url') === a.replace(/=+$/, '');
}

function tooLarge(size: number, limit: number): ProviderError {
  return { code: 'media_unavailable', retryable: false, providerMessage: `media of ${size} bytes is over the ${limit}-byte limit` };
}

function networkError(kind: 'timeout' | 'connection', detail: string): ProviderError {
  return { code: kind === 'timeout' ? 'timeout' : 'provider_unavailable', retryable: true, providerMessage: detail };
}
