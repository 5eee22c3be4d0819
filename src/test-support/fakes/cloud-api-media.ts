/**
 * The Cloud API fake's media endpoints (docs/whatsapp-contracts.md §1.6), as Meta documents them:
 *
 * - `POST /{version}/{phone-number-id}/media`, multipart/form-data with `file`, `type` (its MIME
 *   type) and `messaging_product=whatsapp` → `{ id }`; types and sizes as Meta lists them.
 * - `GET /{version}/{media-id}` → `{ messaging_product, url, mime_type, sha256 (hex), file_size, id }`;
 *   the URL works for five minutes, and only with the same bearer token.
 * - `GET {url}` → the bytes.
 *
 * Customer media (what a webhook names by id) are put here with `addCustomerMedia`.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, sendJson } from './fake-http.ts';

const MB = 1024 * 1024;
/** Meta's supported media types and their limits. */
export const CLOUD_MEDIA_TYPES: Readonly<Record<string, { kind: 'image' | 'document' | 'audio' | 'video' | 'sticker'; maxBytes: number }>> = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * MB },
  'image/png': { kind: 'image', maxBytes: 5 * MB },
  'image/webp': { kind: 'sticker', maxBytes: 500 * 1024 },
  'text/plain': { kind: 'document', maxBytes: 100 * MB },
  'application/pdf': { kind: 'document', maxBytes: 100 * MB },
  'application/msword': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-excel': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-powerpoint': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'document', maxBytes: 100 * MB },
  'audio/aac': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mp4': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mpeg': { kind: 'audio', maxBytes: 16 * MB },
  'audio/ogg': { kind: 'audio', maxBytes: 16 * MB },
  'video/mp4': { kind: 'video', maxBytes: 16 * MB },
  'video/3gpp': { kind: 'video', maxBytes: 16 * MB },
};
export const MEDIA_URL_LIFETIME_MS = 5 * 60_000;

export interface CloudMediaObject {
  readonly id: string;
  readonly phoneNumberId: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
  /** Hex, as the media endpoint gives it. */
  readonly sha256: string;
  /** Base64, as webhooks give it. */
  readonly sha256Base64: string;
  readonly filename: string | undefined;
  readonly origin: 'upload' | 'customer';
  readonly at: number;
}

/** One-shot media failures, consumed in order by the next media requests of that step. */
export type CloudMediaFailure =
  | { step: 'upload' | 'retrieve' | 'download'; kind: 'serverError' }
  | { step: 'download'; kind: 'corrupt' }
  | { step: 'download'; kind: 'expiredUrl' };

type GraphError = (code: number, title: string, extra?: { type?: string; subcode?: number; details?: string; message?: string; transient?: boolean }) => unknown;

export function createCloudMediaStore(deps: {
  now: () => number;
  baseUrl: () => string;
  graphError: GraphError;
  checkAuth: (res: ServerResponse, rec: RecordedRequest) => boolean;
  knownNumber: (phoneNumberId: string) => boolean;
}) {
  const media = new Map<string, CloudMediaObject>();
  const downloads: Array<{ mediaId: string; at: number; authorized: boolean }> = [];
  const failures: CloudMediaFailure[] = [];
  const links = new Map<string, { mediaId: string; expiresAt: number }>();
  let seq = 0;
  const nextId = () => String(7_000_000_000_000_000 + ++seq);
  const takeFailure = (step: CloudMediaFailure['step']) => {
    const at = failures.findIndex((f) => f.step === step);
    return at >= 0 ? failures.splice(at, 1)[0] : undefined;
  };
  const serverError = (res: ServerResponse, rec: RecordedRequest) =>
    sendJson(res, rec, 500, deps.graphError(131000, 'Something went wrong', { transient: true }));

  function put(input: { phoneNumberId: string; mimeType: string; bytes: Buffer; filename?: string | undefined; origin: 'upload' | 'customer' }): CloudMediaObject {
    const digest = createHash('sha256').update(input.bytes).digest();
    const object: CloudMediaObject = {
      id: nextId(),
      phoneNumberId: input.phoneNumberId,
      mimeType: input.mimeType,
      bytes: input.bytes,
      sha256: digest.toString('hex'),
      sha256Base64: digest.toString('base64'),
      filename: input.filename,
      origin: input.origin,
      at: deps.now(),
    };
    media.set(object.id, object);
    return object;
  }

  async function handleUpload(phoneNumberId: string, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    if (takeFailure('upload')) {
      serverError(res, rec);
      return;
    }
    if (!deps.checkAuth(res, rec)) return;
    const bad = (details: string): void => sendJson(res, rec, 400, deps.graphError(100, 'Invalid parameter', { details }));
    if (!deps.knownNumber(phoneNumberId)) {
      return sendJson(res, rec, 400, deps.graphError(100, 'Unsupported post request', { type: 'GraphMethodException', subcode: 33 }));
    }
    const contentType = rec.headers['content-type'] ?? '';
    if (!/^multipart\/form-data;/i.test(contentType)) return bad('Send the media as multipart/form-data.');
    let form: FormData;
    try {
      form = await new Response(rec.rawBytes, { headers: { 'content-type': contentType } }).formData();
    } catch {
      return bad('The multipart body could not be read.');
    }
    if (form.get('messaging_product') !== 'whatsapp') return bad("Parameter 'messaging_product' is required and must be \"whatsapp\".");
    const file = form.get('file');
    if (!(file instanceof Blob)) return bad("Parameter 'file' is required.");
    const type = form.get('type');
    if (typeof type !== 'string' || type === '') return bad("Parameter 'type' is required.");
    const allowed = CLOUD_MEDIA_TYPES[type];
    if (!allowed) return bad(`Param file must be a file with one of the following types: ${Object.keys(CLOUD_MEDIA_TYPES).join(', ')}. Received file of type '${type}'.`);
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length === 0) return bad("Parameter 'file' is empty.");
    if (bytes.length > allowed.maxBytes) {
      return sendJson(res, rec, 400, deps.graphError(131053, 'Media upload error', { details: `File of ${bytes.length} bytes is over the ${allowed.maxBytes}-byte limit for ${type}.` }));
    }
    const name = (file as File).name || undefined;
    const object = put({ phoneNumberId, mimeType: type, bytes, filename: name, origin: 'upload' });
    sendJson(res, rec, 200, { id: object.id });
  }

  function handleRetrieve(mediaId: string, res: ServerResponse, rec: RecordedRequest): void {
    if (takeFailure('retrieve')) {
      serverError(res, rec);
      return;
    }
    if (!deps.checkAuth(res, rec)) return;
    const object = media.get(mediaId);
    const pn = rec.query.phone_number_id;
    if (!object || (pn !== undefined && pn !== object.phoneNumberId)) {
      sendJson(res, rec, 400, deps.graphError(100, 'Unsupported get request', {
        type: 'GraphMethodException',
        subcode: 33,
        message: `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      }));
      return;
    }
    const token = createHash('sha256').update(`${mediaId}:${deps.now()}:${Math.random()}`).digest('hex').slice(0, 32);
    links.set(token, { mediaId, expiresAt: deps.now() + MEDIA_URL_LIFETIME_MS });
    sendJson(res, rec, 200, {
      messaging_product: 'whatsapp',
      url: `${deps.baseUrl()}/whatsapp_business/attachments/?mid=${mediaId}&ext=${Math.floor((deps.now() + MEDIA_URL_LIFETIME_MS) / 1000)}&hash=${token}`,
      mime_type: object.mimeType,
      sha256: object.sha256,
      file_size: String(object.bytes.length),
      id: object.id,
    });
  }

  function handleDownload(res: ServerResponse, rec: RecordedRequest): void {
    const failure = takeFailure('download');
    if (failure?.kind === 'serverError') {
      serverError(res, rec);
      return;
    }
    const link = links.get(rec.query.hash ?? '');
    const authorized = deps.checkAuth(res, rec);
    downloads.push({ mediaId: link?.mediaId ?? rec.query.mid ?? '', at: deps.now(), authorized });
    if (!authorized) return;
    if (!link || link.mediaId !== rec.query.mid || link.expiresAt < deps.now() || failure?.kind === 'expiredUrl') {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>URL signature expired</body></html>');
      rec.outcome = { kind: 'answered', status: 404, body: 'expired' };
      return;
    }
    const object = media.get(link.mediaId)!;
    let bytes = object.bytes;
    if (failure?.kind === 'corrupt') {
      bytes = Buffer.from(bytes);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1]! + 1) % 256;
    }
    res.writeHead(200, { 'content-type': object.mimeType, 'content-length': bytes.length });
    res.end(bytes);
    rec.outcome = { kind: 'answered', status: 200, body: `[${bytes.length} bytes]` };
  }

  return {
    media,
    downloads,
    handleUpload,
    handleRetrieve,
    handleDownload,
    /** Media the fake accepted by upload, in order. */
    uploads: () => [...media.values()].filter((m) => m.origin === 'upload'),
    /** A customer's media, kept by "WhatsApp" until Errata downloads it: put its `id` and `sha256Base64` in a webhook. */
    addCustomerMedia: (input: { phoneNumberId: string; mimeType: string; bytes: Buffer; filename?: string }) => put({ ...input, origin: 'customer' }),
    failMediaNext(failure: CloudMediaFailure, times = 1): void {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
  };
}

export type CloudMediaStore = ReturnType<typeof createCloudMediaStore>;
