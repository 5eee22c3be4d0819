import { describe, expect, it } from 'vitest';
import {
  addressContextBefore,
  CARD_WORD_BEFORE,
  cardContextBefore,
  ORGANISATION_BEFORE,
  ORGANISATION_OR_VENUE_BEFORE,
  PHONE_WORD_BEFORE,
  PREMISES_BEFORE,
  phoneContextBefore,
  REFERENCE_BEFORE,
  SERIAL_BEFORE,
  UNIT_FOLD,
} from './context.ts';

// The scan replaces regexes on a folded window; these cases pin the regexes' behaviour (the
// equivalence itself was checked by fuzzing against the old patterns).
const phone = (before: string, landline = true) => phoneContextBefore(before, before.length, landline);
const card = (before: string) => cardContextBefore(before, before.length);
const address = (before: string, street = '12 rue des Lilas') => addressContextBefore(before + street, before.length, before.length + street.length);

describe('context words before a candidate', () => {
  it('finds a reference word followed by at most two words', () => {
    expect(phone('Votre commande n° ')).toBe(REFERENCE_BEFORE);
    expect(phone('RÉF. ')).toBe(REFERENCE_BEFORE);
    expect(phone('Commande 1234, appelez le ')).toBe(PHONE_WORD_BEFORE);
    expect(phone('Commande, appelez le ')).toBe(REFERENCE_BEFORE | PHONE_WORD_BEFORE);
    // Keywords are substrings, as in the former pattern: "vat" in "private".
    expect(phone('Private ')).toBe(REFERENCE_BEFORE);
    expect(phone('Appelez-moi au ')).toBe(PHONE_WORD_BEFORE);
  });

  it('finds serial numbers and organisations (landlines only)', () => {
    expect(phone('numéro de série de votre boîte de vitesses est le ')).toBe(SERIAL_BEFORE);
    // A sentence end stops the serial phrase ("série" alone is still a reference word).
    expect(phone('numéro de série. Mon numéro : ')).toBe(REFERENCE_BEFORE);
    expect(phone('le standard de la mairie : ')).toBe(ORGANISATION_BEFORE);
    expect(phone('le standard de la mairie : ', false)).toBe(0);
  });

  it('reads card words after a reference word', () => {
    expect(card('commande ')).toBe(REFERENCE_BEFORE);
    expect(card('commande, carte ')).toBe(REFERENCE_BEFORE | CARD_WORD_BEFORE);
  });

  it('finds own premises and venues before an address', () => {
    expect(address('Rendez-vous à notre agence au ')).toBe(PREMISES_BEFORE);
    expect(address('Chez Paul au ')).toBe(0);
    expect(address('la salle des fêtes, ')).toBe(ORGANISATION_OR_VENUE_BEFORE);
    // An 'İ' in the window or the address: foldText folds it unit by unit.
    expect(address('la salle des fêtes, ', '12 rue İnönü')).toBe(ORGANISATION_OR_VENUE_BEFORE | UNIT_FOLD);
  });
});
