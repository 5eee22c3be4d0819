// Labelled corpus for the guard, one CLI input per line plus `expect` labels ({kind} or {category},
// optionally the `text` the finding must overlap):
// - bench/guard/corpus/train/*.jsonl — the training corpus: rules are tuned and the tone model is trained
//   on it (files named *-heldout.jsonl were held out in an earlier round and joined it afterwards);
// - bench/guard/corpus/frozen/*.jsonl — frozen test sets, written blind before a round of changes and
//   never tuned on; their SHA-256 are pinned in frozen/SHA256SUMS (checked by the quality bench).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuardCategory, GuardFinding, GuardInput } from '../../src/domain/guard/types.ts';

export const CATEGORIES: readonly GuardCategory[] = ['pii', 'price', 'recipient', 'tone', 'spelling'];

export interface Label {
  kind?: string;
  category?: GuardCategory;
  text?: string;
}

export interface CorpusEntry extends GuardInput {
  id: string;
  expect: Label[];
  file: string;
  heldOut: boolean;
}

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus', 'train');
export const FROZEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus', 'frozen');

export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const entry = JSON.parse(line) as CorpusEntry;
      for (const label of entry.expect) {
        if (label.text !== undefined && !entry.text.includes(label.text))
          throw new Error(`${file}:${i + 1}: label text "${label.text}" is not in the message`);
      }
      entries.push({ ...entry, file, heldOut: file.includes('heldout') });
    });
  }
  return entries;
}

export function labelCategory(label: Label): GuardCategory {
  return (label.category ?? label.kind?.split('.')[0]) as GuardCategory;
}

export interface Span {
  start: number;
  end: number;
  category: GuardCategory;
  kind?: string;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Mismatch {
  id: string;
  type: 'fp' | 'fn';
  category: GuardCategory;
  detail: string;
}

/**
 * Finding-level matching: a label is found when a finding of its category (and kind, if given)
 * overlaps its text (anywhere, if no text). Unmatched labels are false negatives; findings that match
 * no label are false positives, except a second finding on an already matched label (not double-counted).
 */
export function scoreEntry(entry: CorpusEntry, findings: Span[], counts: Record<GuardCategory, Counts>, mismatches?: Mismatch[]): void {
  const labelSpans = entry.expect.map((label) => {
    const at = label.text === undefined ? -1 : entry.text.indexOf(label.text);
    return { label, category: labelCategory(label), start: at, end: at < 0 ? -1 : at + label.text!.length };
  });
  const matched = new Set<number>();
  const fits = (f: Span, l: (typeof labelSpans)[number]): boolean =>
    f.category === l.category &&
    (l.label.kind === undefined || f.kind === undefined || f.kind === l.label.kind) &&
    (l.start < 0 || (f.start < l.end && l.start < f.end));
  for (const f of findings) {
    const free = labelSpans.findIndex((l, i) => !matched.has(i) && fits(f, l));
    if (free >= 0) {
      matched.add(free);
      counts[f.category].tp++;
    } else if (!labelSpans.some((l) => fits(f, l))) {
      counts[f.category].fp++;
      mismatches?.push({ id: entry.id, type: 'fp', category: f.category, detail: `${f.kind ?? f.category} "${entry.text.slice(f.start, f.end)}"` });
    }
  }
  labelSpans.forEach((l, i) => {
    if (matched.has(i)) return;
    counts[l.category].fn++;
    mismatches?.push({ id: entry.id, type: 'fn', category: l.category, detail: `${l.label.kind ?? l.category} "${l.label.text ?? ''}"` });
  });
}

export function emptyCounts(): Record<GuardCategory, Counts> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<GuardCategory, Counts>;
}

export function prf(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function findingSpans(findings: GuardFinding[]): Span[] {
  return findings.map((f) => ({ start: f.start, end: f.end, category: f.category, kind: f.kind }));
}

export function formatTable(title: string, counts: Record<GuardCategory, Counts>): string {
  const rows = [`${title}`, 'category    precision  recall   F1      tp   fp   fn'];
  for (const c of CATEGORIES) {
    const k = counts[c];
    const { precision, recall, f1 } = prf(k);
    rows.push(
      `${c.padEnd(11)} ${precision.toFixed(3).padStart(9)} ${recall.toFixed(3).padStart(7)} ${f1.toFixed(3).padStart(6)} ${String(k.tp).padStart(5)} ${String(k.fp).padStart(4)} ${String(k.fn).padStart(4)}`,
    );
  }
  return rows.join('\n');
}
