// Errata's own correction drafts (web/src/correction.ts) must pass the guard it ships: an apology that
// owns the mistake is not tone, its words are words, and it greets the right person. None of these
// drafts is in the training corpus, so this is a held-out check of the tone model on the very
// messages the product recommends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guard } from '../../src/guard-runtime/create-guard.ts';
import { createGuard } from '../../src/guard-runtime/create-guard.ts';
import { draftCorrection } from '../../web/src/correction.ts';
import { mistakeKinds as MISTAKE_KINDS } from '../../src/contracts/vocabulary.ts';

const FILLED = { fr: 'votre commande sera livrée jeudi', en: 'your order will arrive on Thursday' };

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 30_000);
afterAll(() => guard.dispose());

describe('correction drafts', () => {
  for (const language of ['fr', 'en'] as const) {
    it(`raise no tone, spelling or recipient warning (${language})`, () => {
      const flagged: string[] = [];
      for (const mistake of MISTAKE_KINDS) {
        for (const [deleted, reach, editedNotEverywhere] of [
          [true, 'all', false],
          [true, 'partial', false],
          [false, 'all', true],
          [false, 'all', false],
        ] as const) {
          // The agent fills the […] parts before sending (the composer refuses a draft with one left).
          const text = draftCorrection({ language, name: 'Claire Dubois', mistake, deleted, reach, editedNotEverywhere }).replace(/\[[^\]]*\]/g, FILLED[language]);
          for (const f of guard.check({ text, lang: language, recipient: { name: 'Claire Dubois' } })) {
            if (f.severity !== 'info' && f.category !== 'pii' && f.category !== 'price') flagged.push(`${mistake}/${deleted}/${reach}: ${f.kind} “${text.slice(f.start, f.end)}”`);
          }
        }
      }
      expect(flagged).toEqual([]);
    });
  }
});
