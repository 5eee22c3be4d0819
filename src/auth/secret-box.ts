import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Channel secrets (access tokens, app secrets, API keys) are stored encrypted with AES-256-GCM.
 * The key comes from ERRATA_SECRET_KEY (32 bytes, base64) or, for the embedded setup, from a key
 * file created once in the data directory (mode 600). Ciphertexts carry a version prefix so the
 * scheme can change later.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(base64: string): SecretBox {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new Error('ERRATA_SECRET_KEY must be 32 bytes, base64-encoded');
    return new SecretBox(key);
  }

  /** The key from the environment, else the data directory's key file (created on first use). */
  static load(env: NodeJS.ProcessEnv, dataDir: string): SecretBox {
    if (env.ERRATA_SECRET_KEY) return SecretBox.fromKey(env.ERRATA_SECRET_KEY);
    const file = path.join(dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    return SecretBox.fromKey(readFileSync(file, 'utf8').trim());
  }

  static random(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
