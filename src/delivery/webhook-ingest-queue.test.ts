import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../app-context.ts';
import type { ChannelEvents } from './ingest-provider-events.ts';
import type { ChannelRow } from '../db/schema.ts';

const calls: { events: number; release: () => void; fail?: unknown }[] = [];
let inFlight = 0;
let maxInFlight = 0;
const failures: unknown[] = [];

vi.mock('./ingest-provider-events.ts', () => ({
  storeWebhookEvents: (_ctx: unknown, batches: readonly ChannelEvents[]) => {
    const events = batches.reduce((n, b) => n + b.events.length, 0);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((resolve, reject) => {
      const fail = failures.shift();
      calls.push({
        events,
        release: () => {
          inFlight--;
          if (fail) reject(fail);
          else resolve({ stored: events, duplicates: 0 });
        },
      });
    });
  },
}));

const { WebhookIngestQueue } = await import('./webhook-ingest-queue.ts');

const channel = { id: 'c', workspace_id: 'w' } as ChannelRow;
const delivery = (n: number): ChannelEvents[] => [
  { channel, events: Array.from({ length: n }, (_, i) => ({ kind: 'status', dedupeKey: `k${i}`, providerMessageId: 'm', status: 'read', at: new Date(0), errors: [] }) as const) },
];
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  calls.length = 0;
  inFlight = 0;
  maxInFlight = 0;
  failures.length = 0;
});

describe('WebhookIngestQueue', () => {
  it('writes two statements at once and groups what waits behind them; each delivery is answered after its own statement', async () => {
    const stored = vi.fn();
    const queue = new WebhookIngestQueue({} as AppContext, stored);
    const answered: number[] = [];
    const all = [1, 2, 3, 4, 5].map((i) => queue.submit(delivery(1)).then(() => answered.push(i)));
    await tick();
    expect(calls.map((c) => c.events)).toEqual([1, 1]);
    calls[1]!.release();
    await tick();
    expect(answered).toEqual([2]);
    // The three that waited share the next statement.
    expect(calls.map((c) => c.events)).toEqual([1, 1, 3]);
    calls[0]!.release();
    calls[2]!.release();
    await Promise.all(all);
    expect(answered.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(maxInFlight).toBe(2);
    expect(stored).toHaveBeenCalledTimes(3);
  });

  it('writes a delivery again when PostgreSQL cancelled its statement as a deadlock', async () => {
    failures.push(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    const queue = new WebhookIngestQueue({} as AppContext, () => {});
    const answer = queue.submit(delivery(2));
    await tick();
    calls[0]!.release();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.release();
    await expect(answer).resolves.toEqual({ stored: 2, duplicates: 0 });
  });

  it('any other failure is the delivery’s answer (the provider retries)', async () => {
    failures.push(new Error('disk full'));
    const queue = new WebhookIngestQueue({} as AppContext, () => {});
    const answer = queue.submit(delivery(1));
    await tick();
    calls[0]!.release();
    await expect(answer).rejects.toThrow('disk full');
    expect(calls).toHaveLength(1);
  });
});
