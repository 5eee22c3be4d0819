import { describe, expect, it } from 'vitest';
import { retryUnmatchedAt, UNMATCHED_RETRY_HORIZON_MS } from './unmatched-provider-event.ts';

const received = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(received.getTime() + ms);

describe('retrying a webhook fact about a message we do not have yet', () => {
  it('retries a fresh fact after one second', () => {
    expect(retryUnmatchedAt(received, received)).toEqual(at(1_000));
    expect(retryUnmatchedAt(received, at(1_500))).toEqual(at(2_500));
  });

  it('waits half the age of the fact, at most a minute', () => {
    expect(retryUnmatchedAt(received, at(10_000))).toEqual(at(15_000));
    expect(retryUnmatchedAt(received, at(300_000))).toEqual(at(360_000));
  });

  it('never plans a retry past the horizon, and gives up at it', () => {
    expect(retryUnmatchedAt(received, at(UNMATCHED_RETRY_HORIZON_MS - 10_000))).toEqual(at(UNMATCHED_RETRY_HORIZON_MS));
    expect(retryUnmatchedAt(received, at(UNMATCHED_RETRY_HORIZON_MS))).toBeNull();
    expect(retryUnmatchedAt(received, at(UNMATCHED_RETRY_HORIZON_MS + 1))).toBeNull();
  });

  it('a fact stamped after now (clock skew between processes) is retried soon, not never', () => {
    expect(retryUnmatchedAt(received, at(-5_000))).toEqual(at(-4_000));
  });
});
