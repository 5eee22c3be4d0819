// The `redact-pii` package as a PII baseline. It returns redacted text only, so spans are recovered
// by aligning the literal pieces of its output with the original message.

import { SyncRedactor } from 'redact-pii';
import type { Span } from './corpus.ts';

const MARK = '\u0000';

export function createBaselineRedactor(): SyncRedactor {
  // Only what PRODUCT.md §5 calls pii; names, URLs, bare digits, IPs and ZIP codes are turned off.
  const on = { enabled: true };
  const off = { enabled: false };
  return new SyncRedactor({
    globalReplaceWith: MARK,
    builtInRedactors: {
      names: off,
      url: off,
      digits: off,
      ipAddress: off,
      zipcode: off,
      creditCardNumber: on,
      emailAddress: on,
      phoneNumber: on,
      streetAddress: on,
      usSocialSecurityNumber: on,
      username: on,
      password: on,
      credentials: on,
    },
  });
}

export function baselineSpans(original: string, redacted: string): Span[] {
  const pieces = redacted.split(MARK);
  const spans: Span[] = [];
  let cursor = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const at = i === 0 ? 0 : piece.length === 0 ? (i === pieces.length - 1 ? original.length : cursor) : original.indexOf(piece, cursor + 1);
    if (i > 0 && at > cursor) spans.push({ start: cursor, end: at, category: 'pii' });
    cursor = (at < 0 ? cursor : at) + piece.length;
  }
  return spans;
}
