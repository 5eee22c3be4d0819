import { describe, expect, it } from 'vitest';
import { decideRetry, defaultRetryPolicy } from './send-retry.ts';
import { serviceWindow } from './service-window.ts';

const now = new Date('2026-03-02T10:00:00.000Z');
const seconds = (d: { retry: boolean } & Partial<{ at: Date }>) => ((d.at?.getTime() ?? 0) - now.getTime()) / 1000;

describe('decideRetry', () => {
  it('backs off exponentially, with at most 20 % jitter', () => {
    expect(seconds(decideRetry({ attempt: 1, retryable: true }, now, 0))).toBe(2);
    expect(seconds(decideRetry({ attempt: 2, retryable: true }, now, 0))).toBe(4);
    expect(seconds(decideRetry({ attempt: 3, retryable: true }, now, 0.999))).toBeCloseTo(8 * 1.2, 1);
    expect(seconds(decideRetry({ attempt: 7, retryable: true }, now, 0))).toBe(128);
  });

  it('never retries before the provider’s Retry-After', () => {
    expect(seconds(decideRetry({ attempt: 1, retryable: true, retryAfterSeconds: 30 }, now, 0.5))).toBe(30);
    expect(seconds(decideRetry({ attempt: 5, retryable: true, retryAfterSeconds: 1 }, now, 0))).toBe(32);
  });

  it('caps the delay and gives up after the last attempt or on a permanent error', () => {
    const policy = { ...defaultRetryPolicy, maxAttempts: 20 };
    expect(seconds(decideRetry({ attempt: 15, retryable: true }, now, 0, policy))).toBe(300);
    expect(decideRetry({ attempt: 8, retryable: true }, now, 0)).toEqual({ retry: false, reason: 'attempts_exhausted' });
    expect(decideRetry({ attempt: 1, retryable: false }, now, 0)).toEqual({ retry: false, reason: 'permanent' });
  });
});

describe('serviceWindow', () => {
  const wrote = new Date('2026-03-01T10:00:00.000Z');
  it('is open for 24 hours to the second after the customer wrote, closed if they never did', () => {
    expect(serviceWindow(wrote, new Date('2026-03-02T10:00:00.000Z'))).toEqual({ open: true, closesAt: new Date('2026-03-02T10:00:00.000Z') });
    expect(serviceWindow(wrote, new Date('2026-03-02T10:00:01.000Z')).open).toBe(false);
    expect(serviceWindow(null, now)).toEqual({ open: false, closesAt: null });
  });
});
