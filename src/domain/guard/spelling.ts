// Spelling (PRODUCT.md §5 "spelling"): words checked against the injected speller (Hunspell in the
// runtime) in the message's language, with a workspace glossary (catalogue, contact, staff, agent and
// business names) and common abbreviations. People's names, URLs, references, acronyms and words
// valid in the other language (loanwords, code-switching) are not findings.

import { localized } from './messages.ts';
import { foldText, insideAny, nameParts, nonProseSpans, type Span, type Token, wordTokens } from './text.ts';
import type { GuardFinding, GuardInput, GuardLang, Speller } from './types.ts';

const ABBREVIATIONS = new Set(
  (
    'rdv svp stp cdt cdlt bjr slt tel mr mme mlle mm dr pr etc cf ex env ok okay nb ps pj tsvp ttc ht sav ' +
    'min max km kg cm mm ml cl h mn sec lun mar mer jeu ven sam dim janv fev avr juil sept oct nov dec ' +
    'asap fyi pls plz thx btw approx eg ie vs mon tue wed thu fri sat sun jan feb apr jun jul aug sep ' +
    'am pm info infos email emails mail mails sms wifi wi-fi whatsapp ps pdf url faq lol xoxo covid vip diy ' +
    'bisous bises cc re fwd ref refs dept appt qty pcs pc tbc tbd eta n° ' +
    // Everyday clippings and chat abbreviations (PRODUCT.md §5: common abbreviations are not findings).
    'meds vet vets mins hrs yrs wks pic pics docs temp promo promos combo uni tmrw tmr tbh imo ty np rsvp aka ' +
    'dispo dispos résa resa résas perso persos promo appart apparts ado ados apéro resto restau ciné déco frigo kiné ' +
    'sécu mutu réf tél qté bcp pb pk tjrs dsl bsr biz mél texto exam exams labo ' +
    'mdp tkt tt tte ttes jsp jpp mtn auj dac ptdr mdr svp pcq pq qd qqn qqch rdc rdvs bjr cdt cc ça convoc convocs ' +
    'coloc colocs récap recap ordi appli applis dico prof profs fac manif dej déj aprem exo exos impec nickel ' +
    'defo deffo wknd wkend lmk tmrw tmw tho thru cuz cos coz ur u r pls plz gonna wanna gotta kinda sorta yeah yep nope ' +
    'hiya hola allo allô ciao namaste aloha diolch salam shalom gracias danke bisous bises ouf oups bof hein ' +
    'mani pedi mani-pedi brekkie arvo cuppa omg aww aw ooh oof yay woohoo haha hehe lol pw pwd ' +
    'satnav aircon lockbox keysafe grandad grandma grandpa nan nana blowdry blow-dry' + ' ' +
    // Particles of foreign names and street names ("via del Corso", "Van Dyck").
    'del della di da van von der den dos das y'
  ).split(' '),
);
const ELISIONS = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]/i;

function glossaryOf(input: GuardInput): Set<string> {
  const words = new Set<string>();
  const add = (s: unknown): void => {
    if (typeof s === 'string') for (const p of nameParts(s)) words.add(p);
  };
  for (const item of input.catalog ?? []) add(item?.name);
  for (const c of input.otherContacts ?? []) add(c?.name);
  for (const s of input.business?.staff ?? []) add(s);
  add(input.business?.name);
  add(input.recipient?.name);
  add(input.agent?.name);
  return words;
}

const FUNCTION_WORDS = new Set('the and you your are for was were not but all any can had her his its our out who has have this that with from they them then than what when where which will would'.split(' '));

// Titles and abbreviations whose period does not end a sentence ("Dr. Park", "M. Noël", "réf. X").
const TITLE_BEFORE_PERIOD =
  /(?:^|[^\p{L}])(?:dr|drs|mr|mrs|ms|mx|mme|mmes|mlle|mlles|pr|prof|st|ste|sr|jr|approx|env|réf|ref|cf|tél|tel|vs|av|bd|fig|pp)$/u;
const INITIAL_BEFORE_PERIOD = /(?:^|[^\p{L}])\p{Lu}$/u;

function isSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s"'«“(\-*]/.test(text[i]!)) i--;
  if (i < 0) return true;
  if (text[i] === '.') {
    const before = text.slice(Math.max(0, i - 8), i);
    if (TITLE_BEFORE_PERIOD.test(before.toLowerCase()) || INITIAL_BEFORE_PERIOD.test(before)) return false;
  }
  return /[.!?:\n…]/.test(text[i]!);
}

// Productive prefixes: "rebook", "précommande", "co-organiser" are words when the stem is one.
const PREFIXES: Record<GuardLang, readonly string[]> = {
  en: ['re', 'pre', 'co', 'non', 'over', 'under', 'multi', 'mini', 'anti', 'sub', 'super', 'mis'],
  fr: ['re', 'ré', 'pré', 'auto', 'anti', 'multi', 'mini', 'sur', 'sous', 'super', 'inter', 'contre', 'télé'],
};

// Weekdays and months are capitalised in English, so a misspelt one looks like a name: check it
// against this closed class (up to two edits) instead of skipping it.
const CALENDAR_WORDS = [
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March',
  'April', 'August', 'September', 'October', 'November', 'December',
];

/** Damerau–Levenshtein distance, capped: returns cap + 1 as soon as it is exceeded. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) row.push(j);
      else {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
        row.push(v);
      }
      best = Math.min(best, row[j]!);
    }
    if (i > 0 && best > cap) return cap + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

function calendarSlip(word: string): string | undefined {
  if (word.length < 5) return undefined;
  const lower = word.toLowerCase();
  for (const c of CALENDAR_WORDS) if (editDistance(lower, c.toLowerCase(), 2) <= 2) return c;
  return undefined;
}

// An identifier written after "login", "username", "identifiant"… is a reference, not prose.
const IDENTIFIER_BEFORE =
  /(?:(?<!\p{L})(?:login|log-in|username|user name|user id|userid|identifiant|pseudo|id)\s*(?:[:=]|est|is)?|(?<!\p{L})(?:user|compte|account)\s*[:=])\s*$/iu;

/** A word spelt without the circumflex the 1990 reform lets go of on i and u. */
function reformSpelling(word: string, isCorrect: (w: string) => boolean): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c !== 'i' && c !== 'u') continue;
    if (isCorrect(word.slice(0, i) + (c === 'i' ? 'î' : 'û') + word.slice(i + 1))) return true;
  }
  return false;
}

export function checkSpelling(text: string, lang: GuardLang, input: GuardInput, speller: Speller | undefined): GuardFinding[] {
  if (!speller) return [];
  const other: GuardLang = lang === 'fr' ? 'en' : 'fr';
  const glossary = glossaryOf(input);
  const skip: Span[] = nonProseSpans(text);
  // Dotted identifiers ("gwen.leroux", "samira.belkacem"): logins and handles, not prose.
  for (const m of text.matchAll(/(?<![\p{L}\d_.])[\p{L}\d_]+(?:\.[\p{L}\d_]+)+(?![\p{L}\d_])/gu)) skip.push({ start: m.index, end: m.index + m[0].length });
  const out: GuardFinding[] = [];
  const verdicts = new Map<string, boolean>();

  const prefixed = (word: string): boolean => {
    const lower = word.toLowerCase();
    for (const p of PREFIXES[lang]) {
      if (lower.length - p.length >= 4 && lower.startsWith(p) && speller.isCorrect(lower.slice(p.length), lang)) return true;
    }
    return false;
  };
  // English writes compounds closed ("bloodwork", "checkup"): two known words of 4+ letters each.
  const closedCompound = (word: string): boolean => {
    if (word.length < 7 || word.includes('-') || word.includes("'")) return false;
    const lower = word.toLowerCase();
    // A word one slip away from a known word is that word misspelt ("carefull", "everthing",
    // "seasson"), even when it also splits into two words.
    if (speller.suggest(lower, 'en').length > 0) return false;
    for (let i = 3; i <= lower.length - 3; i++) {
      const head = lower.slice(0, i);
      const tail = lower.slice(i);
      // "keysafe", "lockbox", "bloodwork"; but "ofthe", "andthe" are missing spaces, not compounds.
      if (FUNCTION_WORDS.has(head) || FUNCTION_WORDS.has(tail)) continue;
      if (speller.isCorrect(head, 'en') && speller.isCorrect(tail, 'en')) return true;
    }
    return false;
  };
  const known = (word: string): boolean => {
    const cached = verdicts.get(word);
    if (cached !== undefined) return cached;
    let ok = speller.isCorrect(word, lang) || speller.isCorrect(word, other);
    if (!ok && ELISIONS.test(word)) {
      const rest = word.replace(ELISIONS, '');
      // "l'ANSM", "d'Hoya", "l'Efferalgan": an elided capitalised word is a name or an acronym.
      ok = rest.length === 0 || /^\p{Lu}/u.test(rest) || speller.isCorrect(rest, lang) || glossary.has(foldText(rest)) || ABBREVIATIONS.has(foldText(rest));
    }
    // English contractions: "there'll", "who've", "Kieran's".
    if (!ok && /'(?:ll|ve|re|d|s|m)$/i.test(word)) ok = speller.isCorrect(word.replace(/'(?:ll|ve|re|d|s|m)$/i, ''), 'en');
    // 1990 reform: the circumflex on i and u may be dropped ("aout", "boite", "connaitre").
    if (!ok && lang === 'fr' && /[iu]/.test(word)) ok = reformSpelling(word, (w) => speller.isCorrect(w, 'fr'));
    if (!ok && word.includes('-')) ok = word.split('-').every((p) => p.length === 0 || known(p));
    if (!ok) ok = prefixed(word) || (lang === 'en' && closedCompound(word));
    // Dropped g ("buzzin", "comin"): slang, not a slip.
    if (!ok && lang === 'en' && /in$/.test(word) && word.length >= 5) ok = speller.isCorrect(`${word}g`, 'en');
    // Accented letters in an English message that spell no French word: another language's word
    // or name ("pictiúr", "Seán"), not an English typo.
    if (!ok && lang === 'en' && /[^\x00-\x7f]/.test(word)) ok = true;
    verdicts.set(word, ok);
    return ok;
  };

  for (const token of wordTokens(text)) {
    const word = token.text.replace(/’/g, "'");
    if (word.length < 2 || insideAny(token, skip)) continue;
    const folded = foldText(word);
    if (ABBREVIATIONS.has(folded) || glossary.has(folded)) continue;
    if (nameParts(word).every((p) => glossary.has(p) || ABBREVIATIONS.has(p))) continue;
    // Acronyms and shouted words are tone's business, not spelling's.
    if (word === word.toUpperCase()) continue;
    const capitalised = word[0] !== word[0]!.toLowerCase();
    // A compound with a capitalised element ("el-Fna", "Saint-Malo") is a proper name.
    if (word.includes('-') && /-\p{Lu}/u.test(word)) continue;
    if (IDENTIFIER_BEFORE.test(text.slice(Math.max(0, token.start - 16), token.start))) continue;
    if (capitalised && !isSentenceStart(text, token.start)) {
      // A proper name, unless it is a misspelt weekday or month.
      const calendar = lang === 'en' && !known(word) ? calendarSlip(word) : undefined;
      if (calendar) out.push(spellingFinding(token, lang, calendar));
      continue;
    }
    if (known(word)) continue;
    if (capitalised) {
      const lower = word[0]!.toLowerCase() + word.slice(1);
      if (known(lower)) continue;
    }
    const suggestions = speller.suggest(capitalised ? word[0]!.toLowerCase() + word.slice(1) : word, lang);
    // A capitalised unknown word at the start of a sentence is more often a name than a typo. (Requiring
    // a correction for every word cost more recall than it saved false alarms on the training corpus.)
    if (capitalised && suggestions.length === 0) continue;
    let suggestion = suggestions[0];
    if (suggestion && capitalised) suggestion = suggestion[0]!.toUpperCase() + suggestion.slice(1);
    out.push(spellingFinding(token, lang, suggestion));
  }
  return out;
}

function spellingFinding(token: Token, lang: GuardLang, suggestion: string | undefined): GuardFinding {
  return {
    kind: 'spelling.word',
    category: 'spelling',
    severity: 'warn',
    start: token.start,
    end: token.end,
    ...localized('spelling.word', lang, { word: token.text }),
    ...(suggestion ? { suggestion } : {}),
  };
}
