import http from 'node:http';
import https from 'node:https';

/**
 * The adapters' one way out: JSON over HTTP(S) with keep-alive connections and a hard timeout.
 * It never throws for an HTTP answer; a network failure comes back as `{ network: 'timeout' |
 * 'connection' }`, because for the send path "no answer" is a different fact from "an error answer".
 */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined (an HTML error page from a proxy, an empty body). */
  json: unknown;
}

export type HttpOutcome = { answer: HttpAnswer } | { network: 'timeout' | 'connection'; detail: string };

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

const MAX_ANSWER_BYTES = 1024 * 1024;

export function requestJson(request: HttpRequest): Promise<HttpOutcome> {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  const headers: Record<string, string | number> = { accept: 'application/json', ...request.headers };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = (secure ? https : http).request(
      url,
      { method: request.method, headers, agent: secure ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          finish({ answer: { status: res.statusCode ?? 0, headers: res.headers, text, json } });
        });
        res.on('error', (error) => finish({ network: 'connection', detail: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ network: 'timeout', detail: `no answer within ${request.timeoutMs} ms` });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => finish({ network: 'connection', detail: error.message }));
    if (payload) req.write(payload);
    req.end();
  });
}

export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
