// The workspace's allow-list (and its spelling glossary): phrases the team has said are not
// mistakes. One post-filter at the end of runGuard: a finding whose covered text is, once folded,
// an entry that applies to its kind or category is dropped. Pure, no I/O.

import type { GuardAllowEntry, GuardFinding } from './types.ts';

/**
 * The form two phrases are compared in: lower case, accents and other marks removed, typographic
 * apostrophes and dashes made plain, œ/æ spelled out, runs of white space made one space, trimmed.
 * Lengths may change: this is for comparing, never for offsets.
 */
export function foldPhrase(phrase: string): string {
  return phrase
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2019\u2018\u02bc`]/g, "'")
    .replace(/[\u2010\u2011\u2013\u2014]/g, '-')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether an entry (for all findings, a category, or one kind) applies to a finding of this kind. */
export function entryApplies(entry: { kind?: string | null; category?: string | null }, kind: string, category: string): boolean {
  if (entry.kind) return entry.kind === kind;
  if (entry.category) return entry.category === category;
  return true;
}

// A glossary word also covers its elided forms ("l'updo", "d’Airbnb"): the spelling check may flag
// the whole token.
const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'/;

// The workspace's list comes back with every check (the same array while the workspace data is
// cached): it is folded once per array, not per message. Entries are read, never changed.
const indexes = new WeakMap<readonly GuardAllowEntry[], Map<string, GuardAllowEntry[]>>();

function indexOf(allow: readonly GuardAllowEntry[]): Map<string, GuardAllowEntry[]> {
  let byPhrase = indexes.get(allow);
  if (byPhrase) return byPhrase;
  byPhrase = new Map();
  for (const entry of allow) {
    const folded = foldPhrase(entry.text);
    if (folded === '') continue;
    const list = byPhrase.get(folded);
    if (list) list.push(entry);
    else byPhrase.set(folded, [entry]);
  }
  indexes.set(allow, byPhrase);
  return byPhrase;
}

/** `findings` without those the allow-list covers (the same array when nothing is dropped). */
export function applyAllowList(findings: GuardFinding[], text: string, allow: readonly GuardAllowEntry[] | undefined): GuardFinding[] {
  if (allow === undefined || allow.length === 0 || findings.length === 0) return findings;
  const byPhrase = indexOf(allow);
  const covered = (phrase: string, f: GuardFinding) => byPhrase.get(phrase)?.some((e) => entryApplies(e, f.kind, f.category)) ?? false;
  const kept = findings.filter((f) => {
    const phrase = foldPhrase(text.slice(f.start, f.end));
    if (covered(phrase, f)) return false;
    if (f.category !== 'spelling') return true;
    const bare = phrase.replace(ELISION, '');
    return bare === phrase || !covered(bare, f);
  });
  return kept.length === findings.length ? findings : kept;
}
