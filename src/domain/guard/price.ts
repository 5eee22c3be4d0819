// Price check (PRODUCT.md §5 "price"): every amount is tied to the catalogue item or earlier quote it
// talks about, then compared. Quantity totals, explained discounts, approximations, fees and items not
// in the catalogue are accepted; disagreements are flagged, with the likely slip named (zero, decimal,
// swapped digits).

import { type Amount, findAmounts } from './amounts.ts';
import { localized, type MessageKey } from './messages.ts';
import { foldText } from './text.ts';
import type { GuardCatalogItem, GuardFinding, GuardInput, GuardLang } from './types.ts';

const STOP = new Set(
  'de du des la le les l d un une au aux et en a the of and with for pour avec sans sur in on to x par per chez'.split(' '),
);

function stem(token: string): string {
  return token.length > 4 ? token.replace(/(?:es|s|x)$/, '') : token;
}

function significantTokens(name: string): string[] {
  return foldText(name)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 3 && !STOP.has(t))
    .map(stem);
}

interface PricedItem {
  name: string;
  price: number;
  currency: string;
  tokens: string[];
}

interface Mention {
  item: PricedItem;
  start: number;
  end: number;
  score: number;
}

interface TextToken {
  stem: string;
  start: number;
  end: number;
}

function tokenize(folded: string): TextToken[] {
  const out: TextToken[] = [];
  for (const m of folded.matchAll(/[a-z0-9]+/g)) out.push({ stem: stem(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

function pricedItems(catalog: GuardCatalogItem[] | undefined): PricedItem[] {
  const out: PricedItem[] = [];
  for (const item of catalog ?? []) {
    if (!item || typeof item.name !== 'string') continue;
    const price = item.price;
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) continue;
    // "Gas safety certificate (CP12)", "Détartrage / polissage": each part is also a name of the item.
    const names = [item.name, ...item.name.split(/[()/]|\s[-–—]\s/).map((p) => p.trim()).filter((p) => p.length >= 2 && p !== item.name)];
    for (const name of names) {
      const tokens = significantTokens(name);
      if (tokens.length === 0) continue;
      out.push({ name: item.name, price, currency: (item.currency ?? 'EUR').toUpperCase(), tokens });
    }
  }
  return out;
}

/** Runs of text tokens that belong to one item; the score counts distinct item tokens present. */
function findMentions(tokens: TextToken[], items: PricedItem[]): Mention[] {
  const mentions: Mention[] = [];
  for (const item of items) {
    const set = new Set(item.tokens);
    for (let i = 0; i < tokens.length; i++) {
      if (!set.has(tokens[i]!.stem)) continue;
      const seen = new Set<string>([tokens[i]!.stem]);
      let j = i + 1;
      // Allow short gaps ("pneus Michelin neufs 205/55") inside one mention.
      let gap = 0;
      while (j < tokens.length && gap <= 2) {
        if (set.has(tokens[j]!.stem)) {
          seen.add(tokens[j]!.stem);
          gap = 0;
        } else gap++;
        j++;
      }
      let last = i;
      for (let k = i; k < j; k++) if (set.has(tokens[k]!.stem)) last = k;
      const headHit = seen.has(item.tokens[0]!);
      const score = seen.size / item.tokens.length + (headHit ? 0.5 : 0);
      mentions.push({ item, start: tokens[i]!.start, end: tokens[last]!.end, score });
      i = last;
    }
  }
  // Overlapping mentions of different items: keep the better-scoring one.
  mentions.sort((a, b) => a.start - b.start || b.score - a.score);
  const kept: Mention[] = [];
  for (const m of mentions) {
    const clash = kept.findIndex((k) => k.start < m.end && m.start < k.end);
    if (clash < 0) kept.push(m);
    else if (m.score > kept[clash]!.score) kept[clash] = m;
  }
  return kept.filter((m) => m.score >= 0.5);
}

const NUMBER_WORDS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, douze: 12,
  quinze: 15, vingt: 20, trente: 30, cinquante: 50, cent: 100, one: 1, a: 1, two: 2, three: 3, four: 4, five: 5,
  seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, dozen: 12, douzaine: 12, twenty: 20, fifty: 50, hundred: 100,
  pair: 2, paire: 2, couple: 2,
};

function quantitiesNear(folded: string, from: number, to: number): number[] {
  const out: number[] = [];
  const window = folded.slice(Math.max(0, from), Math.min(folded.length, to));
  for (const m of window.matchAll(/(?<![\d.,])(\d{1,3})\s?(?:x|×|fois|\*)(?![a-z])|(?:x|×|\*)\s?(\d{1,3})(?![\d.,])|(?<![\d.,])(\d{1,3})(?![\d.,])\s+(?!€|eur|\$|£)|\b([a-z]+)\b/g)) {
    const n = m[1] ?? m[2] ?? m[3];
    if (n) {
      const q = Number(n);
      if (q >= 2 && q <= 500) out.push(q);
    } else if (m[4] && NUMBER_WORDS[m[4]] !== undefined && NUMBER_WORDS[m[4]]! >= 2) out.push(NUMBER_WORDS[m[4]]!);
  }
  return out;
}

const FEE_WORDS =
  /(?<![a-z])(?:livraison|frais|port|shipping|delivery|postage|acompte|deposit|arrhes|caution|main[- ]d['’]oeuvre|main d oeuvre|labou?r|tva|vat|taxe|tax|supplement|surcharge|pourboire|tip|total|soit|en tout|au total|altogether|in total|subtotal|sous-total|reste a payer|balance|remaining|rembourse|remboursement|remboursee?|refund|refunded|solde|soldes? restant|avoir|credit|economie|saving|save|budget|plafond|minimum|maximum|franchise|penalite|penalty|fee|fees|forfait deplacement|call-out)\W*(?:\w+\W+){0,3}$/;
const DISCOUNT_WORDS =
  /(?<![a-z])(?:remise|offre|offer|usually|normally|normalement|habituellement|d'habitude|this week only|cette semaine seulement|reduction|rabais|promo|promotion|solde|soldes|geste commercial|offert|offre speciale|prix special|tarif preferentiel|au lieu de|instead of|discount|off\b|sale\b|special price|special offer|reduced|deal|coupon|code promo|voucher|bon de reduction|fidelite|loyalty|happy hour|black friday|-\s?\d{1,2}\s?%)/;
const APPROX_WORDS = /(?<![a-z])(?:environ|approx|approximately|about|around|autour de|aux alentours de|~|a partir de|starting at|from|des|entre|between|jusqu['’]a|up to)\W*$/;
const QUOTE_WORDS =
  /(?<![a-z])(?:devis|quote|quotation|estimate|estimation|comme convenu|as agreed|as discussed|comme indique|comme annonce|as quoted|comme prevu|montant convenu|agreed price|prix convenu|tarif convenu)/;

const INSTALMENT_WORDS = /(?:en \d+ fois|\d+ fois sans frais|instal+ments?|mensualites?|par mois|per month|a month|\/mois|\/month|payments? of|versements?|echeances?)/;
const OLD_PRICE_WORDS =
  /(?:used to be|used to cost|was|were|previously|formerly|before|avant|auparavant|ancien(?:ne)? (?:prix|tarif)|old price|passee? de|passes de|went up from|gone up from|increased from|augmentee? de|au lieu de|instead of)\W*(?:\w+\W+){0,3}$/;
const TAX_WORDS = /(?<![a-z])(?:ht|ttc|hors taxes?|toutes taxes|tva|vat|ex vat|inc vat|incl\.? vat|hst|gst|tax|taxes|plus tax)(?![a-z])/;
const VAT_RATES = [1.2, 1.1, 1.055, 1.21, 1.081, 1.13, 1.15, 1.05, 1.0825, 1.0875, 1.06];

/** The catalogue item named in the customer's last message, if exactly one (what a bare "It's 12 €" answers). */
function askedAbout(input: GuardInput, items: PricedItem[]): PricedItem | undefined {
  const history = input.history ?? [];
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (!entry || typeof entry.text !== 'string') continue;
    if (entry.from !== 'customer') return undefined;
    const named = new Set(findMentions(tokenize(foldText(entry.text)), items).map((m) => m.item));
    return named.size === 1 ? [...named][0] : undefined;
  }
  return undefined;
}

// "$" is written for every dollar: a Canadian or Australian catalogue's prices are typed with it too.
const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD']);
function sameCurrency(written: string, catalogue: string): boolean {
  return written === catalogue || (written === 'USD' && DOLLARS.has(catalogue));
}

function near(value: number, target: number): boolean {
  return Math.abs(value - target) < 0.011 + target * 1e-6;
}

function significantDigits(n: number): string {
  return n.toFixed(2).replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
}

/** The kind of slip that turns `expected` into `value`, if it is a typical one. */
export function classifySlip(value: number, expected: number): 'zero' | 'decimal' | 'swapped' | undefined {
  const ratio = value / expected;
  for (const r of [10, 100, 1000]) if (near(ratio * 1000, r * 1000) || near(ratio * 1000, 1000 / r)) return 'zero';
  const a = value.toFixed(2);
  const b = expected.toFixed(2);
  if (a.length === b.length && a !== b && [...a].sort().join('') === [...b].sort().join('')) {
    let diff = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
    if (diff === 2) return 'swapped';
  }
  if (significantDigits(value) === significantDigits(expected)) return 'decimal';
  return undefined;
}

export function formatPrice(value: number, currency: string, lang: GuardLang): string {
  const hasCents = Math.round(value * 100) % 100 !== 0;
  const symbol = currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : currency === 'USD' ? '$' : currency;
  if (lang === 'fr') {
    const n = value.toLocaleString('fr-FR', { minimumFractionDigits: hasCents ? 2 : 0, maximumFractionDigits: 2 });
    return `${n.replace(/\u202f/g, ' ')} ${symbol}`;
  }
  const n = value.toLocaleString('en-GB', { minimumFractionDigits: hasCents ? 2 : 0, maximumFractionDigits: 2 });
  return symbol.length === 1 ? `${symbol}${n}` : `${n} ${symbol}`;
}

interface Tie {
  amount: Amount;
  mention?: Mention;
}

/** Ties each amount to the nearest item mention in its sentence, unless a fee word or another amount sits between. */
function tieAmounts(text: string, folded: string, amounts: Amount[], mentions: Mention[], historyItem?: PricedItem): Tie[] {
  const ties: Tie[] = [];
  for (const amount of amounts) {
    let best: Mention | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const m of mentions) {
      const gapStart = m.end <= amount.start ? m.end : amount.end;
      const gapEnd = m.end <= amount.start ? amount.start : m.start;
      if (gapEnd < gapStart) continue;
      const gap = text.slice(gapStart, gapEnd);
      if (gap.length > 70 || /[.!?\n;]\s/.test(gap) || /\n/.test(gap)) continue;
      if (amounts.some((o) => o !== amount && o.start >= gapStart && o.end <= gapEnd)) continue;
      // After the amount, the item must follow closely ("19 € la baguette"), or be in brackets.
      const after = m.start >= amount.end;
      const distance = after ? gap.length * 2 + 5 : gap.length;
      if (distance < bestDistance) {
        best = m;
        bestDistance = distance;
      }
    }
    if (best) {
      const lo = Math.min(best.end, amount.start);
      const between = folded.slice(Math.min(lo, amount.start), amount.start);
      // Fee words count only outside the item's own name ("renewal fee is £190" names the item).
      const fee = FEE_WORDS.test(between) || FEE_WORDS.test(folded.slice(Math.max(best.end <= amount.start ? best.end : 0, amount.start - 30), amount.start));
      if (fee && best.end <= amount.start) best = undefined;
    }
    if (!best) {
      // "The balayage? It's £12." / "Le fraisier ? Il est à 2,80 €." — a pronoun (or a bare "it's",
      // "c'est", "comptez") right before the amount refers to the item named last before it, in this
      // sentence or the previous one.
      const lead = folded.slice(Math.max(0, amount.start - 28), amount.start);
      if (PRONOUN_PRICE.test(lead)) {
        const sentenceStart = previousSentenceStart(text, amount.start);
        const earlier = mentions.filter((m) => m.end <= amount.start && m.start >= sentenceStart);
        // Nothing named before it in the message: the item the customer just asked about.
        if (earlier.length === 0 && historyItem && !mentions.some((m) => m.end <= amount.start)) {
          ties.push({ amount, mention: { item: historyItem, start: amount.start, end: amount.start, score: 1 } });
          continue;
        }
        const last = earlier[earlier.length - 1];
        const between = last ? text.slice(last.end, amount.start) : '';
        if (last && !amounts.some((o) => o !== amount && o.start >= last.end && o.end <= amount.start) && !FEE_WORDS.test(foldText(between))) {
          ties.push({ amount, mention: { ...last, end: amount.start } });
          continue;
        }
      }
    }
    ties.push(best ? { amount, mention: best } : { amount });
  }
  return ties;
}

// A pronoun or a bare price verb just before an amount: "it's", "it is", "they are", "that's", "il est
// à", "elle coûte", "c'est", "ça fait", "comptez", "à".
const PRONOUN_PRICE =
  /(?:\b(?:it|they|that|this one|that one|these|those|the cost|the price|the charge|the fee)(?:'s| is| are|'re| costs?| comes? to| will be|'ll be| would be| runs?)(?: (?:just|only|about))?|\b(?:arrange|do|book|get|have|offer|fit|supply|order) (?:it|them|that|one) for|\b(?:il|elle|ils|elles|celui-ci|celle-ci|ceux-ci|celles-ci|ca|cela|c'|le prix|le tarif|le cout|le montant)\s?(?:est|sont|coute|coutent|fait|font|revient|reviennent|sera|seront|serait|vaut|valent|est facturee?s?|sont facturee?s?|est proposee?s?|est vendue?s?|est affichee?)?(?: a| de)?|\bcomptez|\bto)\s*(?:only|just|seulement|que|juste)?\s*$/;

/** Start of the sentence before the one holding `pos` (the item may be named a sentence earlier). */
function previousSentenceStart(text: string, pos: number): number {
  let breaks = 0;
  for (let i = pos - 1; i > 0; i--) {
    const c = text[i]!;
    if ((c === '.' || c === '!' || c === '?' || c === '\n') && /\s/.test(text[i + 1] ?? ' ')) {
      breaks++;
      if (breaks === 2) return i + 1;
    }
  }
  return 0;
}

function itemQuotesFromHistory(input: GuardInput, items: PricedItem[]): { perItem: Map<string, number[]>; quotes: number[] } {
  const perItem = new Map<string, number[]>();
  const quotes: number[] = [];
  for (const entry of input.history ?? []) {
    if (entry?.from !== 'business' || typeof entry.text !== 'string') continue;
    const folded = foldText(entry.text);
    const amounts = findAmounts(entry.text);
    const mentions = findMentions(tokenize(folded), items);
    for (const tie of tieAmounts(entry.text, folded, amounts, mentions)) {
      quotes.push(tie.amount.value);
      if (tie.mention) {
        const list = perItem.get(tie.mention.item.name) ?? [];
        list.push(tie.amount.value);
        perItem.set(tie.mention.item.name, list);
      }
    }
  }
  return { perItem, quotes };
}

export function checkPrice(text: string, folded: string, lang: GuardLang, input: GuardInput): GuardFinding[] {
  const amounts = findAmounts(text);
  if (amounts.length === 0) return [];
  const items = pricedItems(input.catalog);
  const history = itemQuotesFromHistory(input, items);
  // Percentages the message states (discounts, deposits, taxes), read once for every check below.
  const percents = [...folded.matchAll(/(\d{1,3}(?:[.,]\d)?)\s?%/g)].map((m) => Number(m[1]!.replace(',', '.')) / 100);
  const totals = wrongTotals(folded, amounts, percents, lang);
  if (items.length === 0 && history.quotes.length === 0) return totals;
  const mentions = findMentions(tokenize(folded), items);
  const historyItem = askedAbout(input, items);
  const discounted = DISCOUNT_WORDS.test(folded);
  const out: GuardFinding[] = [];

  for (const tie of tieAmounts(text, folded, amounts, mentions, historyItem)) {
    const { amount } = tie;
    const before = folded.slice(Math.max(0, amount.start - 25), amount.start);
    if (APPROX_WORDS.test(before)) continue;
    // An old price stated as old: "used to be £40", "est passée de 49 € à 52 €".
    if (OLD_PRICE_WORDS.test(folded.slice(Math.max(0, amount.start - 40), amount.start))) continue;

    if (!tie.mention) {
      // Restating an earlier quote: only typical slips of a quoted amount are flagged.
      const sentenceStart = Math.max(folded.lastIndexOf('.', amount.start), folded.lastIndexOf('\n', amount.start), 0);
      const clause = folded.slice(sentenceStart, Math.min(folded.length, amount.end + 40));
      if (!QUOTE_WORDS.test(clause) || history.quotes.length === 0) continue;
      if (history.quotes.some((q) => near(amount.value, q))) continue;
      const slipped = history.quotes.find((q) => classifySlip(amount.value, q));
      if (slipped === undefined) continue;
      out.push(priceFinding(amount, 'price.quote', lang, '', slipped, 'EUR'));
      continue;
    }

    const { item } = tie.mention;
    if (!sameCurrency(amount.currency, item.currency)) continue;
    const quoted = history.perItem.get(item.name) ?? [];
    const units = [item.price, ...quoted];
    const qtyWindow = quantitiesNear(folded, Math.min(tie.mention.start, amount.start) - 25, Math.max(tie.mention.end, amount.end) + 20);
    // Quantities written just before any mention of the same item ("3 baguettes … 3,30 €").
    const qtyAll: number[] = [];
    for (const m of mentions) if (m.item === item) qtyAll.push(...quantitiesNear(folded, m.start - 14, m.start));
    const expected: number[] = [];
    for (const u of units) {
      expected.push(u);
      for (const q of [...qtyWindow, ...qtyAll]) expected.push(u * q);
    }
    if (expected.some((e) => near(amount.value, e))) continue;
    // Net / gross: "400 € HT, soit 480 € TTC" against a catalogue in either.
    if (TAX_WORDS.test(folded) && expected.some((e) => VAT_RATES.some((r) => near(amount.value * r, e) || near(amount.value, e * r)))) continue;
    if (explainedByArithmetic(amount, amounts, folded, percents, expected)) continue;
    if (discounted) {
      const base = expected;
      if (percents.length > 0) {
        // Shops round discounted prices: allow half a percent.
        const close = (v: number, t: number): boolean => Math.abs(v - t) <= Math.max(0.011, t * 0.005);
        if (base.some((e) => percents.some((p) => close(amount.value, e * (1 - p)) || close(amount.value, e * p)))) continue;
      } else if (base.some((e) => amount.value < e && amount.value >= e * 0.3)) continue;
    }
    let slipBase: number | undefined;
    let slip: ReturnType<typeof classifySlip>;
    for (const e of expected) {
      slip = classifySlip(amount.value, e);
      if (slip) {
        slipBase = e;
        break;
      }
    }
    const key: MessageKey = slip === 'zero' ? 'price.zero' : slip === 'decimal' ? 'price.decimal' : slip === 'swapped' ? 'price.swapped' : 'price.catalog';
    if (!slip) {
      // An unexplained difference is flagged only when the tie is tight (the amount right next to the item).
      const gap = amount.start >= tie.mention.end ? amount.start - tie.mention.end : tie.mention.start - amount.end;
      if (gap > 40 || Math.abs(amount.value / item.price - 1) < 0.05) continue;
    }
    out.push(priceFinding(amount, key, lang, item.name, slipBase ?? item.price, item.currency));
  }
  for (const t of totals) if (!out.some((f) => f.start === t.start)) out.push(t);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * An amount the message itself derives from its other numbers is not a catalogue price: a total of
 * other amounts ("38 + 25 = 63 €"), another amount times a quantity written in the message ("3 x 12 € =
 * 36 €"), or a percentage of another amount or of the item's price ("acompte de 30 %, soit 45 €").
 */
function explainedByArithmetic(amount: Amount, amounts: Amount[], folded: string, percents: readonly number[], expected: number[]): boolean {
  const others = amounts.filter((o) => o !== amount && o.currency === amount.currency).map((o) => o.value);
  if (others.length >= 2) {
    for (let i = 0; i < others.length; i++)
      for (let j = i + 1; j < others.length; j++) if (near(amount.value, others[i]! + others[j]!) || near(amount.value, others[i]! - others[j]!) || near(amount.value, others[j]! - others[i]!)) return true;
    if (near(amount.value, others.reduce((a, b) => a + b, 0))) return true;
  }
  const quantities = [...folded.matchAll(/(?<![\d.,])(\d{1,3})(?![\d.,]*\s?(?:€|eur|\$|£|%))(?![.,]\d)/g)].map((m) => Number(m[1])).filter((q) => q >= 2 && q <= 500);
  for (const o of others) for (const q of quantities) if (near(amount.value, o * q)) return true;
  // A share of another amount: instalments ("1 490 € en 4 fois : 372,50 €") or a unit price derived
  // from a right package price ("10 lessons at €45 is €450").
  const instalments = INSTALMENT_WORDS.test(folded);
  for (const o of others) {
    const rightPackage = expected.some((e) => near(o, e));
    if (instalments || rightPackage) for (const q of quantities) if (near(amount.value * q, o)) return true;
  }
  for (const p of percents) for (const base of [...others, ...expected]) if (near(amount.value, base * p) || near(amount.value, base * (1 - p))) return true;
  return false;
}

// What makes an amount a unit price: "€25 per day", "21 £ each", "4,50 € la pièce", "$129/hr", "x 3".
const PER_UNIT_AFTER = /^\s*(?:\/\s?[a-z]+|per\b|each\b|a head\b|apiece\b|pp\b|par\b|la piece\b|piece\b|l'unite\b|a l'unite\b|le kilo\b|la boite\b|la nuit\b|a night\b|an hour\b|a day\b|a week\b|a month\b|[x×*]\s?\d)/;
const TOTAL_BEFORE = /(?:=|soit|total|au total|en tout|ca (?:vous )?fait|ca fera|that'?s|that comes to|comes to|coming to|makes|altogether|in total|which is|ce qui fait|ce qui donne|donc)\W{0,3}$/;

/**
 * A total the message computes itself, wrongly: "10 x 52 € = 502 €", "£68 per person, so for your 80
 * guests that's £544". Only where the message shows its arithmetic (an "=" before the total, or a unit
 * price and a quantity): the total must then be a product or sum of the amounts and quantities before it.
 */
function wrongTotals(folded: string, amounts: Amount[], percents: readonly number[], lang: GuardLang): GuardFinding[] {
  const out: GuardFinding[] = [];
  if (amounts.length < 2) return out;
  for (const total of amounts) {
    const lead = folded.slice(Math.max(0, total.start - 30), total.start);
    if (!TOTAL_BEFORE.test(lead)) continue;
    const windowStart = Math.max(0, total.start - 160);
    const prior = amounts.filter((a) => a !== total && a.end <= total.start && a.start >= windowStart && a.currency === total.currency);
    if (prior.length === 0) continue;
    const perUnit = prior.filter((a) => PER_UNIT_AFTER.test(folded.slice(a.end, a.end + 14)) || /[x×*]\s?$/.test(folded.slice(Math.max(0, a.start - 4), a.start)));
    // "2 vaccins à 58 €, soit 106 €", "4 hours at £18, £81 total": a count before a price shows the product.
    const counted = prior.some((a) => /(?:^|[^\d.,])(?:[2-9]|\d{2,3})\s+[\p{L}'’-]+(?:\s+[\p{L}'’-]+){0,4}\s+(?:a|à|at|@|de|for|pour)\s*$/u.test(folded.slice(Math.max(0, a.start - 50), a.start)));
    const explicit = /=\s*$/.test(lead);
    if (!explicit && perUnit.length === 0 && !counted) continue;
    const region = folded.slice(windowStart, total.end + 40);
    const quantities = [1];
    for (const m of region.matchAll(/(?<![\d.,:h/])(\d{1,4}(?:[.,]\d{1,2})?)(?![\d:])(?!\s?(?:€|eur|\$|£|chf|%|h\d))/g)) {
      const at = windowStart + m.index;
      if (amounts.some((a) => at >= a.start && at < a.end)) continue;
      const q = Number(m[1]!.replace(',', '.'));
      if (q > 0 && q <= 1000) quantities.push(q);
    }
    for (const m of region.matchAll(/\b([a-z]+)\b/g)) if (NUMBER_WORDS[m[1]!] !== undefined) quantities.push(NUMBER_WORDS[m[1]!]!);
    const values = prior.slice(-12).map((a) => a.value);
    // Any sum of the amounts before it (a breakdown that lists unit prices next to line totals).
    const candidates: number[] = [];
    for (let mask = 1; mask < 1 << values.length; mask++) {
      let sum = 0;
      for (let i = 0; i < values.length; i++) if (mask & (1 << i)) sum += values[i]!;
      candidates.push(sum);
    }
    for (const v of values) for (const q of quantities) candidates.push(v * q);
    for (const v of values) for (const w of values) if (v !== w) for (const q of quantities) candidates.push(v * q + w);
    for (const q of quantities) candidates.push(values.reduce((x, y) => x + y, 0) * q);
    const close = (v: number, t: number): boolean => Math.abs(v - t) <= Math.max(0.011, t * 0.005);
    if (candidates.some((c) => close(total.value, c))) continue;
    // Discounts and taxes the message applies: accept the same candidates adjusted.
    if (candidates.some((c) => percents.some((p) => close(total.value, c * (1 - p)) || close(total.value, c * (1 + p)))) || (TAX_WORDS.test(folded) && candidates.some((c) => VAT_RATES.some((r) => close(total.value, c * r))))) continue;
    out.push({
      kind: 'price.mismatch',
      category: 'price',
      severity: 'warn',
      start: total.start,
      end: total.end,
      ...localized('price.total', lang),
    });
  }
  return out;
}

function priceFinding(amount: Amount, key: MessageKey, lang: GuardLang, item: string, expected: number, currency: string): GuardFinding {
  const formatted = formatPrice(expected, currency, lang);
  return {
    kind: 'price.mismatch',
    category: 'price',
    severity: 'warn',
    start: amount.start,
    end: amount.end,
    ...localized(key, lang, { item, expected: formatted }),
    suggestion: formatted,
  };
}
