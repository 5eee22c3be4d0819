// Features of one sentence for the tone model (tone-model.ts): hashed word unigrams and bigrams,
// character 4-grams inside words (French and English inflect: "méprisant", "méprisante"), and a few
// compositional signals a phrase list cannot give — a sentence aimed at the reader (second person),
// a question aimed at the reader (rhetorical), a negative word from a broad sentiment lexicon near the
// reader, intensifiers, capitals and repeated punctuation. Training (scripts/train-tone-model.ts) and
// inference use this one function, so the model always sees the features it was trained on.

import type { Span } from './text.ts';

/** Hash space of the binary model; a power of two. */
export const TONE_HASH_BITS = 18;
const MASK = (1 << TONE_HASH_BITS) - 1;

/** Negative-valence words, folded (lower-case, no accents), from published sentiment lexicons. */
export interface ToneLexicon {
  /** Whole words. */
  words: ReadonlySet<string>;
  /** Word stems (≥ 5 letters): a word starting with one counts. */
  stems: ReadonlySet<string>;
}

const SECOND_PERSON = new Set([
  'vous', 'votre', 'vos', 'tu', 'ton', 'ta', 'tes', 'te', 'toi', "t'", 'vôtre',
  'you', 'your', 'yours', 'yourself', 'yourselves', "you're", "you've", "you'd", "you'll", 'u', 'ur',
]);
const THIRD_PERSON = new Set(['il', 'elle', 'ils', 'elles', 'lui', 'leur', 'he', 'she', 'him', 'her', 'they', 'them', 'client', 'cliente', 'customer', 'guy', 'type', 'mec', 'nana', 'dame', 'monsieur', 'madame', 'lady', 'woman', 'man']);
const INTENSIFIERS = new Set([
  'vraiment', 'encore', 'toujours', 'jamais', 'meme', 'franchement', 'serieusement', 'totalement', 'completement', 'deja', 'pourtant', 'evidemment', 'visiblement', 'apparemment', 'manifestement', 'clairement',
  'really', 'again', 'always', 'never', 'even', 'honestly', 'seriously', 'totally', 'completely', 'already', 'obviously', 'clearly', 'apparently', 'surely', 'literally', 'actually', 'just',
]);

// FNV-1a over a range of a string's code units, with a seed per feature family.
function hashRange(s: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
function mix(a: number, b: number): number {
  return Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 0x01000193) >>> 0;
}
function hashString(s: string, seed: number): number {
  return hashRange(s, 0, s.length, seed);
}

const SEED_WORD = 1;
const SEED_BIGRAM = 2;
const SEED_CHAR = 3;
const SEED_FLAG = 4;
const SEED_FIRST = 5;
const SEED_EMOJI = 6;
const SEED_NEGATED = 7;
const NEGATIONS = new Set(['pas', 'not', "n't", 'jamais', 'never', 'rien', 'none', 'aucun', 'aucune', 'no', 'ni', 'nothing', "isn't", "wasn't", "don't", "didn't", "won't", "aren't"]);
const EMOJI_RE = /\p{Extended_Pictographic}/gu;
/** Index of a named binary feature. */
export function toneFlag(name: string): number {
  return hashString(name, SEED_FLAG) & MASK;
}
const flag = toneFlag;
const F_BIAS_SENT = flag('sentence');
const F_2P = flag('2p');
const F_3P = flag('3p');
const F_Q = flag('question');
const F_Q2P = flag('question+2p');
const F_EXCL = flag('!');
const F_MULTI = flag('?!!');
const F_CAPS = flag('caps');
const F_CAPS_WORDS = flag('caps-words');
const F_NEG = flag('neg');
const F_NEG2 = flag('neg2');
const F_NEG2P = flag('neg+2p');
const F_INT = flag('intensifier');
const F_INT2P = flag('intensifier+2p');
const F_NEG3P = flag('neg+3p');
const F_SHORT = flag('short');
const F_QUOTE = flag('quote');
const F_ELLIPSIS = flag('ellipsis');

/** One sentence's feature indices (repeats allowed: a count) and per-index values. */
export interface SentenceFeatures {
  index: number[];
  value: number[];
}

/**
 * Where features are written on the hot path: reused typed arrays (a message's units are scored one
 * at a time), so checking a message allocates next to nothing.
 */
export interface FeatureSink {
  index: Int32Array;
  value: Float32Array;
  count: number;
}

export function createFeatureSink(capacity = 1024): FeatureSink {
  return { index: new Int32Array(capacity), value: new Float32Array(capacity), count: 0 };
}

export function pushFeature(sink: FeatureSink, i: number, v: number): void {
  if (sink.count === sink.index.length) {
    const index = new Int32Array(sink.index.length * 2);
    const value = new Float32Array(sink.value.length * 2);
    index.set(sink.index);
    value.set(sink.value);
    sink.index = index;
    sink.value = value;
  }
  sink.index[sink.count] = i;
  sink.value[sink.count] = v;
  sink.count++;
}

// Word classes looked up by the hash of the folded token (SEED_WORD), so no substring is made per word.
const IS_SECOND = 1;
const IS_THIRD = 2;
const IS_INTENSIFIER = 4;
const IS_NEGATION = 8;
const WORD_CLASS = new Map<number, number>();
function addClass(words: Iterable<string>, bit: number): void {
  for (const w of words) {
    const h = hashString(w, SEED_WORD);
    WORD_CLASS.set(h, (WORD_CLASS.get(h) ?? 0) | bit);
  }
}
addClass(SECOND_PERSON, IS_SECOND);
addClass(THIRD_PERSON, IS_THIRD);
addClass(INTENSIFIERS, IS_INTENSIFIER);
addClass(NEGATIONS, IS_NEGATION);

// The lexicon as hashes of whole words and of stems (FNV is incremental: a word's prefixes' hashes come
// for free while hashing it).
const SEED_LEX = 8;
const lexiconHashes = new WeakMap<ToneLexicon, { words: Set<number>; stems: Set<number> }>();
function hashesOf(lexicon: ToneLexicon): { words: Set<number>; stems: Set<number> } {
  let h = lexiconHashes.get(lexicon);
  if (!h) {
    h = { words: new Set([...lexicon.words].map((w) => hashString(w, SEED_LEX))), stems: new Set([...lexicon.stems].map((w) => hashString(w, SEED_LEX))) };
    lexiconHashes.set(lexicon, h);
  }
  return h;
}

function isLetterOrDigit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/**
 * Features of `folded.slice(span)` (`original` gives capitals), written into `sink`. Values: 1 per word
 * or bigram, 0.1 per character 4-gram (they are many), 1 per flag.
 */
export function writeSentenceFeatures(original: string, folded: string, span: Span, lexicon: ToneLexicon | undefined, sink: FeatureSink): void {
  const push = (i: number, v: number): void => pushFeature(sink, i, v);
  push(F_BIAS_SENT, 1);
  const lex = lexicon ? hashesOf(lexicon) : undefined;
  let prev = -1;
  let first = -1;
  let negatedFor = 0;
  let words = 0;
  let second = false;
  let third = false;
  let negatives = 0;
  let intensifiers = 0;
  const end = span.end;
  let i = span.start;
  while (i < end) {
    const c = folded.charCodeAt(i);
    if (!isLetterOrDigit(c)) {
      i++;
      continue;
    }
    // A token: [a-z0-9]+ and an apostrophe right after it ("l'", "n'", "you'").
    const start = i;
    let lexHash = (0x811c9dc5 ^ SEED_LEX) >>> 0;
    let stemHit = false;
    while (i < end && isLetterOrDigit(folded.charCodeAt(i))) {
      lexHash = Math.imul(lexHash ^ folded.charCodeAt(i), 0x01000193) >>> 0;
      i++;
      if (lex && i - start >= 5 && lex.stems.has(lexHash)) stemHit = true;
    }
    const bareEnd = i;
    if (i < end && folded.charCodeAt(i) === 39) i++;
    words++;
    const h = hashRange(folded, start, i, SEED_WORD);
    const hBare = i === bareEnd ? h : hashRange(folded, start, bareEnd, SEED_WORD);
    push(h & MASK, 1);
    if (first < 0) first = h;
    // Words in a negation's scope are also their own features: "pas de votre faute" is reassurance.
    if (negatedFor > 0) {
      push(mix(h, SEED_NEGATED) & MASK, 1);
      negatedFor--;
    }
    const cls = WORD_CLASS.get(h) ?? 0;
    const clsBare = hBare === h ? cls : (WORD_CLASS.get(hBare) ?? 0);
    if (cls & IS_NEGATION) negatedFor = 3;
    if (prev >= 0) push(mix(prev, h) & MASK, 1);
    prev = h;
    if ((cls | clsBare) & IS_SECOND) second = true;
    if (clsBare & IS_THIRD) third = true;
    if (clsBare & IS_INTENSIFIER) intensifiers++;
    const bareLength = bareEnd - start;
    if (bareLength >= 3 && lex && (lex.words.has(lexHash) || stemHit)) negatives++;
    if (bareLength >= 3) {
      // Character 4-grams of " word ": the padding spaces are virtual.
      for (let k = 0; k + 4 <= bareLength + 2; k++) {
        let g = (0x811c9dc5 ^ SEED_CHAR) >>> 0;
        for (let j = k; j < k + 4; j++) g = Math.imul(g ^ (j === 0 || j === bareLength + 1 ? 32 : folded.charCodeAt(start + j - 1)), 0x01000193);
        push((g >>> 0) & MASK, 0.1);
      }
    }
  }
  if (prev >= 0) push(mix(prev, SEED_BIGRAM) & MASK, 1); // sentence end after the last word
  if (first >= 0) push(mix(first, SEED_FIRST) & MASK, 1); // how the sentence opens ("Lisez", "Take", "Maybe")
  // Punctuation read once; emojis and ellipses carry sarcasm ("rien que ça 😂", "bon courage… 🙄"):
  // each emoji is a feature, alone and with the reader addressed.
  let question = false;
  let exclamation = false;
  let stacked = false;
  let ellipsis = false;
  let quote = false;
  let nonAscii = false;
  for (let k = span.start; k < end; k++) {
    const c = original.charCodeAt(k);
    if (c === 63 || c === 33) {
      if (c === 63) question = true;
      else exclamation = true;
      const n = k + 1 < end ? original.charCodeAt(k + 1) : 0;
      if (n === 63 || n === 33) stacked = true;
    } else if (c === 46) {
      if (k + 2 < end && original.charCodeAt(k + 1) === 46 && original.charCodeAt(k + 2) === 46) ellipsis = true;
    } else if (c === 34) quote = true;
    else if (c > 127) {
      nonAscii = true;
      if (c === 0x2026) ellipsis = true;
      else if (c === 0xab || c === 0xbb || c === 0x201c || c === 0x201d) quote = true;
    }
  }
  if (nonAscii) {
    for (const m of original.slice(span.start, end).matchAll(EMOJI_RE)) {
      const e = hashString(m[0], SEED_EMOJI);
      push(e & MASK, 1);
      if (second) push(mix(e, F_2P) & MASK, 1);
    }
  }
  if (ellipsis) push(F_ELLIPSIS, 1);
  if (second) push(F_2P, 1);
  if (third) push(F_3P, 1);
  if (question) push(F_Q, 1);
  if (question && second) push(F_Q2P, 1);
  if (exclamation) push(F_EXCL, 1);
  if (stacked) push(F_MULTI, 1);
  if (negatives > 0) push(F_NEG, 1);
  if (negatives > 1) push(F_NEG2, 1);
  if (negatives > 0 && second) push(F_NEG2P, 1);
  if (negatives > 0 && third) push(F_NEG3P, 1);
  if (intensifiers > 0) push(F_INT, Math.min(intensifiers, 3));
  if (intensifiers > 0 && second) push(F_INT2P, 1);
  if (words <= 4) push(F_SHORT, 1);
  if (quote) push(F_QUOTE, 1);
  // Capitals: the share of upper-case letters, and words of 4+ capitals.
  let letters = 0;
  let upper = 0;
  let capsWords = 0;
  let run = 0;
  for (let k = span.start; k < end; k++) {
    const code = original.charCodeAt(k);
    let isLetter: boolean;
    let isUpper: boolean;
    if (code < 128) {
      isUpper = code >= 65 && code <= 90;
      isLetter = isUpper || (code >= 97 && code <= 122);
    } else {
      const ch = original[k]!;
      const up = ch.toUpperCase();
      isLetter = ch.toLowerCase() !== up;
      isUpper = isLetter && ch === up;
    }
    if (!isLetter) {
      if (run >= 4) capsWords++;
      run = 0;
      continue;
    }
    letters++;
    if (isUpper) {
      upper++;
      run++;
    } else run = -100;
  }
  if (run >= 4) capsWords++;
  if (letters >= 10 && upper / letters > 0.6) push(F_CAPS, 1);
  if (capsWords > 0) push(F_CAPS_WORDS, Math.min(capsWords, 4));
}

/** The same features as arrays (training keeps every sentence's). */
export function sentenceFeatures(original: string, folded: string, span: Span, lexicon?: ToneLexicon): SentenceFeatures {
  const sink = createFeatureSink(256);
  writeSentenceFeatures(original, folded, span, lexicon, sink);
  return { index: Array.from(sink.index.subarray(0, sink.count)), value: Array.from(sink.value.subarray(0, sink.count)) };
}

/**
 * Sentences (or lines) of a message with their spans: a break after . ! ? … followed by a space, and at
 * line breaks. Empty pieces are skipped.
 */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const n = text.length;
  const close = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '\n') {
      close(i);
      start = i + 1;
    } else if ((c === '.' || c === '!' || c === '?' || c === '…') && (i + 1 === n || /\s/.test(text[i + 1]!))) {
      // Keep "M. Dupont", "Dr. Lee" and initials together: a one- or two-letter word before the dot.
      if (c === '.' && /(?:^|\s)[A-Za-z]{1,2}$/.test(text.slice(Math.max(start, i - 3), i))) continue;
      close(i + 1);
      start = i + 1;
    }
  }
  close(n);
  return out;
}
