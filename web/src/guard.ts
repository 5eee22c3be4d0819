import { useEffect, useRef, useState } from 'react';
import { post } from './api.ts';
import type { Finding, GuardCheck } from './types.ts';

export const GUARD_DEBOUNCE_MS = 90;

/** A finding's sentence in the reader's (interface) language, whatever the message's language. */
export const findingMessage = (f: Pick<Finding, 'message' | 'messages'>, lang: 'fr' | 'en'): string => f.messages?.[lang] ?? f.message;

export interface GuardState {
  /** The latest answer, for `checkedText`. */
  check: GuardCheck | null;
  checkedText: string;
  pending: boolean;
  error: boolean;
}

/**
 * Live pre-send checks: one request `GUARD_DEBOUNCE_MS` after the agent stops typing; a newer
 * keystroke aborts the request in flight, so a stale answer never replaces a fresh one.
 */
export function useGuardCheck(text: string, contactId: string | undefined, channelId: string | undefined): GuardState {
  const [state, setState] = useState<GuardState>({ check: null, checkedText: '', pending: false, error: false });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    controller.current?.abort();
    if (text.trim() === '') {
      setState({ check: null, checkedText: text, pending: false, error: false });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const abort = new AbortController();
    controller.current = abort;
    const timer = setTimeout(async () => {
      try {
        const check = await post<GuardCheck>('guard/check', { text, contactId, channelId }, abort.signal);
        if (!abort.signal.aborted) setState({ check, checkedText: text, pending: false, error: false });
      } catch (error) {
        if (!abort.signal.aborted && (error as Error).name !== 'AbortError') setState((s) => ({ ...s, pending: false, error: true }));
      }
    }, GUARD_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text, contactId, channelId]);

  return state;
}

export interface Segment<F> {
  text: string;
  finding: F | null;
  index: number;
  /** Offset of the segment in the text: a stable key. */
  start: number;
}

/** Splits text into plain and flagged segments (overlapping findings: the earlier one wins). */
export function segments<F extends { start: number; end: number }>(text: string, findings: readonly F[]): Segment<F>[] {
  const sorted = findings
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => f.end > f.start && f.start >= 0 && f.end <= text.length)
    .sort((a, b) => a.f.start - b.f.start || b.f.end - a.f.end);
  const out: Segment<F>[] = [];
  let at = 0;
  for (const { f, index } of sorted) {
    if (f.start < at) continue;
    if (f.start > at) out.push({ text: text.slice(at, f.start), finding: null, index: -1, start: at });
    out.push({ text: text.slice(f.start, f.end), finding: f, index, start: f.start });
    at = f.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), finding: null, index: -1, start: at });
  return out;
}

/** Kinds the author must acknowledge before sending (the policy says "warn"). */
export function kindsToAcknowledge(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.action === 'warn').map((f) => f.kind))];
}
