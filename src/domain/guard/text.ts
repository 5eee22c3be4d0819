// Text helpers shared by the checks. Everything keeps a 1:1 mapping with UTF-16 code units of the
// original text so findings can point back at it without offset bookkeeping.

import type { GuardLang } from './types.ts';

const foldCache = new Map<string, string>();

/** Lower-case, accent-free, one code unit in → one code unit out (so offsets survive). */
function foldUnit(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let out = ch;
  if (ch === '\u2019' || ch === '\u2018' || ch === '\u02bc' || ch === '`') out = "'";
  else if (ch === '\u00a0' || ch === '\u202f' || ch === '\u2009' || ch === '\t') out = ' ';
  else if (ch === '\u2010' || ch === '\u2011' || ch === '\u2013' || ch === '\u2014') out = '-';
  else if (ch === '\u0153') out = 'o'; // œ
  else if (ch === '\u00e6') out = 'a'; // æ
  else {
    const lower = ch.toLowerCase();
    if (lower.length === 1) {
      const base = lower.normalize('NFD')[0] ?? lower;
      out = base.length === 1 && base.charCodeAt(0) < 128 ? base : lower;
    }
  }
  foldCache.set(ch, out);
  return out;
}

// Code units foldText may change: non-ASCII, '`' and TAB.
const FOLD_RE = /[^\x00-\x7f]|`|\t/g;

export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // toLowerCase keeps the length for almost every script; when it does not (e.g. "İ"), go unit by unit.
  if (lower.length !== text.length) {
    let out = '';
    for (let i = 0; i < text.length; i++) out += foldUnit(text[i]!);
    return out;
  }
  // The regex jumps to the few units that may change (most context windows have none); each is
  // replaced from a table (a regex replace with a callback per accented letter cost more).
  let out = '';
  let from = 0;
  FOLD_RE.lastIndex = 0;
  while (FOLD_RE.test(lower)) {
    const i = FOLD_RE.lastIndex - 1;
    const c = lower.charCodeAt(i);
    const folded = c < FOLD_TABLE_SIZE ? FOLD_TABLE[c]! : foldUnit(lower[i]!).charCodeAt(0);
    if (folded === c) continue;
    out += lower.slice(from, i) + String.fromCharCode(folded);
    from = i + 1;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

/** foldUnit for ASCII, Latin-1 and Latin Extended-A/B code units (one code unit each). */
const FOLD_TABLE_SIZE = 0x250;
const FOLD_TABLE = new Uint16Array(FOLD_TABLE_SIZE);
for (let c = 0; c < FOLD_TABLE_SIZE; c++) FOLD_TABLE[c] = foldUnit(String.fromCharCode(c)).charCodeAt(0);

/** Replace lone surrogates with U+FFFD (same length) so regexes with the `u` flag behave. */
export function sanitizeText(text: string): string {
  // isWellFormed/toWellFormed exist on Node 20+, and keep the length.
  const s = text as string & { isWellFormed?: () => boolean; toWellFormed?: () => string };
  if (typeof s.isWellFormed === 'function' && s.isWellFormed()) return text;
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

const WORD_RE = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

export function wordTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface Span {
  start: number;
  end: number;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

export function insideAny(span: Span, spans: readonly Span[]): boolean {
  for (const s of spans) if (overlaps(span, s)) return true;
  return false;
}

/** Sentence (or line) bounds around a position. */
export function sentenceAround(text: string, pos: number): Span {
  let start = pos;
  while (start > 0 && !/[.!?\n]/.test(text[start - 1]!)) start--;
  let end = pos;
  while (end < text.length && !/[.!?\n]/.test(text[end]!)) end++;
  return { start, end: Math.min(text.length, end + 1) };
}

/** Spans that are not prose: URLs, emails, @mentions, hashtags, words glued to digits (references). */
export function nonProseSpans(text: string): Span[] {
  const spans: Span[] = [];
  const re =
    /(?:https?:\/\/|www\.)\S+|[\w.+%-]+@[\w.-]+\.[a-z]{2,}|[@#][\p{L}\d_]+|\b[\p{L}\d]*\d[\p{L}\d]*(?:[-_/][\p{L}\d]+)*|\b[\p{L}][\p{L}\d]*(?:[-_/][\p{L}\d]+)*[-_/]\d[\p{L}\d]*|\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|net|org|io|co|uk|eu|be|ch|de|es|it|info|shop|store)\b(?:\/\S*)?/giu;
  for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

const FR_WORDS = new Set(
  'le la les de des du et est vous votre vos nous notre nos pour pas une un bonjour merci avec sur que qui ce cette je il elle sont au aux ou mais dans par plus tres bien bonne bonsoir demain aujourd hui sera avez pouvez commande cordialement madame monsieur rendez ne chez car donc si a ete deja encore c d l j n qu s'.split(
    ' ',
  ),
);
const EN_WORDS = new Set(
  'the and is you your we our for not a an to of with on that this i it are hello hi thanks thank please be will can have has order tomorrow today at from by as my me dear regards kind just just was were would could should there their if do does did get here now'.split(
    ' ',
  ),
);

/**
 * Stop-word vote; accents tip ties towards French. Words are the runs of a-z in the folded text
 * (foldText), read here straight from the original text through a per-character fold table (no
 * folded copy, no regex iterator, no substrings). A word of up to 6 letters is packed into an
 * integer as it is read (5 bits a letter), which is an exact key into a collision-free table: one
 * read, no hashing of strings and no letter-by-letter confirmation, except for the few stop words of
 * 7–12 letters. One flat loop over the characters with one table read for letter and accent: the branch
 * on "letter or not" follows the text and is mispredicted at word edges, so the fewer branches
 * around it the better (a nested loop per word and separate accent tests cost ≈ 20 % more).
 * `foldedText` is accepted for compatibility and not needed.
 */
export function detectLanguage(text: string, fallback: GuardLang = 'en', _foldedText?: string): GuardLang {
  let fr = 0;
  let en = 0;
  // (Every French accent is a letter, and only letters carry the accent bit.)
  let accent = 0;
  const end = Math.min(text.length, 2000);
  let key = 0;
  let length = 0;
  // One step past the end closes the last word.
  for (let i = 0; i <= end; i++) {
    let letter = 0;
    if (i < end) {
      const raw = text.charCodeAt(i);
      if (raw < LATIN_FOLD_SIZE) {
        const entry = LETTER_AND_ACCENT[raw]!;
        letter = entry & 31;
        accent |= entry >> 5;
      } else {
        const folded = foldedLetter(raw);
        letter = folded === 0 ? 0 : folded - 96;
      }
    }
    if (letter !== 0) {
      if (length < PACKED_LETTERS) key = key * 32 + letter;
      length++;
      continue;
    }
    if (length !== 0 && length <= MAX_STOP_WORD) {
      const packed = length > PACKED_LETTERS ? key | LONG_WORD : key;
      const slot = stopSlot(packed);
      if (STOP_KEYS[slot] === packed && sameLongWord(text, i - length, length, STOP_WORDS[slot]!)) {
        const flags = STOP_FLAGS[slot]!;
        fr += flags & FR;
        en += (flags & EN) >> 1;
      }
    }
    key = 0;
    length = 0;
  }
  // Accented letters typical of French count anywhere in the text, not only in the first 2000 characters.
  for (let k = end; k < text.length && accent === 0; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xc0 && isFrenchAccent(c)) accent = 1;
  }
  const frScore = accent === 0 ? fr : fr + 1.5;
  if (frScore === en) return fallback;
  return frScore > en ? 'fr' : 'en';
}

// é è ê à ù ç ô î œ, either case.
function isFrenchAccent(c: number): boolean {
  const lower = c >= 0xc0 && c <= 0xde ? c + 32 : c === 0x152 ? 0x153 : c;
  return lower === 0xe9 || lower === 0xe8 || lower === 0xea || lower === 0xe0 || lower === 0xf9 || lower === 0xe7 || lower === 0xf4 || lower === 0xee || lower === 0x153;
}

/** Folded a-z letter code for an ASCII character, 0 otherwise. */
const ASCII_FOLD = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII_FOLD[c] = c + 32;
for (let c = 97; c <= 122; c++) ASCII_FOLD[c] = c;

const letterFolds = new Map<number, number>();
/** The a-z letter a non-ASCII code unit folds to (as foldText would fold it), 0 if none. */
function foldedLetter(code: number): number {
  let folded = letterFolds.get(code);
  if (folded === undefined) {
    const ch = String.fromCharCode(code);
    const lower = ch.toLowerCase();
    const f = foldUnit(lower.length === 1 ? lower : ch);
    const c = f.length === 1 ? f.charCodeAt(0) : 0;
    folded = c >= 97 && c <= 122 ? c : 0;
    letterFolds.set(code, folded);
  }
  return folded;
}

/** foldedLetter for ASCII, Latin-1 and Latin Extended-A/B, as a table. */
const LATIN_FOLD_SIZE = 0x250;
const LATIN_FOLD = new Uint8Array(LATIN_FOLD_SIZE);
for (let c = 0; c < LATIN_FOLD_SIZE; c++) LATIN_FOLD[c] = c < 128 ? ASCII_FOLD[c]! : foldedLetter(c);

// Stop-word table: keys are the first 6 letters packed 5 bits each (a = 1 … z = 26), with LONG_WORD
// set for longer words, whose remaining letters are then compared. The slot is a multiplicative hash
// whose multiplier gives every stop word its own slot, so a word is a stop word iff its slot holds
// its key: one read, no probing loop. The multiplier below suits the current lists; if they change,
// the loading loop tries others until one fits (about a hundred tries at this table size).
const PACKED_LETTERS = 6;
const LONG_WORD = 1 << 30;
const FR = 1;
const EN = 2;
const STOP_SIZE = 2048;
const STOP_KEYS = new Int32Array(STOP_SIZE);
const STOP_FLAGS = new Uint8Array(STOP_SIZE);
const STOP_WORDS: (string | undefined)[] = new Array(STOP_SIZE);
let stopMultiplier = 0x8db93afb | 0;

function stopSlot(key: number): number {
  // The top 11 bits of the 32-bit product: 0 … 2047.
  return Math.imul(key, stopMultiplier) >>> 21;
}

function packedKey(word: string): number {
  let key = 0;
  for (let k = 0; k < Math.min(word.length, PACKED_LETTERS); k++) key = key * 32 + (word.charCodeAt(k) - 96);
  return word.length > PACKED_LETTERS ? key | LONG_WORD : key;
}

/** For a stop word longer than 6 letters, its letters after the sixth (the key holds the first six). */
function sameLongWord(text: string, start: number, length: number, word: string): boolean {
  if (length <= PACKED_LETTERS) return true;
  if (word.length !== length) return false;
  for (let k = PACKED_LETTERS; k < length; k++) {
    const raw = text.charCodeAt(start + k);
    if ((raw < LATIN_FOLD_SIZE ? LATIN_FOLD[raw]! : foldedLetter(raw)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

const STOP_LIST = [...new Set([...FR_WORDS, ...EN_WORDS])];
const MAX_STOP_WORD = Math.max(...STOP_LIST.map((word) => word.length));
// Keys are never 0 (every letter adds at least 1), so 0 marks an empty slot.
for (let placed = false; !placed; ) {
  STOP_KEYS.fill(0);
  placed = true;
  for (const word of STOP_LIST) {
    const key = packedKey(word);
    const slot = stopSlot(key);
    if (STOP_KEYS[slot] !== 0) {
      placed = false;
      stopMultiplier = (Math.imul(stopMultiplier, 0x2c1b3c6d) + 0x297a2d39) | 1;
      break;
    }
    STOP_KEYS[slot] = key;
    STOP_FLAGS[slot] = (FR_WORDS.has(word) ? FR : 0) | (EN_WORDS.has(word) ? EN : 0);
    STOP_WORDS[slot] = word;
  }
}

/**
 * For a Latin code unit (< 0x250): the folded letter's number (a = 1 … z = 26, 0 for a non-letter)
 * in the low 5 bits, and bit 5 set for a French accented letter (é è ê à ù ç ô î œ, either case).
 */
const LETTER_AND_ACCENT = new Uint8Array(LATIN_FOLD_SIZE);
for (let c = 0; c < LATIN_FOLD_SIZE; c++) {
  const letter = LATIN_FOLD[c] === 0 ? 0 : LATIN_FOLD[c]! - 96;
  LETTER_AND_ACCENT[c] = letter | (c >= 0xc0 && isFrenchAccent(c) ? 32 : 0);
}

/** Normalised tokens for name comparisons: folded, apostrophes/hyphens split. */
export function nameParts(name: string): string[] {
  return foldText(name)
    .split(/[^a-z0-9]+/)
    .filter((p) => p.length > 0);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words before a position (folded), used for context windows. */
export function contextBefore(folded: string, start: number, chars: number): string {
  return folded.slice(Math.max(0, start - chars), start);
}

export function contextAfter(folded: string, end: number, chars: number): string {
  return folded.slice(end, end + chars);
}
