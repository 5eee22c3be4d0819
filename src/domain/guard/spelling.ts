// Spelling (PRODUCT.md §5 "spelling"): words checked against the injected speller (Hunspell in the
// runtime) in the message's language, with a workspace glossary (catalogue, contact, staff, agent and
// business names) and common abbreviations. People's names, URLs, references, acronyms and words
// valid in the other language (loanwords, code-switching) are not findings.

import { formatMessage } from './messages.ts';
import { foldText, insideAny, nameParts, nonProseSpans, type Span, wordTokens } from './text.ts';
import type { GuardFinding, GuardInput, GuardLang, Speller } from './types.ts';

const ABBREVIATIONS = new Set(
  (
    'rdv svp stp cdt cdlt bjr slt tel mr mme mlle mm dr pr etc cf ex env ok okay nb ps pj tsvp ttc ht sav ' +
    'min max km kg cm mm ml cl h mn sec lun mar mer jeu ven sam dim janv fev avr juil sept oct nov dec ' +
    'asap fyi pls plz thx btw approx eg ie vs mon tue wed thu fri sat sun jan feb apr jun jul aug sep ' +
    'am pm info infos email emails mail mails sms wifi wi-fi whatsapp ps pdf url faq lol xoxo covid vip diy ' +
    'bisous bises cc re fwd ref refs dept appt qty pcs pc tbc tbd eta n° ' +
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

function isSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s"'«“(\-*]/.test(text[i]!)) i--;
  return i < 0 || /[.!?:\n…]/.test(text[i]!);
}

export function checkSpelling(text: string, lang: GuardLang, input: GuardInput, speller: Speller | undefined): GuardFinding[] {
  if (!speller) return [];
  const other: GuardLang = lang === 'fr' ? 'en' : 'fr';
  const glossary = glossaryOf(input);
  const skip: Span[] = nonProseSpans(text);
  const out: GuardFinding[] = [];
  const verdicts = new Map<string, boolean>();

  const known = (word: string): boolean => {
    const cached = verdicts.get(word);
    if (cached !== undefined) return cached;
    let ok = speller.isCorrect(word, lang) || speller.isCorrect(word, other);
    if (!ok && ELISIONS.test(word)) {
      const rest = word.replace(ELISIONS, '');
      ok = rest.length === 0 || speller.isCorrect(rest, lang) || glossary.has(foldText(rest));
    }
    if (!ok && word.includes('-')) ok = word.split('-').every((p) => p.length === 0 || known(p));
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
    if (capitalised && !isSentenceStart(text, token.start)) continue; // a proper name
    if (known(word)) continue;
    if (capitalised) {
      const lower = word[0]!.toLowerCase() + word.slice(1);
      if (known(lower)) continue;
    }
    const suggestions = speller.suggest(capitalised ? word[0]!.toLowerCase() + word.slice(1) : word, lang);
    // A capitalised unknown word at the start of a sentence is more often a name than a typo.
    if (capitalised && suggestions.length === 0) continue;
    let suggestion = suggestions[0];
    if (suggestion && capitalised) suggestion = suggestion[0]!.toUpperCase() + suggestion.slice(1);
    out.push({
      kind: 'spelling.word',
      category: 'spelling',
      severity: 'warn',
      start: token.start,
      end: token.end,
      message: formatMessage('spelling.word', lang, { word: token.text }),
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return out;
}
