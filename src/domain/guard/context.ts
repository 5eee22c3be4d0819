// Context words before a phone, card or address candidate, read in one forward pass over the
// original text.
//
// These tests used to fold the 40–70 characters before each candidate (foldText) and run two to
// four regexes on the copy: for a phone REFERENCE_CONTEXT (a reference word, then at most two words
// up to the number) and, after one, PHONE_CONTEXT (a phone word in the last 20 characters),
// SERIAL_CONTEXT (a serial/part-number phrase, then up to 50 characters without . ! ? or a line
// break) and ORGANISATION_CONTEXT (an organisation's name in the last 60 characters); for a card
// REFERENCE_CONTEXT and CARD_CONTEXT; for an address OWN_PREMISES ("our shop", "notre agence",
// then at most four words) and ORGANISATION_OR_VENUE_CONTEXT (in the last 40 characters). Each
// regex tries its alternation at every position of its window, so a candidate paid a fold and
// several scans. Here the window is read once: each code unit is folded by a table (as foldText
// folds it) to a symbol, and the symbols drive one automaton (Aho–Corasick) built from all the
// keyword lists, which says at each position which keywords end there. The regexes' other
// conditions (where their window starts, \b around a keyword, what may follow it) are checked only
// when a keyword ends, which is rare. The semantics are the regexes', quirks included: keywords
// are substrings ("vat" in "private"), as they were in the patterns.

import { foldText } from './text.ts';

// ─── keyword lists (folded: lower-case, no accents) ───────────────────────────────────────────────

// "This number is a reference, not personal data" (REFERENCE_CONTEXT): a keyword, then at most two
// words before the number. "ref" must be a whole word end ("ref\b"); the others may end inside one.
const REFERENCE_WORDS = [
  '#',
  'account no',
  'account number',
  'booking',
  'commande',
  'colis',
  'contrat',
  'contract',
  'confirmation',
  'client n',
  'customer no',
  'customer number',
  'customer id',
  'dossier',
  'facture',
  'invoice',
  'imei',
  'lot',
  'n°',
  'n o',
  'no.',
  // "num(ero) de commande/suivi/dossier/facture/contrat/client/colis", with or without a '.'.
  ...['num', 'num.', 'numero', 'numero.'].flatMap((num) => ['commande', 'suivi', 'dossier', 'facture', 'contrat', 'client', 'colis'].map((what) => `${num} de ${what}`)),
  'order',
  'parcel',
  'ref.',
  'refs.',
  'reference',
  'reservation',
  'suivi',
  'shipment',
  'siret',
  'siren',
  'serie',
  'serial',
  'tracking',
  'tva',
  'ticket',
  'vat',
];
const REFERENCE_WORDS_AT_WORD_END = ['ref'];

// After a reference word, these still make the number a phone (PHONE_CONTEXT, in the last 20
// characters): "tel" and "call" are whole words, "tel." starts one.
const PHONE_WORDS = [
  'telephone',
  'phone',
  'portable',
  'mobile',
  'cell',
  'appele',
  'rappele',
  'joindre',
  'reach',
  'whatsapp',
  'sms',
  'texto',
  'text him',
  'text her',
  'text them',
  'numero de',
  'numero du',
  'numero perso',
  'number',
];
const PHONE_WHOLE_WORDS = ['tel', 'call'];
const PHONE_WORDS_AT_WORD_START = ['tel.'];
const PHONE_SPAN = 20;

// … and these a card (CARD_CONTEXT, in the same 40 characters): "cb" is a whole word, "exp" ends one.
const CARD_WORDS = ['carte', 'card', 'visa', 'mastercard', 'amex', 'cvv', 'cvc', 'crypto', 'expir', 'paiement', 'payment'];
const CARD_WHOLE_WORDS = ['cb'];
const CARD_WORDS_AT_WORD_END = ['exp'];

// A serial/part number names its object first ("numéro de série de votre boîte de vitesses est le
// …"): one of these, at a word end, then up to 50 characters without . ! ? or a line break.
const SERIAL_WORDS = [
  'numero de serie',
  'n° de serie',
  'serial number',
  'serial no',
  'part number',
  'part no',
  'numero de piece',
  'reference de piece',
  'imei',
  'numero de puce',
  'chip number',
  'numero de chassis',
  'vin',
];

// An organisation's landline (embassy, town hall, hospital…) is not a person's number
// (ORGANISATION_CONTEXT); an organisation's address is not a person's address either.
const ORGANISATION_WORDS = [
  'ambassade',
  'embassy',
  'consulat',
  'consulate',
  'mairie',
  'town hall',
  'council',
  'prefecture',
  'hopital',
  'hospital',
  'clinique',
  'clinic',
  'pharmacie',
  'pharmacy',
  'police',
  'gendarmerie',
  'pompiers',
  'compagnie',
  'airline',
  'aeroport',
  'airport',
  'gare',
  'station',
  'standard',
  'switchboard',
  'accueil',
  'reception',
  'helpline',
  'hotline',
  'service client',
  'customer service',
  'office de tourisme',
  'tourist office',
  'assurance',
  'insurer',
  'insurance',
  'banque',
  'bank',
  'transporteur',
  'courier',
  'fournisseur',
  'supplier',
  'hotel',
  'musee',
  'museum',
  'universite',
  'university',
  'ecole',
  'school',
];

// The business's own premises before an address ("our shop at…", "notre agence du…"): one of these,
// then at least one non-word character and at most four words (OWN_PREMISES). "notre", "nos" and
// "our" are whole words; the others may start inside one.
const PREMISES_WORDS = [
  'magasin',
  'boutique',
  'agence',
  'showroom',
  'atelier',
  'garage',
  'cabinet',
  'clinique',
  'bureau',
  'bureaux',
  'locaux',
  'siege',
  'salon',
  'restaurant',
  'hotel',
  'shop',
  'store',
  'office',
  'branch',
  'premises',
  'studio',
  'workshop',
  'surgery',
  'clinic',
  'pharmacie',
  'pharmacy',
  'point relais',
  'point retrait',
  'relais',
  'pickup point',
  'parking',
  'gare',
  'station',
  'mairie',
  'town hall',
  'musee',
  'museum',
];
const PREMISES_WHOLE_WORDS = ['notre', 'nos', 'our'];

// Places that are not someone's home (VENUE_CONTEXT, with the organisation words before an
// address). "salle", "cafe", "bar" and "gym" are whole words.
const VENUE_WORDS = [
  'salle des fetes',
  'salle de reception',
  'salle polyvalente',
  'venue',
  'eglise',
  'church',
  'chapelle',
  'chapel',
  'restaurant',
  'brasserie',
  'theatre',
  'theater',
  'cinema',
  'stade',
  'stadium',
  'gymnase',
  'chateau',
  'domaine',
  'parc des',
  'centre commercial',
  'shopping centre',
  'mall',
  'office building',
  'immeuble de bureaux',
];
const VENUE_WHOLE_WORDS = ['salle', 'cafe', 'bar', 'gym'];

// Window sizes (characters before the candidate) of the former regexes.
const REFERENCE_SPAN = 40;
const ORGANISATION_SPAN = 60;
const SERIAL_SPAN = 70;
const SERIAL_TAIL = 50;
const PREMISES_SPAN = 50;
const VENUE_SPAN = 40;

// ─── symbols: what a folded code unit is to the keywords ─────────────────────────────────────────
// 1–26: a–z. The few other characters in keywords have their own symbols; everything else is a
// word character ([a-z0-9_] after folding: \w without the u flag) or not, and a few non-word
// characters end a sentence for the serial test.
const OTHER = 0;
const SPACE = 27;
const DEGREE = 28;
const HASH = 29;
const WORD = 30; // digits and '_'
// The two that end a sentence for the serial test come last (one comparison): '.', then ! ? \n.
const DOT = 31;
const STOP = 32;
const SYMBOLS = 33;

function symbolOfFolded(f: number): number {
  if (f >= 97 && f <= 122) return f - 96;
  if ((f >= 48 && f <= 57) || f === 95) return WORD;
  if (f === 32) return SPACE;
  if (f === 46) return DOT;
  if (f === 0xb0) return DEGREE;
  if (f === 35) return HASH;
  if (f === 33 || f === 63 || f === 10) return STOP;
  return OTHER;
}

// foldText folds a window in one of two ways: lower-case the whole window and fold each unit from
// its lower-case form, or, when lower-casing would change the window's length (only 'İ', U+0130,
// does), fold each unit on its own. The two differ for a few letters ('Œ' folds to 'o' in the first
// way, stays 'œ' in the second), so there is a symbol table for each, both read off foldText.
const DOTTED_CAPITAL_I = 0x130;

/** The symbol of code unit `c` as foldText folds it in a window without (`unit` false) or with 'İ'. */
function symbolOfCode(c: number, unit: boolean): number {
  const ch = String.fromCharCode(c);
  return symbolOfFolded(unit ? foldText(`\u0130${ch}`).charCodeAt(1) : foldText(ch).charCodeAt(0));
}

// Latin code units from a table; the rest (rarely in a window) memoised, since foldText calls
// toLowerCase and normalize for them.
const TABLE_SIZE = 0x250;
const SYMBOL_TABLE = new Uint8Array(TABLE_SIZE);
const UNIT_SYMBOL_TABLE = new Uint8Array(TABLE_SIZE);
for (let c = 0; c < TABLE_SIZE; c++) {
  SYMBOL_TABLE[c] = symbolOfCode(c, false);
  UNIT_SYMBOL_TABLE[c] = symbolOfCode(c, true);
}
const symbolMemo = new Map<number, number>();
const unitSymbolMemo = new Map<number, number>();

function symbolAt(text: string, i: number, unit: boolean): number {
  const c = text.charCodeAt(i);
  if (c < TABLE_SIZE) return unit ? UNIT_SYMBOL_TABLE[c]! : SYMBOL_TABLE[c]!;
  return rareSymbol(c, unit);
}

function rareSymbol(c: number, unit: boolean): number {
  const memo = unit ? unitSymbolMemo : symbolMemo;
  let s = memo.get(c);
  if (s === undefined) {
    s = symbolOfCode(c, unit);
    if (memo.size > 10_000) memo.clear();
    memo.set(c, s);
  }
  return s;
}

function isWordSymbol(s: number): boolean {
  return (s >= 1 && s <= 26) || s === WORD;
}

// ─── automaton ──────────────────────────────────────────────────────────────────────────────────
// A full transition table (state × symbol → state) over the keywords' trie with Aho–Corasick
// failure links folded in: one table read per character, no backtracking. A state is stored as the
// offset of its row (state × SYMBOLS), complemented (negative) when a keyword ends there, so the
// scan needs one read and one test per character. For each state, the shortest keyword of each
// list ending there (NONE if none): a keyword must lie inside its list's window, and the shortest
// one is the last to leave it.
const NONE = 255;
const REFERENCE = 0;
const REFERENCE_AT_WORD_END = 1;
const SERIAL = 2;
const ORGANISATION = 3;
const PREMISES = 4;
const PREMISES_WHOLE = 5;
const VENUE = 6;
const VENUE_WHOLE = 7;
const PHONE_LIST = 8;
const PHONE_WHOLE = 9;
const PHONE_AT_WORD_START = 10;
const CARD_LIST = 11;
const CARD_WHOLE = 12;
const CARD_AT_WORD_END = 13;
const LISTS = 14;

function keywordSymbols(word: string): number[] {
  return [...word].map((ch) => {
    const s = symbolOfFolded(ch.charCodeAt(0));
    if (s === OTHER || s === WORD || s === STOP) throw new Error(`context keyword "${word}": unexpected character`);
    return s;
  });
}

// The word-edge lists keep one length per state: no word of such a list may end another one.
for (const words of [REFERENCE_WORDS_AT_WORD_END, PREMISES_WHOLE_WORDS, VENUE_WHOLE_WORDS, PHONE_WHOLE_WORDS, PHONE_WORDS_AT_WORD_START, CARD_WHOLE_WORDS, CARD_WORDS_AT_WORD_END]) {
  for (const a of words) for (const b of words) if (a !== b && a.endsWith(b)) throw new Error(`context keywords: "${b}" ends "${a}"`);
}

function buildAutomaton(): { next: Int32Array; shortest: Uint8Array } {
  const lists = [
    REFERENCE_WORDS,
    REFERENCE_WORDS_AT_WORD_END,
    SERIAL_WORDS,
    ORGANISATION_WORDS,
    PREMISES_WORDS,
    PREMISES_WHOLE_WORDS,
    VENUE_WORDS,
    VENUE_WHOLE_WORDS,
    PHONE_WORDS,
    PHONE_WHOLE_WORDS,
    PHONE_WORDS_AT_WORD_START,
    CARD_WORDS,
    CARD_WHOLE_WORDS,
    CARD_WORDS_AT_WORD_END,
  ];
  const goto: number[][] = [new Array(SYMBOLS).fill(-1)];
  const ends: number[][] = [new Array(LISTS).fill(NONE)];
  lists.forEach((words, list) => {
    for (const word of words) {
      let state = 0;
      for (const s of keywordSymbols(word)) {
        if (goto[state]![s] === -1) {
          goto[state]![s] = goto.length;
          goto.push(new Array(SYMBOLS).fill(-1));
          ends.push(new Array(LISTS).fill(NONE));
        }
        state = goto[state]![s]!;
      }
      ends[state]![list] = Math.min(ends[state]![list]!, word.length);
    }
  });
  // Breadth-first: failure links, inherited keyword ends, and the full transition table.
  const count = goto.length;
  const next = new Uint16Array(count * SYMBOLS);
  const fail = new Array<number>(count).fill(0);
  const queue: number[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    const child = goto[0]![s]!;
    next[s] = child === -1 ? 0 : child;
    if (child !== -1) queue.push(child);
  }
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (let l = 0; l < LISTS; l++) ends[state]![l] = Math.min(ends[state]![l]!, ends[fail[state]!]![l]!);
    for (let s = 0; s < SYMBOLS; s++) {
      const child = goto[state]![s]!;
      const viaFail = next[fail[state]! * SYMBOLS + s]!;
      if (child === -1) next[state * SYMBOLS + s] = viaFail;
      else {
        fail[child] = viaFail;
        next[state * SYMBOLS + s] = child;
        queue.push(child);
      }
    }
  }
  const shortest = new Uint8Array(count * LISTS);
  for (let state = 0; state < count; state++) for (let l = 0; l < LISTS; l++) shortest[state * LISTS + l] = ends[state]![l]!;
  const rows = new Int32Array(next.length);
  for (let k = 0; k < next.length; k++) {
    const child = next[k]!;
    rows[k] = ends[child]!.some((length) => length !== NONE) ? ~(child * SYMBOLS) : child * SYMBOLS;
  }
  return { next: rows, shortest };
}

const { next: NEXT, shortest: SHORTEST } = buildAutomaton();

// ─── the scan ───────────────────────────────────────────────────────────────────────────────────
export const REFERENCE_BEFORE = 1;
export const SERIAL_BEFORE = 2;
export const ORGANISATION_BEFORE = 4;
export const PREMISES_BEFORE = 8;
export const ORGANISATION_OR_VENUE_BEFORE = 16;
/** The window holds an 'İ': foldText folds it (and any text it is part of) unit by unit. */
export const UNIT_FOLD = 32;
export const PHONE_WORD_BEFORE = 64;
export const CARD_WORD_BEFORE = 128;

// What is tested before each kind of candidate.
const PHONE = 0;
const CARD = 1;
const ADDRESS = 2;

/**
 * The phone tests on the text before `end`, all as folded with the last 70 characters:
 * REFERENCE_BEFORE (REFERENCE_CONTEXT on the last 40), PHONE_WORD_BEFORE (PHONE_CONTEXT on the last
 * 20), SERIAL_BEFORE (SERIAL_CONTEXT on the last 70) and, if `organisation`, ORGANISATION_BEFORE
 * (ORGANISATION_CONTEXT on the last 60).
 */
export function phoneContextBefore(text: string, end: number, organisation: boolean): number {
  return scan(text, end, PHONE, organisation, false);
}

/** The card tests: REFERENCE_BEFORE and CARD_WORD_BEFORE (REFERENCE_CONTEXT, CARD_CONTEXT on the last 40 characters). */
export function cardContextBefore(text: string, end: number): number {
  return scan(text, end, CARD, false, false);
}

/**
 * The address tests for an address at [end, addressEnd): PREMISES_BEFORE (OWN_PREMISES on the 50
 * characters before it) and ORGANISATION_OR_VENUE_BEFORE (ORGANISATION_OR_VENUE_CONTEXT on the last
 * 40 of them), both folded with the address, plus UNIT_FOLD when the 50 characters or the address
 * hold an 'İ' (the whole window is then folded unit by unit).
 */
export function addressContextBefore(text: string, end: number, addressEnd: number): number {
  let unit = false;
  for (let i = end; i < addressEnd && !unit; i++) unit = text.charCodeAt(i) === DOTTED_CAPITAL_I;
  return scan(text, end, ADDRESS, false, unit);
}

function scan(text: string, end: number, kind: number, organisation: boolean, unit: boolean): number {
  const span = kind === PHONE ? SERIAL_SPAN : kind === CARD ? REFERENCE_SPAN : PREMISES_SPAN;
  const lo = Math.max(0, end - span);
  const referenceLo = Math.max(0, end - REFERENCE_SPAN);
  const organisationLo = Math.max(0, end - ORGANISATION_SPAN);
  const venueLo = Math.max(0, end - VENUE_SPAN);
  const phoneLo = Math.max(0, end - PHONE_SPAN);
  let found = 0;
  // Where the last keyword of a list that must be followed by a given tail ends: the last one is
  // the best placed, and the tails are checked once, after the scan.
  let referenceEnd = -1;
  let premisesEnd = -1;
  let serialEnd = -1;
  let lastStop = -1;
  const symbols = unit ? UNIT_SYMBOL_TABLE : SYMBOL_TABLE;
  let row = 0;
  for (let i = lo; i < end; i++) {
    const code = text.charCodeAt(i);
    // An 'İ' in the window: foldText would fold it unit by unit. Start again that way (rare).
    if (code === DOTTED_CAPITAL_I && !unit) return scan(text, end, kind, organisation, true);
    const symbol = code < TABLE_SIZE ? symbols[code]! : rareSymbol(code, unit);
    if (symbol >= DOT) lastStop = i;
    const next = NEXT[row + symbol]!;
    if (next >= 0) {
      row = next;
      continue;
    }
    // A keyword ends here.
    row = ~next;
    const at = i + 1;
    const ends = (row / SYMBOLS) * LISTS;
    if (kind === ADDRESS) {
      // OWN_PREMISES: a non-word character after the keyword (the rest of the tail is checked below).
      const premisesWhole = SHORTEST[ends + PREMISES_WHOLE]!;
      if (
        at < end &&
        !isWordSymbol(symbolAt(text, at, unit)) &&
        (SHORTEST[ends + PREMISES]! <= at - lo || (premisesWhole <= at - lo && wordStartAt(text, at - premisesWhole, lo, unit)))
      )
        premisesEnd = at;
      const whole = SHORTEST[ends + VENUE_WHOLE]!;
      if (
        SHORTEST[ends + ORGANISATION]! <= at - venueLo ||
        SHORTEST[ends + VENUE]! <= at - venueLo ||
        (whole <= at - venueLo && wordStartAt(text, at - whole, venueLo, unit) && wordEndAt(text, at, end, unit))
      )
        found |= ORGANISATION_OR_VENUE_BEFORE;
      continue;
    }
    // A keyword "ending at a word end" has no word character after it (or ends the window: \b).
    if (SHORTEST[ends + REFERENCE]! <= at - referenceLo || (SHORTEST[ends + REFERENCE_AT_WORD_END]! <= at - referenceLo && wordEndAt(text, at, end, unit))) referenceEnd = at;
    if (kind === CARD) {
      const whole = SHORTEST[ends + CARD_WHOLE]!;
      if (
        SHORTEST[ends + CARD_LIST]! <= at - lo ||
        (whole <= at - lo && wordStartAt(text, at - whole, lo, unit) && wordEndAt(text, at, end, unit)) ||
        (SHORTEST[ends + CARD_AT_WORD_END]! <= at - lo && wordEndAt(text, at, end, unit))
      )
        found |= CARD_WORD_BEFORE;
      continue;
    }
    const whole = SHORTEST[ends + PHONE_WHOLE]!;
    const atWordStart = SHORTEST[ends + PHONE_AT_WORD_START]!;
    if (
      SHORTEST[ends + PHONE_LIST]! <= at - phoneLo ||
      (whole <= at - phoneLo && wordStartAt(text, at - whole, phoneLo, unit) && wordEndAt(text, at, end, unit)) ||
      (atWordStart <= at - phoneLo && wordStartAt(text, at - atWordStart, phoneLo, unit))
    )
      found |= PHONE_WORD_BEFORE;
    if (SHORTEST[ends + SERIAL]! <= at - lo && wordEndAt(text, at, end, unit)) serialEnd = at;
    if (organisation && SHORTEST[ends + ORGANISATION]! <= at - organisationLo) found |= ORGANISATION_BEFORE;
  }
  // The serial phrase is followed by at most 50 characters, none of them . ! ? or a line break.
  if (serialEnd >= 0 && end - serialEnd <= SERIAL_TAIL && lastStop < serialEnd) found |= SERIAL_BEFORE;
  // The tails are read backwards from the end, here rather than in helper functions: called only
  // when a keyword was seen, such a function becomes hot (and is compiled) long after the scan.
  if (referenceEnd >= 0) {
    // REFERENCE_CONTEXT's tail `\W{0,3}(?:\w+\W{0,3}){0,2}$`: at most two word runs and no run of
    // more than three non-word characters (a run cut by the window's start counts as a run). `i`
    // ends as the leftmost place such a tail can start.
    let i = end;
    for (let words = 0; ; words++) {
      for (let k = 0; k < 3 && i > referenceLo && !isWordSymbol(symbolAt(text, i - 1, unit)); k++) i--;
      // A fourth non-word character, or a third word: the tail cannot reach back further.
      if (i === referenceLo || !isWordSymbol(symbolAt(text, i - 1, unit)) || words === 2) break;
      while (i > referenceLo && isWordSymbol(symbolAt(text, i - 1, unit))) i--;
      if (i === referenceLo) break;
    }
    if (referenceEnd >= i) found |= REFERENCE_BEFORE;
  }
  if (premisesEnd >= 0 && !isWordSymbol(symbolAt(text, end - 1, unit))) {
    // OWN_PREMISES's tail `\W+(?:\w+\W+){0,4}$`: at most four word runs, a non-word character last.
    let i = end;
    for (let words = 0; ; words++) {
      while (i > lo && !isWordSymbol(symbolAt(text, i - 1, unit))) i--;
      // A fifth word: the keyword may end where it ends, not before.
      if (i === lo || words === 4) break;
      while (i > lo && isWordSymbol(symbolAt(text, i - 1, unit))) i--;
      if (i === lo) break;
    }
    if (premisesEnd >= i) found |= PREMISES_BEFORE;
  }
  return unit ? found | UNIT_FOLD : found;
}

/** \b before a keyword (which starts with a word character): a non-word character or the window's start. */
function wordStartAt(text: string, start: number, lo: number, unit: boolean): boolean {
  return start === lo || !isWordSymbol(symbolAt(text, start - 1, unit));
}

/** \b after a keyword (which ends with a word character): a non-word character or the window's end. */
function wordEndAt(text: string, at: number, end: number, unit: boolean): boolean {
  return at === end || !isWordSymbol(symbolAt(text, at, unit));
}
