import { randomBytes, randomInt } from 'node:crypto';

/** The secret in an invitation or password-reset link: 256 random bits; only its hash is stored. */
export function newLinkToken(kind: 'invitation' | 'password_reset'): string {
  return `${kind === 'invitation' ? 'eri' : 'erp'}_${randomBytes(32).toString('base64url')}`;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten recovery codes like `k7mq-x2pd-9fha` (about 62 bits each), shown once. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('')).join('-'),
  );
}

/** How a typed recovery code is compared: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}
