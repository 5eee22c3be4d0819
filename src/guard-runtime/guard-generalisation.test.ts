// The guard's second round (issue 10): classes of mistakes that a phrase list missed, written from the
// labelling conventions (../shared/guard-labelling.md), not from the code.
import { describe, expect, it } from 'vitest';
import { loadToneModel } from './tone-model-file.ts';
import { runGuard } from '../domain/guard/index.ts';
import { foldText } from '../domain/guard/text.ts';
import { sentenceFeatures, splitSentences } from '../domain/guard/tone-features.ts';
import { calmerWording } from '../domain/guard/tone-rewrite.ts';
import type { GuardCategory, GuardInput } from '../domain/guard/types.ts';

const toneModel = loadToneModel();
const flagged = (input: GuardInput, category: GuardCategory): boolean =>
  runGuard(input, { toneModel }).some((f) => f.category === category && f.severity !== 'info');

describe('tone', () => {
  it('every tone finding is a warning an agent sees, with or without the model', () => {
    for (const model of [toneModel, undefined]) {
      const findings = runGuard({ text: "Comme je vous l'ai déjà dit, c'est votre faute." }, { only: ['tone'], ...(model ? { toneModel: model } : {}) });
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) expect(f.severity).toBe('warn');
    }
  });
  it('leaves polite firmness, apologies about ourselves, enthusiasm and safety capitals alone', () => {
    for (const text of [
      'Nous ne pouvons malheureusement pas rembourser un article porté, mais un avoir est possible.',
      "C'est inadmissible de notre part, toutes nos excuses pour ce retard.",
      'JOYEUX ANNIVERSAIRE Léa !!! 🎉',
      'IMPORTANT : ne PAS manger 12 h avant l’anesthésie.',
      'Payment is due by Friday; after that a late fee of £10 applies.',
      "Ce n'est pas de votre faute, le transporteur s'est trompé d'adresse.",
    ]) {
      expect(flagged({ text }, 'tone'), text).toBe(false);
    }
  });
  it('finds each flagged span a calmer wording where one can be built, in the message language', () => {
    expect(calmerWording("Comme je vous l'ai déjà dit deux fois, la livraison est le mardi.", 'fr')).toBe('Pour rappel, la livraison est le mardi.');
    expect(calmerWording('As I already told you, the deposit is non-refundable.', 'en')).toBe('Just to recap, the deposit is non-refundable.');
    expect(calmerWording('PLEASE READ THE TERMS BEFORE BOOKING!!!', 'en')).toBe('Please read the terms before booking.');
    expect(calmerWording('Your order ships on Monday.', 'en')).toBeUndefined();
    const [finding] = runGuard({ text: "Comme je vous l'ai déjà dit, c'est votre faute." }, { only: ['tone'], toneModel });
    expect(finding?.suggestion).toBeDefined();
  });
  it('splits sentences at . ! ? and line breaks, keeping "M. Dupont" whole', () => {
    const text = 'Bonjour M. Dupont. Vous savez lire ?\nMerci';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['Bonjour M. Dupont.', 'Vous savez lire ?', 'Merci']);
  });
  it('gives the same features for the same sentence (training and inference agree)', () => {
    const text = 'Did you even read the email?';
    const a = sentenceFeatures(text, foldText(text), { start: 0, end: text.length });
    const b = sentenceFeatures(text, foldText(text), { start: 0, end: text.length });
    expect(a).toEqual(b);
    expect(a.index.length).toBeGreaterThan(10);
  });
});

describe('pii', () => {
  it('counts numbers in ranges reserved for fiction and unallocated ranges as phone numbers', () => {
    expect(flagged({ text: 'Le voisin est joignable au 06 39 98 12 34.', region: 'FR' }, 'pii')).toBe(true);
    expect(flagged({ text: 'Her mobile is 07700 900123 if you need her.', region: 'GB' }, 'pii')).toBe(true);
    expect(flagged({ text: 'The previous owner is on (212) 555-0142.', region: 'US' }, 'pii')).toBe(true);
  });
});

describe('price', () => {
  const catalog = [
    { name: 'Fraisier', price: 28, currency: 'EUR' },
    { name: 'Brushing', price: 25, currency: 'EUR' },
    { name: 'Lissage brésilien', price: 180, currency: 'EUR' },
  ];
  const price = (text: string): boolean => flagged({ text, catalog, region: 'FR' }, 'price');
  it('ties an amount to the item named just before through a pronoun', () => {
    expect(price('Le fraisier ? Il est à 2,80 €.')).toBe(true);
    expect(price('Le fraisier ? Il est à 28 €.')).toBe(false);
    expect(price('Pour le fraisier, comptez 82 €.')).toBe(true);
  });
  it('accepts arithmetic the message spells out, deposits as a percentage and several right prices', () => {
    expect(price('Fraisier 28 € + brushing 25 € = 53 €.')).toBe(false);
    expect(price('3 brushings x 25 € = 75 €')).toBe(false);
    expect(price('Lissage brésilien : acompte de 30 %, soit 54 €.')).toBe(false);
    expect(price('Le fraisier est à 28 € et le brushing à 25 €.')).toBe(false);
  });
  it('still flags a wrong unit price inside spelled-out arithmetic', () => {
    expect(price('3 brushings à 2,50 € = 7,50 €')).toBe(true);
  });
});

describe('recipient', () => {
  const base = { recipient: { name: 'Claire Dubois' }, business: { staff: ['Julie Petit', 'Marc Leroy'] }, agent: { name: 'Marc Leroy' }, otherContacts: [{ name: 'Hélène Girard' }] };
  const recipient = (text: string): boolean => flagged({ text, region: 'FR', ...base }, 'recipient');
  it('sees a note to a colleague that opens on their first name and talks about the customer', () => {
    expect(recipient("Julie, she's been waiting since Monday, can you call her back?")).toBe(true);
    expect(recipient('Sophie, elle attend depuis lundi, tu peux la rappeler ?')).toBe(true);
  });
  it('does not take an opening word or a third party named on purpose for a wrong recipient', () => {
    expect(recipient('Parfait, elle sera prête demain.')).toBe(false);
    expect(recipient('Bonjour Claire, votre voisine Mme Girard a déposé le colis.')).toBe(false);
    expect(recipient('Bonjour Claire, Mme Girard vous attend.')).toBe(true);
  });
});

describe('tone on very short messages', () => {
  it('does not judge two or three plain words, but still knows a dismissive closer', () => {
    for (const text of ['Pas lu', 'Pas encore', 'Not yet', 'Lu avant suppression', 'Done']) expect(flagged({ text }, 'tone'), text).toBe(false);
    expect(flagged({ text: 'Whatever.' }, 'tone')).toBe(true);
  });
});
