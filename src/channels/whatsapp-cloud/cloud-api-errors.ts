import type { ProviderError } from '../../contracts/provider-errors.ts';

/** The error body of the Graph API: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number };
}

// Throughput limits: account (4, 80007), per number (130429), per customer pair (131056).
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
const AUTH_CODES = new Set([0, 190, 10, 200]);

/** Maps a Cloud API failure (HTTP status, JSON body, Retry-After) to our neutral codes. */
export function mapCloudApiError(status: number, body: unknown, retryAfterHeader: string | null): ProviderError {
  const graph = (body as GraphErrorBody | null)?.error;
  const code = graph?.code;
  const base = {
    ...(code !== undefined ? { providerCode: String(code) } : {}),
    ...(graph?.message ? { providerMessage: graph.message } : {}),
  };
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if ((code !== undefined && RATE_LIMIT_CODES.has(code)) || status === 429) {
    return { code: 'rate_limited', retryable: true, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}), ...base };
  }
  if (code === 131047) return { code: 'outside_service_window', retryable: false, ...base };
  if (code === 131026) return { code: 'recipient_unreachable', retryable: false, ...base };
  if ((code !== undefined && AUTH_CODES.has(code)) || status === 401 || status === 403) {
    return { code: 'auth_failed', retryable: false, ...base };
  }
  if (status >= 500 || code === 1 || code === 2 || code === 131000 || code === 131016) {
    return { code: 'provider_unavailable', retryable: true, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}), ...base };
  }
  if (code === 100 || code === 131008 || code === 131009 || code === 131051) {
    return { code: 'invalid_request', retryable: false, ...base };
  }
  return { code: 'rejected', retryable: false, ...base };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
