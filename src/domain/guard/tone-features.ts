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

const TOKEN_RE = /[a-z0-9]+'?|'/g;

function isNegative(word: string, lexicon: ToneLexicon | undefined): boolean {
  if (!lexicon) return false;
  if (lexicon.words.has(word)) return true;
  for (let n = 5; n <= word.length; n++) if (lexicon.stems.has(word.slice(0, n))) return true;
  return false;
}

/**
 * Features of `folded.slice(span)` (`original` gives capitals). Values: 1 per word or bigram, 0.1 per
 * character 4-gram (they are many), 1 per flag.
 */
export function sentenceFeatures(original: string, folded: string, span: Span, lexicon?: ToneLexicon): SentenceFeatures {
  const index: number[] = [];
  const value: number[] = [];
  const push = (i: number, v: number): void => {
    index.push(i);
    value.push(v);
  };
  push(F_BIAS_SENT, 1);
  const text = folded.slice(span.start, span.end);
  let prev = -1;
  let first = -1;
  let negatedFor = 0;
  let words = 0;
  let second = false;
  let third = false;
  let negatives = 0;
  let intensifiers = 0;
  TOKEN_RE.lastIndex = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const w = m[0];
    if (w === "'") continue;
    words++;
    const h = hashString(w, SEED_WORD);
    push(h & MASK, 1);
    if (first < 0) first = h;
    // Words in a negation's scope are also their own features: "pas de votre faute" is reassurance.
    if (negatedFor > 0) {
      push(mix(h, SEED_NEGATED) & MASK, 1);
      negatedFor--;
    }
    if (NEGATIONS.has(w)) negatedFor = 3;
    if (prev >= 0) push(mix(prev, h) & MASK, 1);
    prev = h;
    const bare = w.endsWith("'") ? w.slice(0, -1) : w;
    if (SECOND_PERSON.has(w) || SECOND_PERSON.has(bare)) second = true;
    if (THIRD_PERSON.has(bare)) third = true;
    if (INTENSIFIERS.has(bare)) intensifiers++;
    if (bare.length >= 3 && isNegative(bare, lexicon)) negatives++;
    if (bare.length >= 3) {
      const padded = ` ${bare} `;
      for (let i = 0; i + 4 <= padded.length; i++) push(hashRange(padded, i, i + 4, SEED_CHAR) & MASK, 0.1);
    }
  }
  if (prev >= 0) push(mix(prev, SEED_BIGRAM) & MASK, 1); // sentence end after the last word
  if (first >= 0) push(mix(first, SEED_FIRST) & MASK, 1); // how the sentence opens ("Lisez", "Take", "Maybe")
  // Emojis and ellipses carry sarcasm ("rien que ça 😂", "bon courage… 🙄"): each emoji is a feature,
  // alone and with the reader addressed.
  const raw = original.slice(span.start, span.end);
  for (const m of raw.matchAll(EMOJI_RE)) {
    const e = hashString(m[0], SEED_EMOJI);
    push(e & MASK, 1);
    if (second) push(mix(e, F_2P) & MASK, 1);
  }
  if (/…|\.\.\./.test(raw)) push(F_ELLIPSIS, 1);
  const trimmed = text.trimEnd();
  const question = trimmed.includes('?');
  if (second) push(F_2P, 1);
  if (third) push(F_3P, 1);
  if (question) push(F_Q, 1);
  if (question && second) push(F_Q2P, 1);
  if (trimmed.includes('!')) push(F_EXCL, 1);
  if (/[!?]{2,}/.test(trimmed)) push(F_MULTI, 1);
  if (negatives > 0) push(F_NEG, 1);
  if (negatives > 1) push(F_NEG2, 1);
  if (negatives > 0 && second) push(F_NEG2P, 1);
  if (negatives > 0 && third) push(F_NEG3P, 1);
  if (intensifiers > 0) push(F_INT, Math.min(intensifiers, 3));
  if (intensifiers > 0 && second) push(F_INT2P, 1);
  if (words <= 4) push(F_SHORT, 1);
  if (/["«»“”]/.test(original.slice(span.start, span.end))) push(F_QUOTE, 1);
  // Capitals: the share of upper-case letters, and words of 4+ capitals.
  let letters = 0;
  let upper = 0;
  let capsWords = 0;
  let run = 0;
  for (let i = span.start; i < span.end; i++) {
    const c = original[i]!;
    const lower = c.toLowerCase();
    const up = c.toUpperCase();
    if (lower === up) {
      if (run >= 4) capsWords++;
      run = 0;
      continue;
    }
    letters++;
    if (c === up) {
      upper++;
      run++;
    } else run = -100;
  }
  if (run >= 4) capsWords++;
  if (letters >= 10 && upper / letters > 0.6) push(F_CAPS, 1);
  if (capsWords > 0) push(F_CAPS_WORDS, Math.min(capsWords, 4));
  return { index, value };
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
