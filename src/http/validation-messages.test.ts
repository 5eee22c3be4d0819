import { describe, expect, it } from 'vitest';
import { issueSentence, localizeIssues } from './validation-messages.ts';

// What a person reads next to a field when the API refuses a value: a sentence in their language.
describe('validation issues as sentences', () => {
  const badPhoneNumberId = [
    { keyword: 'too_small', instancePath: '/config/phoneNumberId', message: 'Too small: expected string to have >=5 characters', params: { origin: 'string', minimum: 5 } },
    { keyword: 'invalid_format', instancePath: '/config/phoneNumberId', message: 'the phone number id: digits', params: { format: 'regex' } },
  ];

  it('uses the schema’s own sentence, in French or English, and drops the generic length issue beside it', () => {
    expect(localizeIssues(badPhoneNumberId, 'body', 'fr')).toEqual([
      { in: 'body', path: 'config.phoneNumberId', code: 'invalid_format', message: 'Uniquement des chiffres (5 à 30), tels qu’affichés dans le WhatsApp Manager de Meta.' },
    ]);
    expect(localizeIssues(badPhoneNumberId, 'body', 'en')[0]?.message).toBe('Digits only (5 to 30), as shown in Meta’s WhatsApp Manager.');
  });

  it('has a sentence for each kind of issue, never the developer wording', () => {
    expect(issueSentence('too_small', { origin: 'string', minimum: 1 }, 'Too small', 'fr')).toBe('Obligatoire : ce champ ne peut pas être vide.');
    expect(issueSentence('too_big', { origin: 'string', maximum: 1000 }, 'Too big', 'fr')).toMatch(/^Au plus 1\s000 caractères\.$/);
    expect(issueSentence('too_big', { origin: 'number', maximum: 1000 }, 'Too big', 'en')).toBe('At most 1,000.');
    expect(issueSentence('invalid_type', { expected: 'string' }, 'Invalid input', 'en')).toBe('Required: text.');
    expect(issueSentence('invalid_format', { format: 'url' }, 'Invalid URL', 'fr')).toBe('Une adresse web commençant par https://.');
    expect(issueSentence('invalid_value', { values: ['me', 'everyone'] }, 'Invalid option', 'en')).toBe('Choose one of: me, everyone.');
    expect(issueSentence('unrecognized_keys', { keys: ['colour'] }, 'Unrecognized key', 'fr')).toBe('Champ inconnu ici : colour.');
    expect(issueSentence('something_new', {}, 'x', 'fr')).toBe('Cette valeur n’est pas valide.');
  });

  it('keeps the path of a whole-body issue as null', () => {
    expect(localizeIssues([{ keyword: 'custom', instancePath: '/', message: 'give a text or a template' }], 'body', 'en')).toEqual([
      { in: 'body', path: null, code: 'custom', message: 'Write a text or choose a template.' },
    ]);
  });
});
