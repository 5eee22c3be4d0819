import { describe, expect, it } from 'vitest';
import { applyAllowList, entryApplies, foldPhrase } from './allowlist.ts';
import type { GuardFinding } from './types.ts';

const finding = (text: string, phrase: string, kind: GuardFinding['kind'], from = 0): GuardFinding => {
  const start = text.indexOf(phrase, from);
  return { kind, category: kind.split('.')[0] as GuardFinding['category'], severity: 'warn', start, end: start + phrase.length, message: '' };
};

describe('foldPhrase', () => {
  it('ignores case, accents, typographic apostrophes, ligatures and spacing', () => {
    expect(foldPhrase('  Crème   BRÛLÉE ')).toBe('creme brulee');
    expect(foldPhrase('l’Œuf')).toBe("l'oeuf");
    expect(foldPhrase('Zoë\u00a0Saldaña')).toBe('zoe saldana');
    expect(foldPhrase('İstanbul')).toBe('istanbul');
  });
});

describe('entryApplies', () => {
  it('a kind entry applies to that kind only, a category entry to its kinds, an entry without either to all', () => {
    expect(entryApplies({ kind: 'tone.blaming' }, 'tone.blaming', 'tone')).toBe(true);
    expect(entryApplies({ kind: 'tone.blaming' }, 'tone.dismissive', 'tone')).toBe(false);
    expect(entryApplies({ category: 'tone' }, 'tone.dismissive', 'tone')).toBe(true);
    expect(entryApplies({ category: 'tone' }, 'spelling.word', 'spelling')).toBe(false);
    expect(entryApplies({}, 'pii.phone', 'pii')).toBe(true);
    expect(entryApplies({ kind: null, category: null }, 'pii.phone', 'pii')).toBe(true);
  });
});

describe('applyAllowList', () => {
  const text = 'Bonjour, votre UPDO est prêt. Ce n’est pas notre problème. Updo offert !';
  const updo = finding(text, 'UPDO', 'spelling.word');
  const updo2 = finding(text, 'Updo', 'spelling.word');
  const tone = finding(text, 'Ce n’est pas notre problème', 'tone.dismissive');

  it('answers the same array when there is nothing to drop', () => {
    const findings = [updo, tone];
    expect(applyAllowList(findings, text, undefined)).toBe(findings);
    expect(applyAllowList(findings, text, [])).toBe(findings);
    expect(applyAllowList(findings, text, [{ text: 'croissant' }])).toBe(findings);
  });

  it('drops a finding whose covered text equals an entry for its kind, folded', () => {
    const out = applyAllowList([updo, tone, updo2], text, [{ text: 'updo', kind: 'spelling.word' }]);
    expect(out).toEqual([tone]);
  });

  it('keeps a finding of another kind or category on the same phrase', () => {
    const out = applyAllowList([updo, tone], text, [{ text: 'updo', kind: 'tone.blaming' }, { text: 'ce n’est pas notre probleme', category: 'spelling' }]);
    expect(out).toEqual([updo, tone]);
  });

  it('a category entry covers every kind of the category; an entry without kind or category covers all', () => {
    expect(applyAllowList([updo, tone], text, [{ text: "Ce n'est pas notre PROBLEME", category: 'tone' }])).toEqual([updo]);
    expect(applyAllowList([updo, tone], text, [{ text: 'Updo' }])).toEqual([tone]);
  });

  it('needs the whole covered text, not a part of it', () => {
    expect(applyAllowList([tone], text, [{ text: 'problème', category: 'tone' }])).toEqual([tone]);
  });

  it('a glossary word also drops spelling findings on its elided form', () => {
    const elided = 'Voici l’updo du jour';
    const f = finding(elided, 'l’updo', 'spelling.word');
    expect(applyAllowList([f], elided, [{ text: 'updo', kind: 'spelling.word' }])).toEqual([]);
    // Only for spelling: another category keeps its exact-phrase rule.
    const t = { ...f, kind: 'tone.blaming' as const, category: 'tone' as const };
    expect(applyAllowList([t], elided, [{ text: 'updo', category: 'tone' }])).toEqual([t]);
  });

  it('ignores entries that fold to nothing', () => {
    expect(applyAllowList([updo], text, [{ text: '   ' }])).toEqual([updo]);
  });
});
