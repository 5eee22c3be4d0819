// Personal and confidential data (PRODUCT.md §5 "pii"). Each detector finds candidates with a loose
// regex (separators allowed), then validates them (checksums, libphonenumber metadata, shapes) and
// weighs the words around them: "commande n°", "tracking", "SIRET" lower confidence, "tél", "IBAN",
// "mot de passe" raise it. The business's own details and the recipient's own phone/email are skipped.

import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { IBAN_LENGTHS, isValidCard, isValidIban, isValidNir } from './checksums.ts';
import { formatMessage } from './messages.ts';
import { foldText, insideAny, type Span } from './text.ts';
import type { GuardFinding, GuardInput, GuardKind, GuardLang, GuardSeverity } from './types.ts';

export interface PiiContext {
  text: string;
  lang: GuardLang;
  region: string;
  input: GuardInput;
}

const SEVERITY: Record<string, GuardSeverity> = {
  'pii.card': 'block',
  'pii.iban': 'block',
  'pii.credential': 'block',
  'pii.nir': 'block',
  'pii.phone': 'warn',
  'pii.email': 'warn',
  'pii.address': 'warn',
};

function finding(kind: GuardKind, start: number, end: number, lang: GuardLang): GuardFinding {
  return {
    kind,
    category: 'pii',
    severity: SEVERITY[kind] ?? 'warn',
    start,
    end,
    message: formatMessage(kind as 'pii.phone', lang),
  };
}

// Words that say "this number is a reference, not personal data".
const REFERENCE_CONTEXT =
  /(?:commande|order|n°|n o|no\.|num(?:ero)?\.? de (?:commande|suivi|dossier|facture|contrat|client|colis)|ref\b|refs?\.|reference|suivi|tracking|colis|parcel|shipment|facture|invoice|siret|siren|tva|vat|dossier|ticket|contrat|contract|client n|customer (?:no|number|id)|account (?:no|number)|booking|reservation|confirmation|lot|serie|serial|imei|#)\W{0,3}(?:\w+\W{0,3}){0,2}$/;
// A serial/part number names its object first ("numéro de série de votre boîte de vitesses est le …").
const SERIAL_CONTEXT =
  /(?:numero de serie|n° de serie|serial (?:number|no)|part (?:number|no)|numero de piece|reference de piece|imei|numero de puce|chip number|numero de chassis|vin)\b[^.!?\n]{0,50}$/;
const PHONE_CONTEXT =
  /(?:\btel\b|\btel\.|telephone|phone|portable|mobile|cell|appele[rz]?|rappele[rz]?|\bcall\b|joindre|reach|whatsapp|sms|texto|text (?:him|her|them)|numero (?:de|du|perso)|number)/;
const ORGANISATION_CONTEXT =
  /(?:ambassade|embassy|consulat|consulate|mairie|town hall|council|prefecture|hopital|hospital|clinique|clinic|pharmacie|pharmacy|police|gendarmerie|pompiers|compagnie|airline|aeroport|airport|gare|station|standard|switchboard|accueil|reception|helpline|hotline|service client|customer service|office de tourisme|tourist office|assurance|insurer|insurance|banque|bank|transporteur|courier|fournisseur|supplier|hotel|musee|museum|universite|university|ecole|school)/;
// Places that are not someone's home (for addresses only).
const VENUE_CONTEXT =
  /(?:salle (?:des fetes|de reception|polyvalente)|\bsalle\b|venue|eglise|church|chapelle|chapel|restaurant|brasserie|\bcafe\b|\bbar\b|theatre|theater|cinema|stade|stadium|gymnase|\bgym\b|chateau|domaine|parc des|centre commercial|shopping centre|mall|office building|immeuble de bureaux)/;
const CARD_CONTEXT = /(?:carte|card|\bcb\b|visa|mastercard|amex|cvv|cvc|crypto|expir|exp\b|paiement|payment)/;

/** Folded text just before a position: context words are only looked at around candidates. */
function foldedBefore(ctx: PiiContext, start: number, chars: number): string {
  return foldText(ctx.text.slice(Math.max(0, start - chars), start));
}

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

function compactDigits(s: string): string {
  return s.replace(/[^\dA-Za-z+]/g, '');
}

// ─── phone ──────────────────────────────────────────────────────────────────────────────────────
const PHONE_RE =
  /(?<![\p{L}\d+#@/.,_-])(?:\+\s?|00)?(?:\(\d{1,4}\)\s?)?\d(?:[ .\-\u00a0\u202f]?\d|[ .-]?\(\d{1,4}\)[ .-]?\d)*(?![\p{L}\d_]|[.,-]\d)/gu;
// Service numbers (free phones, shared cost) belong to organisations, not persons.
const SERVICE_TYPES = new Set(['TOLL_FREE', 'SHARED_COST', 'PREMIUM_RATE', 'UAN', 'VOICEMAIL']);
// Regions that dial national numbers with a leading 0 (so "732 829 320", a SIREN, is not a phone).
const NANP = new Set(['US', 'CA']);

// The workspace's and recipient's numbers come with every message: normalise each once.
const e164Memo = new Map<string, string | null>();

export function toE164(raw: string, region: string): string | undefined {
  const key = `${region}|${raw}`;
  const memo = e164Memo.get(key);
  if (memo !== undefined) return memo ?? undefined;
  const compact = raw.replace(/[^\d+]/g, '').replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(compact, region as CountryCode);
  const result = parsed?.isValid() ? parsed.number : undefined;
  if (e164Memo.size > 10_000) e164Memo.clear();
  e164Memo.set(key, result ?? null);
  return result;
}

// libphonenumber validation is the costly step; the same numbers recur across a workspace's messages.
const phoneMemo = new Map<string, { e164: string; type: string | undefined } | null>();

function validatePhone(compact: string, region: string): { e164: string; type: string | undefined } | undefined {
  const key = `${region}|${compact}`;
  const memo = phoneMemo.get(key);
  if (memo !== undefined) return memo ?? undefined;
  const parsed = parsePhoneNumberFromString(compact, region as CountryCode);
  const result = parsed?.isValid() ? { e164: parsed.number, type: parsed.getType() } : undefined;
  if (phoneMemo.size > 10_000) phoneMemo.clear();
  phoneMemo.set(key, result ?? null);
  return result;
}

function isOwnPhone(ctx: PiiContext, e164: string): boolean {
  for (const p of [...(ctx.input.business?.phones ?? []), ctx.input.recipient?.phone ?? '']) {
    if (typeof p === 'string' && p && toE164(p, ctx.region) === e164) return true;
  }
  return false;
}

function detectPhones(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  PHONE_RE.lastIndex = from;
  for (let m = PHONE_RE.exec(ctx.text); m !== null; m = PHONE_RE.exec(ctx.text)) {
    const raw = m[0];
    const count = digitCount(raw);
    if (count < 8 || count > 15) continue;
    const span = { start: m.index, end: m.index + raw.length };
    if (insideAny(span, taken)) continue;
    const first = raw.charCodeAt(0);
    const international = first === 43 /* + */ || raw.startsWith('00');
    if (!international && !NANP.has(ctx.region) && firstDigit(raw) !== 48 /* 0 */) continue;
    // Mixed separators inside one number ("12.03 2024") are dates or amounts, not phones.
    if (raw.includes('.') && raw.includes('-')) continue;
    // "+44 (0)7911…": the bracketed trunk 0 is dropped when dialling from abroad.
    const dialled = international ? raw.replace(/\(0\)/, '') : raw;
    const checked = validatePhone(dialled.replace(/[^\d+]/g, '').replace(/^00/, '+'), ctx.region);
    if (!checked) continue;
    const type = checked.type;
    if (type && SERVICE_TYPES.has(type)) continue;
    if (isOwnPhone(ctx, checked.e164)) continue;
    // Context words: one folded window, sliced (a slice of a folded text is the folded slice).
    const before70 = foldedBefore(ctx, span.start, 70);
    const before = before70.slice(-40);
    if (REFERENCE_CONTEXT.test(before) && !PHONE_CONTEXT.test(before.slice(-20))) continue;
    if (SERIAL_CONTEXT.test(before70)) continue;
    // A landline of an organisation (embassy, town hall, hospital…) is not a person's number.
    if (type !== 'MOBILE' && ORGANISATION_CONTEXT.test(before70.slice(-60))) continue;
    taken.push(span);
    out.push(finding('pii.phone', span.start, span.end, ctx.lang));
  }
}

// ─── email ──────────────────────────────────────────────────────────────────────────────────────
const EMAIL_RE = /(?<![\w.+%-])[\p{L}\d][\p{L}\d._%+-]*@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[a-z]{2,}(?![\w@])/giu;
const LOCAL_PART_CHAR = /[\p{L}\d._%+-]/u;
// Role addresses identify a service, not a person.
const ROLE_LOCAL =
  /^(?:contact|info|infos|support|sav|service|services|serviceclient|service-client|noreply|no-reply|hello|bonjour|sales|ventes|commande|commandes|orders|order|reservations?|booking|bookings|accueil|admin|help|aide|billing|facturation|compta|comptabilite|rh|hr|jobs|recrutement|press|presse|team|equipe|office|mail|webmaster|shop|boutique|magasin|rdv|devis|quotes?|enquiries|enquiry)$/i;

function detectEmails(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  const ownEmails = new Set<string>();
  const ownDomains = new Set<string>();
  for (const e of ctx.input.business?.emails ?? []) {
    ownEmails.add(e.toLowerCase());
    const domain = e.toLowerCase().split('@')[1];
    if (domain && !/^(?:gmail|yahoo|hotmail|outlook|orange|free|sfr|laposte|icloud|live|wanadoo|aol|proton(?:mail)?)\./.test(domain))
      ownDomains.add(domain);
  }
  const recipientEmail = ctx.input.recipient?.email?.toLowerCase();
  // Scanning the whole message with EMAIL_RE retries the local-part loop at every letter; start
  // instead at the beginning of the run of local-part characters before each '@' (same matches).
  const text = ctx.text;
  let from = 0;
  for (let atSign = text.indexOf('@', from); atSign >= 0; atSign = text.indexOf('@', Math.max(from, atSign + 1))) {
    let start = atSign;
    while (start > from && LOCAL_PART_CHAR.test(text[start - 1]!)) start--;
    EMAIL_RE.lastIndex = start;
    const m = EMAIL_RE.exec(text);
    if (m === null) break;
    // (If the match belongs to a later '@', it is the one the full scan would find next, too.)
    from = m.index + m[0].length;
    let raw = m[0];
    raw = raw.replace(/\.+$/, '');
    const email = raw.toLowerCase();
    const span = { start: m.index, end: m.index + raw.length };
    if (insideAny(span, taken)) continue;
    const [local = '', domain = ''] = email.split('@');
    if (ownEmails.has(email) || ownDomains.has(domain) || email === recipientEmail) continue;
    if (ROLE_LOCAL.test(local)) continue;
    taken.push(span);
    out.push(finding('pii.email', span.start, span.end, ctx.lang));
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

function detectIbans(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  let own: Set<string> | undefined;
  const text = ctx.text;
  IBAN_START.lastIndex = from;
  for (let hint = IBAN_START.exec(text); hint !== null; hint = IBAN_START.exec(text)) {
    IBAN_RE.lastIndex = hint.index;
    const m = IBAN_RE.exec(text);
    if (m === null) {
      IBAN_START.lastIndex = hint.index + 1;
      continue;
    }
    IBAN_START.lastIndex = m.index + m[0].length;
    const compact = compactDigits(m[0]).toUpperCase();
    // The loose regex may run into the next word: an IBAN has its country's exact length, so only
    // that prefix can be valid.
    const expected = IBAN_LENGTHS[compact.slice(0, 2)];
    const found = expected !== undefined && compact.length >= expected && isValidIban(compact.slice(0, expected)) ? compact.slice(0, expected) : undefined;
    if (!found) continue;
    own ??= new Set((ctx.input.business?.ibans ?? []).map((i) => compactDigits(i).toUpperCase()));
    if (own.has(found)) continue;
    const span = { start: m.index, end: endAfterAlnum(ctx.text, m.index, found.length) };
    taken.push(span);
    out.push(finding('pii.iban', span.start, span.end, ctx.lang));
  }
}

// ─── payment card ───────────────────────────────────────────────────────────────────────────────
const CARD_RE = /(?<![\d\p{L}])\d(?:[ \-\u00a0]?\d){11,18}(?![\d\p{L}])/gu;

function detectCards(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  CARD_RE.lastIndex = from;
  for (let m = CARD_RE.exec(ctx.text); m !== null; m = CARD_RE.exec(ctx.text)) {
    const digits = m[0].replace(/\D/g, '');
    const span = { start: m.index, end: m.index + m[0].length };
    if (insideAny(span, taken) || !isValidCard(digits)) continue;
    const before = foldedBefore(ctx, span.start, 40);
    if (REFERENCE_CONTEXT.test(before) && !CARD_CONTEXT.test(before)) continue;
    taken.push(span);
    out.push(finding('pii.card', span.start, span.end, ctx.lang));
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
// "our shop at…", "notre agence du…": the business's own premises, even if not listed.
const OWN_PREMISES =
  /(?:\bnotre\b|\bnos\b|\bour\b|magasin|boutique|agence|showroom|atelier|garage|cabinet|clinique|bureau|bureaux|locaux|siege|salon|restaurant|hotel|shop|store|office|branch|premises|studio|workshop|surgery|clinic|pharmacie|pharmacy|point (?:relais|retrait)|relais|pickup point|parking|gare|station|mairie|town hall|musee|museum)\W+(?:\w+\W+){0,4}$/;

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

/** The address's street name (the capitalised words after the number) appears in a catalogue item name. */
function catalogStreet(ctx: PiiContext, foldedAddress: string): boolean {
  const catalog = ctx.input.catalog;
  if (!catalog || catalog.length === 0) return false;
  const words = (foldedAddress.split(/,|\s\d/)[0] ?? '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length >= 4 && !/^\d/.test(w) && !STREET_WORD.test(w));
  if (words.length === 0) return false;
  for (const item of catalog) {
    if (typeof item?.name !== 'string') continue;
    const name = foldedName(item.name);
    if (words.every((w) => name.includes(` ${w} `))) return true;
  }
  return false;
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

const STREET_WORD =
  /^(?:rue|avenue|boulevard|allee|impasse|place|chemin|route|quai|cours|square|passage|residence|lotissement|voie|sentier|hameau|faubourg|cite|villa|clos|sente|montee|street|road|lane|drive|close|crescent|court|gardens|terrace|boulevard|square|grove|mews|parkway|walk|park|green|rise|view|de|la|le|les|du|des)$/;

function detectAddresses(ctx: PiiContext, taken: Span[], out: GuardFinding[], from: number): void {
  // The hint finds "number … street word" cheaply; the full patterns are only tried (sticky) where
  // a hint starts, instead of scanning the whole message twice with Unicode look-behinds.
  STREET_HINT.lastIndex = from;
  let hint = STREET_HINT.exec(ctx.text);
  if (hint === null) return;
  let ownFolded: string[] | undefined;
  let matchedEnd = 0;
  const text = ctx.text;
  for (; hint !== null; hint = STREET_HINT.exec(text)) {
    // The hint starts on the number's last digit: back up to the first one.
    let at = hint.index;
    while (at > 0 && isDigitCode(text.charCodeAt(at - 1))) at--;
    for (const re of [FR_ADDRESS_RE, EN_ADDRESS_RE]) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (m === null) continue;
      const span = { start: m.index, end: m.index + m[0].replace(/[\s,]+$/, '').length };
      if (insideAny(span, taken)) continue;
      ownFolded ??= (ctx.input.business?.addresses ?? []).map((a) => foldedName(a));
      const foldedAddress = foldText(m[0]);
      const streetPart = firstTokens(foldedAddress, 4);
      if (ownFolded.some((a) => a.includes(streetPart))) continue;
      const before = foldedBefore(ctx, span.start, 50);
      if (OWN_PREMISES.test(before)) continue;
      // A hotel's, hospital's, embassy's… address is not a person's.
      if (ORGANISATION_CONTEXT.test(before.slice(-40)) || VENUE_CONTEXT.test(before.slice(-40))) continue;
      // A street named in the catalogue ("Two-bed flat Mill Lane") is the listing the business sells or lets.
      if (catalogStreet(ctx, foldedAddress)) continue;
      taken.push(span);
      out.push(finding('pii.address', span.start, span.end, ctx.lang));
      matchedEnd = span.end;
      break;
    }
    // Hints may overlap ("le 12, 14 rue …"): look again from the next character, or after the
    // address just found (a hint inside it could only give an overlapping, skipped match).
    STREET_HINT.lastIndex = Math.max(hint.index + 1, matchedEnd);
  }
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
const SECRET_KEYWORD_RE =
  /(?<![\p{L}])(?:mots? de passe|mdp|password|passwd|pwd|passcode|code pin|pin|code secret|code d['’]acc[eè]s|identifiants?|login|credentials|api key|api[- ]?token|cl[ée] (?:d['’])?api|token|secret|access key|cl[ée] d['’]acc[eè]s)(?![\p{L}])/giu;
const COMMON_AFTER =
  /^(?:le|la|les|un|une|celui|celle|votre|ton|the|a|an|your|same|identique|oublie|forgotten|expire|expired|incorrect|wrong|faux|requis|required|envoye|sent|change|changed|modifie|reset|personnel|personal|confidentiel|confidential|strictly|strictement|valide|valid|bloque|blocked|disponible|available|dans|in|sur|on|par|by|via|ici|here|below|ci-dessous)$/i;

// Cheap check before the full shapes pattern: every key shape contains one of these.
const ASCII_ONLY = /^[\x20-\x7e]*$/;
const SECRET_SHAPES_TEST = /[spr]k_|sk-|AKIA|gh[pousr]_|xox|AIza|eyJ|-----BEGIN/;

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

// First two letters (lower-case) of every credential keyword word and key shape (credentialWordAt, keyShapeAt).
const SECRET_PAIRS = new Uint8Array(26 * 26);
for (const pair of ['pa', 'pw', 'pi', 'md', 'se', 'ac', 'ap', 'id', 'lo', 'cr', 'to', 'sk', 'ak', 'ai', 'xo', 'ey'])
  SECRET_PAIRS[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 1;

// The street words of STREET_HINT, by first letter: the hint regex only runs when one of them
// appears as a word (followed by a non-word character, like the hint's \b) after a digit.
const STREET_WORDS =
  'rue avenue av boulevard bd allée allee impasse place chemin route quai cours square passage résidence residence lotissement voie sentier hameau faubourg cité cite villa clos sente montée montee rond-point street st road rd ave lane ln drive dr close crescent way pl court ct gardens terrace blvd sq row hill grove mews parkway walk park green rise view'.split(
    ' ',
  );
const STREET_BY_LETTER: string[][] = Array.from({ length: 26 }, () => []);
for (const w of STREET_WORDS) STREET_BY_LETTER[w.charCodeAt(0) - 97]!.push(w);
// Their first two letters when both are ASCII ("résidence" is looked at for any 'r' + non-ASCII letter).
const STREET_PAIRS = new Uint8Array(26 * 26);
for (const w of STREET_WORDS) {
  const second = w.charCodeAt(1);
  if (second >= 97 && second <= 122) STREET_PAIRS[(w.charCodeAt(0) - 97) * 26 + second - 97] = 1;
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
    const after = text.charCodeAt(i + w.length);
    // \b after the word (non-Unicode: word characters are [A-Za-z0-9_]).
    if (!((after >= 48 && after <= 57) || (after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 95)) return true;
  }
  return false;
}

/** `word` (ASCII, case as given) at `i`. */
function startsAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i);
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
  return lowerAt(text, i, word) && !isLatinLetter(text.charCodeAt(i + word.length));
}

/**
 * Could a credential keyword start here (a word start)? Every keyword of SECRET_KEYWORD_RE contains
 * one of these whole words, at most 8 characters after the keyword's own start ("mots de passe",
 * "code d'accès"): passe/password/passwd/passcode, pwd, pin, mdp, secret, access/acces/accès, api,
 * apitoken, identifiant(s), login, credentials, token. The second letter is tested inline first:
 * this runs at every word start.
 */
function credentialWordAt(text: string, i: number, lower: number): boolean {
  const second = text.charCodeAt(i + 1) | 0x20;
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
  const e = text.charCodeAt(i + 3);
  return (e === 0xe8 || e === 0xc8) && (text.charCodeAt(i + 4) | 0x20) === 115 && !isLatinLetter(text.charCodeAt(i + 5));
}

/** Could a key shape of SECRET_SHAPES start at this word start? ('_' and "--" are hinted apart.) */
function keyShapeAt(text: string, i: number, lower: number): boolean {
  switch (lower) {
    case 115: // s
      return lowerAt(text, i, 'sk');
    case 97: // a
      return startsAt(text, i, 'AKIA') || startsAt(text, i, 'AIza');
    case 120: // x
      return startsAt(text, i, 'xox');
    case 101: // e
      return startsAt(text, i, 'eyJ');
    default:
      return false;
  }
}

function detectSecretShapes(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(SECRET_SHAPES)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (insideAny(span, taken)) continue;
    taken.push(span);
    out.push(finding('pii.credential', span.start, span.end, ctx.lang));
  }
}

function detectSecretAfterKeyword(ctx: PiiContext, taken: Span[], out: GuardFinding[], fromIndex: number): void {
  SECRET_KEYWORD_RE.lastIndex = fromIndex;
  for (let m = SECRET_KEYWORD_RE.exec(ctx.text); m !== null; m = SECRET_KEYWORD_RE.exec(ctx.text)) {
    const from = m.index + m[0].length;
    // The sentence ends at . ? ! followed by a capital or the end (a password may end with "!").
    const window = ctx.text.slice(from, from + 70).split(/[.?!;](?=\s+\p{Lu}|\s*$)|\n/u)[0] ?? '';
    let words = 0;
    // "password: bluebell", "mot de passe = framboise": a value right after ':' or '=' is the secret
    // whatever it looks like.
    const assigned = /^[^:=]{0,50}?[:=]\s*/.exec(window);
    const assignedAt = assigned && !/[:=]\/\//.test(window.slice(assigned[0].length - 3)) ? assigned[0].length : -1;
    for (const t of window.matchAll(/[^\s"'«»“”,:=()]+/g)) {
      const afterColon = t.index === assignedAt;
      // At most 7 words after the keyword, except that the value after ':' / '=' is always reached.
      if (++words > 7 && !afterColon) {
        if (t.index < assignedAt) continue;
        break;
      }
      const token = t[0].replace(/[.,?)]+$/, '');
      if (token.length < 4 || COMMON_AFTER.test(ASCII_ONLY.test(token) ? token : foldText(token))) continue;
      if (afterColon && /^\p{Ll}[\p{Ll}\d]*$/u.test(token)) {
        const span = { start: from + t.index, end: from + t.index + token.length };
        if (insideAny(span, taken)) break;
        taken.push(span);
        out.push(finding('pii.credential', span.start, span.end, ctx.lang));
        break;
      }
      // A secret looks like one: digits, mixed case or symbols. Plain words are prose.
      const looksSecret =
        (/\d/.test(token) && /[A-Za-z]/.test(token)) || (/[a-z]/.test(token) && /[A-Z]/.test(token.slice(1))) || /[!$%&*#@_=+]/.test(token) || /^\d{4,8}$/.test(token);
      if (!looksSecret) continue;
      const span = { start: from + t.index, end: from + t.index + token.length };
      if (insideAny(span, taken)) break;
      taken.push(span);
      out.push(finding('pii.credential', span.start, span.end, ctx.lang));
      break;
    }
  }
}

/** All PII findings, sorted by position. `taken` spans are excluded (e.g. URLs). */
const URL_RE = /(?:https?:\/\/|www\.)\S+/g;

export function checkPii(ctx: PiiContext): GuardFinding[] {
  const out: GuardFinding[] = [];
  const taken: Span[] = [];
  // Cheap pre-filters, one pass: digit count, the longest run of digits separated by at most two
  // of " .-()" (every phone, card, NIR and IBAN candidate contains one), whether there is an '@',
  // and whether a credential keyword or key shape can start somewhere (a superset of the real patterns).
  const text = ctx.text;
  let digits = 0;
  let firstDigit = -1;
  let run = 0;
  let runStart = 0;
  let run8Start = -1;
  let run12Start = -1;
  let longestRun = 0;
  let gap = 3;
  let at = false;
  let keywordFrom = -1;
  let shapeHint = false;
  let streetSeen = false;
  let ibanFrom = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? CHAR_CLASS[c]! : c === 0xa0 || c === 0x202f ? SEPARATOR : OTHER;
    if (kind === DIGIT) {
      if (digits++ === 0) firstDigit = i;
      if (gap <= 2) run++;
      else {
        run = 1;
        runStart = i;
        // Two ASCII letters then two digits: where an IBAN (IBAN_START) can begin.
        if (ibanFrom < 0 && i >= 2 && CHAR_CLASS[text.charCodeAt(i - 1)] === LETTER && CHAR_CLASS[text.charCodeAt(i - 2)] === LETTER) {
          const next = text.charCodeAt(i + 1);
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
      // A word start (the previous character is not an ASCII letter): keyword / key-shape hints,
      // then skip the rest of the word.
      const lower = c | 0x20;
      const second = text.charCodeAt(i + 1) | 0x20;
      // Only words whose first two letters can begin a keyword / key shape are looked at closely.
      if (second >= 97 && second <= 122 && SECRET_PAIRS[(lower - 97) * 26 + second - 97] === 1) {
        if (keywordFrom < 0 && credentialWordAt(text, i, lower)) keywordFrom = i;
        if (!shapeHint) shapeHint = keyShapeAt(text, i, lower);
      }
      if (!streetSeen && digits > 0 && (second >= 97 && second <= 122 ? STREET_PAIRS[(lower - 97) * 26 + second - 97] === 1 : lower === 114))
        streetSeen = streetWordAt(text, i, lower);
      for (let next = text.charCodeAt(i + 1); next < 128 && CHAR_CLASS[next] === LETTER; next = text.charCodeAt(i + 1)) i++;
      gap = 3;
    } else if (kind === SEPARATOR) {
      gap++;
      if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) shapeHint = true;
    } else {
      gap = 3;
      if (c === 64 /* @ */) at = true;
      else if (c === 95 /* _ */) shapeHint = true;
    }
  }
  const link = text.includes('http') || text.includes('www.');
  // Links are the business's own (tracking, payment pages): their query strings are not secrets.
  if (link) for (const m of text.matchAll(URL_RE)) taken.push({ start: m.index, end: m.index + m[0].length });
  // Key shapes first (their spans win), then "keyword … secret" from a little before the first
  // keyword word ("mots de passe" is hinted at "passe").
  if (shapeHint && SECRET_SHAPES_TEST.test(text)) detectSecretShapes(ctx, taken, out);
  if (keywordFrom >= 0) detectSecretAfterKeyword(ctx, taken, out, Math.max(0, keywordFrom - 16));
  // Each digit pattern is scanned from where it can first start: a phone, NIR or card lies in a run
  // of at least 8 (12) digits, with at most a "+33 (0)"-like prefix or a NIR's "2A " before the run.
  if (digits >= 12 && longestRun >= 8) detectNirs(ctx, taken, out, Math.max(0, run8Start - 14));
  if (digits >= 8) {
    if (ibanFrom >= 0) detectIbans(ctx, taken, out, ibanFrom);
    if (longestRun >= 12) detectCards(ctx, taken, out, run12Start);
  }
  if (at) detectEmails(ctx, taken, out);
  if (longestRun >= 8) detectPhones(ctx, taken, out, Math.max(0, run8Start - 12));
  if (streetSeen) detectAddresses(ctx, taken, out, firstDigit);
  if (out.length > 1) out.sort((a, b) => a.start - b.start);
  return out;
}
