// Feedback from agents on the pre-send guard: false alarms, missed mistakes, the allow-list and
// the workspace glossary (allow-list entries of kind `spelling.word`). Pure decisions; the commands
// in src/commands/guard/ load and save.

import { entryApplies, foldPhrase } from './guard/allowlist.ts';
import type { DomainError } from './message-lifecycle.ts';

export const FEEDBACK_CATEGORIES = ['pii', 'price', 'recipient', 'tone', 'spelling'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];
export type FeedbackVerdict = 'false_alarm' | 'missed';

/** The glossary is the allow-list's entries of this kind: a word that is never a spelling mistake. */
export const GLOSSARY_KIND = 'spelling.word';
/** False alarms on the same phrase and kind (by anyone) before it is proposed for the allow-list. */
export const PROPOSAL_THRESHOLD = 3;

export interface Span {
  start: number;
  end: number;
}

export interface GuardFeedback {
  id: string;
  workspaceId: string;
  userId: string;
  createdAt: Date;
  verdict: FeedbackVerdict;
  /** A guard kind (`tone.condescending`) or, for a missed mistake, possibly only a category (`tone`). */
  kind: string;
  category: FeedbackCategory;
  /** The whole message as the agent had it. */
  text: string;
  span: Span | null;
  /** `text` within `span`: the flagged (or missed) part. */
  phrase: string | null;
  foldedPhrase: string | null;
  /** The agent asked for the word to join the workspace glossary. */
  glossary: boolean;
  note: string | null;
}

export interface AllowEntry {
  id: string;
  workspaceId: string;
  phrase: string;
  foldedPhrase: string;
  /** At most one of kind and category; neither: every kind of finding. */
  kind: string | null;
  category: string | null;
  createdBy: string;
  createdAt: Date;
  removedAt: Date | null;
  removedBy: string | null;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

const invalid = (en: string, fr: string, details: Record<string, unknown>): { ok: false; error: DomainError } => ({
  ok: false,
  error: { code: 'validation_failed', message: { en, fr }, details },
});

/** `tone.blaming` → `tone`; `tone` → `tone`; anything else → null. */
export function categoryOf(kind: string): FeedbackCategory | null {
  const head = kind.split('.')[0] as FeedbackCategory;
  return FEEDBACK_CATEGORIES.includes(head) ? head : null;
}

interface FeedbackInput {
  id: string;
  workspaceId: string;
  userId: string;
  now: Date;
  text: string;
  note?: string | undefined;
}

function feedbackOf(
  input: FeedbackInput,
  verdict: FeedbackVerdict,
  kind: string,
  span: Span | undefined,
  glossary: boolean,
): Result<GuardFeedback> {
  const category = categoryOf(kind);
  if (!category) return invalid(`Unknown guard kind “${kind}”.`, `Type d’alerte inconnu « ${kind} ».`, { field: 'kind' });
  let phrase: string | null = null;
  if (span) {
    if (span.start < 0 || span.end <= span.start || span.end > input.text.length) {
      return invalid(
        'The span must lie inside the text (start < end ≤ its length).',
        'La plage doit être dans le texte (début < fin ≤ sa longueur).',
        { field: 'span', length: input.text.length },
      );
    }
    phrase = input.text.slice(span.start, span.end);
    if (foldPhrase(phrase) === '') return invalid('The span covers only spaces.', 'La plage ne contient que des espaces.', { field: 'span' });
  }
  const note = input.note?.trim() ? input.note.trim() : null;
  return {
    ok: true,
    value: {
      id: input.id,
      workspaceId: input.workspaceId,
      userId: input.userId,
      createdAt: input.now,
      verdict,
      kind,
      category,
      text: input.text,
      span: span ?? null,
      phrase,
      foldedPhrase: phrase === null ? null : foldPhrase(phrase),
      glossary,
      note,
    },
  };
}

/** "Not a mistake" on a finding the agent was shown. A glossary wish only makes sense for spelling. */
export function decideFalseAlarm(input: FeedbackInput & { findingKind: string; span: Span; glossary?: boolean | undefined }): Result<GuardFeedback> {
  if (input.glossary && categoryOf(input.findingKind) !== 'spelling') {
    return invalid('Only spelling findings can add a word to the glossary.', 'Seules les fautes d’orthographe peuvent ajouter un mot au glossaire.', {
      field: 'glossary',
    });
  }
  if (!input.findingKind.includes('.')) {
    return invalid('A false alarm names the finding’s kind, such as “tone.blaming”.', 'Une fausse alerte indique le type exact, par exemple « tone.blaming ».', {
      field: 'findingKind',
    });
  }
  return feedbackOf(input, 'false_alarm', input.findingKind, input.span, input.glossary ?? false);
}

/** "Report a missed mistake": the message and what was wrong with it (a kind or a category, optionally where). */
export function decideMissedMistake(input: FeedbackInput & { kind: string; span?: Span | undefined }): Result<GuardFeedback> {
  return feedbackOf(input, 'missed', input.kind, input.span, false);
}

const duplicate: DomainError = {
  code: 'conflict',
  message: { en: 'This phrase is already on the allow-list for these findings.', fr: 'Cette expression figure déjà dans la liste autorisée pour ces alertes.' },
  details: { reason: 'already_allowed' },
};

/** A new allow-list entry, unless an active one already says the same. */
export function decideAllowEntry(
  input: { id: string; workspaceId: string; userId: string; now: Date; text: string; kind?: string | undefined; category?: string | undefined },
  active: readonly Pick<AllowEntry, 'foldedPhrase' | 'kind' | 'category'>[],
): Result<AllowEntry> {
  const phrase = input.text.trim().replace(/\s+/gu, ' ');
  const folded = foldPhrase(phrase);
  if (folded === '') return invalid('The phrase is empty.', 'L’expression est vide.', { field: 'text' });
  if (input.kind && input.category) {
    return invalid('Give a kind or a category, not both.', 'Indiquez un type ou une catégorie, pas les deux.', { field: 'kind' });
  }
  if (input.kind && !input.kind.includes('.')) return invalid(`Unknown guard kind “${input.kind}”.`, `Type d’alerte inconnu « ${input.kind} ».`, { field: 'kind' });
  if ((input.kind && !categoryOf(input.kind)) || (input.category && !categoryOf(input.category))) {
    return invalid('Unknown guard kind or category.', 'Type ou catégorie d’alerte inconnu.', { field: input.kind ? 'kind' : 'category' });
  }
  const kind = input.kind ?? null;
  const category = kind ? null : (input.category ?? null);
  if (active.some((e) => e.foldedPhrase === folded && e.kind === kind && e.category === category)) return { ok: false, error: duplicate };
  return {
    ok: true,
    value: {
      id: input.id,
      workspaceId: input.workspaceId,
      phrase,
      foldedPhrase: folded,
      kind,
      category,
      createdBy: input.userId,
      createdAt: input.now,
      removedAt: null,
      removedBy: null,
    },
  };
}

const WORD = /^[\p{L}\p{M}\p{N}]+(?:['’.-][\p{L}\p{M}\p{N}]+)*$/u;

/** A word for the workspace glossary: one word (letters, digits, inner apostrophes, dots or hyphens). */
export function decideGlossaryWord(
  input: { id: string; workspaceId: string; userId: string; now: Date; word: string },
  active: readonly Pick<AllowEntry, 'foldedPhrase' | 'kind' | 'category'>[],
): Result<AllowEntry> {
  const word = input.word.trim();
  if (!WORD.test(word)) {
    return invalid('The glossary takes one word at a time.', 'Le glossaire prend un mot à la fois.', { field: 'word' });
  }
  return decideAllowEntry({ ...input, text: word, kind: GLOSSARY_KIND }, active);
}

/** Removal is recorded, never a deletion; removing twice changes nothing. */
export function decideRemoval(entry: AllowEntry, userId: string, now: Date): { changed: boolean; entry: AllowEntry } {
  if (entry.removedAt) return { changed: false, entry };
  return { changed: true, entry: { ...entry, removedAt: now, removedBy: userId } };
}

/** False alarms grouped by kind and folded phrase (what the database counts). */
export interface FalseAlarmGroup {
  kind: string;
  category: string;
  foldedPhrase: string;
  /** The phrase as last written. */
  phrase: string;
  count: number;
  reporters: number;
  lastAt: Date;
  glossary: boolean;
}

/**
 * Allow-list proposals for an admin: phrases reported as false alarms at least PROPOSAL_THRESHOLD
 * times on the same kind (by any agents), or spelling words someone asked to add to the glossary —
 * unless an active entry already covers them. Most reported first.
 */
export function allowListProposals(groups: readonly FalseAlarmGroup[], active: readonly Pick<AllowEntry, 'foldedPhrase' | 'kind' | 'category'>[]) {
  return groups
    .filter((g) => g.count >= PROPOSAL_THRESHOLD || (g.glossary && g.category === 'spelling'))
    .filter((g) => !active.some((e) => e.foldedPhrase === g.foldedPhrase && entryApplies(e, g.kind, g.category)))
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime() || a.foldedPhrase.localeCompare(b.foldedPhrase));
}

export interface CorpusLabel {
  kind?: string;
  category?: string;
  text?: string;
}

/**
 * One line of the JSON Lines export, in the corpus format of bench/guard/corpus (`{id, text,
 * expect}`). A missed mistake is a positive label (`kind` or `category`, with the part as `text`
 * when the agent marked it). A false alarm adds no label — `expect: []` — and names the finding it
 * contradicts in `notExpected` (the corpus loader ignores fields it does not know): the agent judged
 * that part only, not the rest of the message.
 */
export function corpusLine(f: GuardFeedback): { id: string; text: string; expect: CorpusLabel[]; notExpected?: CorpusLabel[] } {
  const label: CorpusLabel = f.kind.includes('.') ? { kind: f.kind } : { category: f.category };
  if (f.phrase !== null) label.text = f.phrase;
  const id = `fb-${f.id}`;
  return f.verdict === 'missed' ? { id, text: f.text, expect: [label] } : { id, text: f.text, expect: [], notExpected: [label] };
}

export interface KindRate {
  kind: string;
  category: string;
  falseAlarms: number;
  missed: number;
  /** Findings of this kind stored with accepted messages over the same period. */
  findings: number;
  /** falseAlarms / findings; null when no finding of the kind was stored. */
  falseAlarmRate: number | null;
}

/** False-alarm rate per kind: reports against the findings the guard stored on messages. */
export function falseAlarmRates(
  feedback: readonly { verdict: FeedbackVerdict; kind: string; n: number }[],
  findings: readonly { kind: string; n: number }[],
): KindRate[] {
  const rows = new Map<string, KindRate>();
  const row = (kind: string) => {
    let r = rows.get(kind);
    if (!r) {
      r = { kind, category: categoryOf(kind) ?? kind.split('.')[0]!, falseAlarms: 0, missed: 0, findings: 0, falseAlarmRate: null };
      rows.set(kind, r);
    }
    return r;
  };
  for (const f of feedback) {
    if (f.verdict === 'false_alarm') row(f.kind).falseAlarms += f.n;
    else row(f.kind).missed += f.n;
  }
  for (const f of findings) row(f.kind).findings += f.n;
  for (const r of rows.values()) r.falseAlarmRate = r.findings > 0 ? r.falseAlarms / r.findings : null;
  return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}
