import type { RealtimeEvent } from '../contracts/realtime.ts';

export interface SseClient {
  readonly events: RealtimeEvent[];
  /** Resolves with the first event (already received or to come) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (event: RealtimeEvent) => boolean, timeoutMs?: number): Promise<RealtimeEvent>;
  close(): void;
}

/**
 * Reads `GET /api/v1/events` like a browser's EventSource would (tests, scripts): `data:` lines
 * parsed as JSON; `lastEventId` is sent as `Last-Event-ID`, as a browser does when it reconnects.
 */
export async function openEventStream(baseUrl: string, token: string, options: { lastEventId?: string; onEvent?: (event: RealtimeEvent) => void; onEnd?: (lastEventId: string | undefined) => void } = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`event stream: ${response.status}`);
  const events: RealtimeEvent[] = [];
  const waiters = new Set<() => void>();
  let lastEventId: string | undefined;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) lastEventId = line.slice(4);
            if (!line.startsWith('data: ')) continue;
            const event = JSON.parse(line.slice(6)) as RealtimeEvent;
            events.push(event);
            options.onEvent?.(event);
          }
          for (const wake of waiters) wake();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted or cut: the stream is over
    }
    options.onEnd?.(lastEventId);
  })();
  return {
    events,
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms (${events.length} received)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => abort.abort(),
  };
}
