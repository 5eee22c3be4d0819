// Checksums written here rather than pulled from a package: they are small, and the guard must
// decide on exactly these rules (digit strings failing their checksum are not findings).

/** IBAN length per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24,
  ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23,
  ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

// IBAN_LENGTHS by country letters (A = 0): one array read instead of a 2-character key per candidate.
const IBAN_LENGTH_BY_CODE = new Uint8Array(26 * 26);
for (const [country, length] of Object.entries(IBAN_LENGTHS)) IBAN_LENGTH_BY_CODE[(country.charCodeAt(0) - 65) * 26 + country.charCodeAt(1) - 65] = length;
// The compact form of one candidate (an IBAN has at most 34 characters; a candidate at most 36).
const ibanBuffer = new Uint8Array(64);

/**
 * isValidIban on the prefix of the country's length of the compact, upper-cased form of
 * text[start, end) (its ASCII letters and digits), read in place; returns that length, or 0. A loose
 * candidate may run into the next word, so only the country's length can be valid.
 */
export function validIbanLengthAt(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end && count < ibanBuffer.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) ibanBuffer[count++] = c;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) ibanBuffer[count++] = c & ~0x20;
  }
  if (count < 4) return 0;
  const a = ibanBuffer[0]! - 65;
  const b = ibanBuffer[1]! - 65;
  if (a < 0 || a > 25 || b < 0 || b > 25) return 0;
  const length = IBAN_LENGTH_BY_CODE[a * 26 + b]!;
  if (length === 0 || count < length || !isDigitByte(ibanBuffer[2]!) || !isDigitByte(ibanBuffer[3]!)) return 0;
  // Rearranged (BBAN then country and check digits), letters as 10..35, reduced mod 97 as it is read.
  let rem = 0;
  for (let k = 0; k < length; k++) {
    const c = ibanBuffer[(k + 4) % length]!;
    rem = c >= 65 ? (rem * 100 + (c - 55)) % 97 : (rem * 10 + (c - 48)) % 97;
  }
  return rem === 1 ? length : 0;
}

/**
 * Whether `iban` (as written: spaces, dashes, any case) is the IBAN validIbanLengthAt just accepted
 * (its compact form, `length` characters), compared in place.
 */
export function isLastIban(iban: string, length: number): boolean {
  let k = 0;
  for (let i = 0; i < iban.length; i++) {
    const c = iban.charCodeAt(i);
    let upper: number;
    if (c >= 48 && c <= 57) upper = c;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) upper = c & ~0x20;
    else if (c === 43 /* + */) upper = c;
    else continue;
    if (k === length || ibanBuffer[k] !== upper) return false;
    k++;
  }
  return k === length;
}

function isDigitByte(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Remainder of a long decimal string modulo m, in chunks (no BigInt needed). */
function modDigits(digits: string, m: number): number {
  let rem = 0;
  for (let i = 0; i < digits.length; i += 7) {
    rem = Number(String(rem) + digits.slice(i, i + 7)) % m;
  }
  return rem;
}

/** `iban` without separators, upper-case. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  // Rearranged (BBAN then country and check digits), letters as 10..35, reduced mod 97 as it is read.
  let rem = 0;
  for (let k = 0; k < iban.length; k++) {
    const c = iban.charCodeAt((k + 4) % iban.length);
    rem = c >= 65 ? (rem * 100 + (c - 55)) % 97 : (rem * 10 + (c - 48)) % 97;
  }
  return rem === 1;
}

export function luhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnSumAt(digits, 0, digits.length) % 10 === 0;
}

export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'maestro';

/** Network from prefix and length; undefined when no known network issues such a number. */
export function cardNetwork(digits: string): CardNetwork | undefined {
  return networkFor(digits.length, digits[0] === '4', Number(digits.slice(0, 2)), Number(digits.slice(0, 3)), Number(digits.slice(0, 4)));
}

/** The network rules, from the digit count and the first one to four digits as numbers. */
function networkFor(n: number, visaPrefix: boolean, p2: number, p3: number, p4: number): CardNetwork | undefined {
  if (visaPrefix && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) && n >= 16 && n <= 19) return 'discover';
  if ((p2 === 36 || (p3 >= 300 && p3 <= 305) || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'diners';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
  return undefined;
}

/**
 * isValidCard for the ASCII digits of `text` between `start` and `end` (separators skipped), read in
 * place: the card check runs on every long digit run, and building the digit string, three prefix
 * substrings and a regex test cost more than the check. Needs at least 4 digits.
 */
export function isValidCardAt(text: string, start: number, end: number): boolean {
  let n = 0;
  let p4 = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (n < 4) p4 = p4 * 10 + (c - 48);
    n++;
  }
  if (n < 4 || networkFor(n, p4 >= 4000 && p4 < 5000, Math.floor(p4 / 100), Math.floor(p4 / 10), p4) === undefined) return false;
  return luhnSumAt(text, start, end) % 10 === 0;
}

/** The Luhn sum of the ASCII digits of `text` between `start` and `end`, from the last one (other units skipped). */
function luhnSumAt(text: string, start: number, end: number): number {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

export function isValidCard(digits: string): boolean {
  return cardNetwork(digits) !== undefined && luhnValid(digits);
}

/**
 * French NIR (numéro de sécurité sociale): 13 characters + 2-digit key, key = 97 − (n mod 97),
 * with Corsica's 2A/2B departments counted as 19/18. `nir` has no separators.
 */
export function isValidNir(nir: string): boolean {
  const m = /^([1-478])(\d{2})(\d{2})(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})$/i.exec(nir);
  if (!m) return false;
  const month = Number(m[3]);
  // Months 01-12, 20 and 30-42 / 50-99 are used for unknown or special registrations.
  if (month === 0 || (month > 12 && month < 20) || (month > 20 && month < 30) || (month > 42 && month < 50)) return false;
  const dept = m[4]!.toUpperCase();
  const deptDigits = dept === '2A' ? '19' : dept === '2B' ? '18' : dept;
  const body = `${m[1]}${m[2]}${m[3]}${deptDigits}${m[5]}${m[6]}`;
  const key = Number(m[7]);
  return key >= 1 && key <= 97 && 97 - modDigits(body, 97) === key;
}
