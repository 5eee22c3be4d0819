/**
 * A local fake of an Evolution API v2 gateway (one instance, Baileys integration), faithful to
 * docs/whatsapp-contracts.md §3–§4: `apikey` auth, sendText, delete-for-everyone, edit, the
 * gateway's error envelope, failure injection, and webhooks with the `apikey` header.
 *
 * The fake also knows what really happened on the customer's phone, which the HTTP API never tells:
 * `revokes[n].effective` / `edits[n].effective` — use them to test that Errata treats the revoke
 * outcome as unknown.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import {
  type EvolutionAck,
  type EvolutionInstanceRef,
  type EvolutionWebhookPayload,
  type SendEvolutionWebhookOptions,
  evolutionMessageId,
  messagesDelete,
  messagesEdited,
  messagesUpdate,
  messagesUpsertContent,
  messagesUpsert,
  sendEvolutionWebhook,
  userJid,
} from './evolution-api-webhooks.ts';
import {
  type RecordedRequest,
  type WebhookDelivery,
  dropConnection,
  sendJson,
  sleep,
  startFakeServer,
} from './fake-http.ts';

export const EVOLUTION_EDIT_WINDOW_MS = 15 * 60_000;
/** WhatsApp's "delete for everyone" limit is about two days; the fake uses exactly 48 h. */
export const EVOLUTION_DELETE_WINDOW_MS = 48 * 3_600_000;

export interface EvolutionApiFakeOptions {
  apiKey?: string;
  instance?: string;
  /** The instance's own WhatsApp number (digits). */
  ownNumber?: string;
  /** Numbers that are not on WhatsApp: sendText answers 400 `{exists:false}`. */
  notOnWhatsApp?: readonly string[];
  editWindowMs?: number;
  deleteWindowMs?: number;
  /** Where `ack()` / `emit()` post webhooks. */
  webhookUrl?: string;
  now?: () => number;
}

export type EvolutionFailure =
  /** 500 with the gateway's error envelope. */
  | { kind: 'serverError'; message?: string }
  /** The instance lost its WhatsApp Web session (assumed shape, see the contract doc). */
  | { kind: 'disconnected' }
  /** 429 from a rate limiter placed in front of / inside the gateway (assumed shape). */
  | { kind: 'rateLimit'; retryAfterSeconds?: number | null }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  /** The action happens (message sent / revoke sent / edit sent), then the connection is cut. */
  | { kind: 'acceptThenDrop' }
  | { kind: 'acceptThenHang' }
  | { kind: 'acceptThenDelay'; ms: number }
  | { kind: 'custom'; status: number; body: unknown; headers?: Record<string, string> };

export interface EvolutionBehaviour {
  failures?: EvolutionFailure[];
  apiKey?: string;
  /** Revokes are answered 201 but never reach the customer (phone offline for days, etc.). */
  revokesIgnored?: boolean;
  latencyMs?: number;
}

export interface EvolutionSentMessage {
  readonly id: string;
  readonly remoteJid: string;
  readonly number: string;
  text: string;
  readonly at: number;
  readonly requestSeq: number;
  deleted: boolean;
  readonly options: { delay?: number; linkPreview?: boolean; quoted?: unknown };
  /** sendMedia: what was sent (base64 decoded); `text` is then the caption. */
  readonly media?: { mediatype: 'image' | 'document' | 'video' | 'audio'; mimetype: string; fileName?: string; bytes: Buffer };
}

export interface EvolutionRevoke {
  readonly targetId: string;
  readonly remoteJid: string;
  readonly fromMe: boolean;
  readonly participant?: string;
  readonly at: number;
  /** Whether the message disappeared on the customer's side. The HTTP answer does not say. */
  readonly effective: boolean;
  readonly reason: 'ok' | 'unknown-message' | 'not-from-me' | 'too-old' | 'ignored';
}

export interface EvolutionEdit {
  readonly targetId: string;
  readonly remoteJid: string;
  readonly text: string;
  readonly at: number;
  readonly effective: boolean;
}

const ROUTES = [
  { method: 'POST', prefix: '/message/sendText/', name: 'sendText' },
  { method: 'POST', prefix: '/message/sendMedia/', name: 'sendMedia' },
  { method: 'DELETE', prefix: '/chat/deleteMessageForEveryone/', name: 'delete' },
  { method: 'POST', prefix: '/chat/updateMessage/', name: 'update' },
  { method: 'GET', prefix: '/instance/connectionState/', name: 'state' },
] as const;

export async function startEvolutionApiFake(options: EvolutionApiFakeOptions = {}) {
  const now = options.now ?? Date.now;
  const instance = options.instance ?? 'errata-test';
  const instanceId = randomUUID();
  const ownNumber = options.ownNumber ?? '15550000002';
  const editWindowMs = options.editWindowMs ?? EVOLUTION_EDIT_WINDOW_MS;
  const deleteWindowMs = options.deleteWindowMs ?? EVOLUTION_DELETE_WINDOW_MS;
  const state = {
    apiKey: options.apiKey ?? 'fake-evolution-key',
    failures: [] as EvolutionFailure[],
    revokesIgnored: false,
    latencyMs: 0,
    webhookUrl: options.webhookUrl,
    notOnWhatsApp: new Set((options.notOnWhatsApp ?? []).map((n) => n.replace(/\D/g, ''))),
  };
  const sent: EvolutionSentMessage[] = [];
  const byId = new Map<string, EvolutionSentMessage>();
  const revokes: EvolutionRevoke[] = [];
  const edits: EvolutionEdit[] = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  const hung = new Set<ServerResponse>();
  let idSeq = 0x10000;

  const gatewayError = (status: number, error: string, message: unknown) => ({ status, error, response: { message } });
  const badRequest = (res: ServerResponse, rec: RecordedRequest, message: unknown) =>
    sendJson(res, rec, 400, gatewayError(400, 'Bad Request', message));
  const nextId = () => evolutionMessageId(++idSeq);

  function answerFailure(
    f: Exclude<EvolutionFailure, { kind: 'delay' | 'acceptThenDrop' | 'acceptThenHang' | 'acceptThenDelay' }>,
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
  ): void {
    switch (f.kind) {
      case 'serverError':
        sendJson(res, rec, 500, gatewayError(500, 'Internal Server Error', [f.message ?? 'fake internal error']));
        return;
      case 'disconnected':
        sendJson(res, rec, 500, gatewayError(500, 'Internal Server Error', ['Connection Closed']));
        return;
      case 'rateLimit': {
        const retry = f.retryAfterSeconds === undefined ? 1 : f.retryAfterSeconds;
        sendJson(
          res,
          rec,
          429,
          gatewayError(429, 'Too Many Requests', ['Too many requests, slow down.']),
          retry === null ? {} : { 'retry-after': String(retry) },
        );
        return;
      }
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

  /** Runs `act` (which records the side effect and returns the 2xx answer), honouring accept-then-* failures. */
  async function finish(
    failure: EvolutionFailure | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
    status: number,
    body: unknown,
  ): Promise<void> {
    if (failure?.kind === 'acceptThenDrop') {
      dropConnection(req, rec);
      return;
    }
    if (failure?.kind === 'acceptThenHang') {
      rec.outcome = { kind: 'hung' };
      hung.add(res);
      return;
    }
    if (failure?.kind === 'acceptThenDelay') await sleep(failure.ms);
    sendJson(res, rec, status, body);
  }

  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

  async function sendTextRoute(f: EvolutionFailure | undefined, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const b = rec.body;
    if (!isObj(b)) return badRequest(res, rec, ['body must be a JSON object']);
    const errors: string[] = [];
    if (!nonEmptyString(b.number)) errors.push('"number" is required and must be a non-empty string');
    if (!nonEmptyString(b.text)) errors.push('"text" is required and must be a non-empty string');
    if (b.delay !== undefined && typeof b.delay !== 'number') errors.push('"delay" must be a number');
    if (b.linkPreview !== undefined && typeof b.linkPreview !== 'boolean') errors.push('"linkPreview" must be a boolean');
    if (errors.length > 0) return badRequest(res, rec, errors);
    // `number` takes digits, or a full JID: a `…@lid` one for contacts known only by their LID.
    const lid = /^\d{6,20}@lid$/.test(String(b.number)) ? String(b.number) : null;
    const number = lid ?? String(b.number).replace(/\D/g, '');
    const remoteJid = lid ?? userJid(number);
    if ((!lid && number.length < 6) || state.notOnWhatsApp.has(number)) {
      return badRequest(res, rec, [{ jid: remoteJid, exists: false, number: String(b.number) }]);
    }
    const at = now();
    const msg: EvolutionSentMessage = {
      id: nextId(),
      remoteJid,
      number,
      text: String(b.text),
      at,
      requestSeq: rec.seq,
      deleted: false,
      options: {
        ...(typeof b.delay === 'number' ? { delay: b.delay } : {}),
        ...(typeof b.linkPreview === 'boolean' ? { linkPreview: b.linkPreview } : {}),
        ...(b.quoted !== undefined ? { quoted: b.quoted } : {}),
      },
    };
    sent.push(msg);
    byId.set(msg.id, msg);
    await finish(f, req, res, rec, 201, {
      key: { remoteJid, fromMe: true, id: msg.id },
      pushName: '',
      status: 'PENDING',
      message: { conversation: msg.text },
      contextInfo: null,
      messageType: 'conversation',
      messageTimestamp: Math.floor(at / 1000),
      instanceId,
      source: 'unknown',
    });
  }

  /** `POST /message/sendMedia/{instance}`: `media` is a URL or base64 bytes (the fake takes base64 only). */
  async function sendMediaRoute(f: EvolutionFailure | undefined, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const b = rec.body;
    if (!isObj(b)) return badRequest(res, rec, ['body must be a JSON object']);
    const errors: string[] = [];
    if (!nonEmptyString(b.number)) errors.push('"number" is required and must be a non-empty string');
    if (!['image', 'document', 'video', 'audio'].includes(String(b.mediatype))) errors.push('"mediatype" must be one of image, document, video, audio');
    if (!nonEmptyString(b.media)) errors.push('"media" is required (a URL or base64)');
    if (b.caption !== undefined && typeof b.caption !== 'string') errors.push('"caption" must be a string');
    if (b.fileName !== undefined && typeof b.fileName !== 'string') errors.push('"fileName" must be a string');
    if (b.mimetype !== undefined && typeof b.mimetype !== 'string') errors.push('"mimetype" must be a string');
    const base64 = typeof b.media === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(b.media) ? b.media : null;
    if (nonEmptyString(b.media) && !base64) errors.push('Owned media must be a url or base64');
    if (errors.length > 0) return badRequest(res, rec, errors);
    const number = String(b.number).replace(/\D/g, '');
    const remoteJid = userJid(number);
    if (number.length < 6 || state.notOnWhatsApp.has(number)) return badRequest(res, rec, [{ jid: remoteJid, exists: false, number: String(b.number) }]);
    const mediatype = b.mediatype as 'image' | 'document' | 'video' | 'audio';
    const bytes = Buffer.from(base64!, 'base64');
    const mimetype = typeof b.mimetype === 'string' ? b.mimetype : 'application/octet-stream';
    const at = now();
    const msg: EvolutionSentMessage = {
      id: nextId(),
      remoteJid,
      number,
      text: typeof b.caption === 'string' ? b.caption : '',
      at,
      requestSeq: rec.seq,
      deleted: false,
      options: b.quoted !== undefined ? { quoted: b.quoted } : {},
      media: { mediatype, mimetype, ...(typeof b.fileName === 'string' ? { fileName: b.fileName } : {}), bytes },
    };
    sent.push(msg);
    byId.set(msg.id, msg);
    const messageType = `${mediatype}Message`;
    await finish(f, req, res, rec, 201, {
      key: { remoteJid, fromMe: true, id: msg.id },
      pushName: '',
      status: 'PENDING',
      message: {
        [messageType]: {
          mimetype,
          ...(msg.text ? { caption: msg.text } : {}),
          ...(msg.media?.fileName ? { fileName: msg.media.fileName } : {}),
          fileLength: String(bytes.length),
          fileSha256: createHash('sha256').update(bytes).digest('base64'),
        },
      },
      contextInfo: null,
      messageType,
      messageTimestamp: Math.floor(at / 1000),
      instanceId,
      source: 'unknown',
    });
  }

  async function deleteRoute(f: EvolutionFailure | undefined, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const b = rec.body;
    if (!isObj(b)) return badRequest(res, rec, ['body must be a JSON object']);
    const errors: string[] = [];
    if (!nonEmptyString(b.id)) errors.push('"id" is required and must be a non-empty string');
    if (typeof b.fromMe !== 'boolean') errors.push('"fromMe" is required and must be a boolean');
    if (!nonEmptyString(b.remoteJid)) errors.push('"remoteJid" is required and must be a non-empty string');
    if (b.participant !== undefined && !nonEmptyString(b.participant)) errors.push('"participant" must be a non-empty string');
    if (errors.length > 0) return badRequest(res, rec, errors);
    const at = now();
    const target = byId.get(String(b.id));
    let reason: EvolutionRevoke['reason'] = 'ok';
    if (!target || target.remoteJid !== b.remoteJid) reason = 'unknown-message';
    else if (b.fromMe !== true) reason = 'not-from-me';
    else if (at - target.at > deleteWindowMs) reason = 'too-old';
    else if (state.revokesIgnored) reason = 'ignored';
    const effective = reason === 'ok';
    if (effective && target) target.deleted = true;
    const key: Record<string, unknown> = { remoteJid: b.remoteJid, fromMe: b.fromMe, id: b.id };
    if (nonEmptyString(b.participant)) key.participant = b.participant;
    revokes.push({
      targetId: String(b.id),
      remoteJid: String(b.remoteJid),
      fromMe: b.fromMe === true,
      ...(nonEmptyString(b.participant) ? { participant: b.participant } : {}),
      at,
      effective,
      reason,
    });
    // The gateway answers the same whatever happens on the customer's phone.
    await finish(f, req, res, rec, 201, {
      key: { remoteJid: b.remoteJid, fromMe: true, id: nextId() },
      message: { protocolMessage: { key, type: 'REVOKE' } },
      messageTimestamp: Math.floor(at / 1000),
      status: 'PENDING',
    });
  }

  async function updateRoute(f: EvolutionFailure | undefined, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const b = rec.body;
    if (!isObj(b)) return badRequest(res, rec, ['body must be a JSON object']);
    const errors: string[] = [];
    if (!nonEmptyString(b.number)) errors.push('"number" is required and must be a non-empty string');
    if (!nonEmptyString(b.text)) errors.push('"text" is required and must be a non-empty string');
    const k = b.key;
    if (!isObj(k)) errors.push('"key" is required and must be an object');
    else {
      if (!nonEmptyString(k.id)) errors.push('"key.id" is required and must be a non-empty string');
      if (!nonEmptyString(k.remoteJid)) errors.push('"key.remoteJid" is required and must be a non-empty string');
      if (typeof k.fromMe !== 'boolean') errors.push('"key.fromMe" is required and must be a boolean');
    }
    if (errors.length > 0 || !isObj(k)) return badRequest(res, rec, errors);
    const jid = userJid(String(b.number));
    const target = byId.get(String(k.id));
    if (!target || target.deleted) {
      sendJson(res, rec, 404, gatewayError(404, 'Not Found', ['Message not found']));
      return;
    }
    if (k.fromMe !== true) return badRequest(res, rec, ['You can only edit your own messages']);
    if (k.remoteJid !== target.remoteJid || jid !== target.remoteJid) {
      return badRequest(res, rec, ['RemoteJid does not match']);
    }
    const at = now();
    if (at - target.at > editWindowMs) return badRequest(res, rec, ['Message is older than 15 minutes']);
    target.text = String(b.text);
    edits.push({ targetId: target.id, remoteJid: target.remoteJid, text: target.text, at, effective: true });
    await finish(f, req, res, rec, 200, {
      key: { remoteJid: target.remoteJid, fromMe: true, id: nextId() },
      message: {
        protocolMessage: {
          key: { remoteJid: target.remoteJid, fromMe: true, id: target.id },
          type: 'MESSAGE_EDIT',
          editedMessage: { conversation: target.text },
          timestampMs: at,
        },
      },
      messageTimestamp: Math.floor(at / 1000),
      status: 'PENDING',
    });
  }

  const fake = await startFakeServer(async (req, res, rec) => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const route = ROUTES.find((r) => r.method === rec.method && rec.path.startsWith(r.prefix));
    const name = route ? decodeURIComponent(rec.path.slice(route.prefix.length)) : '';
    if (!route || name === '' || name.includes('/')) {
      sendJson(res, rec, 404, gatewayError(404, 'Not Found', [`Cannot ${rec.method} ${rec.path}`]));
      return;
    }
    let failure = state.failures.shift();
    if (failure?.kind === 'delay') {
      await sleep(failure.ms);
      failure = undefined;
    }
    if (failure && failure.kind !== 'acceptThenDrop' && failure.kind !== 'acceptThenHang' && failure.kind !== 'acceptThenDelay') {
      answerFailure(failure, req, res, rec);
      return;
    }
    if (rec.headers.apikey !== state.apiKey) {
      sendJson(res, rec, 401, gatewayError(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (name !== instance) {
      sendJson(res, rec, 404, gatewayError(404, 'Not Found', [`The "${name}" instance does not exist`]));
      return;
    }
    switch (route.name) {
      case 'sendText':
        return sendTextRoute(failure, req, res, rec);
      case 'sendMedia':
        return sendMediaRoute(failure, req, res, rec);
      case 'delete':
        return deleteRoute(failure, req, res, rec);
      case 'update':
        return updateRoute(failure, req, res, rec);
      case 'state':
        sendJson(res, rec, 200, { instance: { instanceName: instance, state: 'open' } });
        return;
    }
  }, now);

  const ref: EvolutionInstanceRef = { instance, instanceId, ownNumber, apiKey: state.apiKey, serverUrl: fake.url };
  const currentRef = (): EvolutionInstanceRef => ({ ...ref, apiKey: state.apiKey });

  const webhooks = {
    upsert: (m: Parameters<typeof messagesUpsert>[1]) => messagesUpsert(currentRef(), m),
    update: (u: Parameters<typeof messagesUpdate>[1]) => messagesUpdate(currentRef(), u),
    delete: (d: Parameters<typeof messagesDelete>[1]) => messagesDelete(currentRef(), d),
    edited: (e: Parameters<typeof messagesEdited>[1]) => messagesEdited(currentRef(), e),
    upsertContent: (m: Parameters<typeof messagesUpsertContent>[1]) => messagesUpsertContent(currentRef(), m),
    /** An ack for a message this fake sent. */
    ackFor(id: string, status: EvolutionAck): EvolutionWebhookPayload {
      const m = byId.get(id);
      if (!m) throw new Error(`evolution fake: no sent message ${id}`);
      return messagesUpdate(currentRef(), { keyId: id, remoteJid: m.remoteJid, status });
    },
  };

  return {
    url: fake.url,
    instance,
    instanceId,
    ownNumber,
    get apiKey() {
      return state.apiKey;
    },
    received: fake.received,
    /** Messages sent through sendText and sendMedia, in order. */
    sent,
    revokes,
    edits,
    webhookDeliveries,
    webhooks,

    setBehaviour(b: EvolutionBehaviour): void {
      if (b.failures !== undefined) state.failures = [...b.failures];
      if (b.apiKey !== undefined) state.apiKey = b.apiKey;
      if (b.revokesIgnored !== undefined) state.revokesIgnored = b.revokesIgnored;
      if (b.latencyMs !== undefined) state.latencyMs = b.latencyMs;
    },
    failNext(failure: EvolutionFailure, times = 1): void {
      for (let i = 0; i < times; i++) state.failures.push(failure);
    },
    setWebhookUrl(url: string | undefined): void {
      state.webhookUrl = url;
    },
    /** POSTs a webhook with the `apikey` header (the instance key unless overridden). */
    async sendWebhook(
      targetUrl: string,
      payload: EvolutionWebhookPayload,
      opts: SendEvolutionWebhookOptions = {},
    ): Promise<WebhookDelivery> {
      const d = await sendEvolutionWebhook(targetUrl, payload, opts);
      webhookDeliveries.push(d);
      return d;
    },
    /** Sends `messages.update` for a sent message to `webhookUrl`. */
    ack(id: string, status: EvolutionAck, opts: SendEvolutionWebhookOptions = {}): Promise<WebhookDelivery> {
      if (!state.webhookUrl) throw new Error('evolution fake: no webhook url');
      return this.sendWebhook(state.webhookUrl, webhooks.ackFor(id, status), opts);
    },
    releaseHung(): void {
      for (const res of hung) {
        if (!res.writableEnded) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(gatewayError(500, 'Internal Server Error', ['released'])));
        }
      }
      hung.clear();
    },
    async close(): Promise<void> {
      hung.clear();
      await fake.close();
    },
  };
}

export type EvolutionApiFake = Awaited<ReturnType<typeof startEvolutionApiFake>>;
