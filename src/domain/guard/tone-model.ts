// The tone model: a logistic regression over hashed sentence features (tone-features.ts) that says
// whether a sentence is aimed at the customer in a way PRODUCT.md §5 calls tone, and a softmax over the
// same features that names the kind. Trained by scripts/train-tone-model.ts from the labelled corpus in
// the repo; the file is committed and loaded at start-up (src/guard-runtime/tone-model-file.ts).
// Pure: parsing and scoring only.

import { TONE_HASH_BITS, type ToneLexicon } from './tone-features.ts';
import type { GuardKind } from './types.ts';

export type ToneKind = Extract<GuardKind, `tone.${string}`>;
export const TONE_KINDS: readonly ToneKind[] = ['tone.aggressive', 'tone.condescending', 'tone.blaming', 'tone.dismissive', 'tone.shouting'];

/** Hash space of the kind model (smaller: it only sees positive sentences). */
export const TONE_KIND_HASH_BITS = 16;

export interface ToneModel {
  /** Probability at or above which a sentence is flagged. */
  threshold: number;
  bias: number;
  weights: Float32Array;
  kindBias: Float32Array;
  /** TONE_KINDS.length rows of 2^TONE_KIND_HASH_BITS. */
  kindWeights: Float32Array;
  lexicon: ToneLexicon;
}

/**
 * The committed model: `tone-model.json` (this shape: threshold, bias, lexicon, provenance) and
 * `tone-model.bin` (the weights, little-endian float32: 2^hashBits binary weights, then
 * TONE_KINDS.length × 2^kindHashBits kind weights), read straight into typed arrays.
 */
export interface ToneModelFile {
  format: 'errata-tone-model/2';
  hashBits: number;
  kindHashBits: number;
  threshold: number;
  bias: number;
  kindBias: number[];
  lexicon: { words: string[]; stems: string[] };
  trainedOn?: unknown;
}

export const TONE_WEIGHT_COUNT = (1 << TONE_HASH_BITS) + (TONE_KINDS.length << TONE_KIND_HASH_BITS);

/** `weights`: the .bin file as float32 (TONE_WEIGHT_COUNT values). */
export function parseToneModel(file: ToneModelFile, weights: Float32Array): ToneModel {
  if (file.format !== 'errata-tone-model/2') throw new Error(`tone model: unknown format ${String(file.format)}`);
  if (file.hashBits !== TONE_HASH_BITS || file.kindHashBits !== TONE_KIND_HASH_BITS) throw new Error('tone model: hash sizes differ from the code');
  if (weights.length !== TONE_WEIGHT_COUNT) throw new Error(`tone model: expected ${TONE_WEIGHT_COUNT} weights, found ${weights.length}`);
  return {
    threshold: file.threshold,
    bias: file.bias,
    weights: weights.subarray(0, 1 << TONE_HASH_BITS),
    kindBias: Float32Array.from(file.kindBias),
    kindWeights: weights.subarray(1 << TONE_HASH_BITS),
    lexicon: { words: new Set(file.lexicon.words), stems: new Set(file.lexicon.stems) },
  };
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** A unit's features: arrays (training) or a reused sink (the hot path), `count` of them. */
export interface FeatureView {
  index: ArrayLike<number>;
  value: ArrayLike<number>;
  count?: number;
}

/** Probability that the sentence is a tone problem. */
export function toneProbability(model: Pick<ToneModel, 'bias' | 'weights'>, f: FeatureView): number {
  let z = model.bias;
  const w = model.weights;
  const n = f.count ?? f.index.length;
  for (let i = 0; i < n; i++) z += w[f.index[i]!]! * f.value[i]!;
  return sigmoid(z);
}

const logits = new Float32Array(TONE_KINDS.length);

/** The kind with the highest softmax logit. */
export function toneKind(model: Pick<ToneModel, 'kindBias' | 'kindWeights'>, f: FeatureView): ToneKind {
  const k = TONE_KINDS.length;
  const mask = (1 << TONE_KIND_HASH_BITS) - 1;
  logits.set(model.kindBias);
  const n = f.count ?? f.index.length;
  for (let i = 0; i < n; i++) {
    const at = f.index[i]! & mask;
    const v = f.value[i]!;
    for (let c = 0; c < k; c++) logits[c]! += model.kindWeights[(c << TONE_KIND_HASH_BITS) + at]! * v;
  }
  let best = 0;
  for (let c = 1; c < k; c++) if (logits[c]! > logits[best]!) best = c;
  return TONE_KINDS[best]!;
}
