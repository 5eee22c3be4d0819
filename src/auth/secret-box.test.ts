import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('round-trips, never stores the clear text, and refuses a tampered ciphertext', () => {
    const box = SecretBox.random();
    const sealed = box.seal('EAAG-access-token');
    expect(sealed).not.toContain('EAAG');
    expect(box.open(sealed)).toBe('EAAG-access-token');
    expect(box.seal('same')).not.toBe(box.seal('same'));
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered)).toThrow();
    expect(() => SecretBox.random().open(sealed)).toThrow();
  });

  it('creates a private key file once and reuses it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-key-'));
    try {
      const sealed = SecretBox.load({}, dir).seal('x');
      const file = path.join(dir, 'secret.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const key = readFileSync(file, 'utf8');
      expect(SecretBox.load({}, dir).open(sealed)).toBe('x');
      expect(readFileSync(file, 'utf8')).toBe(key);
      expect(() => SecretBox.load({ ERRATA_SECRET_KEY: 'c2hvcnQ=' }, dir)).toThrow(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
