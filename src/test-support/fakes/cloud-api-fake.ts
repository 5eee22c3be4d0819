/**
 * A local fake of the WhatsApp Cloud API (Graph API) send endpoint, faithful to the contract written
 * down in docs/whatsapp-contracts.md §1–§2: same paths, headers, validation, success and error
 * shapes and HTTP statuses, plus per-number throughput limiting, the 24-hour customer-service
 * window, failure injection and signed webhooks.
 *
 *   const fake = await startCloudApiFake();
 *   // point the channel at { apiBaseUrl: fake.url, apiVersion: fake.apiVersion, phoneNumberId: fake.phoneNumberId, ... }
 *   fake.failNext({ kind: 'rateLimit', retryAfterSeconds: 2 });
 *   await fake.sendWebhook(errataUrl + '/webhooks/whatsapp', fake.webhooks.inboundText({ from: '447700900001', body: 'hi' }));
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CLOUD_STATUS_ERRORS,
  type CloudNumberRef,
  type CloudStatusKind,
  type CloudWebhookError,
  type CloudWebhookPayload,
  type SendCloudWebhookOptions,
  type StatusInput,
  inboundCaptionEdit,
  inboundEdit,
  inboundInteractive,
  inboundMedia,
  inboundOfType,
  inboundQuickReply,
  inboundReaction,
  inboundRevoke,
  inboundSystem,
  inboundText,
  inboundUnsupported,
  messageEchoes,
  sendCloudWebhook,
  signCloudWebhook,
  statusUpdate,
  verifyCloudSubscription,
} from './cloud-api-webhooks.ts';
import { CLOUD_MEDIA_TYPES, createCloudMediaStore } from './cloud-api-media.ts';
import {
  type RecordedRequest,
  type WebhookDelivery,
  dropConnection,
  sendJson,
  sendText,
  sleep,
  startFakeServer,
} from './fake-http.ts';


/** A business-scoped user id: country code, dot, optional `ENT.`, up to 128 letters and digits. */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;
export const CLOUD_DEFAULT_THROUGHPUT = 80;
export const CLOUD_MAX_THROUGHPUT = 1_000;
export const CLOUD_MAX_TEXT_LENGTH = 4_096;
export const CLOUD_MAX_CALLBACK_DATA_LENGTH = 512;
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

export interface CloudPhoneNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** Messages per second this number may send (80 by default, up to 1 000). */
  throughputPerSecond?: number;
}

/** What happens to free-form (non-template) messages to a customer whose window is closed. */
export type ServiceWindowMode =
  /** Default, like production: 200 with a wamid, then a `failed` status with error 131047. */
  | 'async-failure'
  /** 400 with error 131047 straight away. */
  | 'reject'
  /** No window checks at all (load tests that do not care). */
  | 'off';

export interface CloudApiFakeOptions {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  wabaId?: string;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  /** The Graph version the fake advertises in `apiVersion`; any `vNN.N` path segment is accepted. */
  apiVersion?: string;
  /** Further business numbers under the same WABA (same token). */
  extraPhoneNumbers?: CloudPhoneNumber[];
  throughputPerSecond?: number;
  serviceWindow?: ServiceWindowMode;
  /** Seconds put in `Retry-After` on 130429 answers; `null` leaves the header out. Default 1. */
  retryAfterSeconds?: number | null;
  /** If set, at most one message per pair (business number, customer) in this many ms (error 131056). */
  pairMinIntervalMs?: number;
  /** Template names (and language codes) that exist; when absent every template is accepted. */
  templates?: ReadonlyArray<{ name: string; language: string }>;
  /** Customers who cannot be reached: sends are accepted, then fail with 131026. */
  unreachable?: readonly string[];
  /** Where the fake posts the webhooks it produces by itself (async failures, `deliverStatus`). */
  webhookUrl?: string;
  /** Clock in ms since the epoch (rate limiting, window, timestamps). */
  now?: () => number;
}

export type CloudFailure =
  /** 500 → Graph error 131000; 503 → code 2; 502/504 → an HTML body from "the proxy". */
  | { kind: 'serverError'; status?: 500 | 502 | 503 | 504 }
  /** 400, code 130429 (throughput), with `Retry-After` unless `retryAfterSeconds` is null. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number | null }
  /** 400, code 131056 (pair rate limit). */
  | { kind: 'pairRateLimit' }
  /** 400, code 131047 synchronously (re-engagement / window closed). */
  | { kind: 'outsideWindow' }
  /** 401, code 190 subcode 463. */
  | { kind: 'expiredToken' }
  /** 401, code 190. */
  | { kind: 'invalidToken' }
  /** Holds the request open and never answers (nothing accepted). */
  | { kind: 'hang' }
  /** Cuts the connection before doing anything. */
  | { kind: 'drop' }
  /** Waits `ms`, then processes the request normally. */
  | { kind: 'delay'; ms: number }
  /** Accepts the message (it counts as sent), then never answers. */
  | { kind: 'acceptThenHang' }
  /** Accepts the message, then cuts the connection: the sender cannot know it went out. */
  | { kind: 'acceptThenDrop' }
  /** Accepts the message now, answers after `ms`. */
  | { kind: 'acceptThenDelay'; ms: number }
  | { kind: 'custom'; status: number; body: unknown; headers?: Record<string, string> };

export interface CloudBehaviour {
  /** One-shot failures, consumed in order by the next requests to `/messages`. Replaces the queue. */
  failures?: CloudFailure[];
  throughputPerSecond?: number;
  serviceWindow?: ServiceWindowMode;
  retryAfterSeconds?: number | null;
  pairMinIntervalMs?: number | null;
  accessToken?: string;
  /** Marks the current token as expired: every call answers 401 / 190 / 463 until a new token is set. */
  tokenExpired?: boolean;
  /** Added to every answer (ms). */
  latencyMs?: number;
}

/** A message the fake accepted (answered, or would have answered, with a wamid). */
export interface AcceptedCloudMessage {
  readonly wamid: string;
  readonly phoneNumberId: string;
  /** `to` as sent. */
  readonly to: string;
  /** `to` reduced to digits, as echoed in `contacts[0].wa_id`. */
  readonly waId: string;
  readonly type: 'text' | 'template' | 'image' | 'document';
  readonly text?: string;
  /** Image and document messages: the uploaded media's id (or a link), caption and file name. */
  readonly media?: { id?: string; link?: string; caption?: string; filename?: string };
  readonly template?: { name: string; language: string };
  readonly bizOpaqueCallbackData?: string;
  readonly replyTo?: string;
  readonly requestSeq: number;
  readonly at: number;
  /** Set when the message will fail later through a `failed` status (window closed, unreachable). */
  readonly asyncFailure?: CloudWebhookError;
}

export interface DuplicateReport {
  readonly accepted: number;
  /** Keys (`biz_opaque_callback_data`) seen on more than one accepted message. */
  readonly duplicateKeys: ReadonlyArray<{ key: string; wamids: string[] }>;
  /** Accepted messages without `biz_opaque_callback_data`. */
  readonly withoutKey: number;
  /** Same number, recipient and content more than once, all without a key: unexplained duplicates. */
  readonly unkeyedRepeats: ReadonlyArray<{ waId: string; content: string; wamids: string[] }>;
}

interface NumberState extends CloudPhoneNumber {
  throughputPerSecond: number;
  /** Acceptance times in the last second (sliding window). */
  recent: number[];
  wamidSeq: number;
}

const VERSION_RE = /^v\d+\.\d+$/;

export async function startCloudApiFake(options: CloudApiFakeOptions = {}) {
  const now = options.now ?? Date.now;
  const wabaId = options.wabaId ?? '200000000000001';
  const apiVersion = options.apiVersion ?? 'v23.0';
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const verifyToken = options.verifyToken ?? 'fake-verify-token';
  const primary: CloudPhoneNumber = {
    phoneNumberId: options.phoneNumberId ?? '100000000000001',
    displayPhoneNumber: options.displayPhoneNumber ?? '15550000001',
    throughputPerSecond: options.throughputPerSecond ?? CLOUD_DEFAULT_THROUGHPUT,
  };
  const numbers = new Map<string, NumberState>();
  for (const n of [primary, ...(options.extraPhoneNumbers ?? [])]) {
    numbers.set(n.phoneNumberId, {
      ...n,
      throughputPerSecond: checkThroughput(n.throughputPerSecond ?? CLOUD_DEFAULT_THROUGHPUT),
      recent: [],
      wamidSeq: 0,
    });
  }

  const state = {
    accessToken: options.accessToken ?? 'fake-access-token',
    tokenExpired: false,
    failures: [] as CloudFailure[],
    serviceWindow: options.serviceWindow ?? ('async-failure' as ServiceWindowMode),
    retryAfterSeconds: options.retryAfterSeconds === undefined ? 1 : options.retryAfterSeconds,
    pairMinIntervalMs: options.pairMinIntervalMs ?? null,
    latencyMs: 0,
    unreachable: new Set(options.unreachable ?? []),
    templates: options.templates ? new Set(options.templates.map((t) => `${t.name}|${t.language}`)) : null,
    webhookUrl: options.webhookUrl,
  };
  /** Last time each customer wrote to each number: `${phoneNumberId}|${waId}` → ms. */
  const lastCustomerMessage = new Map<string, number>();
  const lastPairSend = new Map<string, number>();
  const accepted: AcceptedCloudMessage[] = [];
  const readMarks: Array<{ phoneNumberId: string; messageId: string; at: number }> = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  /** Webhooks the fake produced while no `webhookUrl` was set (or delivery failed). */
  const outbox: CloudWebhookPayload[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const hung = new Set<ServerResponse>();
  let traceSeq = 0;

  const fbtrace = () => `FakeTrace${String(++traceSeq).padStart(8, '0')}`;
  const refOf = (phoneNumberId: string): CloudNumberRef => {
    const n = numbers.get(phoneNumberId);
    if (!n) throw new Error(`cloud fake: unknown phone number id ${phoneNumberId}`);
    return { wabaId, phoneNumberId, displayPhoneNumber: n.displayPhoneNumber };
  };

  const mediaStore = createCloudMediaStore({
    now,
    baseUrl: () => fake.url,
    graphError: (code, title, extra) => graphError(code, title, extra),
    checkAuth: (res, rec) => checkAuth(res, rec),
    knownNumber: (id) => numbers.has(id),
  });

  function graphError(
    code: number,
    title: string,
    extra: { type?: string; subcode?: number; details?: string; transient?: boolean; message?: string } = {},
  ) {
    const error: Record<string, unknown> = {
      message: extra.message ?? `(#${code}) ${title}`,
      type: extra.type ?? 'OAuthException',
      code,
    };
    if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
    if (extra.transient !== undefined) error.is_transient = extra.transient;
    if (extra.details !== undefined) error.error_data = { messaging_product: 'whatsapp', details: extra.details };
    error.fbtrace_id = fbtrace();
    return { error };
  }

  const invalidParameter = (details: string) => graphError(100, 'Invalid parameter', { details });

  function answerFailure(
    f: Exclude<CloudFailure, { kind: 'delay' | 'acceptThenHang' | 'acceptThenDrop' | 'acceptThenDelay' }>,
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
  ): void {
    switch (f.kind) {
      case 'serverError': {
        const status = f.status ?? 500;
        if (status === 502 || status === 504) {
          sendText(res, rec, status, `<html><body>${status} fake upstream error</body></html>`, 'text/html');
        } else if (status === 503) {
          sendJson(res, rec, 503, graphError(2, 'Service temporarily unavailable', { transient: true }));
        } else {
          sendJson(res, rec, 500, graphError(131000, 'Something went wrong', { transient: true }));
        }
        return;
      }
      case 'rateLimit':
        rateLimited(res, rec, f.retryAfterSeconds === undefined ? state.retryAfterSeconds : f.retryAfterSeconds);
        return;
      case 'pairRateLimit':
        sendJson(res, rec, 400, graphError(131056, CLOUD_STATUS_ERRORS.pairRateLimit.title, {
          details: CLOUD_STATUS_ERRORS.pairRateLimit.error_data.details,
        }));
        return;
      case 'outsideWindow':
        sendJson(res, rec, 400, graphError(131047, 'Re-engagement message', {
          details: CLOUD_STATUS_ERRORS.reEngagement.error_data.details,
        }));
        return;
      case 'expiredToken':
        expiredToken(res, rec);
        return;
      case 'invalidToken':
        invalidToken(res, rec);
        return;
      case 'hang':
        rec.outcome = { kind: 'hung' };
        hung.add(res);
        return;
      case 'drop':
        dropConnection(req, rec);
        return;
      case 'custom':
        sendJson(res, rec, f.status, f.body, f.headers);
        return;
    }
  }

  function rateLimited(res: ServerResponse, rec: RecordedRequest, retryAfter: number | null): void {
    const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': String(retryAfter) };
    sendJson(
      res,
      rec,
      400,
      graphError(130429, 'Rate limit hit', {
        details: 'Cloud API message throughput has been reached for this phone number.',
      }),
      headers,
    );
  }

  const expiredToken = (res: ServerResponse, rec: RecordedRequest) =>
    sendJson(res, rec, 401, graphError(190, 'Access token has expired', {
      subcode: 463,
      message: 'Error validating access token: the session has expired.',
    }));
  const invalidToken = (res: ServerResponse, rec: RecordedRequest) =>
    sendJson(res, rec, 401, graphError(190, 'Invalid OAuth access token', {
      message: 'Invalid OAuth access token - cannot parse access token.',
    }));

  /** Returns false (and answers) when the bearer token is wrong. */
  function checkAuth(res: ServerResponse, rec: RecordedRequest): boolean {
    const auth = rec.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(auth);
    if (!match || match[1] !== state.accessToken) {
      invalidToken(res, rec);
      return false;
    }
    if (state.tokenExpired) {
      expiredToken(res, rec);
      return false;
    }
    return true;
  }

  function takeThroughputSlot(n: NumberState, at: number): boolean {
    let drop = 0;
    while (drop < n.recent.length && (n.recent[drop] ?? 0) <= at - 1_000) drop++;
    if (drop > 0) n.recent.splice(0, drop);
    if (n.recent.length >= n.throughputPerSecond) return false;
    n.recent.push(at);
    return true;
  }

  function nextWamid(n: NumberState): string {
    n.wamidSeq += 1;
    const tag = `errata-fake:${n.phoneNumberId}:${String(n.wamidSeq).padStart(9, '0')}`;
    return `wamid.${Buffer.from(tag).toString('base64')}`;
  }

  function deliverInBackground(payload: CloudWebhookPayload): void {
    const url = state.webhookUrl;
    if (!url) {
      outbox.push(payload);
      return;
    }
    const p = sendCloudWebhook(url, payload, { appSecret })
      .then((d) => webhookDeliveries.push(d))
      .catch(() => outbox.push(payload))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  type Validated =
    | { ok: true; msg: Omit<AcceptedCloudMessage, 'wamid' | 'requestSeq' | 'at' | 'asyncFailure' | 'phoneNumberId'> }
    | { ok: true; markRead: string }
    | { ok: false; status: number; body: unknown };

  function validate(body: unknown): Validated {
    const bad = (details: string): Validated => ({ ok: false, status: 400, body: invalidParameter(details) });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return bad('The request body must be a JSON object.');
    }
    const b = body as Record<string, unknown>;
    if (b.messaging_product !== 'whatsapp') {
      return bad("Parameter 'messaging_product' is required and must be \"whatsapp\".");
    }
    if (b.status === 'read') {
      if (typeof b.message_id !== 'string' || b.message_id === '') return bad("Parameter 'message_id' is required.");
      return { ok: true, markRead: b.message_id };
    }
    if (b.recipient_type !== undefined && b.recipient_type !== 'individual') {
      return bad("Parameter 'recipient_type' must be \"individual\".");
    }
    // A customer who hides their number is addressed by their business-scoped user id in
    // `recipient` (`to` wins when both are given).
    const recipient = typeof b.recipient === 'string' && b.recipient.trim() !== '' ? b.recipient : undefined;
    const hasTo = typeof b.to === 'string' && b.to.trim() !== '';
    if (!hasTo && !recipient) return bad("Parameter 'to' is required.");
    const waId = hasTo ? String(b.to).replace(/[\s()+-]/g, '') : recipient!;
    if (hasTo && !/^\d{6,15}$/.test(waId)) return bad("Parameter 'to' is not a valid phone number.");
    if (!hasTo && !BSUID.test(waId)) return bad("Parameter 'recipient' is not a valid business-scoped user ID.");
    let bizOpaqueCallbackData: string | undefined;
    if (b.biz_opaque_callback_data !== undefined) {
      if (typeof b.biz_opaque_callback_data !== 'string') return bad("'biz_opaque_callback_data' must be a string.");
      if (b.biz_opaque_callback_data.length > CLOUD_MAX_CALLBACK_DATA_LENGTH) {
        return bad(`'biz_opaque_callback_data' must be at most ${CLOUD_MAX_CALLBACK_DATA_LENGTH} characters.`);
      }
      bizOpaqueCallbackData = b.biz_opaque_callback_data;
    }
    let replyTo: string | undefined;
    if (b.context !== undefined) {
      const ctx = b.context as Record<string, unknown> | null;
      if (typeof ctx !== 'object' || ctx === null || typeof ctx.message_id !== 'string') {
        return bad("'context.message_id' must be a string.");
      }
      replyTo = ctx.message_id;
    }
    const type = b.type ?? 'text';
    const common = { to: hasTo ? String(b.to) : waId, waId, bizOpaqueCallbackData, replyTo };
    if (type === 'text') {
      const text = b.text as Record<string, unknown> | undefined;
      if (typeof text !== 'object' || text === null || typeof text.body !== 'string') {
        return bad("Parameter 'text.body' is required.");
      }
      const length = [...text.body].length;
      if (length === 0) return bad("Parameter 'text.body' must not be empty.");
      if (length > CLOUD_MAX_TEXT_LENGTH) {
        return bad(`Parameter 'text.body' must be at most ${CLOUD_MAX_TEXT_LENGTH} characters long.`);
      }
      if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') {
        return bad("Parameter 'text.preview_url' must be a boolean.");
      }
      return { ok: true, msg: { ...common, type: 'text', text: text.body } };
    }
    if (type === 'template') {
      const t = b.template as Record<string, unknown> | undefined;
      if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name === '') {
        return bad("Parameter 'template.name' is required.");
      }
      const lang = t.language as Record<string, unknown> | undefined;
      if (typeof lang !== 'object' || lang === null || typeof lang.code !== 'string' || lang.code === '') {
        return bad("Parameter 'template.language.code' is required.");
      }
      if (t.components !== undefined && !Array.isArray(t.components)) {
        return bad("Parameter 'template.components' must be an array.");
      }
      if (state.templates && !state.templates.has(`${t.name}|${lang.code}`)) {
        return {
          ok: false,
          status: 400,
          body: graphError(132001, 'Template name does not exist in the translation', {
            details: `No approved template '${t.name}' in language '${lang.code}'.`,
          }),
        };
      }
      return { ok: true, msg: { ...common, type: 'template', template: { name: t.name, language: lang.code } } };
    }
    if (type === 'image' || type === 'document') {
      const m = b[type] as Record<string, unknown> | undefined;
      if (typeof m !== 'object' || m === null) return bad(`Parameter '${type}' is required.`);
      const id = typeof m.id === 'string' && m.id !== '' ? m.id : undefined;
      const link = typeof m.link === 'string' && m.link !== '' ? m.link : undefined;
      if (!id === !link) return bad(`Parameter '${type}' must have either 'id' or 'link'.`);
      if (id) {
        const object = mediaStore.media.get(id);
        if (object?.origin !== 'upload') {
          return { ok: false, status: 400, body: graphError(131053, 'Media upload error', { details: `Media id '${id}' was not uploaded to this account.` }) };
        }
        const kind = CLOUD_MEDIA_TYPES[object.mimeType]?.kind;
        if (kind !== type) return bad(`Media id '${id}' (${object.mimeType}) cannot be sent as ${type}.`);
      }
      if (m.caption !== undefined && (typeof m.caption !== 'string' || [...m.caption].length > 1_024)) {
        return bad(`Parameter '${type}.caption' must be a string of at most 1024 characters.`);
      }
      if (type === 'image' && m.filename !== undefined) return bad("Parameter 'image.filename' is not allowed.");
      if (m.filename !== undefined && typeof m.filename !== 'string') return bad("Parameter 'document.filename' must be a string.");
      const media = {
        ...(id ? { id } : {}),
        ...(link ? { link } : {}),
        ...(typeof m.caption === 'string' ? { caption: m.caption } : {}),
        ...(typeof m.filename === 'string' ? { filename: m.filename } : {}),
      };
      return { ok: true, msg: { ...common, type, media } };
    }
    return bad(`Message type '${String(type)}' is not modelled by the fake (only text, template, image and document).`);
  }

  async function handleMessages(
    phoneNumberId: string,
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
  ): Promise<void> {
    let failure = state.failures.shift();
    if (failure?.kind === 'delay') {
      await sleep(failure.ms);
      failure = undefined;
    }
    if (failure && failure.kind !== 'acceptThenHang' && failure.kind !== 'acceptThenDrop' && failure.kind !== 'acceptThenDelay') {
      return answerFailure(failure, req, res, rec);
    }
    if (!checkAuth(res, rec)) return;
    const n = numbers.get(phoneNumberId);
    if (!n) {
      sendJson(res, rec, 400, graphError(100, 'Unsupported post request', {
        type: 'GraphMethodException',
        subcode: 33,
        message: `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      }));
      return;
    }
    if (!(rec.headers['content-type'] ?? '').toLowerCase().includes('application/json')) {
      sendJson(res, rec, 400, invalidParameter('Send the body as application/json.'));
      return;
    }
    const v = validate(rec.body);
    if (!v.ok) {
      sendJson(res, rec, v.status, v.body);
      return;
    }
    if ('markRead' in v) {
      readMarks.push({ phoneNumberId, messageId: v.markRead, at: rec.at });
      sendJson(res, rec, 200, { success: true });
      return;
    }
    const at = now();
    const pairKey = `${phoneNumberId}|${v.msg.waId}`;
    if (state.pairMinIntervalMs !== null) {
      const last = lastPairSend.get(pairKey);
      if (last !== undefined && at - last < state.pairMinIntervalMs) {
        return answerFailure({ kind: 'pairRateLimit' }, req, res, rec);
      }
    }
    if (!takeThroughputSlot(n, at)) return rateLimited(res, rec, state.retryAfterSeconds);
    const freeForm = v.msg.type !== 'template';
    if (freeForm && state.serviceWindow === 'reject' && !windowOpen(phoneNumberId, v.msg.waId, at)) {
      return answerFailure({ kind: 'outsideWindow' }, req, res, rec);
    }
    lastPairSend.set(pairKey, at);

    let asyncFailure: CloudWebhookError | undefined;
    if (state.unreachable.has(v.msg.waId)) asyncFailure = CLOUD_STATUS_ERRORS.undeliverable;
    else if (freeForm && state.serviceWindow === 'async-failure' && !windowOpen(phoneNumberId, v.msg.waId, at)) {
      asyncFailure = CLOUD_STATUS_ERRORS.reEngagement;
    }
    const wamid = nextWamid(n);
    const message: AcceptedCloudMessage = { ...v.msg, wamid, phoneNumberId, requestSeq: rec.seq, at, asyncFailure };
    accepted.push(message);
    if (asyncFailure) {
      deliverInBackground(
        statusUpdate(refOf(phoneNumberId), {
          id: wamid,
          status: 'failed',
          recipientId: message.waId,
          at,
          bizOpaqueCallbackData: message.bizOpaqueCallbackData,
          errors: [asyncFailure],
        }),
      );
    }

    const ok = {
      messaging_product: 'whatsapp',
      contacts: [BSUID.test(message.waId) ? { input: message.to, user_id: message.waId } : { input: message.to, wa_id: message.waId }],
      messages: [message.type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
    };
    if (failure?.kind === 'acceptThenDrop') return dropConnection(req, rec);
    if (failure?.kind === 'acceptThenHang') {
      rec.outcome = { kind: 'hung' };
      hung.add(res);
      return;
    }
    if (failure?.kind === 'acceptThenDelay') await sleep(failure.ms);
    sendJson(res, rec, 200, ok);
  }

  function windowOpen(phoneNumberId: string, waId: string, at: number): boolean {
    const last = lastCustomerMessage.get(`${phoneNumberId}|${waId}`);
    return last !== undefined && at - last < SERVICE_WINDOW_MS;
  }

  const fake = await startFakeServer(async (req, res, rec) => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const parts = rec.path.split('/').filter(Boolean);
    const [version, objectId, edge] = parts;
    if (rec.method === 'POST' && parts.length === 3 && edge === 'messages' && version && objectId) {
      if (!VERSION_RE.test(version)) {
        sendJson(res, rec, 400, graphError(2500, 'Unknown path components', {
          message: `Unknown path components: /${version}`,
        }));
        return;
      }
      return handleMessages(objectId, req, res, rec);
    }
    if (version && !VERSION_RE.test(version) && rec.path === '/whatsapp_business/attachments/' && rec.method === 'GET') {
      return mediaStore.handleDownload(res, rec);
    }
    if (rec.method === 'POST' && parts.length === 3 && edge === 'media' && version && VERSION_RE.test(version) && objectId) {
      return mediaStore.handleUpload(objectId, res, rec);
    }
    if (rec.method === 'GET' && parts.length === 2 && version && VERSION_RE.test(version) && objectId) {
      return mediaStore.handleRetrieve(objectId, res, rec);
    }
    sendJson(res, rec, 400, graphError(2500, 'Unknown path components', {
      message: `Unknown path components: ${rec.path}`,
    }));
  }, now);

  const webhooks = {
    inboundText: (m: Parameters<typeof inboundText>[1], phoneNumberId = primary.phoneNumberId) =>
      inboundText(refOf(phoneNumberId), m),
    revoke: (m: Parameters<typeof inboundRevoke>[1], phoneNumberId = primary.phoneNumberId) =>
      inboundRevoke(refOf(phoneNumberId), m),
    edit: (m: Parameters<typeof inboundEdit>[1], phoneNumberId = primary.phoneNumberId) =>
      inboundEdit(refOf(phoneNumberId), m),
    unsupported: (m: Parameters<typeof inboundUnsupported>[1], phoneNumberId = primary.phoneNumberId) =>
      inboundUnsupported(refOf(phoneNumberId), m),
    ofType: (m: Parameters<typeof inboundOfType>[1]) => inboundOfType(refOf(primary.phoneNumberId), m),
    interactive: (m: Parameters<typeof inboundInteractive>[1]) => inboundInteractive(refOf(primary.phoneNumberId), m),
    quickReply: (m: Parameters<typeof inboundQuickReply>[1]) => inboundQuickReply(refOf(primary.phoneNumberId), m),
    media: (m: Parameters<typeof inboundMedia>[1]) => inboundMedia(refOf(primary.phoneNumberId), m),
    /** A customer's image or document whose bytes the fake keeps (downloadable through the media endpoints). */
    mediaWithBytes(m: Omit<Parameters<typeof inboundMedia>[1], 'mediaId' | 'sha256'> & { bytes: Buffer }): CloudWebhookPayload {
      const { bytes, ...rest } = m;
      const object = mediaStore.addCustomerMedia({ phoneNumberId: primary.phoneNumberId, mimeType: m.mimeType, bytes, ...(m.filename ? { filename: m.filename } : {}) });
      return inboundMedia(refOf(primary.phoneNumberId), { ...rest, mediaId: object.id, sha256: object.sha256Base64 });
    },
    reaction: (m: Parameters<typeof inboundReaction>[1]) => inboundReaction(refOf(primary.phoneNumberId), m),
    system: (m: Parameters<typeof inboundSystem>[1]) => inboundSystem(refOf(primary.phoneNumberId), m),
    captionEdit: (m: Parameters<typeof inboundCaptionEdit>[1]) => inboundCaptionEdit(refOf(primary.phoneNumberId), m),
    echoes: (e: Parameters<typeof messageEchoes>[1]) => messageEchoes(refOf(primary.phoneNumberId), e),
    status: (s: StatusInput, phoneNumberId = primary.phoneNumberId) => statusUpdate(refOf(phoneNumberId), s),
    /** A status for a message this fake accepted: recipient, number and callback data filled in. */
    statusFor(wamid: string, status: CloudStatusKind, extra: Partial<StatusInput> = {}): CloudWebhookPayload {
      const m = accepted.find((a) => a.wamid === wamid);
      if (!m) throw new Error(`cloud fake: no accepted message ${wamid}`);
      return statusUpdate(refOf(m.phoneNumberId), {
        id: wamid,
        status,
        recipientId: m.waId,
        bizOpaqueCallbackData: m.bizOpaqueCallbackData,
        pricing: m.type === 'template' ? { category: 'utility' } : { category: 'service' },
        ...extra,
      });
    },
  };

  /** Inbound customer messages open the 24-hour window; revokes, edits, reactions and system notices do not. */
  function noteCustomerMessages(payload: unknown): void {
    const p = payload as Partial<CloudWebhookPayload> | null;
    for (const entry of p?.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const pn = change.value?.metadata?.phone_number_id;
        for (const m of change.value?.messages ?? []) {
          const who = m.from ?? (m as { from_user_id?: string }).from_user_id;
          if (!pn || !who || ['revoke', 'edit', 'reaction', 'system'].includes(m.type)) continue;
          openServiceWindow(who, Number(m.timestamp) * 1000, pn);
        }
      }
    }
  }

  function openServiceWindow(waId: string, at = now(), phoneNumberId = primary.phoneNumberId): void {
    const key = `${phoneNumberId}|${waId}`;
    lastCustomerMessage.set(key, Math.max(lastCustomerMessage.get(key) ?? 0, at));
  }

  return {
    url: fake.url,
    apiVersion,
    wabaId,
    phoneNumberId: primary.phoneNumberId,
    displayPhoneNumber: primary.displayPhoneNumber,
    appSecret,
    verifyToken,
    get accessToken() {
      return state.accessToken;
    },
    /** `${url}/${apiVersion}/${phoneNumberId}/messages` for the primary number. */
    messagesUrl: `${fake.url}/${apiVersion}/${primary.phoneNumberId}/messages`,
    /** Every request, in arrival order (including rejected and dropped ones). */
    received: fake.received,
    /** Messages the fake accepted, in order. */
    accepted,
    /** Media uploaded to the fake and customer media it keeps, by id; `downloads` lists every download. */
    media: mediaStore.media,
    mediaDownloads: mediaStore.downloads,
    uploads: mediaStore.uploads,
    addCustomerMedia: (input: { mimeType: string; bytes: Buffer; filename?: string }) =>
      mediaStore.addCustomerMedia({ phoneNumberId: primary.phoneNumberId, ...input }),
    failMediaNext: mediaStore.failMediaNext,
    /** `status: "read"` calls the fake accepted. */
    readMarks,
    /** Webhooks the fake delivered on its own to `webhookUrl`. */
    webhookDeliveries,
    /** Webhooks produced while no `webhookUrl` was set. */
    outbox,
    webhooks,

    setBehaviour(b: CloudBehaviour): void {
      if (b.failures !== undefined) state.failures = [...b.failures];
      if (b.throughputPerSecond !== undefined) {
        for (const n of numbers.values()) n.throughputPerSecond = checkThroughput(b.throughputPerSecond);
      }
      if (b.serviceWindow !== undefined) state.serviceWindow = b.serviceWindow;
      if (b.retryAfterSeconds !== undefined) state.retryAfterSeconds = b.retryAfterSeconds;
      if (b.pairMinIntervalMs !== undefined) state.pairMinIntervalMs = b.pairMinIntervalMs;
      if (b.accessToken !== undefined) {
        state.accessToken = b.accessToken;
        state.tokenExpired = false;
      }
      if (b.tokenExpired !== undefined) state.tokenExpired = b.tokenExpired;
      if (b.latencyMs !== undefined) state.latencyMs = b.latencyMs;
    },
    /** Queues `failure` for the next `times` requests to `/messages` (after any already queued). */
    failNext(failure: CloudFailure, times = 1): void {
      for (let i = 0; i < times; i++) state.failures.push(failure);
    },
    setThroughput(perSecond: number, phoneNumberId = primary.phoneNumberId): void {
      const n = numbers.get(phoneNumberId);
      if (!n) throw new Error(`cloud fake: unknown phone number id ${phoneNumberId}`);
      n.throughputPerSecond = checkThroughput(perSecond);
    },
    setWebhookUrl(url: string | undefined): void {
      state.webhookUrl = url;
    },
    markUnreachable(waId: string): void {
      state.unreachable.add(waId);
    },
    /** Records that the customer wrote at `at` (opens their 24-hour window on that number). */
    openServiceWindow,

    /** Signs with the app secret and POSTs; inbound messages in the payload open the service window. */
    sendWebhook(
      targetUrl: string,
      payload: unknown,
      opts: Partial<SendCloudWebhookOptions> = {},
    ): Promise<WebhookDelivery> {
      noteCustomerMessages(payload);
      return sendCloudWebhook(targetUrl, payload, { appSecret, ...opts });
    },
    /** Sends a status for an accepted message to `webhookUrl` (or `targetUrl`). */
    deliverStatus(
      wamid: string,
      status: CloudStatusKind,
      extra: Partial<StatusInput> & { targetUrl?: string } = {},
    ): Promise<WebhookDelivery> {
      const { targetUrl, ...rest } = extra;
      const url = targetUrl ?? state.webhookUrl;
      if (!url) throw new Error('cloud fake: no webhook url');
      return sendCloudWebhook(url, webhooks.statusFor(wamid, status, rest), { appSecret }).then((d) => {
        webhookDeliveries.push(d);
        return d;
      });
    },
    sign: (rawBody: string | Buffer) => signCloudWebhook(appSecret, rawBody),
    /** Runs Meta's GET handshake against the receiver with the fake's verify token (or `verifyToken`). */
    verifySubscription: (targetUrl: string, params: { verifyToken?: string; challenge?: string; mode?: string } = {}) =>
      verifyCloudSubscription(targetUrl, { ...params, verifyToken: params.verifyToken ?? verifyToken }),

    /** Groups accepted messages to prove "exactly once, or duplicates share an idempotency key". */
    duplicateReport(): DuplicateReport {
      const byKey = new Map<string, string[]>();
      const unkeyed = new Map<string, { waId: string; content: string; wamids: string[] }>();
      let withoutKey = 0;
      for (const m of accepted) {
        if (m.bizOpaqueCallbackData !== undefined) {
          const k = `${m.phoneNumberId}|${m.bizOpaqueCallbackData}`;
          byKey.set(k, [...(byKey.get(k) ?? []), m.wamid]);
          continue;
        }
        withoutKey++;
        const content =
          m.type === 'text' ? `text:${m.text}` : m.type === 'template' ? `template:${m.template?.name}:${m.template?.language}` : `${m.type}:${m.media?.id ?? m.media?.link}`;
        const k = `${m.phoneNumberId}|${m.waId}|${content}`;
        const g = unkeyed.get(k) ?? { waId: m.waId, content, wamids: [] };
        g.wamids.push(m.wamid);
        unkeyed.set(k, g);
      }
      return {
        accepted: accepted.length,
        duplicateKeys: [...byKey.entries()]
          .filter(([, w]) => w.length > 1)
          .map(([k, wamids]) => ({ key: k.slice(k.indexOf('|') + 1), wamids })),
        withoutKey,
        unkeyedRepeats: [...unkeyed.values()].filter((g) => g.wamids.length > 1),
      };
    },
    /** Answers every held (`hang`) request with a 500, so clients blocked on them move on. */
    releaseHung(): void {
      for (const res of hung) {
        if (!res.writableEnded) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(graphError(131000, 'Something went wrong', { transient: true })));
        }
      }
      hung.clear();
    },
    /** Waits for webhooks the fake is delivering on its own. */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close(): Promise<void> {
      await Promise.allSettled([...inFlight]);
      hung.clear();
      await fake.close();
    },
  };
}

function checkThroughput(perSecond: number): number {
  if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > CLOUD_MAX_THROUGHPUT) {
    throw new Error(`cloud fake: throughput must be an integer in 1..${CLOUD_MAX_THROUGHPUT}, got ${perSecond}`);
  }
  return perSecond;
}

export type CloudApiFake = Awaited<ReturnType<typeof startCloudApiFake>>;
