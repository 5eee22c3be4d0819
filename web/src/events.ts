import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RealtimeEvent } from '../../src/contracts/realtime.ts';
import { API } from './api.ts';

export type { RealtimeEvent } from '../../src/contracts/realtime.ts';

type RealtimeListener = (event: RealtimeEvent) => void;
const realtimeListeners = new Set<RealtimeListener>();
/** Every event of the stream, as it arrives (notifications listen here). */
export function onRealtimeEvent(listener: RealtimeListener): () => void {
  realtimeListeners.add(listener);
  return () => realtimeListeners.delete(listener);
}
/** Hands one event to the listeners (the stream does; tests may). */
export function dispatchRealtimeEvent(event: RealtimeEvent): void {
  for (const listener of realtimeListeners) listener(event);
}


/**
 * Subscribes to the workspace's event stream (unnamed events, the type inside the data) and invalidates the affected queries, coalescing
 * bursts (a batch dispatch can emit hundreds of events) into one refetch per query per 150 ms.
 */
export function useEventStream(client: QueryClient, enabled: boolean): 'live' | 'reconnecting' | 'off' {
  const [state, setState] = useState<'live' | 'reconnecting' | 'off'>('off');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API}/events`, { withCredentials: true });
    const pending = new Set<string>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const keys = [...pending];
      pending.clear();
      for (const key of keys) {
        const parsed = JSON.parse(key) as unknown[];
        void client.invalidateQueries({ queryKey: parsed });
      }
    };
    const onEvent = (raw: MessageEvent<string>) => {
      let event: RealtimeEvent;
      try {
        event = JSON.parse(raw.data) as RealtimeEvent;
      } catch {
        return;
      }
      dispatchRealtimeEvent(event);
      // Guard feedback and allow-list changes concern the Checks page only.
      if (event.type.startsWith('guard.')) {
        pending.add(JSON.stringify(['guard']));
        flushTimer ??= setTimeout(flush, 150);
        return;
      }
      pending.add(JSON.stringify(['conversations']));
      if (event.conversationId) pending.add(JSON.stringify(['messages', event.conversationId]));
      else pending.add(JSON.stringify(['messages']));
      pending.add(JSON.stringify(['screen']));
      pending.add(JSON.stringify(['approvals']));
      if (event.messageId) pending.add(JSON.stringify(['remedies', event.messageId]));
      flushTimer ??= setTimeout(flush, 150);
    };
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.onmessage = onEvent;
    return () => {
      source.close();
      if (flushTimer) clearTimeout(flushTimer);
      setState('off');
    };
  }, [client, enabled]);
  return state;
}
