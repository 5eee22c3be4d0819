// Human messages for findings, in both languages, so the UI can show either one.

import type { GuardLang } from './types.ts';

export type MessageKey =
  | 'pii.phone'
  | 'pii.email'
  | 'pii.iban'
  | 'pii.card'
  | 'pii.nir'
  | 'pii.address'
  | 'pii.credential'
  | 'price.catalog'
  | 'price.quote'
  | 'price.zero'
  | 'price.decimal'
  | 'price.swapped'
  | 'price.total'
  | 'recipient.name'
  | 'recipient.name_other'
  | 'recipient.reference'
  | 'recipient.internal_note'
  | 'tone.aggressive'
  | 'tone.condescending'
  | 'tone.blaming'
  | 'tone.dismissive'
  | 'tone.shouting'
  | 'spelling.word';

export const guardMessages: Record<MessageKey, Record<GuardLang, string>> = {
  'pii.phone': {
    fr: 'Numéro de téléphone d’un tiers : vérifiez que le client peut le recevoir.',
    en: 'A third party’s phone number: check the customer may receive it.',
  },
  'pii.email': {
    fr: 'Adresse e-mail personnelle d’un tiers.',
    en: 'A third party’s personal email address.',
  },
  'pii.iban': {
    fr: 'IBAN valide qui n’est pas celui de l’entreprise : donnée bancaire.',
    en: 'A valid IBAN that is not the business’s own: banking data.',
  },
  'pii.card': {
    fr: 'Numéro de carte bancaire : ne jamais l’envoyer par message.',
    en: 'Payment card number: never send it in a message.',
  },
  'pii.nir': {
    fr: 'Numéro de sécurité sociale (NIR) : donnée sensible.',
    en: 'French social security number (NIR): sensitive data.',
  },
  'pii.address': {
    fr: 'Adresse postale d’une personne.',
    en: 'A person’s postal address.',
  },
  'pii.credential': {
    fr: 'Mot de passe, code d’accès ou clé d’API : ne jamais l’envoyer par message.',
    en: 'Password, access code or API key: never send it in a message.',
  },
  'price.total': {
    fr: 'Ce total ne correspond pas au calcul du message (prix unitaires × quantités).',
    en: 'This total does not match the message’s own arithmetic (unit prices × quantities).',
  },
  'price.catalog': {
    fr: 'Ce prix ne correspond pas au catalogue pour « {item} » ({expected}).',
    en: 'This price does not match the catalogue for “{item}” ({expected}).',
  },
  'price.quote': {
    fr: 'Ce montant ne correspond pas au devis déjà envoyé ({expected}).',
    en: 'This amount does not match the quote already sent ({expected}).',
  },
  'price.zero': {
    fr: 'Un zéro en trop ou en moins ? « {item} » coûte {expected}.',
    en: 'A zero too many or too few? “{item}” costs {expected}.',
  },
  'price.decimal': {
    fr: 'Virgule mal placée ? « {item} » coûte {expected}.',
    en: 'Misplaced decimal point? “{item}” costs {expected}.',
  },
  'price.swapped': {
    fr: 'Chiffres inversés ? « {item} » coûte {expected}.',
    en: 'Swapped digits? “{item}” costs {expected}.',
  },
  'recipient.name': {
    fr: 'Le message salue « {name} », mais le destinataire est {recipient}.',
    en: 'The message greets “{name}”, but the recipient is {recipient}.',
  },
  'recipient.name_other': {
    fr: '« {name} » est un autre contact : mauvais destinataire ?',
    en: '“{name}” is another contact: wrong recipient?',
  },
  'recipient.reference': {
    fr: 'Cette référence appartient à un autre contact ({name}).',
    en: 'This reference belongs to another contact ({name}).',
  },
  'recipient.internal_note': {
    fr: 'Ceci ressemble à une note interne pour un collègue, pas à un message au client.',
    en: 'This looks like an internal note to a colleague, not a message to the customer.',
  },
  'tone.aggressive': {
    fr: 'Ton agressif : reformulez calmement.',
    en: 'Aggressive wording: rephrase calmly.',
  },
  'tone.condescending': {
    fr: 'Ton condescendant : le client peut se sentir rabaissé.',
    en: 'Condescending wording: the customer may feel talked down to.',
  },
  'tone.blaming': {
    fr: 'Le message rejette la faute sur le client.',
    en: 'The message blames the customer.',
  },
  'tone.dismissive': {
    fr: 'Ton dédaigneux : montrez que la demande est prise au sérieux.',
    en: 'Dismissive wording: show the request is taken seriously.',
  },
  'tone.shouting': {
    fr: 'Majuscules ou ponctuation excessives : cela se lit comme des cris.',
    en: 'Capitals or heavy punctuation read as shouting.',
  },
  'spelling.word': {
    fr: 'Mot inconnu ou mal orthographié : « {word} ».',
    en: 'Unknown or misspelled word: “{word}”.',
  },
};

export function formatMessage(key: MessageKey, lang: GuardLang, params: Record<string, string> = {}): string {
  const template = guardMessages[key][lang];
  // Most messages have no placeholder: no regex, no new string.
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}

/**
 * A finding's message in the text's language (`message`) and in both (`messages`): the person
 * reading it works in the interface's language, which may not be the message's.
 */
export function localized(key: MessageKey, lang: GuardLang, params: Record<string, string> = {}): { message: string; messages: Record<GuardLang, string> } {
  const messages = { fr: formatMessage(key, 'fr', params), en: formatMessage(key, 'en', params) };
  return { message: messages[lang], messages };
}
