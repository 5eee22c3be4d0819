// Personal and confidential data (PRODUCT.md §5 "pii"). Each detector finds candidates with a loose
// regex (separators allowed), then validates them (checksums, libphonenumber metadata, shapes) and
// weighs the words around them: "commande n°", "tracking", "SIRET" lower confidence, "tél", "IBAN",
// "mot de passe" raise it. The business's own details and the recipient's own phone/email are skipped.

import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isValidCard, isValidIban, isValidNir } from './checksums.ts';
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
const PHONE_CONTEXT =
  /(?:\btel\b|\btel\.|telephone|phone|portable|mobile|cell|appele[rz]?|rappele[rz]?|\bcall\b|joindre|reach|whatsapp|sms|texto|text (?:him|her|them)|numero (?:de|du|perso)|number)/;
const ORGANISATION_CONTEXT =
  /(?:ambassade|embassy|consulat|consulate|mairie|town hall|council|prefecture|hopital|hospital|clinique|clinic|pharmacie|pharmacy|police|gendarmerie|pompiers|compagnie|airline|aeroport|airport|gare|station|standard|switchboard|accueil|reception|helpline|hotline|service client|customer service|office de tourisme|tourist office|assurance|insurer|insurance|banque|bank|transporteur|courier|fournisseur|supplier|hotel|musee|museum|universite|university|ecole|school)/;
const CARD_CONTEXT = /(?:carte|card|\bcb\b|visa|mastercard|amex|cvv|cvc|crypto|expir|exp\b|paiement|payment)/;

/** Folded text just before a position: context words are only looked at around candidates. */
function foldedBefore(text: string, start: number, chars: number): string {
  return foldText(text.slice(Math.max(0, start - chars), start));
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

function detectPhones(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(PHONE_RE)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    const span = { start: m.index, end: m.index + raw.length };
    if (insideAny(span, taken)) continue;
    const international = /^(?:\+|00)/.test(raw);
    if (!international && !NANP.has(ctx.region) && digits[0] !== '0') continue;
    // Mixed separators inside one number ("12.03 2024") are dates or amounts, not phones.
    const seps = new Set(raw.replace(/^(?:\+|00)/, '').match(/[.-]/g) ?? []);
    if (seps.size > 1) continue;
    const checked = validatePhone(raw.replace(/[^\d+]/g, '').replace(/^00/, '+'), ctx.region);
    if (!checked) continue;
    const type = checked.type;
    if (type && SERVICE_TYPES.has(type)) continue;
    if (isOwnPhone(ctx, checked.e164)) continue;
    const before = foldedBefore(ctx.text, span.start, 40);
    if (REFERENCE_CONTEXT.test(before) && !PHONE_CONTEXT.test(before.slice(-20))) continue;
    // A landline of an organisation (embassy, town hall, hospital…) is not a person's number.
    if (type !== 'MOBILE' && ORGANISATION_CONTEXT.test(foldedBefore(ctx.text, span.start, 60))) continue;
    taken.push(span);
    out.push(finding('pii.phone', span.start, span.end, ctx.lang));
  }
}

// ─── email ──────────────────────────────────────────────────────────────────────────────────────
const EMAIL_RE = /(?<![\w.+%-])[\p{L}\d][\p{L}\d._%+-]*@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[a-z]{2,}(?![\w@])/giu;
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
  for (const m of ctx.text.matchAll(EMAIL_RE)) {
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
const IBAN_RE = /(?<![\p{L}\d])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,32}/giu;

/** End offset of the n-th alphanumeric character after `start`. */
function endAfterAlnum(text: string, start: number, n: number): number {
  let count = 0;
  for (let i = start; i < text.length; i++) {
    if (/[A-Za-z0-9]/.test(text[i]!)) {
      count++;
      if (count === n) return i + 1;
    }
  }
  return text.length;
}

function detectIbans(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  const own = new Set((ctx.input.business?.ibans ?? []).map((i) => compactDigits(i).toUpperCase()));
  for (const m of ctx.text.matchAll(IBAN_RE)) {
    const compact = compactDigits(m[0]).toUpperCase();
    let found: string | undefined;
    // The loose regex may run into the next word: try every plausible length, longest first.
    for (let len = Math.min(34, compact.length); len >= 15; len--) {
      if (isValidIban(compact.slice(0, len))) {
        found = compact.slice(0, len);
        break;
      }
    }
    if (!found || own.has(found)) continue;
    const span = { start: m.index, end: endAfterAlnum(ctx.text, m.index, found.length) };
    taken.push(span);
    out.push(finding('pii.iban', span.start, span.end, ctx.lang));
  }
}

// ─── payment card ───────────────────────────────────────────────────────────────────────────────
const CARD_RE = /(?<![\d\p{L}])\d(?:[ \-\u00a0]?\d){11,18}(?![\d\p{L}])/gu;

function detectCards(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(CARD_RE)) {
    const digits = m[0].replace(/\D/g, '');
    const span = { start: m.index, end: m.index + m[0].length };
    if (insideAny(span, taken) || !isValidCard(digits)) continue;
    const before = foldedBefore(ctx.text, span.start, 40);
    if (REFERENCE_CONTEXT.test(before) && !CARD_CONTEXT.test(before)) continue;
    taken.push(span);
    out.push(finding('pii.card', span.start, span.end, ctx.lang));
  }
}

// ─── NIR ────────────────────────────────────────────────────────────────────────────────────────
const NIR_RE =
  /(?<![\d\p{L}])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\d\p{L}])/giu;

function detectNirs(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(NIR_RE)) {
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
  'giu',
);
const EN_STREET =
  '(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Way|Place|Pl|Court|Ct|Gardens|Terrace|Boulevard|Blvd|Square|Sq|Row|Hill|Grove|Mews|Parkway|Walk|Park|Green|Rise|View)';
const EN_ADDRESS_RE = new RegExp(
  `(?<![\\p{L}\\d])\\d{1,5}[A-Za-z]?,?\\s+(?:[NSEW]\\.?\\s+)?(?:[\\p{Lu}][\\p{L}'’\\-]*\\s+){1,3}${EN_STREET}\\b\\.?(?:,?\\s+(?:Apt|Apartment|Flat|Unit|Suite)\\.?\\s*#?\\w+)?(?:,\\s+[\\p{Lu}][\\p{Ll}\\-]+(?:\\s[\\p{Lu}][\\p{Ll}\\-]+)?)?(?:,?\\s+(?:[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}))?`,
  'gu',
);
// "our shop at…", "notre agence du…": the business's own premises, even if not listed.
const OWN_PREMISES =
  /(?:\bnotre\b|\bnos\b|\bour\b|magasin|boutique|agence|showroom|atelier|garage|cabinet|clinique|bureau|bureaux|locaux|siege|salon|restaurant|hotel|shop|store|office|branch|premises|studio|workshop|surgery|clinic|pharmacie|pharmacy|point (?:relais|retrait)|relais|pickup point|parking|gare|station|mairie|town hall|musee|museum)\W+(?:\w+\W+){0,4}$/;

// Cheap test before the two large address patterns: a number followed, within a few words, by a street word.
const STREET_HINT =
  /\d[a-z]?,?\s+(?:(?:bis|ter|[nsew]\.?)\s+)?(?:[\w'’-]+\s+){0,3}(?:rue|avenue|av\.|boulevard|bd|all[ée]e|impasse|place|chemin|route|quai|cours|square|passage|r[ée]sidence|lotissement|voie|sentier|hameau|faubourg|cit[ée]|villa|clos|sente|mont[ée]e|rond-point|street|st|road|rd|ave|lane|ln|drive|dr|close|crescent|way|pl|court|ct|gardens|terrace|blvd|sq|row|hill|grove|mews|parkway|walk|park|green|rise|view)\b/i;

function detectAddresses(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  if (!STREET_HINT.test(ctx.text)) return;
  const ownFolded = (ctx.input.business?.addresses ?? []).map((a) => foldText(a).replace(/[^a-z0-9]+/g, ' ').trim());
  for (const re of [FR_ADDRESS_RE, EN_ADDRESS_RE]) {
    for (const m of ctx.text.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].replace(/[\s,]+$/, '').length };
      if (insideAny(span, taken)) continue;
      const streetPart = foldText(m[0])
        .replace(/[^a-z0-9]+/g, ' ')
        .trim()
        .split(' ')
        .slice(0, 4)
        .join(' ');
      if (ownFolded.some((a) => a.includes(streetPart))) continue;
      const before = foldedBefore(ctx.text, span.start, 50);
      if (OWN_PREMISES.test(before)) continue;
      taken.push(span);
      out.push(finding('pii.address', span.start, span.end, ctx.lang));
    }
  }
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

const SECRET_SHAPES_TEST = new RegExp(SECRET_SHAPES.source);
const SECRET_KEYWORD_TEST = new RegExp(SECRET_KEYWORD_RE.source, 'iu');

function detectCredentials(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  if (SECRET_SHAPES_TEST.test(ctx.text)) detectSecretShapes(ctx, taken, out);
  if (SECRET_KEYWORD_TEST.test(ctx.text)) detectSecretAfterKeyword(ctx, taken, out);
}

function detectSecretShapes(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(SECRET_SHAPES)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (insideAny(span, taken)) continue;
    taken.push(span);
    out.push(finding('pii.credential', span.start, span.end, ctx.lang));
  }
}

function detectSecretAfterKeyword(ctx: PiiContext, taken: Span[], out: GuardFinding[]): void {
  for (const m of ctx.text.matchAll(SECRET_KEYWORD_RE)) {
    const from = m.index + m[0].length;
    // The sentence ends at . ? ! followed by a capital or the end (a password may end with "!").
    const window = ctx.text.slice(from, from + 70).split(/[.?!;](?=\s+\p{Lu}|\s*$)|\n/u)[0] ?? '';
    let words = 0;
    for (const t of window.matchAll(/[^\s"'«»“”,:=()]+/g)) {
      if (++words > 7) break;
      const token = t[0].replace(/[.,?)]+$/, '');
      if (token.length < 4 || COMMON_AFTER.test(foldText(token))) continue;
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
  // Links are the business's own (tracking, payment pages): their query strings are not secrets.
  const taken: Span[] = [];
  if (ctx.text.includes('http') || ctx.text.includes('www.'))
    for (const m of ctx.text.matchAll(URL_RE)) taken.push({ start: m.index, end: m.index + m[0].length });
  // Cheap pre-filters: most messages have no long digit runs, no '@' and no street number.
  let digits = 0;
  for (let i = 0; i < ctx.text.length; i++) {
    const c = ctx.text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  detectCredentials(ctx, taken, out);
  if (digits >= 12) detectNirs(ctx, taken, out);
  if (digits >= 8) {
    if (/[A-Za-z]{2}\d{2}/.test(ctx.text)) detectIbans(ctx, taken, out);
    if (digits >= 12) detectCards(ctx, taken, out);
  }
  if (ctx.text.includes('@')) detectEmails(ctx, taken, out);
  if (digits >= 8) detectPhones(ctx, taken, out);
  if (digits >= 1) detectAddresses(ctx, taken, out);
  return out.sort((a, b) => a.start - b.start);
}
