// Hunspell (compiled to WebAssembly by hunspell-asm) behind the domain's Speller interface.
//
// Measured (docs/guard.md): loading the wasm module and the fr + en-US + en-GB dictionaries takes
// ~150 ms, well under the 500 ms "ready" bar, so dictionaries are loaded eagerly; no word-list cache.
// Hunspell's own suggest() is far too slow for the send path (30–550 ms per French word: its n-gram
// pass scans the whole dictionary), so suggestions come from a bounded edit-distance-1 search
// (accents, doubled letters, transpositions, keyboard neighbours, missing apostrophes) verified with
// spell(), which costs well under a millisecond. Both answers are memoised per word.

import type { Hunspell } from 'hunspell-asm';
import type { GuardLang, Speller } from '../domain/guard/types.ts';

interface Dictionary {
  aff: Uint8Array;
  dic: Uint8Array;
}

const ACCENTS: Record<string, string[]> = {
  a: ['à', 'â', 'ä'],
  e: ['é', 'è', 'ê', 'ë'],
  i: ['î', 'ï'],
  o: ['ô', 'ö'],
  u: ['ù', 'û', 'ü'],
  c: ['ç'],
  à: ['a', 'â'],
  â: ['a', 'à'],
  é: ['e', 'è', 'ê'],
  è: ['e', 'é', 'ê'],
  ê: ['e', 'é', 'è'],
  î: ['i', 'ï'],
  ô: ['o'],
  ù: ['u', 'û'],
  û: ['u', 'ù'],
  ç: ['c'],
};

const KEYBOARD_ROWS: Record<GuardLang, string[]> = {
  fr: ['azertyuiop', 'qsdfghjklm', 'wxcvbn'],
  en: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
};

function neighbourMap(rows: string[]): Map<string, string> {
  const map = new Map<string, string>();
  rows.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      let n = (row[i - 1] ?? '') + (row[i + 1] ?? '');
      for (const other of [rows[r - 1], rows[r + 1]]) if (other) n += (other[i - 1] ?? '') + (other[i] ?? '') + (other[i + 1] ?? '');
      map.set(row[i]!, n);
    }
  });
  return map;
}

const NEIGHBOURS: Record<GuardLang, Map<string, string>> = {
  fr: neighbourMap(KEYBOARD_ROWS.fr),
  en: neighbourMap(KEYBOARD_ROWS.en),
};
const LETTERS: Record<GuardLang, string> = { fr: 'esaitnrulodcmpéévqfbghjàxèyêzçôùâûîœkwë', en: 'etaoinshrdlcumwfgypbvkjxqz' };

/** Candidate corrections, most likely slips first, in rounds; stops at the first round with a hit. */
function* candidateRounds(word: string, lang: GuardLang): Generator<string[]> {
  const n = word.length;
  const round1: string[] = [];
  // Accents (one or two positions), missing apostrophe, doubled or undoubled letter, transpositions.
  const accentable: number[] = [];
  for (let i = 0; i < n; i++) if (ACCENTS[word[i]!]) accentable.push(i);
  for (const i of accentable) for (const a of ACCENTS[word[i]!]!) round1.push(word.slice(0, i) + a + word.slice(i + 1));
  if (accentable.length <= 4) {
    for (let x = 0; x < accentable.length; x++)
      for (let y = x + 1; y < accentable.length; y++) {
        const i = accentable[x]!;
        const j = accentable[y]!;
        for (const a of ACCENTS[word[i]!]!)
          for (const b of ACCENTS[word[j]!]!) round1.push(word.slice(0, i) + a + word.slice(i + 1, j) + b + word.slice(j + 1));
      }
  }
  for (let i = 1; i < n; i++) {
    if (word[i] === word[i - 1]) round1.push(word.slice(0, i) + word.slice(i + 1));
    else round1.push(word.slice(0, i) + word[i - 1] + word.slice(i));
    round1.push(word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1));
    if (lang === 'fr' && i <= 7) round1.push(`${word.slice(0, i)}'${word.slice(i)}`);
  }
  round1.push(`${word}${word[n - 1]}`);
  yield round1;
  const round2: string[] = [];
  const near = NEIGHBOURS[lang];
  for (let i = 0; i < n; i++) {
    round2.push(word.slice(0, i) + word.slice(i + 1));
    for (const c of near.get(word[i]!) ?? '') round2.push(word.slice(0, i) + c + word.slice(i + 1));
    // Vowel confusions ("definately", "seperate") are the commonest phonetic slips.
    if ('aeiouy'.includes(word[i]!)) for (const c of 'aeiou') if (c !== word[i]) round2.push(word.slice(0, i) + c + word.slice(i + 1));
  }
  yield round2;
  // Missing letters: the largest round, only for words short enough to keep it under a millisecond.
  if (n > 10) return;
  const round3: string[] = [];
  for (let i = 0; i <= n; i++) for (const c of LETTERS[lang]) round3.push(word.slice(0, i) + c + word.slice(i));
  yield round3;
}

export interface HunspellSpeller extends Speller {
  dispose(): void;
}

export interface LoadSpellerOptions {
  /** Memo size per language (words). */
  cacheSize?: number;
}

/**
 * The Emscripten build installs process-wide `uncaughtException` / `unhandledRejection` handlers
 * that rethrow whatever reaches them: any stray error anywhere would then end the process through
 * Hunspell's code, hiding where it came from (and defeating a test runner's reporting). Whatever
 * the module adds while loading is taken off again; the module itself does not need it.
 */
async function withoutProcessHandlers<T>(load: () => Promise<T>): Promise<T> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await load();
  } finally {
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/** Loads the WebAssembly Hunspell module and the French and English dictionaries shipped in node_modules. */
export async function loadHunspellSpeller(options: LoadSpellerOptions = {}): Promise<HunspellSpeller> {
  // Imported here, not at the top, so reading the dictionary files counts in the ready time.
  const [factory, fr_, enUs_, enGb_] = await Promise.all([
    withoutProcessHandlers(() => import('hunspell-asm').then((hunspell) => hunspell.loadModule())),
    import('dictionary-fr'),
    import('dictionary-en'),
    import('dictionary-en-gb'),
  ]);
  const open = (dict: Dictionary, name: string): Hunspell => {
    const aff = factory.mountBuffer(dict.aff, `${name}.aff`);
    const dic = factory.mountBuffer(dict.dic, `${name}.dic`);
    const h = factory.create(aff, dic);
    // The files were copied into the wasm heap; the instance keeps what it needs.
    factory.unmount(aff);
    factory.unmount(dic);
    return h;
  };
  const fr = open(fr_.default as Dictionary, 'fr');
  const enUs = open(enUs_.default as Dictionary, 'en-us');
  const enGb = open(enGb_.default as Dictionary, 'en-gb');
  const cacheSize = options.cacheSize ?? 50_000;
  const spellCache: Record<GuardLang, Map<string, boolean>> = { fr: new Map(), en: new Map() };
  const suggestCache: Record<GuardLang, Map<string, string[]>> = { fr: new Map(), en: new Map() };

  const remember = <T>(cache: Map<string, T>, key: string, value: T): T => {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };

  const spellRaw = (word: string, lang: GuardLang): boolean => {
    if (word.length > 60) return false;
    if (lang === 'fr') return fr.spell(word);
    return enUs.spell(word) || enGb.spell(word);
  };

  const isCorrect = (word: string, lang: GuardLang): boolean => {
    const cache = spellCache[lang];
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    return remember(cache, word, spellRaw(word, lang));
  };

  const suggest = (word: string, lang: GuardLang): string[] => {
    const cache = suggestCache[lang];
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    const lower = word.toLowerCase();
    const found: string[] = [];
    if (lower.length <= 30) {
      for (const round of candidateRounds(lower, lang)) {
        for (const c of round) if (!found.includes(c) && spellRaw(c, lang)) found.push(c);
        if (found.length > 0) break;
      }
    }
    return remember(cache, word, found.slice(0, 3));
  };

  return {
    isCorrect,
    suggest,
    dispose() {
      fr.dispose();
      enUs.dispose();
      enGb.dispose();
    },
  };
}
