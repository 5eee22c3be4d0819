/**
 * Plumbing shared by the WhatsApp API fakes: a node:http server bound to 127.0.0.1 on a free port,
 * raw-body reading, request recording, JSON replies, and a small client used to deliver webhooks.
 * Nothing here knows about WhatsApp.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request as the fake saw it. Kept in arrival order in the fake's `received` list. */
export interface RecordedRequest {
  /** 1-based arrival number, across all requests the fake received. */
  readonly seq: number;
  readonly method: string;
  /** Path without the query string, e.g. `/v21.0/1234/messages`. */
  readonly path: string;
  readonly query: Record<string, string>;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  /** The body exactly as received (UTF-8). */
  readonly rawBody: string;
  /** The body's bytes (uploads). */
  readonly rawBytes: Buffer;
  /** `rawBody` parsed as JSON, or `undefined` when it is empty or not JSON. */
  readonly body: unknown;
  /** When the request was complete, in the fake's clock (ms since the epoch). */
  readonly at: number;
  /** Filled in once the fake answers; `'dropped'` when it cut the connection, `'hung'` while it holds it. */
  outcome: RequestOutcome;
}

export type RequestOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'hung' };

export type Handler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void | Promise<void>;

export interface FakeServer {
  readonly url: string;
  readonly server: Server;
  readonly received: RecordedRequest[];
  close(): Promise<void>;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function readRawBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function readRawBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Starts a server on 127.0.0.1 with a free port; every request is recorded before `handler` runs. */
export async function startFakeServer(handler: Handler, now: () => number): Promise<FakeServer> {
  const received: RecordedRequest[] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const rawBytes = await readRawBytes(req);
      const url = new URL(req.url ?? '/', 'http://fake.local');
      const headers = flattenHeaders(req);
      // Uploads are kept as bytes only: decoding megabytes of binary as text is of no use to anyone.
      const binary = /^(multipart\/|image\/|application\/octet-stream)/i.test(headers['content-type'] ?? '');
      const rawBody = binary ? '' : rawBytes.toString('utf8');
      const recorded: RecordedRequest = {
        seq: ++seq,
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        headers,
        rawBody,
        rawBytes,
        body: binary ? undefined : parseJson(rawBody),
        at: now(),
        outcome: { kind: 'pending' },
      };
      received.push(recorded);
      try {
        await handler(req, res, recorded);
      } catch (err) {
        if (!res.headersSent) {
          sendJson(res, recorded, 599, { fakeError: String(err) });
        }
      }
    })();
  });
  // Keep-alive sockets would make close() wait; the fakes close them explicitly.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  recorded: RecordedRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
  recorded.outcome = { kind: 'answered', status, body };
}

export function sendText(
  res: ServerResponse,
  recorded: RecordedRequest,
  status: number,
  text: string,
  contentType = 'text/plain; charset=UTF-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
  recorded.outcome = { kind: 'answered', status, body: text };
}

/** Cuts the TCP connection without an HTTP answer: the client sees a reset / "socket hang up". */
export function dropConnection(req: IncomingMessage, recorded: RecordedRequest): void {
  recorded.outcome = { kind: 'dropped' };
  req.socket.destroy();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a webhook receiver answered. */
export interface WebhookDelivery {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly rawBody: string;
  readonly status: number;
  readonly responseBody: string;
}

/** POSTs `rawBody` to `url` with `headers` and returns the receiver's answer (never throws on 4xx/5xx). */
export async function postRaw(url: string, rawBody: string, headers: Record<string, string>): Promise<WebhookDelivery> {
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const responseBody = await res.text();
  return { url, headers, rawBody, status: res.status, responseBody };
}

/**
 * A stand-in webhook receiver, for tests that let a fake push webhooks on its own (statuses after a
 * send, acks). Records every POST and answers `reply` (200 by default).
 */
export interface WebhookRecorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  setReply(status: number, body?: string): void;
  /** Resolves once at least `n` requests arrived (polls every 5 ms, rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  let reply = { status: 200, body: 'OK' };
  const fake = await startFakeServer((_req, res, recorded) => {
    sendText(res, recorded, reply.status, reply.body);
  }, Date.now);
  return {
    url: fake.url,
    requests: fake.received,
    setReply(status, body = '') {
      reply = { status, body };
    },
    async waitFor(n, timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      while (fake.received.length < n) {
        if (Date.now() > deadline) {
          throw new Error(`webhook recorder: expected ${n} requests, got ${fake.received.length}`);
        }
        await sleep(5);
      }
      return fake.received;
    },
    close: fake.close,
  };
}
