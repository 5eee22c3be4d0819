import { describe, expect, it } from 'vitest';
import { mapCloudApiError } from './cloud-api-errors.ts';

const graph = (code: number, message = 'x') => ({ error: { message, type: 'OAuthException', code, fbtrace_id: 'A1' } });

describe('mapCloudApiError', () => {
  it('throughput errors are retryable and honour Retry-After', () => {
    expect(mapCloudApiError(400, graph(130429, 'Rate limit hit'), '7')).toEqual({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 7,
      providerCode: '130429',
      providerMessage: 'Rate limit hit',
    });
    expect(mapCloudApiError(400, graph(131056), null)).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(mapCloudApiError(429, null, null)).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('the 24-hour window, unreachable numbers and bad tokens are final', () => {
    expect(mapCloudApiError(400, graph(131047), null)).toMatchObject({ code: 'outside_service_window', retryable: false });
    expect(mapCloudApiError(400, graph(131026), null)).toMatchObject({ code: 'recipient_unreachable', retryable: false });
    expect(mapCloudApiError(401, graph(190), null)).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(mapCloudApiError(400, graph(100), null)).toMatchObject({ code: 'invalid_request', retryable: false });
  });

  it('server errors and unknown-body 5xx are retryable; anything else is a final rejection', () => {
    expect(mapCloudApiError(503, null, null)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(mapCloudApiError(500, graph(131000), null)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(mapCloudApiError(400, graph(368), null)).toMatchObject({ code: 'rejected', retryable: false });
  });
});
