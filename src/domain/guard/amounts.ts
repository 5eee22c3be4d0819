// Money amounts in the forms people actually type in French and English:
// "1 000,00 €", "1.000 €", "€1,000", "1000 EUR", "1k€", "12,50€", "$12.50", "£9.99", "15 euros".

export interface Amount {
  value: number;
  currency: string;
  start: number;
  end: number;
  /** The digits as written (no separators), used to spot swapped digits / misplaced decimals. */
  raw: string;
}

const CURRENCY_WORDS: Record<string, string> = {
  '€': 'EUR',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  $: 'USD',
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  '£': 'GBP',
  gbp: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
  chf: 'CHF',
};

const NUM = '\\d{1,3}(?:[ \\u00a0\\u202f.,\u2019\']\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?';
const SYMBOL_AFTER = '€|eur\\b|euros?\\b|\\$|usd\\b|dollars?\\b|£|gbp\\b|pounds?\\b|chf\\b';
const AMOUNT_RE = new RegExp(
  `(?<![\\p{L}\\d.,])(?:(?<pre>[€$£])\\s?(?<n1>${NUM})(?<k1>\\s?[kK](?![\\p{L}]))?|(?<n2>${NUM})(?<k2>\\s?[kK])?\\s?(?<post>${SYMBOL_AFTER})(?:\\s?(?<cents>\\d{2})(?!\\d))?)`,
  'giu',
);

/** "1 000,00" → 1000, "1.000" → 1000, "1,000.50" → 1000.5, "12,5" → 12.5. */
export function parseNumber(s: string): number | undefined {
  const compact = s.replace(/[ \u00a0\u202f\u2019']/g, '');
  const lastSep = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  if (lastSep < 0) return Number(compact);
  const decimals = compact.length - lastSep - 1;
  // Exactly three digits after the last separator: a thousands group, whatever the separator.
  if (decimals === 3) return Number(compact.replace(/[.,]/g, ''));
  const intPart = compact.slice(0, lastSep).replace(/[.,]/g, '');
  const value = Number(`${intPart}.${compact.slice(lastSep + 1)}`);
  return Number.isFinite(value) ? value : undefined;
}

export function findAmounts(text: string): Amount[] {
  const out: Amount[] = [];
  for (const m of text.matchAll(AMOUNT_RE)) {
    const g = m.groups ?? {};
    const numText = g.n1 ?? g.n2;
    if (!numText) continue;
    let value = parseNumber(numText);
    if (value === undefined || !Number.isFinite(value)) continue;
    if (g.k1 || g.k2) value *= 1000;
    // "15 euros 50": cents after the currency word.
    if (g.cents && g.post && /euro/i.test(g.post) && !/[.,]/.test(numText)) value += Number(g.cents) / 100;
    const symbol = (g.pre ?? g.post ?? '').toLowerCase();
    const currency = CURRENCY_WORDS[symbol] ?? 'EUR';
    out.push({
      value: Math.round(value * 100) / 100,
      currency,
      start: m.index,
      end: m.index + m[0].length,
      raw: numText.replace(/[^\d]/g, ''),
    });
  }
  return out;
}
