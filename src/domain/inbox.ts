/**
 * The team inbox's rules (issue 14): a conversation's status, who gets a new one, labels, and
 * who a note mentions. Pure: the caller brings the clock's `now` and the rows.
 */
import type { DomainError } from './message-lifecycle.ts';

export { MAX_LABEL_LENGTH, MAX_LABELS } from '../contracts/inbox-limits.ts';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** A snooze longer than this is a mistake (a year typed for a day): refused. */
export const MAX_SNOOZE_DAYS = 366;

export interface StatusState {
  status: ConversationStatus;
  snoozedUntil: Date | null;
}

export type StatusDecision =
  | { ok: true; changed: false }
  | { ok: true; changed: true; next: StatusState; event: { type: 'conversation.status_changed'; data: Record<string, unknown> } }
  | { ok: false; error: DomainError };

/** A person sets a status; a snooze needs a time in the future (and only a snooze takes one). */
export function decideStatus(current: StatusState, wanted: { status: ConversationStatus; snoozeUntil?: Date | undefined }, now: Date): StatusDecision {
  if (wanted.status === 'snoozed') {
    const until = wanted.snoozeUntil;
    if (!until) {
      return refuse({ en: 'Say until when to snooze (snoozeUntil).', fr: 'Indiquez jusqu’à quand mettre en attente (snoozeUntil).' }, 'snoozeUntil');
    }
    if (until.getTime() <= now.getTime()) {
      return refuse({ en: 'The snooze must end in the future.', fr: 'La mise en veille doit se terminer dans le futur.' }, 'snoozeUntil');
    }
    if (until.getTime() - now.getTime() > MAX_SNOOZE_DAYS * 86_400_000) {
      return refuse(
        { en: `A snooze lasts at most ${MAX_SNOOZE_DAYS} days.`, fr: `Une mise en veille dure au plus ${MAX_SNOOZE_DAYS} jours.` },
        'snoozeUntil',
      );
    }
  } else if (wanted.snoozeUntil) {
    return refuse({ en: 'Only a snoozed conversation takes snoozeUntil.', fr: 'Seule une conversation en veille accepte snoozeUntil.' }, 'snoozeUntil');
  }
  const next: StatusState = { status: wanted.status, snoozedUntil: wanted.status === 'snoozed' ? wanted.snoozeUntil! : null };
  if (next.status === current.status && next.snoozedUntil?.getTime() === current.snoozedUntil?.getTime()) return { ok: true, changed: false };
  return {
    ok: true,
    changed: true,
    next,
    event: {
      type: 'conversation.status_changed',
      data: { from: current.status, to: next.status, ...(next.snoozedUntil ? { snoozedUntil: next.snoozedUntil.toISOString() } : {}) },
    },
  };
}

/** A customer's message brings a resolved or snoozed conversation back to the open ones. */
export function reopensOnCustomerMessage(status: ConversationStatus): boolean {
  return status === 'resolved' || status === 'snoozed';
}

/** A snooze is over once its time has come (the sweep reopens it). */
export function snoozeOver(state: StatusState, now: Date): boolean {
  return state.status === 'snoozed' && state.snoozedUntil !== null && state.snoozedUntil.getTime() <= now.getTime();
}

/**
 * Round-robin: the next agent after the one given the last conversation, in a fixed order (by
 * id), wrapping around. Agents who joined or left change the ring, never the fairness of turns.
 */
export function nextInTurn(agentIds: readonly string[], lastGiven: string | null): string | null {
  if (agentIds.length === 0) return null;
  const ring = [...agentIds].sort();
  if (lastGiven === null) return ring[0]!;
  return ring.find((id) => id > lastGiven) ?? ring[0]!;
}

/**
 * A label set as given: trimmed, inner spaces collapsed, no duplicates (case and accents aside),
 * and spelled as the workspace already spells it ("vip" becomes "VIP" when "VIP" exists), so one
 * label is never two in the filters and counts.
 */
export function normalizeLabels(wanted: readonly string[], known: readonly string[]): string[] {
  const spelling = new Map(known.map((label) => [foldLabel(label), label]));
  const out = new Map<string, string>();
  for (const raw of wanted) {
    const label = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!label) continue;
    const key = foldLabel(label);
    if (!out.has(key)) out.set(key, spelling.get(key) ?? label);
  }
  return [...out.values()].sort((a, b) => a.localeCompare(b));
}

export function foldLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en');
}

export interface Teammate {
  id: string;
  name: string;
}

/**
 * Who a note mentions: "@" followed by a teammate's full name or, when only one teammate has it,
 * their first name (case and accents aside), and not followed by more letters ("@Alice" is not
 * "@Alicia"). Longest names first, so "@Ana Lopez" is Ana Lopez and not Ana Lo.
 */
export function findMentions(text: string, team: readonly Teammate[]): string[] {
  const folded = fold(text);
  const firstNames = new Map<string, string[]>();
  for (const person of team) {
    const first = fold(person.name.trim().split(/\s+/)[0] ?? '');
    if (first) firstNames.set(first, [...(firstNames.get(first) ?? []), person.id]);
  }
  const handles: { handle: string; id: string }[] = [];
  for (const person of team) {
    const full = fold(person.name.trim().replace(/\s+/g, ' '));
    if (full) handles.push({ handle: full, id: person.id });
  }
  for (const [first, ids] of firstNames) if (ids.length === 1) handles.push({ handle: first, id: ids[0]! });
  handles.sort((a, b) => b.handle.length - a.handle.length);
  const found = new Set<string>();
  for (let at = folded.indexOf('@'); at !== -1; at = folded.indexOf('@', at + 1)) {
    // An e-mail address ("jo@example.com") mentions no one.
    if (at > 0 && /[\p{L}\p{N}._-]/u.test(folded[at - 1]!)) continue;
    const rest = folded.slice(at + 1);
    const hit = handles.find((h) => rest.startsWith(h.handle) && !/^[\p{L}\p{N}]/u.test(rest.slice(h.handle.length)));
    if (hit) found.add(hit.id);
  }
  return [...found];
}

/** Case and accents aside. */
function fold(text: string): string {
  return foldLabel(text);
}

function refuse(message: { en: string; fr: string }, field: string): StatusDecision {
  return { ok: false, error: { code: 'validation_failed', message, details: { field } } };
}
