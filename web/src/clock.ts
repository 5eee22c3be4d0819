import { useSyncExternalStore } from 'react';

// One ticker for every countdown on screen: a re-render per second, aligned to the second.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;

function tick() {
  now = Date.now();
  for (const listener of listeners) listener();
  timer = setTimeout(tick, 1000 - (now % 1000) + 5);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    now = Date.now();
    timer = setTimeout(tick, 1000 - (now % 1000) + 5);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) clearTimeout(timer);
  };
}

/** The browser clock, refreshed every second while something shows a countdown. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** Seconds from `now` until an ISO instant (negative once past), or null without one. */
export function secondsUntil(iso: string | null | undefined, at: number): number | null {
  if (!iso) return null;
  return (Date.parse(iso) - at) / 1000;
}
