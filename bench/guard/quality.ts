// `npm run bench:guard:quality`: precision, recall and F1 per category, with a bootstrap 95 % interval,
// on the training corpus and on each frozen test set (bench/guard/corpus.ts says which is which).
//
// Scoring follows ../shared/guard-labelling.md: per message and category, the checker flags the
// category when it emits at least one finding of it with severity warn or block (info does not count);
// the message is positive for the category when it carries a label of it.
//
// Options: --gate  exit 1 when a frozen set's F1 is under its floor (bench/guard/quality-floor.json:
//                  the issue's bar, or the last measured value where we are still under the bar, so a
//                  change that makes the guard worse on unseen messages fails CI);
//          --errors  list the training-set mistakes;  --train DIR  score another training folder;  --frozen-errors  the frozen sets' (look only
//          when a round is over: reading them is tuning on them);  --set NAME  only that frozen file.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuardCategory, GuardFinding } from '../../src/domain/guard/types.ts';
import { createGuard } from '../../src/guard-runtime/create-guard.ts';
import { CATEGORIES, type CorpusEntry, FROZEN_DIR, labelCategory, loadCorpus } from './corpus.ts';

export const QUALITY_BARS: Record<GuardCategory, number> = { pii: 0.95, price: 0.9, recipient: 0.9, tone: 0.9, spelling: 0.9 };
const BOOTSTRAP_SAMPLES = 1000;

interface Outcome {
  /** Per category: [labelled, flagged]. */
  cells: Record<GuardCategory, [boolean, boolean]>;
  entry: CorpusEntry;
  findings: GuardFinding[];
}

function outcome(entry: CorpusEntry, findings: GuardFinding[]): Outcome {
  const cells = {} as Record<GuardCategory, [boolean, boolean]>;
  for (const c of CATEGORIES) {
    cells[c] = [entry.expect.some((l) => labelCategory(l) === c), findings.some((f) => f.category === c && f.severity !== 'info')];
  }
  return { cells, entry, findings };
}

function f1Of(outcomes: readonly Outcome[], c: GuardCategory, pick?: Uint32Array): { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const n = pick ? pick.length : outcomes.length;
  for (let i = 0; i < n; i++) {
    const [labelled, flagged] = outcomes[pick ? pick[i]! : i]!.cells[c];
    if (labelled && flagged) tp++;
    else if (flagged) fp++;
    else if (labelled) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), tp, fp, fn };
}

// Seeded resampling of whole messages, so the interval is the same on every run.
function bootstrap(outcomes: readonly Outcome[]): Record<GuardCategory, [number, number]> {
  let a = 12345;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const samples = Object.fromEntries(CATEGORIES.map((c) => [c, [] as number[]])) as Record<GuardCategory, number[]>;
  const pick = new Uint32Array(outcomes.length);
  for (let s = 0; s < BOOTSTRAP_SAMPLES; s++) {
    for (let i = 0; i < pick.length; i++) pick[i] = Math.floor(rand() * outcomes.length);
    for (const c of CATEGORIES) samples[c].push(f1Of(outcomes, c, pick).f1);
  }
  const out = {} as Record<GuardCategory, [number, number]>;
  for (const c of CATEGORIES) {
    const sorted = samples[c].sort((x, y) => x - y);
    out[c] = [sorted[Math.floor(0.025 * sorted.length)]!, sorted[Math.floor(0.975 * sorted.length) - 1]!];
  }
  return out;
}

function table(title: string, outcomes: readonly Outcome[]): Record<GuardCategory, number> {
  const ci = bootstrap(outcomes);
  const rows = [title, 'category    precision  recall   F1     95 % interval    pos  tp   fp   fn   bar'];
  const f1s = {} as Record<GuardCategory, number>;
  for (const c of CATEGORIES) {
    const r = f1Of(outcomes, c);
    f1s[c] = r.f1;
    const [lo, hi] = ci[c];
    rows.push(
      `${c.padEnd(11)} ${r.precision.toFixed(3).padStart(9)} ${r.recall.toFixed(3).padStart(7)} ${r.f1.toFixed(3).padStart(6)}   [${lo.toFixed(3)}, ${hi.toFixed(3)}] ${String(r.tp + r.fn).padStart(5)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)}   ${r.f1 >= QUALITY_BARS[c] ? 'met' : `< ${QUALITY_BARS[c]}`}`,
    );
  }
  console.log(rows.join('\n'));
  return f1s;
}

function listErrors(title: string, outcomes: readonly Outcome[]): void {
  console.log(`\n${title}`);
  for (const o of outcomes) {
    for (const c of CATEGORIES) {
      const [labelled, flagged] = o.cells[c];
      if (labelled === flagged) continue;
      const detail = labelled
        ? o.entry.expect.filter((l) => labelCategory(l) === c).map((l) => `${l.kind ?? c} "${l.text ?? ''}"`).join(', ')
        : o.findings.filter((f) => f.category === c && f.severity !== 'info').map((f) => `${f.kind} "${o.entry.text.slice(f.start, f.end)}"`).join(', ');
      console.log(`  ${labelled ? 'FN' : 'FP'} ${o.entry.id} ${detail}\n     ${JSON.stringify(o.entry.text)}`);
    }
  }
}

/** Frozen files must be byte-for-byte what was pinned when they were written. */
function checkPinned(file: string): void {
  const sums = readFileSync(join(FROZEN_DIR, 'SHA256SUMS'), 'utf8');
  const pinned = sums.split('\n').find((line) => line.trim().endsWith(` ${file}`))?.split(/\s+/)[0];
  const actual = createHash('sha256').update(readFileSync(join(FROZEN_DIR, file))).digest('hex');
  if (pinned !== actual) throw new Error(`frozen set ${file}: SHA-256 ${actual} is not the pinned ${pinned ?? '(none)'}; frozen sets are never edited`);
}

const args = process.argv.slice(2);
const only = args.includes('--set') ? args[args.indexOf('--set') + 1] : undefined;
const guard = await createGuard();
const run = (entries: CorpusEntry[]): Outcome[] => entries.map((e) => outcome(e, guard.check(e)));

// --train DIR (repeatable): score other training folders instead (e.g. a shard before it joins).
const trainDirs = args.flatMap((a, i) => (args[i - 1] === '--train' ? [a] : []));
const training = run(trainDirs.length > 0 ? trainDirs.flatMap((d) => loadCorpus(d)) : loadCorpus());
table(`training corpus (${training.length} messages; tuned and trained on)`, training);
if (args.includes('--errors')) listErrors('training-set mistakes:', training);

const floors = JSON.parse(readFileSync(join(import.meta.dirname, 'quality-floor.json'), 'utf8')) as Record<string, Partial<Record<GuardCategory, number>>>;
const frozenFiles = readdirSync(FROZEN_DIR).filter((f) => f.endsWith('.jsonl') && (only === undefined || f === only)).sort();
const under: string[] = [];
for (const file of frozenFiles) {
  checkPinned(file);
  const outcomes = run(loadCorpus(FROZEN_DIR).filter((e) => e.file === file));
  console.log();
  const f1s = table(`frozen test set ${file} (${outcomes.length} messages; never tuned on)`, outcomes);
  if (args.includes('--frozen-errors')) listErrors(`${file} mistakes (reading them is tuning on them: only once a round is over):`, outcomes);
  for (const c of CATEGORIES) {
    const floor = Math.min(QUALITY_BARS[c], floors[file]?.[c] ?? QUALITY_BARS[c]);
    if (f1s[c]! < floor - 1e-9) under.push(`${file} ${c} ${f1s[c]!.toFixed(3)} < floor ${floor.toFixed(3)}`);
  }
}
guard.dispose();
if (under.length > 0) {
  console.log(`\nunder the floor: ${under.join('; ')}`);
  if (args.includes('--gate')) process.exitCode = 1;
} else console.log(`\nevery frozen set at or above its floor (${frozenFiles.length} set${frozenFiles.length === 1 ? '' : 's'})`);
