import type { HttpOutcome } from './http-client.ts';

/**
 * The adapters' media calls, beside the JSON client: a multipart upload and a binary download with
 * a size cap. Same rule as `requestJson`: an HTTP answer never throws; no answer is `{ network }`.
 */
export interface MultipartRequest {
  url: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
  file: { field: string; bytes: Buffer; mimeType: string; filename: string };
  timeoutMs: number;
}

export async function postMultipart(request: MultipartRequest): Promise<HttpOutcome> {
  const form = new FormData();
  for (const [name, value] of Object.entries(request.fields)) form.append(name, value);
  form.append(request.file.field, new Blob([request.file.bytes], { type: request.file.mimeType }), request.file.filename);
  return call(request.url, { method: 'POST', headers: { accept: 'application/json', ...request.headers }, body: form }, request.timeoutMs, 1024 * 1024);
}

export type BytesOutcome =
  | { answer: { status: number; headers: Headers; bytes: Buffer; json: unknown } }
  | { network: 'timeout' | 'connection'; detail: string }
  | { tooLarge: number };

/** GET bytes, refusing (without reading further) anything over `maxBytes`. */
export async function getBytes(url: string, headers: Record<string, string>, timeoutMs: number, maxBytes: number): Promise<BytesOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { method: 'GET', headers, signal, redirect: 'follow' });
  } catch (error) {
    return networkOf(error);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    return { tooLarge: declared };
  }
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).length;
      if (size > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return { tooLarge: size };
      }
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    const bytes = Buffer.concat(chunks);
    return { answer: { status: res.status, headers: res.headers, bytes, json: parseJson(res.headers.get('content-type'), bytes) } };
  } catch (error) {
    return networkOf(error);
  }
}

async function call(url: string, init: RequestInit, timeoutMs: number, maxBytes: number): Promise<HttpOutcome> {
  const outcome = await getBytesWith(url, init, timeoutMs, maxBytes);
  if ('network' in outcome) return outcome;
  if ('tooLarge' in outcome) return { network: 'connection', detail: `answer larger than ${maxBytes} bytes` };
  const { status, headers, bytes, json } = outcome.answer;
  return { answer: { status, headers: Object.fromEntries(headers.entries()), text: bytes.toString('utf8'), json } };
}

async function getBytesWith(url: string, init: RequestInit, timeoutMs: number, maxBytes: number): Promise<BytesOutcome> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return networkOf(error);
  }
  try {
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes) return { tooLarge: bytes.length };
    return { answer: { status: res.status, headers: res.headers, bytes, json: parseJson(res.headers.get('content-type'), bytes) } };
  } catch (error) {
    return networkOf(error);
  }
}

function parseJson(contentType: string | null, bytes: Buffer): unknown {
  if (!contentType?.includes('json') || bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function networkOf(error: unknown): { network: 'timeout' | 'connection'; detail: string } {
  const name = (error as { name?: string } | null)?.name;
  const detail = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
  return { network: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection', detail };
}
