import { useMemo } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';
import { fill, type MessageKey, translate, useI18n } from './i18n.tsx';

/** Strings of the "New conversation" dialog, kept out of the first load (the dialog is code-split).
 * `fr` is typed against `en`, as in i18n.tsx. */
const en = {
  ncTitle: 'New conversation',
  ncFindContact: 'Find a contact',
  ncFindHint: 'Name or phone number',
  ncNoContactMatches: 'No contact matches “{q}”.',
  ncNoContacts: 'No contacts yet: add one below.',
  ncWriteTo: 'Write to {name}',
  ncChannel: 'Channel',
  ncAddContact: 'Or add a contact',
  ncName: 'Name',
  ncPhone: 'Phone number',
  ncPhoneHint: 'International format, e.g. +33 6 12 34 56 78 (a national number uses the workspace’s country).',
  ncLanguage: 'Customer’s language',
  ncLanguage_fr: 'French',
  ncLanguage_en: 'English',
  ncAddAndWrite: 'Add and write',
  ncAdding: 'Adding…',
  ncOpening: 'Opening…',
  ncMoreContacts: '{count} more: refine the search.',
};
export type NewConversationKey = keyof typeof en;

const fr: Record<NewConversationKey, string> = {
  ncTitle: 'Nouvelle conversation',
  ncFindContact: 'Chercher un contact',
  ncFindHint: 'Nom ou numéro de téléphone',
  ncNoContactMatches: 'Aucun contact ne correspond à « {q} ».',
  ncNoContacts: 'Aucun contact pour l’instant : ajoutez-en un ci-dessous.',
  ncWriteTo: 'Écrire à {name}',
  ncChannel: 'Canal',
  ncAddContact: 'Ou ajouter un contact',
  ncName: 'Nom',
  ncPhone: 'Numéro de téléphone',
  ncPhoneHint: 'Format international, par ex. +33 6 12 34 56 78 (un numéro national suit le pays de l’espace de travail).',
  ncLanguage: 'Langue du client',
  ncLanguage_fr: 'Français',
  ncLanguage_en: 'Anglais',
  ncAddAndWrite: 'Ajouter et écrire',
  ncAdding: 'Ajout…',
  ncOpening: 'Ouverture…',
  ncMoreContacts: '{count} de plus : précisez la recherche.',
};

const dictionaries: Record<Language, Record<NewConversationKey, string>> = { en, fr };

/** `t` for the dialog: its own keys, then the app's. */
export function useNewConversationText() {
  const { lang } = useI18n();
  const t = useMemo(
    () => (key: NewConversationKey | MessageKey, vars?: Record<string, string | number>) =>
      key in en ? fill(dictionaries[lang][key as NewConversationKey], vars) : translate(lang, key as MessageKey, vars),
    [lang],
  );
  return { t, lang };
}
