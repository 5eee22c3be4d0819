import type { CSRF_HEADER } from '../../src/contracts/api-schemas.ts';
import type { ErrorCode } from '../../src/contracts/error-codes.ts';
import { ALLOWED_MEDIA_TYPES, MiB } from '../../src/contracts/media-limits.ts';
import { API, ApiError } from './api.ts';
import { currentLanguage } from './i18n.tsx';
import type { MediaKey } from './media-i18n.ts';

/** What `POST /media` answers (uploadedMediaSchema). */
export interface UploadedMedia {
  id: string;
  mimeType: string;
  kind: 'image' | 'document';
  size: number;
}
const CSRF: typeof CSRF_HEADER = 'x-errata-csrf';

/** The file's type as the server's policy names it: the browser's, or from its extension when the browser has none. */
export function typeOfFile(file: { name: string; type: string }): string | null {
  if (file.type && ALLOWED_MEDIA_TYPES[file.type]) return file.type;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  for (const [type, rule] of Object.entries(ALLOWED_MEDIA_TYPES)) if (rule.extensions.includes(ext)) return type;
  return null;
}

/** What can be told before uploading: the type and the size (the server still checks the bytes). */
export function precheckFile(file: { name: string; type: string; size: number }): { key: MediaKey; vars: Record<string, string | number> } | null {
  const type = typeOfFile(file);
  const rule = type ? ALLOWED_MEDIA_TYPES[type] : undefined;
  if (!rule) return { key: 'attachTypeRefused', vars: { name: file.name } };
  if (file.size > rule.maxBytes) {
    return { key: 'attachTooLarge', vars: { name: file.name, size: `${(file.size / MiB).toFixed(1)} MB`, limit: rule.maxBytes / MiB, kind: rule.kind } };
  }
  return null;
}

export const ACCEPT = Object.entries(ALLOWED_MEDIA_TYPES)
  .flatMap(([type, rule]) => [type, ...rule.extensions.map((e) => `.${e}`)])
  .join(',');

/** `POST /media`: the file as the body, its type as Content-Type. */
export async function uploadMedia(file: Blob, type: string): Promise<UploadedMedia> {
  let response: Response;
  try {
    response = await fetch(`${API}/media`, {
      method: 'POST',
      headers: { 'content-type': type, accept: 'application/json', 'accept-language': currentLanguage.value, [CSRF]: '1' },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  const json = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  if (!response.ok) {
    throw new ApiError(response.status, (json?.error?.code ?? 'internal_error') as ErrorCode, json?.error?.message ?? response.statusText, json?.error?.details);
  }
  return json as UploadedMedia;
}

/** "840 kB", "1.2 MB", in the reader's words. */
export function sizeLabel(bytes: number, t: (key: MediaKey, vars?: Record<string, string | number>) => string, lang: string): string {
  const n = (x: number, digits: number) => x.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
  if (bytes < 1024) return t('bytesUnit', { n: bytes });
  if (bytes < MiB) return t('kbUnit', { n: n(bytes / 1024, 0) });
  return t('mbUnit', { n: n(bytes / MiB, 1) });
}
