import { describe, expect, it } from 'vitest';
import { newRecoveryCodes, normaliseRecoveryCode } from './one-time-secrets.ts';
import { newTotpSecret, totpCode, totpStep, totpUrl } from './totp.ts';

// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" (base32 below); we use 6 digits,
// the last six of the RFC's eight.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vectors', () => {
    const vectors: [number, string][] = [
      [59, '287082'],
      [1_111_111_109, '081804'],
      [1_111_111_111, '050471'],
      [1_234_567_890, '005924'],
      [2_000_000_000, '279037'],
    ];
    for (const [seconds, code] of vectors) {
      const at = new Date(seconds * 1000);
      expect(totpCode(RFC_SECRET, at)).toBe(code);
      expect(totpStep(RFC_SECRET, code, at)).toBe(Math.floor(seconds / 30));
    }
  });

  it('accepts one step of drift either way, not two; refuses anything but six digits', () => {
    const at = new Date(1_234_567_890 * 1000);
    const step = Math.floor(1_234_567_890 / 30);
    expect(totpStep(RFC_SECRET, '005924', new Date(at.getTime() + 30_000))).toBe(step);
    expect(totpStep(RFC_SECRET, '005924', new Date(at.getTime() - 30_000))).toBe(step);
    expect(totpStep(RFC_SECRET, '005924', new Date(at.getTime() + 60_000))).toBeNull();
    for (const bad of ['5924', '0059240', 'abcdef', '']) expect(totpStep(RFC_SECRET, bad, at)).toBeNull();
  });

  it('new secrets are 160 bits in base32; the URL carries the account and issuer', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(totpUrl(secret, 'ada@example.fr', 'Errata (Maison Lumière)'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Errata (Maison Lumière)');
    expect(decodeURIComponent(url.pathname)).toContain('ada@example.fr');
  });

  it('recovery codes: ten distinct, typed in any case with or without dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normaliseRecoveryCode(' K7MQ-x2pd 9fha ')).toBe('k7mqx2pd9fha');
  });
});
