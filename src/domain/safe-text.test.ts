import { describe, expect, it } from 'vitest';
import { findUnsafeText, parseJsonReplacingNul, replaceNul, unsafeTextReason } from './safe-text.ts';

describe('text PostgreSQL cannot store', () => {
  it('names NUL and lone surrogates, accepts everything else (emoji pairs included)', () => {
    expect(unsafeTextReason('a\u0000b')).toBe('nul_character');
    expect(unsafeTextReason('\ud800')).toBe('lone_surrogate');
    expect(unsafeTextReason('x\udc00')).toBe('lone_surrogate');
    expect(unsafeTextReason('Bonjour 👋 é \u0001')).toBeNull();
  });

  it('finds the first unsafe string in values and keys, with its path', () => {
    expect(findUnsafeText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({ path: 'a.1.c', reason: 'nul_character' });
    expect(findUnsafeText({ kinds: { 'tone\u0000': 'warn' } })).toEqual({ path: 'kinds.tone\\u0000', reason: 'nul_character' });
    expect(findUnsafeText({ a: 1, b: null, c: ['ok', true] })).toBeNull();
    expect(findUnsafeText(undefined)).toBeNull();
  });

  it('replaces NUL in a delivery we must keep, and leaves other values as they are', () => {
    expect(replaceNul({ text: { body: 'a\u0000b' }, 'k\u0000': [1, 'c\u0000'] })).toEqual({ text: { body: 'a\uFFFDb' }, 'k\uFFFD': [1, 'c\uFFFD'] });
    const clean = { a: 'b' };
    expect(parseJsonReplacingNul(JSON.stringify(clean))).toEqual(clean);
    expect(parseJsonReplacingNul('{"t":"x\\u0000y"}')).toEqual({ t: 'x\uFFFDy' });
    // An escaped backslash followed by "u0000" is not a NUL.
    expect(parseJsonReplacingNul('{"t":"\\\\u0000"}')).toEqual({ t: '\\u0000' });
  });
});
