import { useMemo } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';
import { fill, type MessageKey, translate, useI18n } from './i18n.tsx';

/** Strings of the admin Settings page, kept out of the first load (the page is code-split).
 * `fr` is typed against `en`, as in i18n.tsx. */
const en = {
  settingsTitle: 'Settings',
  profileTitle: 'Business profile',
  profileHelp: 'The business’s own details: the check never flags them as someone’s personal data.',
  profileName: 'Business name',
  profileCountry: 'Country (two letters, e.g. FR)',
  profilePhones: 'Phone numbers, one per line',
  profileEmails: 'Email addresses, one per line',
  profileIbans: 'IBANs, one per line',
  profileAddresses: 'Addresses, one per line',
  profileStaff: 'Staff names, one per line',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  catalogTitle: 'Catalogue and prices',
  catalogHelp: 'The price check compares the amounts your team writes with these prices.',
  catalogEmpty: 'No items yet.',
  itemName: 'Item',
  itemPrice: 'Price',
  itemCurrency: 'Currency',
  itemArchived: 'Archived',
  itemPriceOf: 'Price of {name}',
  itemArchivedOf: '{name} archived',
  saveItem: 'Save {name}',
  addItem: 'Add the item',
  newItem: 'New item',
  policyTitle: 'Guard policy',
  policyHelp: 'What happens when the check finds something: pass, warn (tick to send), review (a supervisor approves) or block.',
  policyCategory: 'Category',
  policyAction: 'Action',
  action_pass: 'Pass',
  action_warn: 'Warn',
  action_review: 'Review by a supervisor',
  action_block: 'Block',
  policyKinds: 'Per kind of finding',
  policyKindsHelp: 'A kind overrides its category (e.g. pii.iban, tone.aggressive).',
  policyKindsNone: 'No kind overridden.',
  policyKind: 'Kind',
  actionFor: 'Action for {name}',
  addKind: 'Override this kind',
  holdTitle: 'Hold times',
  holdHelp: 'Each message waits this long before it leaves (Undo works until then); a warning adds its category’s extra time.',
  channelHold: 'Default hold of {name} (seconds)',
  extraHold: 'Extra hold for a {category} warning (seconds)',
  saveHolds: 'Save the hold times',
};
export type SettingsKey = keyof typeof en;

const fr: Record<SettingsKey, string> = {
  settingsTitle: 'Réglages',
  profileTitle: 'Profil de l’entreprise',
  profileHelp: 'Les coordonnées de l’entreprise : la vérification ne les signale jamais comme données personnelles.',
  profileName: 'Nom de l’entreprise',
  profileCountry: 'Pays (deux lettres, par ex. FR)',
  profilePhones: 'Numéros de téléphone, un par ligne',
  profileEmails: 'Adresses e-mail, une par ligne',
  profileIbans: 'IBAN, un par ligne',
  profileAddresses: 'Adresses, une par ligne',
  profileStaff: 'Noms de l’équipe, un par ligne',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  saved: 'Enregistré.',
  catalogTitle: 'Catalogue et prix',
  catalogHelp: 'La vérification des prix compare les montants écrits par l’équipe avec ces prix.',
  catalogEmpty: 'Aucun article pour l’instant.',
  itemName: 'Article',
  itemPrice: 'Prix',
  itemCurrency: 'Devise',
  itemArchived: 'Archivé',
  itemPriceOf: 'Prix de {name}',
  itemArchivedOf: '{name} archivé',
  saveItem: 'Enregistrer {name}',
  addItem: 'Ajouter l’article',
  newItem: 'Nouvel article',
  policyTitle: 'Règles de vérification',
  policyHelp: 'Ce qui se passe quand la vérification trouve quelque chose : laisser passer, alerter (à cocher pour envoyer), faire valider par un superviseur ou bloquer.',
  policyCategory: 'Catégorie',
  policyAction: 'Action',
  action_pass: 'Laisser passer',
  action_warn: 'Alerter',
  action_review: 'Validation par un superviseur',
  action_block: 'Bloquer',
  policyKinds: 'Par type d’alerte',
  policyKindsHelp: 'Un type prime sur sa catégorie (par ex. pii.iban, tone.aggressive).',
  policyKindsNone: 'Aucun type particulier.',
  policyKind: 'Type',
  actionFor: 'Action pour {name}',
  addKind: 'Régler ce type',
  holdTitle: 'Délais de retenue',
  holdHelp: 'Chaque message attend ce délai avant de partir (Annuler fonctionne jusque-là) ; une alerte ajoute le temps de sa catégorie.',
  channelHold: 'Retenue par défaut de {name} (secondes)',
  extraHold: 'Retenue en plus pour une alerte {category} (secondes)',
  saveHolds: 'Enregistrer les délais',
};

const dictionaries: Record<Language, Record<SettingsKey, string>> = { en, fr };

/** `t` for the Settings page: its own keys, then the app's. */
export function useSettingsText() {
  const { lang } = useI18n();
  const t = useMemo(
    () => (key: SettingsKey | MessageKey, vars?: Record<string, string | number>) =>
      key in en ? fill(dictionaries[lang][key as SettingsKey], vars) : translate(lang, key as MessageKey, vars),
    [lang],
  );
  return { t, lang };
}
