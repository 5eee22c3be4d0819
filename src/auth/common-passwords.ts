import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

/**
 * The 49 233 most common passwords of zxcvbn-ts's "common" dictionary (an npm package: nothing
 * is downloaded at run time), lower-cased, loaded on first use.
 */
export function isCommonPassword(lowercase: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as readonly string[]).map((p) => String(p).toLowerCase()));
  return common.has(lowercase);
}
