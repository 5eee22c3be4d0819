// `npm run bench:guard:quality`: precision, recall and F1 per category over the labelled corpus,
// for the tuning part, the held-out part and overall. Exits 1 when an overall bar is missed
// (F1 >= 0.95 for pii, >= 0.90 for the others). `--errors` lists the tuning-set mistakes.

import { createGuard } from '../../src/guard-runtime/create-guard.ts';
import type { GuardCategory } from '../../src/domain/guard/types.ts';
import { CATEGORIES, emptyCounts, findingSpans, formatTable, loadCorpus, type Mismatch, prf, scoreEntry } from './corpus.ts';

export const QUALITY_BARS: Record<GuardCategory, number> = { pii: 0.95, price: 0.9, recipient: 0.9, tone: 0.9, spelling: 0.9 };

const corpus = loadCorpus();
const guard = await createGuard();
const tuning = emptyCounts();
const heldOut = emptyCounts();
const overall = emptyCounts();
const mismatches: Mismatch[] = [];
const heldOutMismatches: Mismatch[] = [];
for (const entry of corpus) {
  const spans = findingSpans(guard.check(entry));
  scoreEntry(entry, spans, overall);
  scoreEntry(entry, spans, entry.heldOut ? heldOut : tuning, entry.heldOut ? heldOutMismatches : mismatches);
}
const heldOutCount = corpus.filter((e) => e.heldOut).length;
console.log(`guard quality: ${corpus.length} messages (${corpus.length - heldOutCount} tuning, ${heldOutCount} held out)\n`);
console.log(formatTable(`tuning set (${corpus.length - heldOutCount})`, tuning));
console.log();
console.log(formatTable(`held-out set (${heldOutCount}, never tuned on)`, heldOut));
console.log();
console.log(formatTable(`overall (${corpus.length})`, overall));
if (process.argv.includes('--errors')) {
  console.log('\ntuning-set mistakes:');
  for (const m of mismatches) console.log(`  ${m.type.toUpperCase()} ${m.id} ${m.detail}`);
}
if (process.argv.includes('--heldout-errors')) {
  console.log('\nheld-out mistakes (look only after tuning is frozen):');
  for (const m of heldOutMismatches) console.log(`  ${m.type.toUpperCase()} ${m.id} ${m.detail}`);
}
const missed = CATEGORIES.filter((c) => prf(overall[c]).f1 < QUALITY_BARS[c]);
console.log(missed.length === 0 ? '\nall quality bars met' : `\nbars missed: ${missed.map((c) => `${c} (< ${QUALITY_BARS[c]})`).join(', ')}`);
guard.dispose();
process.exitCode = missed.length === 0 ? 0 : 1;
