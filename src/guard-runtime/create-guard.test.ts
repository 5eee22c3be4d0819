import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from './create-guard.ts';
import { loadHunspellSpeller, type HunspellSpeller } from './hunspell-speller.ts';

describe('Hunspell through WebAssembly', () => {
  let speller: HunspellSpeller;
  const handlers = { before: 0, after: 0 };
  beforeAll(async () => {
    handlers.before = process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
    speller = await loadHunspellSpeller();
    handlers.after = process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
  });
  afterAll(() => speller.dispose());

  it('leaves no process-wide error handler behind (the Emscripten build adds one that rethrows)', () => {
    expect(handlers.after).toBe(handlers.before);
  });

  it('checks French and English (US and UK spellings) offline from node_modules', () => {
    expect(speller.isCorrect('aujourd’hui', 'fr')).toBe(true);
    expect(speller.isCorrect("l'adresse", 'fr')).toBe(true);
    expect(speller.isCorrect('disponnible', 'fr')).toBe(false);
    expect(speller.isCorrect('colour', 'en')).toBe(true);
    expect(speller.isCorrect('color', 'en')).toBe(true);
    expect(speller.isCorrect('recieve', 'en')).toBe(false);
  });
  it('suggests corrections quickly', () => {
    const started = performance.now();
    expect(speller.suggest('disponnible', 'fr')[0]).toBe('disponible');
    expect(speller.suggest('recieve', 'en')).toContain('receive');
    expect(speller.suggest('bientot', 'fr')[0]).toBe('bientôt');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('createGuard', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await createGuard({ defaultRegion: 'FR' });
  });
  afterAll(() => guard.dispose());

  it('is ready well under the 500 ms bar', () => {
    expect(guard.readyMs).toBeLessThan(2000); // generous for loaded CI machines; the benchmark measures the bar
  });
  it('runs every check with real dictionaries and decides a verdict', () => {
    const input = {
      text: 'Bonjour Paul, la révision complète est à 1 890 €. La voitur sera prête demain. Carte 4570 6398 3536 0279.',
      recipient: { name: 'Paul Martin' },
      catalog: [{ name: 'Révision complète', price: 189 }],
    };
    const decision = guard.decide(input);
    expect(decision.findings.map((f) => f.kind)).toEqual(['price.mismatch', 'spelling.word', 'pii.card']);
    expect(decision.findings[1]?.suggestion).toBe('voiture');
    expect(decision.verdict).toBe('block');
  });
  it('does not flag names, catalogue names, URLs or abbreviations as spelling', () => {
    const findings = guard.check({
      text: 'Bonjour Mme Kowalczyk, votre Lampe Opaline est expédiée, suivi sur https://maisonlumiere.fr/suivi, RDV SAV jeudi. Cdlt, Léa',
      recipient: { name: 'Anna Kowalczyk' },
      agent: { name: 'Léa Rousseau' },
      catalog: [{ name: 'Lampe Opaline', price: 129 }],
    });
    expect(findings).toEqual([]);
  });
});
