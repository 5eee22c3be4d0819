import type { ProviderError } from '../../contracts/provider-errors.ts';

/** Evolution's error envelope: `{ status, error, response: { message: string | unknown[] } }`. */
interface EvolutionErrorBody {
  response?: { message?: unknown };
}

/**
 * Maps an Evolution API failure to our neutral codes. Branch on the HTTP status, never on the
 * wording (it comes from a schema validator and changes between releases), except for the one
 * structured refusal: a number that is not on WhatsApp.
 */
export function mapEvolutionError(status: number, body: unknown, retryAfterHeader: string | null): ProviderError {
  const message = (body as EvolutionErrorBody | undefined)?.response?.message;
  const providerMessage = typeof message === 'string' ? message : message !== undefined ? JSON.stringify(message) : undefined;
  const base = { providerCode: String(status), ...(providerMessage ? { providerMessage: providerMessage.slice(0, 500) } : {}) };
  if (status === 429) {
    const retryAfter = retryAfterHeader !== null && Number.isFinite(Number(retryAfterHeader)) ? Math.ceil(Number(retryAfterHeader)) : undefined;
    return { code: 'rate_limited', retryable: true, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}), ...base };
  }
  if (status >= 500) return { code: 'provider_unavailable', retryable: true, ...base };
  if (status === 401 || status === 403) return { code: 'auth_failed', retryable: false, ...base };
  if (status === 400 && Array.isArray(message) && message.some((m) => (m as { exists?: unknown })?.exists === false)) {
    return { code: 'recipient_unreachable', retryable: false, ...base };
  }
  if (status === 400 || status === 404 || status === 422) return { code: 'invalid_request', retryable: false, ...base };
  return { code: 'rejected', retryable: false, ...base };
}
