/**
 * Text PostgreSQL cannot store faithfully. A NUL character (U+0000) is refused by PostgreSQL in
 * `text` and `jsonb`; a lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8 form and would be
 * stored as a replacement character, i.e. not what was sent. Pure: no I/O.
 */
export type UnsafeTextReason = 'nul_character' | 'lone_surrogate';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unsafeTextReason(text: string): UnsafeTextReason | null {
  if (text.includes('\u0000')) return 'nul_character';
  if (LONE_SURROGATE.test(text)) return 'lone_surrogate';
  return null;
}

/**
 * The first string (value or object key) in a parsed JSON value, query or params object that
 * cannot be stored, with where it is (`a.b.0`), or null. Depth is bounded by the JSON parser.
 */
export function findUnsafeText(value: unknown, path: string[] = []): { path: string; reason: UnsafeTextReason } | null {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason ? { path: path.join('.'), reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) return { path: [...path, key.replaceAll('\u0000', '\\u0000')].join('.'), reason: keyReason };
      const found = findUnsafeText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** What stands in for a NUL in a customer's text we must keep (webhooks): the Unicode replacement character. */
export const NUL_REPLACEMENT = '\uFFFD';

/**
 * A copy of a parsed JSON value with every NUL (in values and keys) replaced by U+FFFD, and the
 * same value when there is none. For deliveries we must not lose: a customer's text with a NUL.
 */
export function replaceNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', NUL_REPLACEMENT) : value) as T;
  if (Array.isArray(value)) return value.map((item) => replaceNul(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[replaceNul(key)] = replaceNul(item);
    return out as T;
  }
  return value;
}

/**
 * Parses JSON text that may carry `\u0000` escapes (raw NUL bytes are not valid JSON), replacing
 * each NUL by U+FFFD. Text without the escape takes the plain `JSON.parse` path.
 */
export function parseJsonReplacingNul(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return text.includes('\\u0000') ? replaceNul(value) : value;
}
