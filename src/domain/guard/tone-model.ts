// The tone model: a logistic regression over hashed sentence features (tone-features.ts) that says
// whether a sentence is aimed at the customer in a way PRODUCT.md §5 calls tone, and a softmax over the
// same features that names the kind. Trained by scripts/train-tone-model.ts from the labelled corpus in
// the repo; the file is committed and loaded at start-up (src/guard-runtime/tone-model-file.ts).
// Pure: parsing and scoring only.

import { type SentenceFeatures, TONE_HASH_BITS, type ToneLexicon } from './tone-features.ts';
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

/** The committed file's shape: weights as base64 little-endian float32. */
export interface ToneModelFile {
  format: 'errata-tone-model/1';
  hashBits: number;
  kindHashBits: number;
  threshold: number;
  bias: number;
  weights: string;
  kindBias: number[];
  kindWeights: string;
  lexicon: { words: string[]; stems: string[] };
  trainedOn?: unknown;
}

function decodeFloats(base64: string, length: number): Float32Array {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (bytes.length !== length * 4) throw new Error(`tone model: expected ${length} weights, found ${bytes.length / 4}`);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function encodeFloats(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function parseToneModel(file: ToneModelFile): ToneModel {
  if (file.format !== 'errata-tone-model/1') throw new Error(`tone model: unknown format ${String(file.format)}`);
  if (file.hashBits !== TONE_HASH_BITS || file.kindHashBits !== TONE_KIND_HASH_BITS) throw new Error('tone model: hash sizes differ from the code');
  return {
    threshold: file.threshold,
    bias: file.bias,
    weights: decodeFloats(file.weights, 1 << TONE_HASH_BITS),
    kindBias: Float32Array.from(file.kindBias),
    kindWeights: decodeFloats(file.kindWeights, TONE_KINDS.length << TONE_KIND_HASH_BITS),
    lexicon: { words: new Set(file.lexicon.words), stems: file.lexicon.stems },
  };
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Probability that the sentence is a tone problem. */
export function toneProbability(model: Pick<ToneModel, 'bias' | 'weights'>, f: SentenceFeatures): number {
  let z = model.bias;
  const w = model.weights;
  for (let i = 0; i < f.index.length; i++) z += w[f.index[i]!]! * f.value[i]!;
  return sigmoid(z);
}

/** Scores per kind (softmax logits). */
export function kindLogits(model: Pick<ToneModel, 'kindBias' | 'kindWeights'>, f: SentenceFeatures): Float32Array {
  const k = TONE_KINDS.length;
  const mask = (1 << TONE_KIND_HASH_BITS) - 1;
  const out = Float32Array.from(model.kindBias);
  for (let i = 0; i < f.index.length; i++) {
    const at = f.index[i]! & mask;
    const v = f.value[i]!;
    for (let c = 0; c < k; c++) out[c]! += model.kindWeights[(c << TONE_KIND_HASH_BITS) + at]! * v;
  }
  return out;
}

export function toneKind(model: Pick<ToneModel, 'kindBias' | 'kindWeights'>, f: SentenceFeatures): ToneKind {
  const logits = kindLogits(model, f);
  let best = 0;
  for (let c = 1; c < logits.length; c++) if (logits[c]! > logits[best]!) best = c;
  return TONE_KINDS[best]!;
}
