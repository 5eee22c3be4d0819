// Personal and confidential data (PRODUCT.md §5 "pii"). Each detector finds candidates with a loose
// regex (separators allowed), then validates them (checksums, libphonenumber metadata, shapes) and
// weighs the words around them: "commande n°", "tracking", "SIRET" lower confidence, "tél", "IBAN",
// "mot de passe" raise it. The business's own details and the recipient's own phone/email are skipped.

import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isLastIban, isValidCardAt, isValidNir, validIbanLengthAt } from './checksums.ts';
import {
  addressContextBefore,
  CARD_WORD_BEFORE,
  cardContextBefore,
  ORGANISATION_BEFORE,
  ORGANISATION_OR_VENUE_BEFORE,
  PHONE_WORD_BEFORE,
  PREMISES_BEFORE,
  phoneContextBefore,
  REFERENCE_BEFORE,
  SERIAL_BEFORE,
  UNIT_FOLD,
} from './context.ts';
import { formatMessage } from './messages.ts';
import { foldText, insideAny, type Span } from './text.ts';
import type { GuardFinding, GuardInput, GuardLang, GuardSeverity } from './types.ts';

export interface PiiContext {
  text: string;
  lang: GuardLang;
  region: string;
  input: GuardInput;
}

const PII_KINDS = ['pii.card', 'pii.iban', 'pii.credential', 'pii.nir', 'pii.phone', 'pii.email', 'pii.address'] as const;
type PiiKind = (typeof PII_KINDS)[number];

const SEVERITY: Record<PiiKind, GuardSeverity> = {
  'pii.card': 'block',
  'pii.iban': 'block',
  'pii.credential': 'block',
  'pii.nir': 'block',
  'pii.phone': 'warn',
  'pii.email': 'warn',
  'pii.address': 'warn',
};
function finding(kind: PiiKind, start: number, end: number, lang: GuardLang): GuardFinding {
  const messages = MESSAGES[kind];
  return { kind, category: 'pii', severity: SEVERITY[kind], start, end, message: messages[lang], messages };
}

// The PII messages have no placeholder: read once per kind, in both languages (the reader's may differ from the text's).
const MESSAGES = Object.fromEntries(PII_KINDS.map((kind) => [kind, { fr: formatMessage(kind, 'fr'), en: formatMessage(kind, 'en') }])) as Record<
  PiiKind,
  Record<GuardLang, string>
>;

// Reference, serial-number, organisation, venue and own-premises words before a phone, card or
// address, and the phone and card words that overrule a reference word, are read by one scan of
// the original text (context.ts).

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function firstDigit(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return c;
  }
  return -1;
}

// ─── phone ──────────────────────────────────────────────────────────────────────────────────────
const PHONE_RE =
  /(?<![\p{L}\d+#@/.,_-])(?:\+\s?|00)?(?:\(\d{1,4}\)\s?)?\d(?:[ .\-\u00a0\u202f]?\d|[ .-]?\(\d{1,4}\)[ .-]?\d)*(?![\p{L}\d_]|[.,-]\d)/gu;
// Service numbers (free phones, shared cost) belong to organisations, not persons.
const SERVICE_TYPES = new Set(['TOLL_FREE', 'SHARED_COST', 'PREMIUM_RATE', 'UAN', 'VOICEMAIL']);
// Regions that dial national numbers with a leading 0 (so "732 829 320", a SIREN, is not a phone).
const NANP = new Set(['US', 'CA']);

/**
 * A bounded memo keyed by region then string. Two levels instead of a `${region}|${key}` string:
 * no key is built per lookup, and a string that comes back (a workspace's own number) keeps its
 * hash, so a hit costs one hash lookup.
 */
class RegionMemo<V> {
  private readonly byRegion = new Map<string, Map<string, V>>();
  private size = 0;

  get(region: string, key: string): V | undefined {
    return this.byRegion.get(region)?.get(key);
  }

  set(region: string, key: string, value: V): void {
    if (this.size > 10_000) {
      this.byRegion.clear();
      this.size = 0;
    }
    let forRegion = this.byRegion.get(region);
    if (forRegion === undefined) {
      forRegion = new Map();
      this.byRegion.set(region, forRegion);
    }
    forRegion.set(key, value);
    this.size++;
  }
}

// The workspace's and recipient's numbers come with every message: normalise each once.
const e164Memo = new RegionMemo<string | null>();

export function toE164(raw: string, region: string): string | undefined {
  const memo = e164Memo.get(region, raw);
  if (memo !== undefined) return memo ?? undefined;
  const compact = raw.replace(/[^\d+]/g, '').replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(compact, region as CountryCode);
  const result = parsed?.isValid() ? parsed.number : undefined;
  e164Memo.set(region, raw, result ?? null);
  return result;
}

// libphonenumber validation is the costly step; the same numbers recur across a workspace's messages.
// Keyed by the number as written (the dialled form is a function of it), so a hit builds no string.
const phoneMemo = new RegionMemo<{ e164: string; type: string | undefined } | null>();

function validatePhone(raw: string, international: boolean, region: string): { e164: string; type: string | undefined } | undefined {
  const memo = phoneMemo.get(region, raw);
  if (memo !== undefined) return memo ?? undefined;
  const parsed = parsePhoneNumberFromString(dialledNumber(raw, international), region as CountryCode);
  // A number of a possible length that the metadata calls unallocated (or reserved for fiction: ARCEP
  // 06 39 98…, Ofcom 07700 900…, NANP 555-01xx) is still a phone number to any reader, and the
  // metadata lags new allocations: it counts, with no type.
  const result = parsed?.isValid()
    ? { e164: parsed.number, type: parsed.getType() }
    : parsed?.isPossible()
      ? { e164: parsed.number, type: undefined }
      : undefined;
  phoneMemo.set(region, raw, result ?? null);
  return result;
}

function isOwnPhone(ctx: PiiContext, e164: string): boolean {
  for (const p of ctx.input.business?.phones ?? []) if (typeof p === 'string' && p && toE164(p, ctx.region) === e164) return true;
  const recipient = ctx.input.recipient?.phone;
  return typeof recipient === 'string' && recipient !== '' && toE164(recipient, ctx.region) === e164;
}

// Everything but the digits and '+' of a number as typed.
const NOT_DIALLED = /[^\d+]/g;

/**
 * The number as dialled: digits and '+' only, a leading "00" as '+', and for an international number
 * the bracketed trunk "(0)" dropped ("+44 (0)7911…").
 */
function dialledNumber(raw: string, international: boolean): string {
  const digits = (international ? raw.replace('(0)', '') : raw).replace(NOT_DIALLED, '');
  return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
}

function detectPhones(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  PHONE_RE.lastIndex = from;
  for (let m = PHONE_RE.exec(ctx.text); m !== null; m = PHONE_RE.exec(ctx.text)) {
    const raw = m[0];
    const count = digitCount(raw);
    if (count < 8 || count > 15) continue;
    const start = m.index;
    const end = start + raw.length;
    if (overlapsAny(start, end, taken)) continue;
    const first = raw.charCodeAt(0);
    const international = first === 43 /* + */ || raw.startsWith('00');
    if (!international && !NANP.has(ctx.region) && firstDigit(raw) !== 48 /* 0 */) continue;
    // Mixed separators inside one number ("12.03 2024") are dates or amounts, not phones.
    if (raw.includes('.') && raw.includes('-')) continue;
    const checked = validatePhone(raw, international, ctx.region);
    if (!checked) continue;
    const type = checked.type;
    if (type && SERVICE_TYPES.has(type)) continue;
    if (isOwnPhone(ctx, checked.e164)) continue;
    // Context words: a reference or serial number, or (for a landline) an organisation's number.
    const context = phoneContextBefore(ctx.text, start, type !== 'MOBILE');
    if ((context & (SERIAL_BEFORE | ORGANISATION_BEFORE)) !== 0) continue;
    // A reference word, unless a phone word is among the last 20 characters ("commande : appelez le 06…").
    if ((context & (REFERENCE_BEFORE | PHONE_WORD_BEFORE)) === REFERENCE_BEFORE) continue;
    taken.push({ start, end });
    out.push(finding('pii.phone', start, end, ctx.lang));
  }
}

// ─── email ──────────────────────────────────────────────────────────────────────────────────────
const EMAIL_RE = /(?<![\w.+%-])[\p{L}\d][\p{L}\d._%+-]*@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[a-z]{2,}(?![\w@])/giu;
const LOCAL_PART_CHAR = /[\p{L}\d._%+-]/u;
// Role addresses identify a service, not a person.
const ROLE_LOCALS = new Set(
  'contact info infos support sav service services serviceclient service-client noreply no-reply hello bonjour sales ventes commande commandes orders order reservation reservations booking bookings accueil admin help aide billing facturation compta comptabilite rh hr jobs recrutement press presse team equipe office mail webmaster shop boutique magasin rdv devis quote quotes enquiries enquiry'.split(
    ' ',
  ),
);
// Mail providers: a business address there does not make every address of the domain the business's.
const MAIL_PROVIDER = /^(?:gmail|yahoo|hotmail|outlook|orange|free|sfr|laposte|icloud|live|wanadoo|aol|proton(?:mail)?)\./;

/** [\p{L}\d._%+-] at `i`, with the regex only for non-ASCII characters. */
function isLocalPartChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiLetter(c) || isDigitCode(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
  return LOCAL_PART_CHAR.test(text[i]!);
}

function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122;
}

/** The business's own address, an address at its own domain (not a mail provider's), or the recipient's. */
function isOwnEmail(input: GuardInput, email: string, domain: string): boolean {
  if (email === input.recipient?.email?.toLowerCase()) return true;
  for (const e of input.business?.emails ?? []) {
    const own = e.toLowerCase();
    if (own === email) return true;
    // The part after the first '@' and before any second one (what split('@')[1] gives).
    const at = own.indexOf('@');
    if (at < 0) continue;
    const next = own.indexOf('@', at + 1);
    const ownDomain = next < 0 ? own.slice(at + 1) : own.slice(at + 1, next);
    if (ownDomain === domain && ownDomain !== '' && !MAIL_PROVIDER.test(ownDomain)) return true;
  }
  return false;
}

function detectEmails(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  // Scanning the whole message with EMAIL_RE retries the local-part loop at every letter; start
  // instead at the beginning of the run of local-part characters before each '@' (same matches).
  const text = ctx.text;
  let from = 0;
  for (let atSign = text.indexOf('@', from); atSign >= 0; atSign = text.indexOf('@', Math.max(from, atSign + 1))) {
    let start = atSign;
    while (start > from && isLocalPartChar(text, start - 1)) start--;
    EMAIL_RE.lastIndex = start;
    const m = EMAIL_RE.exec(text);
    if (m === null) break;
    // (If the match belongs to a later '@', it is the one the full scan would find next, too.)
    from = m.index + m[0].length;
    // Trailing dots end the sentence, not the address.
    let end = from;
    while (end > m.index && text.charCodeAt(end - 1) === 46) end--;
    if (overlapsAny(m.index, end, taken)) continue;
    const email = text.slice(m.index, end).toLowerCase();
    const at = email.indexOf('@');
    if (isOwnEmail(ctx.input, email, email.slice(at + 1))) continue;
    if (ROLE_LOCALS.has(email.slice(0, at))) continue;
    taken.push({ start: m.index, end });
    out.push(finding('pii.email', m.index, end, ctx.lang));
  }
}

// ─── IBAN ───────────────────────────────────────────────────────────────────────────────────────
const IBAN_RE = /(?<![\p{L}\d])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,32}/iuy;
// Where an IBAN can start (two letters, two digits): the sticky pattern is only tried there.
const IBAN_START = /[A-Za-z]{2}\d{2}/g;

/** End offset of the n-th alphanumeric character after `start`. */
function endAfterAlnum(text: string, start: number, n: number): number {
  let count = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122)) {
      count++;
      if (count === n) return i + 1;
    }
  }
  return text.length;
}

/** The business's own IBAN (compared with the candidate just validated, without building strings). */
function isOwnIban(input: GuardInput, length: number): boolean {
  for (const own of input.business?.ibans ?? []) if (isLastIban(own, length)) return true;
  return false;
}

function detectIbans(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  const text = ctx.text;
  IBAN_START.lastIndex = from;
  // test() and lastIndex rather than exec(): no match objects (IBAN_START matches are 4 long, and
  // the sticky IBAN_RE starts where the hint does).
  while (IBAN_START.test(text)) {
    const start = IBAN_START.lastIndex - 4;
    IBAN_RE.lastIndex = start;
    if (!IBAN_RE.test(text)) {
      IBAN_START.lastIndex = start + 1;
      continue;
    }
    const end = IBAN_RE.lastIndex;
    IBAN_START.lastIndex = end;
    const length = validIbanLengthAt(text, start, end);
    if (length === 0 || isOwnIban(ctx.input, length)) continue;
    const span = { start, end: endAfterAlnum(text, start, length) };
    taken.push(span);
    out.push(finding('pii.iban', span.start, span.end, ctx.lang));
  }
}

// ─── payment card ───────────────────────────────────────────────────────────────────────────────
const CARD_RE = /(?<![\d\p{L}])\d(?:[ \-\u00a0]?\d){11,18}(?![\d\p{L}])/gu;

function detectCards(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  CARD_RE.lastIndex = from;
  for (let m = CARD_RE.exec(ctx.text); m !== null; m = CARD_RE.exec(ctx.text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsAny(start, end, taken) || !isValidCardAt(ctx.text, start, end)) continue;
    // A reference word, unless a card word is there too.
    if ((cardContextBefore(ctx.text, start) & (REFERENCE_BEFORE | CARD_WORD_BEFORE)) === REFERENCE_BEFORE) continue;
    taken.push({ start, end });
    out.push(finding('pii.card', start, end, ctx.lang));
  }
}

// ─── NIR ────────────────────────────────────────────────────────────────────────────────────────
const NIR_RE =
  /(?<![\d\p{L}])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\d\p{L}])/giu;

function detectNirs(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  NIR_RE.lastIndex = from;
  for (let m = NIR_RE.exec(ctx.text); m !== null; m = NIR_RE.exec(ctx.text)) {
    if (!isValidNir(m[0].replace(/[ .]/g, ''))) continue;
    const span = { start: m.index, end: m.index + m[0].length };
    taken.push(span);
    out.push(finding('pii.nir', span.start, span.end, ctx.lang));
  }
}

// ─── postal address ─────────────────────────────────────────────────────────────────────────────
const FR_STREET =
  '(?:rue|avenue|av\\.|boulevard|bd|allée|allee|impasse|place|chemin|route|quai|cours|square|passage|résidence|residence|lotissement|voie|sentier|hameau|faubourg|cité|villa|clos|sente|montée|rond-point)';
const FR_ADDRESS_RE = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,4}(?:\\s?(?:bis|ter|[abc])\\b)?,?\\s+${FR_STREET}\\s+(?:(?:de la|de l['’]|du|des|de|d['’]|la|le|les|l['’]|saint|sainte|st|ste)\\s*)?[\\p{Lu}\\d][\\p{L}'’\\-]*(?:\\s+(?:(?:de|du|des|la|le|les|et|sur|en|d['’]|l['’])\\s+)?[\\p{Lu}][\\p{L}'’\\-]*){0,4}(?:,?\\s+(?:\\d{5}|\\d{2}\\s\\d{3})\\s+[\\p{Lu}][\\p{L}\\-'’]*(?:[ \\-][\\p{Lu}][\\p{L}\\-'’]*){0,3})?`,
  'yiu',
);
const EN_STREET =
  '(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Way|Place|Pl|Court|Ct|Gardens|Terrace|Boulevard|Blvd|Square|Sq|Row|Hill|Grove|Mews|Parkway|Walk|Park|Green|Rise|View)';
const EN_ADDRESS_RE = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,5}[A-Za-z]?,?\\s+(?:[NSEW]\\.?\\s+)?(?:[\\p{Lu}][\\p{L}'’\\-]*\\s+){1,3}${EN_STREET}\\b\\.?(?:,?\\s+(?:Apt|Apartment|Flat|Unit|Suite)\\.?\\s*#?\\w+)?(?:,\\s+[\\p{Lu}][\\p{Ll}\\-]+(?:\\s[\\p{Lu}][\\p{Ll}\\-]+)?)?(?:,?\\s+(?:[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}))?`,
  'yu',
);
// Cheap test before the two large address patterns: a number followed, within a few words, by a street word.
const STREET_HINT =
  /\d[a-z]?,?\s+(?:(?:bis|ter|[nsew]\.?)\s+)?(?:[\w'’-]+\s+){0,3}(?:rue|avenue|av\.|boulevard|bd|all[ée]e|impasse|place|chemin|route|quai|cours|square|passage|r[ée]sidence|lotissement|voie|sentier|hameau|faubourg|cit[ée]|villa|clos|sente|mont[ée]e|rond-point|street|st|road|rd|ave|lane|ln|drive|dr|close|crescent|way|pl|court|ct|gardens|terrace|blvd|sq|row|hill|grove|mews|parkway|walk|park|green|rise|view)\b/gi;

/** The first `n` runs of a-z0-9 of a folded text, joined by single spaces. */
function firstTokens(folded: string, n: number): string {
  let out = '';
  let count = 0;
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out += (count === 0 ? '' : ' ') + folded.slice(start, i);
      start = -1;
      if (++count === n) break;
    }
  }
  return out;
}

/**
 * The address's street name (the capitalised words after the number) appears in a catalogue item
 * name: every word of ≥ 4 letters before the first ',' or " <digit>", other than a street word or
 * an article, is a word of the item's name. Words are read in place (no split/replace/filter chain).
 */
function catalogStreet(ctx: PiiContext, foldedAddress: string): boolean {
  const catalog = ctx.input.catalog;
  if (!catalog || catalog.length === 0) return false;
  const words: string[] = [];
  const n = foldedAddress.length;
  for (let i = 0; i < n; ) {
    const c = foldedAddress.charCodeAt(i);
    if (c === 44 /* , */ || (isSpaceCode(c) && isDigitCode(codeAt(foldedAddress, i + 1)))) break;
    if (!isFoldedAlnum(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isFoldedAlnum(foldedAddress.charCodeAt(i))) i++;
    // (A ',' or a space cannot sit inside a run, so the run ends before the street part does.)
    if (i - start < 4 || isDigitCode(c)) continue;
    const word = foldedAddress.slice(start, i);
    if (!STREET_OR_ARTICLE.has(word)) words.push(word);
  }
  if (words.length === 0) return false;
  for (const item of catalog) {
    if (typeof item?.name !== 'string') continue;
    const name = nameWords(item.name);
    if (words.every((w) => name.has(w))) return true;
  }
  return false;
}

// The words (runs of a-z0-9) of a folded catalogue name, memoised like foldedName: a word of the
// address is a word of the name (what `foldedName(name).includes(\` ${word} \`)` tests).
const nameWordSets = new Map<string, Set<string>>();
function nameWords(name: string): Set<string> {
  let words = nameWordSets.get(name);
  if (words === undefined) {
    words = new Set(foldedName(name).split(' ').filter((w) => w !== ''));
    if (nameWordSets.size > 10_000) nameWordSets.clear();
    nameWordSets.set(name, words);
  }
  return words;
}

function isFoldedAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

// A workspace's catalogue names recur with every message: fold each once (bounded).
const foldedNames = new Map<string, string>();
function foldedName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    folded = ` ${foldText(name).replace(/[^a-z0-9]+/g, ' ')} `;
    if (foldedNames.size > 10_000) foldedNames.clear();
    foldedNames.set(name, folded);
  }
  return folded;
}

// Street words and articles: not what names a particular street.
const STREET_OR_ARTICLE = new Set(
  'rue avenue boulevard allee impasse place chemin route quai cours square passage residence lotissement voie sentier hameau faubourg cite villa clos sente montee street road lane drive close crescent court gardens terrace grove mews parkway walk park green rise view de la le les du des'.split(
    ' ',
  ),
);

/** The business's own address: one of its addresses contains the street part (number + first words). */
function isOwnAddress(input: GuardInput, streetPart: string): boolean {
  for (const address of input.business?.addresses ?? []) if (foldedName(address).includes(streetPart)) return true;
  return false;
}

function detectAddresses(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  // The hint finds "number … street word" cheaply; the full patterns are only tried (sticky) where
  // a hint starts, instead of scanning the whole message twice with Unicode look-behinds.
  STREET_HINT.lastIndex = from;
  let hint = STREET_HINT.exec(ctx.text);
  if (hint === null) return;
  let matchedEnd = 0;
  const text = ctx.text;
  for (; hint !== null; hint = STREET_HINT.exec(text)) {
    // The hint starts on the number's last digit: back up to the first one.
    let at = hint.index;
    while (at > 0 && isDigitCode(text.charCodeAt(at - 1))) at--;
    for (let k = 0; k < 2; k++) {
      const re = k === 0 ? FR_ADDRESS_RE : EN_ADDRESS_RE;
      // Sticky: a match starts at `at`, so test() and lastIndex give it without a match object.
      re.lastIndex = at;
      if (!re.test(text)) continue;
      const matchEnd = re.lastIndex;
      // Trailing spaces and commas are not part of the address.
      let end = matchEnd;
      while (end > at && (text.charCodeAt(end - 1) === 44 || isSpaceCode(text.charCodeAt(end - 1)))) end--;
      if (overlapsAny(at, end, taken)) continue;
      // The words before it: "our shop at…", a hotel's, hospital's, embassy's… address is not a
      // person's. They are read from the text (context.ts); only the address itself is folded,
      // alone unless an 'İ' makes foldText fold the window with the 50 characters before it unit
      // by unit (which can fold the address's letters differently).
      const context = addressContextBefore(text, at, matchEnd);
      if ((context & (PREMISES_BEFORE | ORGANISATION_OR_VENUE_BEFORE)) !== 0) continue;
      const windowStart = Math.max(0, at - 50);
      const foldedAddress = (context & UNIT_FOLD) === 0 ? foldText(text.slice(at, matchEnd)) : foldText(text.slice(windowStart, matchEnd)).slice(at - windowStart);
      if (isOwnAddress(ctx.input, firstTokens(foldedAddress, 4))) continue;
      // A street named in the catalogue ("Two-bed flat Mill Lane") is the listing the business sells or lets.
      if (catalogStreet(ctx, foldedAddress)) continue;
      taken.push({ start: at, end });
      out.push(finding('pii.address', at, end, ctx.lang));
      matchedEnd = end;
      break;
    }
    // Hints may overlap ("le 12, 14 rue …"): look again from the next character, or after the
    // address just found (a hint inside it could only give an overlapping, skipped match).
    STREET_HINT.lastIndex = Math.max(hint.index + 1, matchedEnd);
  }
}

/** [start, end) overlaps one of `spans` (insideAny without building a span first). */
function overlapsAny(start: number, end: number, spans: readonly Span[]): boolean {
  for (const s of spans) if (start < s.end && s.start < end) return true;
  return false;
}

/** The code unit at `i`, or 0 past the end (reading past the end gives NaN and deoptimises the caller). */
function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : 0;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ─── credentials ────────────────────────────────────────────────────────────────────────────────
// Well-known key formats (Stripe, OpenAI, AWS, GitHub, Slack, Google, JWT, PEM), one scan.
const SECRET_SHAPES =
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bsk-[A-Za-z0-9_-]{20,}\b|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}\b|\bAIza[0-9A-Za-z_-]{35}\b|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY-----/g;
// A credential keyword; the secret is the first secret-looking token in the next few words of the
// same sentence ("mot de passe du portail client est Garage2024!", "password: Harbour!2291").
// The keyword must not touch a letter on either side; that is checked on the two neighbours of each
// match (isLetterAround) rather than with \p{L} look-arounds, which the regex would evaluate at
// every position it scans. No two keywords match at the same place with different ends, so
// rejecting a match and searching again one character further finds what the look-arounds would.
const SECRET_KEYWORD_RE =
  /(?:mots? de passe|mdp|password|passwd|pwd|passcode|code pin|pin|code secret|code d['’]acc[eè]s|identifiants?|login|credentials|api key|api[- ]?token|cl[ée] (?:d['’])?api|token|secret|access key|cl[ée] d['’]acc[eè]s)/giu;
const UNICODE_LETTER = /\p{L}/u;

/** A letter (\p{L}, by code point) ends just before `start` or begins at `end`. */
function isLetterAround(text: string, start: number, end: number): boolean {
  return (start > 0 && isLetterCodePoint(codePointBefore(text, start))) || (end < text.length && isLetterCodePoint(text.codePointAt(end)!));
}

function codePointBefore(text: string, i: number): number {
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(i - 2)!;
  }
  return low;
}

function isLetterCodePoint(c: number): boolean {
  if (c < 128) return isAsciiLetter(c);
  return UNICODE_LETTER.test(String.fromCodePoint(c));
}

// Cheap test before the full shapes pattern: every key shape contains '_' ([spr]k_, gh[pousr]_),
// "--" or "sk-", or starts with AKIA, AIza, xox or eyJ. Each alternative starts on a character that
// is rare in prose ('_', '-', 'J', 'A', 'x'), so the scan seldom stops.
const SECRET_SHAPES_HINT = /_|-(?:-|(?<=sk-))|J(?<=eyJ)|A(?:KIA|Iza)|x(?=ox)/;
// Every word credentialWordAt accepts holds one of these letters at a known place: p (pass…, pwd,
// pin, mdp, api), c (secret, acc…, credentials), f (identifiant), g (login), k (token). Anchoring on
// them (rather than on first letters) lets the scan pass over most letters of ordinary words.
const KEYWORD_HINT = /p(?=ass|wd|in)|p(?<=mdp)|p(?<=ap)(?=i)|c(?<=sec)(?=ret)|c(?<=ac)(?=c)|c(?=redentials)|f(?<=identif)(?=iant)|g(?<=log)(?=in)|k(?<=tok)(?=en)/gi;

// Character classes for the pre-filter pass (ASCII; NBSP and NNBSP are separators too).
const OTHER = 0;
const DIGIT = 1;
const LETTER = 2;
const SEPARATOR = 3;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = LETTER;
for (let c = 97; c <= 122; c++) CHAR_CLASS[c] = LETTER;
for (const c of ' .-()') CHAR_CLASS[c.charCodeAt(0)] = SEPARATOR;

// The street words of STREET_HINT, by first letter: the hint regex only runs when one of them
// appears as a word (followed by a non-word character, like the hint's \b) after a digit.
const STREET_WORDS =
  'rue avenue av boulevard bd allée allee impasse place chemin route quai cours square passage résidence residence lotissement voie sentier hameau faubourg cité cite villa clos sente montée montee rond-point street st road rd ave lane ln drive dr close crescent way pl court ct gardens terrace blvd sq row hill grove mews parkway walk park green rise view'.split(
    ' ',
  );
const STREET_BY_LETTER: string[][] = Array.from({ length: 26 }, () => []);
for (const w of STREET_WORDS) STREET_BY_LETTER[w.charCodeAt(0) - 97]!.push(w);
// By their first two letters when both are ASCII ("résidence" is looked at for any 'r' + non-ASCII
// letter): the lengths of the all-ASCII words as bits (bit 0 for a word with an accent or '-' after
// its ASCII start: "allée", "cité", "montée", "rond-point"). Most words after a number share their
// first two letters with a street word ("vous", "que", "bonjour", "avec"); few share its length too.
const STREET_PAIR_LENGTHS = new Uint16Array(26 * 26);
for (const w of STREET_WORDS) {
  const second = w.charCodeAt(1);
  if (second < 97 || second > 122) continue;
  const ascii = /^[a-z]*$/.test(w);
  STREET_PAIR_LENGTHS[(w.charCodeAt(0) - 97) * 26 + second - 97]! |= ascii ? 1 << w.length : 1;
}

/** Case-insensitive for ASCII and Latin-1 letters (what the hint's /i does for these words). */
function foldLatin1(c: number): number {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c | 0x20 : c;
}

function streetWordAt(text: string, i: number, lower: number): boolean {
  const candidates = STREET_BY_LETTER[lower - 97];
  if (candidates === undefined) return false;
  outer: for (const w of candidates) {
    if (i + w.length > text.length) continue;
    for (let k = 1; k < w.length; k++) if (foldLatin1(text.charCodeAt(i + k)) !== w.charCodeAt(k)) continue outer;
    const after = codeAt(text, i + w.length);
    // \b after the word (non-Unicode: word characters are [A-Za-z0-9_]).
    if (!((after >= 48 && after <= 57) || (after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 95)) return true;
  }
  return false;
}

/** Lower-cased ASCII `word` at `i`, ignoring ASCII case. */
function lowerAt(text: string, i: number, word: string): boolean {
  if (i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

/** A letter for SECRET_KEYWORD_RE's (?![\p{L}]): ASCII and Latin-1/Latin Extended letters (others count as non-letters, so the hint stays a superset). */
function isLatinLetter(c: number): boolean {
  const lower = c | 0x20;
  return (lower >= 97 && lower <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

/** Lower-cased ASCII `word` at `i`, as a whole word (no letter after it). */
function wordAt(text: string, i: number, word: string): boolean {
  return lowerAt(text, i, word) && !isLatinLetter(codeAt(text, i + word.length));
}

/**
 * Could a credential keyword start here (a word start)? Every keyword of SECRET_KEYWORD_RE contains
 * one of these whole words, at most 8 characters after the keyword's own start ("mots de passe",
 * "code d'accès"): passe/password/passwd/passcode, pwd, pin, mdp, secret, access/acces/accès, api,
 * apitoken, identifiant(s), login, credentials, token.
 */
function credentialWordAt(text: string, i: number, lower: number): boolean {
  const second = codeAt(text, i + 1) | 0x20;
  switch (lower) {
    case 112: // p
      if (second === 97) {
        if (!lowerAt(text, i, 'pass')) return false;
        return wordAt(text, i + 4, 'e') || wordAt(text, i + 4, 'word') || wordAt(text, i + 4, 'wd') || wordAt(text, i + 4, 'code');
      }
      return (second === 119 && wordAt(text, i, 'pwd')) || (second === 105 && wordAt(text, i, 'pin'));
    case 109: // m
      return second === 100 && wordAt(text, i, 'mdp');
    case 115: // s
      return second === 101 && wordAt(text, i, 'secret');
    case 97: // a
      if (second === 99) {
        if (!lowerAt(text, i, 'acc')) return false;
        return wordAt(text, i + 3, 'ess') || wordAt(text, i + 3, 'es') || accesAccent(text, i);
      }
      return second === 112 && (wordAt(text, i, 'api') || lowerAt(text, i, 'api-') || wordAt(text, i, 'apitoken'));
    case 105: // i
      return second === 100 && (wordAt(text, i, 'identifiant') || wordAt(text, i, 'identifiants'));
    case 108: // l
      return second === 111 && wordAt(text, i, 'login');
    case 99: // c
      return second === 114 && wordAt(text, i, 'credentials');
    case 116: // t
      return second === 111 && wordAt(text, i, 'token');
    default:
      return false;
  }
}

/** "accès" / "ACCÈS" as a whole word. */
function accesAccent(text: string, i: number): boolean {
  const e = codeAt(text, i + 3);
  return (e === 0xe8 || e === 0xc8) && (codeAt(text, i + 4) | 0x20) === 115 && !isLatinLetter(codeAt(text, i + 5));
}

function detectSecretShapes(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  const text = ctx.text;
  SECRET_SHAPES.lastIndex = 0;
  for (let m = SECRET_SHAPES.exec(text); m !== null; m = SECRET_SHAPES.exec(text)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (insideAny(span, taken)) continue;
    taken.push(span);
    out.push(finding('pii.credential', span.start, span.end, ctx.lang));
  }
}

// The sentence ends at . ? ! ; followed by a capital or the end of the window (a password may end
// with "!"), or at a line break.
const SENTENCE_END = /[.?!;](?=\s+\p{Lu}|\s*$)|\n/u;
const ASSIGNMENT = /^[^:=]{0,50}?[:=]\s*/;
const URL_AFTER_ASSIGNMENT = /[:=]\/\//;
const LOWER_WORD = /^\p{Ll}[\p{Ll}\d]*$/u;
const COMMON_AFTER_WORDS = new Set(
  'le la les un une celui celle votre ton the a an your same identique oublie forgotten expire expired incorrect wrong faux requis required envoye sent change changed modifie reset personnel personal confidentiel confidential strictly strictement valide valid bloque blocked disponible available dans in sur on par by via ici here below ci-dessous'.split(
    ' ',
  ),
);

/** JavaScript's \s (WhiteSpace and LineTerminator). */
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** Characters that end a token after a keyword: \s " ' « » “ ” , : = ( ). */
function isTokenBreak(c: number): boolean {
  if (c < 128) return TOKEN_BREAK[c] === 1;
  return c === 0xab || c === 0xbb || c === 0x201c || c === 0x201d || isSpaceCode(c);
}
const TOKEN_BREAK = new Uint8Array(128);
for (const c of ' \t\n\v\f\r"\',:=()') TOKEN_BREAK[c.charCodeAt(0)] = 1;

/** A printable-ASCII token is compared as is; any other is folded first (as the word lists are). */
function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * A secret looks like one: letters and digits, mixed case (after the first letter), a symbol, or 4–8
 * digits alone. Plain words are prose. Read in place in text[start, end) (one pass instead of five
 * regexes, and no substring for the many tokens that are plain words).
 */
function looksSecretAt(text: string, start: number, end: number): boolean {
  let digit = false;
  let lower = false;
  let upper = false;
  let upperAfterFirst = false;
  let other = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) {
      upper = true;
      if (i > start) upperAfterFirst = true;
    } else if (c === 33 || c === 36 || c === 37 || c === 38 || c === 42 || c === 35 || c === 64 || c === 95 || c === 61 || c === 43) return true; // ! $ % & * # @ _ = +
    else other = true;
  }
  if (digit && (lower || upper)) return true;
  if (lower && upperAfterFirst) return true;
  const length = end - start;
  return digit && !lower && !upper && !other && length >= 4 && length <= 8;
}

function detectSecretAfterKeyword(ctx: PiiContext, taken: Span[], out: GuardFinding[], fromIndex: number): void {
  const text = ctx.text;
  SECRET_KEYWORD_RE.lastIndex = fromIndex;
  for (let m = SECRET_KEYWORD_RE.exec(text); m !== null; m = SECRET_KEYWORD_RE.exec(text)) {
    const from = m.index + m[0].length;
    if (isLetterAround(text, m.index, from)) {
      SECRET_KEYWORD_RE.lastIndex = m.index + 1;
      continue;
    }
    const sentence = text.slice(from, from + 70);
    const cut = sentence.search(SENTENCE_END);
    const window = cut < 0 ? sentence : sentence.slice(0, cut);
    // "password: bluebell", "mot de passe = framboise": a value right after ':' or '=' is the secret
    // whatever it looks like.
    // (Most windows hold neither ':' nor '=': two single-character searches skip the regexes.)
    const assigned = window.includes(':') || window.includes('=') ? ASSIGNMENT.exec(window) : null;
    const assignedAt = assigned && !URL_AFTER_ASSIGNMENT.test(window.slice(assigned[0].length - 3)) ? assigned[0].length : -1;
    // Tokens are the runs between spaces, quotes, commas, ':', '=' and brackets, read in place.
    let words = 0;
    for (let start = 0; start < window.length; ) {
      if (isTokenBreak(window.charCodeAt(start))) {
        start++;
        continue;
      }
      let end = start + 1;
      while (end < window.length && !isTokenBreak(window.charCodeAt(end))) end++;
      const tokenStart = start;
      start = end;
      const afterColon = tokenStart === assignedAt;
      // At most 7 words after the keyword, except that the value after ':' / '=' is always reached.
      if (++words > 7 && !afterColon) {
        if (tokenStart < assignedAt) continue;
        break;
      }
      // Trailing '.' and '?' end the sentence, not the token.
      while (end > tokenStart && (window.charCodeAt(end - 1) === 46 || window.charCodeAt(end - 1) === 63)) end--;
      if (end - tokenStart < 4) continue;
      // Before ':' / '=', only a secret-looking token can be the secret: test that in place first.
      const secretLooking = looksSecretAt(window, tokenStart, end);
      if (!afterColon && !secretLooking) continue;
      const token = window.slice(tokenStart, end);
      const folded = isPrintableAscii(token) ? token.toLowerCase() : foldText(token);
      if (COMMON_AFTER_WORDS.has(folded)) continue;
      if (secretLooking || LOWER_WORD.test(token)) {
        const span = { start: from + tokenStart, end: from + end };
        if (insideAny(span, taken)) break;
        taken.push(span);
        out.push(finding('pii.credential', span.start, span.end, ctx.lang));
        break;
      }
    }
  }
}

// A login, then a password after a slash or a "pass" word.
const CREDENTIAL_PAIR_RE =
  /(?<![\p{L}\d_.@/-])(?:(?:user(?:name)?|utilisateur|login|id|identifiant)\s*[:=]?\s*)?([\p{L}][\p{L}\d_.-]{2,40})(?:\s?\/\s?|[\s,;/]+(?:pass(?:word)?|pw|mdp|code)\s*[:=]?\s*)([^\s,;/]{4,40}?)(?=[\s,;)]|[.!?](?:\s|$)|$)/giu;
// Where such a pair is a login: an account, app, portal or access named within the words before.
const ACCOUNT_BEFORE = /(?:compte|account|acc[eè]s|access|login|portail|portal|appli|app\b|application|identifiants?|espace|site|user|utilisateur|connexion|sign in|log in|wifi|wi-fi|r[ée]seau)/iu;

function detectCredentialPairs(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  const text = ctx.text;
  CREDENTIAL_PAIR_RE.lastIndex = 0;
  for (const m of text.matchAll(CREDENTIAL_PAIR_RE)) {
    const secret = m[2]!;
    const explicitPass = /pass|pw|mdp|code/i.test(m[0].slice(m[0].indexOf(m[1]!) + m[1]!.length));
    // The password half must look like one: a digit or a symbol with letters ("Oceane2005", "Squat2024").
    if (!/\p{L}/u.test(secret) || !/[\d!#$%&*?@+]/.test(secret)) continue;
    // Dates, fractions and "A/B testing" are not pairs; a pair needs an account word or a pass word.
    if (/^\d/.test(secret) && !explicitPass) continue;
    if (!explicitPass && !ACCOUNT_BEFORE.test(text.slice(Math.max(0, m.index - 80), m.index + m[0].length))) continue;
    const start = m.index;
    const end = m.index + m[0].length;
    if (overlapsAny(start, end, taken)) continue;
    taken.push({ start, end });
    out.push(finding('pii.credential', start, end, ctx.lang));
  }
}

/** Where the first credential keyword word starts (a word start: no ASCII letter before it), or −1. */
function keywordStart(text: string): number {
  KEYWORD_HINT.lastIndex = 0;
  while (KEYWORD_HINT.test(text)) {
    // The hint is one letter inside the word: back up to the word's first letter.
    let i = KEYWORD_HINT.lastIndex - 1;
    while (i > 0 && isAsciiLetter(text.charCodeAt(i - 1))) i--;
    if (credentialWordAt(text, i, text.charCodeAt(i) | 0x20)) return i;
  }
  return -1;
}

/** All PII findings, sorted by position. `taken` spans are excluded (e.g. URLs). */
const URL_RE = /(?:https?:\/\/|www\.)\S+/g;
// Where a link (URL_RE) or a key shape (SECRET_SHAPES_HINT) can start. A link is found at the ':'
// of "http(s)://" and at the first 'w' of "www.": 'h' is a frequent letter, ':' is not, and the scan
// stops at every character an alternative starts with.
const LINK_OR_SHAPE = new RegExp(`:(?<=https?:)\\/\\/|w(?=ww\\.)|${SECRET_SHAPES_HINT.source}`, 'g');
const DIGIT_RE = /\d/g;

// Spans already reported or excluded (links), for the current call: one array reused across calls
// (checkPii is synchronous and calls nothing that could re-enter it).
const takenSpans: Span[] = [];

export function checkPii(ctx: PiiContext): GuardFinding[] {
  const out: GuardFinding[] = [];
  const taken = takenSpans;
  // (Setting an array's length is a runtime call: only when the last call left spans.)
  if (taken.length !== 0) taken.length = 0;
  const text = ctx.text;
  // Pre-filters. What every message pays is this part, so text-wide questions are asked of native
  // searches (indexOf, small regexes), which V8 runs several times faster than a JavaScript loop
  // over the characters; each is a superset of what its detector can find. Only the part from the
  // first digit on is walked character by character, for the digit runs and street words.
  // One scan for links and key shapes; a hit ends on '/' or 'w' for a link (which a key-shape hit
  // never does). Most messages have neither, so the loop runs once.
  let link = false;
  let shape = false;
  LINK_OR_SHAPE.lastIndex = 0;
  while (LINK_OR_SHAPE.test(text)) {
    const last = text.charCodeAt(LINK_OR_SHAPE.lastIndex - 1);
    if (last === 47 /* / */ || last === 119 /* w */) link = true;
    else shape = true;
  }
  // Links are the business's own (tracking, payment pages): their query strings are not secrets.
  if (link) for (const m of text.matchAll(URL_RE)) taken.push({ start: m.index, end: m.index + m[0].length });
  // Key shapes first (their spans win), then "keyword … secret" from a little before the first
  // keyword word ("mots de passe" is found at "passe").
  if (shape) detectSecretShapes(ctx, taken, out);
  const keywordFrom = keywordStart(text);
  if (keywordFrom >= 0) detectSecretAfterKeyword(ctx, taken, out, Math.max(0, keywordFrom - 16));
  // "compte : oduhamel59 / Oceane2005", "user david.s / pass Squat2024": a login and its password as a pair.
  if (text.includes('/') || text.includes('pass') || text.includes('Pass')) detectCredentialPairs(ctx, taken, out);
  DIGIT_RE.lastIndex = 0;
  if (!DIGIT_RE.test(text)) {
    if (text.includes('@')) detectEmails(ctx, taken, out);
    if (out.length > 1) out.sort((a, b) => a.start - b.start);
    return out;
  }
  // From the first digit: the digit count, the first runs of ≥ 8 / ≥ 12 digits separated by at most
  // two of " .-()", NBSP, NNBSP (every phone, card and NIR candidate contains one), where "two
  // letters + two digits" (an IBAN) first appears, and whether a street word follows a number.
  const firstDigit = DIGIT_RE.lastIndex - 1;
  let digits = 0;
  let run = 0;
  let runStart = 0;
  let run8Start = -1;
  let run12Start = -1;
  let longestRun = 0;
  let gap = 3;
  let streetSeen = false;
  let ibanFrom = -1;
  let corsica = false;
  const n = text.length;
  for (let i = firstDigit; i < n; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? CHAR_CLASS[c]! : c === 0xa0 || c === 0x202f ? SEPARATOR : OTHER;
    if (kind === DIGIT) {
      digits++;
      // "2A" / "2B": a Corsican NIR, whose digits are split by the letter.
      if (c === 50 && !corsica) {
        const next = codeAt(text, i + 1) | 0x20;
        corsica = next === 97 || next === 98;
      }
      if (gap <= 2) run++;
      else {
        run = 1;
        runStart = i;
        // Two ASCII letters then two digits: where an IBAN (IBAN_START) can begin.
        if (ibanFrom < 0 && i >= 2 && CHAR_CLASS[text.charCodeAt(i - 1)] === LETTER && CHAR_CLASS[text.charCodeAt(i - 2)] === LETTER) {
          const next = codeAt(text, i + 1);
          if (next >= 48 && next <= 57) ibanFrom = i - 2;
        }
      }
      if (run > longestRun) {
        longestRun = run;
        if (run === 8) run8Start = runStart;
        else if (run === 12) run12Start = runStart;
      }
      gap = 0;
    } else if (kind === LETTER) {
      // A word start (the previous character is not an ASCII letter): skip the rest of its ASCII
      // letters, then the street-word hint. An all-ASCII street word is the whole run (a letter,
      // digit or '_' after it is no match), so it needs the run's length; the others continue with
      // a non-ASCII letter or '-'.
      const wordStart = i;
      while (i + 1 < n && isAsciiLetter(text.charCodeAt(i + 1))) i++;
      if (!streetSeen) {
        const lower = c | 0x20;
        const second = codeAt(text, wordStart + 1) | 0x20;
        if (second >= 97 && second <= 122) {
          const lengths = STREET_PAIR_LENGTHS[(lower - 97) * 26 + second - 97]!;
          const length = i + 1 - wordStart;
          const after = codeAt(text, i + 1);
          if (lengths !== 0 && ((length < 16 && ((lengths >> length) & 1) === 1) || after >= 128 || after === 45)) streetSeen = streetWordAt(text, wordStart, lower);
        } else if (lower === 114) streetSeen = streetWordAt(text, wordStart, lower);
      }
      gap = 3;
    } else if (kind === SEPARATOR) gap++;
    else gap = 3;
  }
  // Each digit pattern is scanned from where it can first start: a phone, NIR or card lies in a run
  // of at least 8 (12) digits, with at most a "+33 (0)"-like prefix or a NIR's "2A " before the run.
  // A NIR is 15 digits in one run (single spaces or dots between its groups), or, for Corsica
  // ("2A"/"2B"), a run of 8 after the letter: phone numbers (10–11 digits) do not reach NIR_RE.
  if (digits >= 12 && longestRun >= 8 && (longestRun >= 15 || corsica)) detectNirs(ctx, taken, out, Math.max(0, run8Start - 14));
  if (digits >= 8) {
    if (ibanFrom >= 0) detectIbans(ctx, taken, out, ibanFrom);
    if (longestRun >= 12) detectCards(ctx, taken, out, run12Start);
  }
  if (text.includes('@')) detectEmails(ctx, taken, out);
  if (longestRun >= 8) detectPhones(ctx, taken, out, Math.max(0, run8Start - 12));
  if (streetSeen) detectAddresses(ctx, taken, out, firstDigit);
  if (out.length > 1) out.sort((a, b) => a.start - b.start);
  return out;
}
