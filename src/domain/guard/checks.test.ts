import { describe, expect, it } from 'vitest';
import { cardNetwork, decideVerdict, defaultGuardPolicy, findAmounts, isValidIban, isValidNir, luhnValid, runGuard } from './index.ts';
import type { GuardFinding, GuardInput, Speller } from './types.ts';

const kinds = (findings: GuardFinding[]): string[] => findings.map((f) => f.kind);
const spanText = (input: GuardInput, f: GuardFinding): string => input.text.slice(f.start, f.end);

describe('checksums', () => {
  it('validates IBAN mod-97 and country length', () => {
    expect(isValidIban('FR7230006000080619514469692')).toBe(true);
    expect(isValidIban('FR7230006000080619514469693')).toBe(false);
    expect(isValidIban('FR723000600008061951446969')).toBe(false); // one character short for FR
    expect(isValidIban('GB63NWBK60161372038714')).toBe(true);
  });
  it('validates Luhn with known prefixes and lengths', () => {
    expect(luhnValid('4570639835360279')).toBe(true);
    expect(luhnValid('4570639835360278')).toBe(false);
    expect(cardNetwork('373568180502218')).toBe('amex');
    expect(cardNetwork('9570639835360279')).toBeUndefined();
  });
  it('validates the NIR key, with 2A/2B as 19/18', () => {
    expect(isValidNir('224104458852102')).toBe(true);
    expect(isValidNir('224104458852103')).toBe(false);
    expect(isValidNir('254022A29479757')).toBe(true);
    expect(isValidNir('270112B34192936')).toBe(true);
  });
});

describe('pii', () => {
  const business = { phones: ['04 78 12 34 56'], emails: ['contact@boulangerie-martin.fr'], ibans: ['FR22 3000 6000 0811 7555 4966 551'], addresses: ['12 rue de la République, 69002 Lyon'] };
  const pii = (text: string, extra: Partial<GuardInput> = {}): GuardFinding[] => runGuard({ text, business, ...extra }, { only: ['pii'], defaultRegion: 'FR' });

  it('finds a third party phone split by spaces, dots or dashes, with exact offsets', () => {
    for (const phone of ['06 71 84 22 90', '06.71.84.22.90', '06-71-84-22-90', '+33 6 71 84 22 90']) {
      const text = `Son numéro : ${phone}, merci.`;
      const found = pii(text);
      expect(kinds(found)).toEqual(['pii.phone']);
      expect(text.slice(found[0]!.start, found[0]!.end)).toBe(phone);
    }
  });
  it('skips the business and recipient numbers, order numbers, SIRET and free phones', () => {
    expect(pii('Appelez-nous au 04 78 12 34 56.')).toEqual([]);
    expect(pii('On vous rappelle au 07 81 23 45 67.', { recipient: { phone: '+33781234567' } })).toEqual([]);
    expect(pii('Votre commande n° 0612345678 est prête.')).toEqual([]);
    expect(pii('SIRET 732 829 320 00074, SIREN 732 829 320.')).toEqual([]);
    expect(pii('Service client gratuit : 0800 123 456.')).toEqual([]);
    expect(pii('Rendez-vous le 12.03.2025 à 14h30, total 1 250,00 €.')).toEqual([]);
  });
  it('finds valid IBANs, not the business one nor checksum failures', () => {
    expect(kinds(pii('RIB du voisin : FR72 3000 6000 0806 1951 4469 692'))).toEqual(['pii.iban']);
    expect(pii('Notre IBAN : FR22 3000 6000 0811 7555 4966 551')).toEqual([]);
    expect(pii('Référence GB12 3456 7890 1234 5678 90')).toEqual([]);
  });
  it('finds Luhn-valid cards but not failing numbers or masked cards', () => {
    const text = 'La carte 4570 6398 3536 0279 exp 08/27';
    const found = pii(text);
    expect(kinds(found)).toEqual(['pii.card']);
    expect(found[0]!.severity).toBe('block');
    expect(spanText({ text }, found[0]!)).toBe('4570 6398 3536 0279');
    expect(pii('Commande 4570 6398 3536 0278 en préparation')).toEqual([]);
    expect(pii('Carte se terminant par **** **** **** 0279')).toEqual([]);
  });
  it('finds a NIR with a valid key only', () => {
    expect(kinds(pii('NIR : 2 24 10 44 588 521 02'))).toEqual(['pii.nir']);
    expect(pii('Dossier 2 24 10 44 588 521 03')).toEqual([]);
  });
  it('finds personal emails, not the business domain, role addresses or the recipient', () => {
    expect(kinds(pii('Écrivez à benoit.ruiz@gmail.com'))).toEqual(['pii.email']);
    expect(pii('Écrivez à julie@boulangerie-martin.fr ou sav@fnac.com')).toEqual([]);
    expect(pii('Confirmé : agnes@gmail.com', { recipient: { email: 'Agnes@gmail.com' } })).toEqual([]);
  });
  it('finds addresses of a person in FR, UK and US shapes, not the business premises', () => {
    expect(kinds(pii('Elle habite au 7 allée des Cerisiers, 33600 Pessac.'))).toEqual(['pii.address']);
    expect(kinds(pii('He lives at 18 Elm Grove, Leeds LS6 2AQ.', { region: 'GB' }))).toEqual(['pii.address']);
    expect(kinds(pii('He lives at 742 Evergreen Terrace, Springfield, IL 62704.', { region: 'US' }))).toEqual(['pii.address']);
    expect(pii('Passez à la boutique, 12 rue de la République.')).toEqual([]);
    expect(pii('Our workshop, 3 Canal Road, opens at 8.', { region: 'GB' })).toEqual([]);
  });
  it('finds a plain-word password given after a colon, and a value after "est :" further on', () => {
    const found = pii('Le mot de passe de la box que vous avez laissée au salon est : soleil44. Et le wifi : password: bluebell');
    expect(found.map((f) => f.kind)).toEqual(['pii.credential', 'pii.credential']);
  });
  it('skips venues, hotels and catalogue listings as addresses, and serial numbers as phones', () => {
    expect(pii('Le cocktail a lieu à la salle des fêtes, 2 place de la Mairie.')).toEqual([]);
    expect(pii("L'hôtel est au 14 rue Sidi Bouloukat, Marrakech.")).toEqual([]);
    expect(pii('La visite a lieu au 15 rue Talensac.', { catalog: [{ name: 'Appartement T2 Talensac', price: 185000 }] })).toEqual([]);
    expect(pii('Le numéro de série de votre boîte de vitesses est le 0645129834.')).toEqual([]);
    expect(kinds(pii('Her mobile is +44 (0)7911 123456.', { region: 'GB' }))).toEqual(['pii.phone']);
  });
  it('finds passwords and API keys, not password-reset wording or links', () => {
    const text = 'Le mot de passe du portail client est Garage2024! à changer.';
    const found = pii(text);
    expect(found.map((f) => spanText({ text }, f))).toEqual(['Garage2024!']);
    expect(kinds(pii('API key: AKIAIOSFODNN7EXAMPLE'))).toEqual(['pii.credential']);
    expect(pii('Mot de passe oublié ? Cliquez sur « mot de passe oublié ».')).toEqual([]);
    expect(pii('Suivi : https://shop.fr/suivi?id=A7Z9X&token=f83kd92')).toEqual([]);
  });
});

describe('price', () => {
  const catalog = [
    { name: 'Croissant au beurre', price: 1.2, currency: 'EUR' },
    { name: 'Révision complète', price: 189, currency: 'EUR' },
    { name: 'Oak coffee table', price: 349, currency: 'GBP' },
    { name: 'Pièce montée', price: null },
  ];
  const price = (text: string, extra: Partial<GuardInput> = {}): GuardFinding[] => runGuard({ text, catalog, ...extra }, { only: ['price'] });

  it('parses amounts in common FR/EN forms', () => {
    const values = (t: string): number[] => findAmounts(t).map((a) => a.value);
    expect(values('1 000,00 €')).toEqual([1000]);
    expect(values('1.000 €')).toEqual([1000]);
    expect(values('€1,000')).toEqual([1000]);
    expect(values('1000 EUR')).toEqual([1000]);
    expect(values('1k€')).toEqual([1000]);
    expect(values('£34.90')).toEqual([34.9]);
    expect(values('15 euros 50')).toEqual([15.5]);
  });
  it('flags ×10, ÷10, misplaced decimal and swapped digits with the catalogue price as suggestion', () => {
    const text = 'La révision complète est à 1 890 €.';
    const [f] = price(text);
    expect(f?.kind).toBe('price.mismatch');
    expect(text.slice(f!.start, f!.end)).toBe('1 890 €');
    expect(f?.suggestion).toBe('189 €');
    expect(f?.message).toContain('zéro');
    expect(price('The oak coffee table is £34.90.', { lang: 'en' })).toHaveLength(1);
    expect(price('La révision complète est à 198 €.')[0]?.message).toContain('inversés');
    expect(price('Le croissant au beurre est à 12,00 €.')).toHaveLength(1);
  });
  it('accepts odd formats, quantity totals, explained discounts, fees and unknown items', () => {
    expect(price('La révision complète : 189,00€ TTC.')).toEqual([]);
    expect(price('3 croissants au beurre = 3,60 €.')).toEqual([]);
    expect(price('The oak coffee table is down to £279 in our sale, 20% off.', { lang: 'en' })).toEqual([]);
    expect(price('Révision complète 189 €, plus 35 € de main d’œuvre.')).toEqual([]);
    expect(price('La pièce montée est à 450 €, le pain de mie à 3 €.')).toEqual([]);
  });
  it('compares a restated quote with the earlier one', () => {
    const history = [{ from: 'business' as const, text: 'Le devis carrosserie s’élève à 1 540 € TTC.' }];
    expect(price('Comme convenu, le devis est de 1 450 € TTC.', { history })).toHaveLength(1);
    expect(price('Je confirme le devis de 1 540 € TTC.', { history })).toEqual([]);
  });
});

describe('recipient', () => {
  const base: Partial<GuardInput> = {
    recipient: { name: 'Olivia Bennett' },
    agent: { name: 'Priya Shah' },
    business: { staff: ['Tom Baker', 'Priya Shah'] },
    otherContacts: [{ name: 'Jessica Hall', references: ['RB-5521'] }],
  };
  const rec = (text: string): GuardFinding[] => runGuard({ text, ...base }, { only: ['recipient'] });

  it('accepts every correct form of the name and colleagues signing', () => {
    for (const text of ['Hi Olivia!', 'Dear Ms Bennett,', 'Hello Liv, all sorted', 'Bonjour Mme Bennett', 'Thanks Olivia! See you Saturday. Priya', 'Hi there!', 'Tom will call you tomorrow.']) {
      expect(rec(text), text).toEqual([]);
    }
  });
  it('flags a greeting to another contact or to someone else', () => {
    const [f] = rec('Hi Jessica, your order is ready!');
    expect(f?.kind).toBe('recipient.name');
    expect(f?.start).toBe(3);
    expect(f?.end).toBe(10);
    expect(kinds(rec('Hi Tom, your order is ready!'))).toEqual(['recipient.name']);
  });
  it('flags another contact’s reference', () => {
    expect(kinds(rec('Your order RB-5521 is ready.'))).toEqual(['recipient.reference']);
    expect(rec('Your order RB-6034 is ready.')).toEqual([]);
  });
  it('flags an internal note about the customer', () => {
    expect(kinds(rec('Tom, FYI the lady with the gluten-free order keeps changing it, can you deal with her?'))).toEqual(['recipient.internal_note']);
    expect(kinds(rec('Priya, Olivia hasn’t paid yet, chase her please.'))).toContain('recipient.internal_note');
  });
});

describe('tone', () => {
  const tone = (text: string): GuardFinding[] => runGuard({ text }, { only: ['tone'] });
  it('flags each tone kind in both languages', () => {
    expect(kinds(tone("Comme je vous l'ai déjà dit, c'est votre faute."))).toEqual(['tone.condescending', 'tone.blaming']);
    expect(kinds(tone('Not our problem, deal with it.'))).toEqual(['tone.dismissive', 'tone.dismissive']);
    expect(kinds(tone('What the hell is wrong with you people?'))).toContain('tone.aggressive');
    expect(kinds(tone('PLEASE STOP CALLING THE SURGERY EVERY FIVE MINUTES'))).toEqual(['tone.shouting']);
  });
  it('leaves polite firmness, enthusiasm, reassurance and acronyms alone', () => {
    for (const text of [
      'Nous ne pouvons malheureusement pas accepter de retour après 30 jours.',
      'Payment is due by Friday; late payments incur a £25 fee.',
      'JOYEUX ANNIVERSAIRE LÉO !!! Merci 🎂',
      "Ce n'est pas votre faute, le mail est parti en retard.",
      'Your MOT and VAT invoice (PDF) are attached, ETA Thursday.',
      'You should have received an email with the tracking link.',
    ]) {
      expect(tone(text), text).toEqual([]);
    }
  });
});

describe('spelling with an injected speller', () => {
  const words: Record<string, Set<string>> = {
    fr: new Set(['bonjour', 'votre', 'commande', 'est', 'prête', 'merci', 'la', 'le', 'à', 'de', 'demain', 'voiture', 'sur']),
    en: new Set(['hello', 'your', 'order', 'is', 'ready', 'the', 'tomorrow']),
  };
  const speller: Speller = {
    isCorrect: (w, lang) => words[lang]!.has(w.toLowerCase()),
    suggest: (w, lang) => [...words[lang]!].filter((c) => c.length === w.length + 1 && c.startsWith(w.slice(0, 3))),
  };
  const spell = (text: string, extra: Partial<GuardInput> = {}): GuardFinding[] => runGuard({ text, ...extra }, { only: ['spelling'], speller });

  it('flags misspelled words with a suggestion and offsets', () => {
    const text = 'Bonjour, votre voitur est prête.';
    const found = spell(text);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual(['voitur']);
    expect(found[0]?.suggestion).toBe('voiture');
  });
  it('skips names, catalogue words, URLs, references, abbreviations and acronyms', () => {
    const text = 'Bonjour Zoé, votre commande ZX-2291 Opaline est prête, rdv demain sur https://exemple.fr/xyzw. SAV merci';
    expect(spell(text, { catalog: [{ name: 'Lampe Opaline', price: 129 }], recipient: { name: 'Zoé' } })).toEqual([]);
  });
  it('does nothing without a speller', () => {
    expect(runGuard({ text: 'Bonjuor' }, { only: ['spelling'] })).toEqual([]);
  });
  it('accepts prefixed and closed-compound words, titles before names and identifiers after "login"', () => {
    const en: Speller = {
      isCorrect: (w, lang) => lang === 'en' && ['hi', 'we', 'will', 'book', 'blood', 'work', 'is', 'fine', 'login', 'see', 'on', 'park', 'dr'].includes(w.toLowerCase()),
      suggest: () => [],
    };
    const run = (text: string): GuardFinding[] => runGuard({ text, lang: 'en' }, { only: ['spelling'], speller: en });
    expect(run('Hi, we will rebook. Bloodwork is fine.')).toEqual([]);
    expect(run('Hi, see Dr. Gonzalez, login jdoe.')).toEqual([]);
  });
  it('flags a misspelt weekday even though it is capitalised mid-sentence', () => {
    const text = 'See you on Wensday';
    const found = runGuard({ text, lang: 'en' }, { only: ['spelling'], speller: { isCorrect: (w) => ['see', 'you', 'on'].includes(w.toLowerCase()), suggest: () => [] } });
    expect(found.map((f) => [text.slice(f.start, f.end), f.suggestion])).toEqual([['Wensday', 'Wednesday']]);
  });
});

describe('policy', () => {
  const finding = (kind: GuardFinding['kind']): GuardFinding => ({ kind, category: kind.split('.')[0] as GuardFinding['category'], severity: 'warn', start: 0, end: 1, message: '' });
  it('blocks payment data and credentials, reviews other pii, price and recipient, warns on tone and spelling', () => {
    expect(decideVerdict([finding('pii.card')]).verdict).toBe('block');
    expect(decideVerdict([finding('pii.credential')]).verdict).toBe('block');
    expect(decideVerdict([finding('pii.phone')]).verdict).toBe('review');
    expect(decideVerdict([finding('price.mismatch')]).verdict).toBe('review');
    expect(decideVerdict([finding('recipient.name')]).verdict).toBe('review');
    expect(decideVerdict([finding('spelling.word')]).verdict).toBe('warn');
    expect(decideVerdict([]).verdict).toBe('pass');
  });
  it('takes the strongest action and lengthens the hold for tone', () => {
    const d = decideVerdict([finding('tone.blaming'), finding('spelling.word'), finding('pii.iban')]);
    expect(d.verdict).toBe('block');
    expect(d.holdExtensionSeconds).toBe(30);
    expect(d.actions.map((a) => a.action)).toEqual(['warn', 'warn', 'block']);
  });
  it('lets a workspace override per kind or category', () => {
    const policy = { ...defaultGuardPolicy, kinds: { 'pii.card': 'review' as const }, categories: { ...defaultGuardPolicy.categories, spelling: 'pass' as const } };
    expect(decideVerdict([finding('pii.card'), finding('spelling.word')], policy).verdict).toBe('review');
  });
});

describe('bad input', () => {
  it('handles empty, huge, lone surrogates, control characters and price-less catalogue entries', () => {
    expect(runGuard({ text: '' })).toEqual([]);
    const huge = 'Bonjour, appelez le 06 71 84 22 90. '.repeat(2900).slice(0, 100_000);
    const started = Date.now();
    const found = runGuard({ text: huge });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(found.length).toBeGreaterThan(100);
    const broken = 'Carte \ud800 4570 6398 3536 0279 \udc00\u0000\u0007 fin';
    const [card] = runGuard({ text: broken }, { only: ['pii'] });
    expect(broken.slice(card!.start, card!.end)).toBe('4570 6398 3536 0279');
    expect(runGuard({ text: 'Le gâteau est à 35 €', catalog: [{ name: 'Gâteau' }, { name: 'Tarte', price: Number.NaN }] })).toEqual([]);
  });
});
