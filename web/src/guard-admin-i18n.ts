import { useMemo } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';
import { fill, type MessageKey, translate, useI18n } from './i18n.tsx';

/** Strings of the admin Checks page (allow-list, proposals, false-alarm rates), kept out of the
 * first load like the Channels page's. `fr` is typed against `en`. */
const en = {
  guardAdminTitle: 'Checks: feedback from the team',
  proposalsTitle: 'Proposed for the allow-list',
  proposalsHelp: 'Phrases reported as “not a mistake” at least three times, and words someone asked to add to the glossary.',
  noProposals: 'No proposals.',
  reportedTimes: 'reported {count} times by {reporters}',
  glossaryWish: 'glossary wish',
  accept: 'Add to the allow-list',
  allowListTitle: 'Allow-list and glossary',
  allowListHelp: 'The checks no longer flag these phrases. Glossary words are never spelling mistakes.',
  noEntries: 'Nothing on the list yet.',
  appliesTo: 'Applies to',
  appliesToValue: 'Applies to: {scope}',
  appliesAll: 'every check',
  appliesGlossary: 'glossary (spelling)',
  remove: 'Remove',
  phrase: 'Phrase or word',
  add: 'Add',
  added: '“{text}” added.',
  removed: '“{text}” removed: it will be flagged again.',
  ratesTitle: 'False alarms per kind (last 30 days)',
  ratesHelp: 'False alarms reported against the findings stored with sent messages.',
  noRates: 'No feedback yet.',
  kind: 'Kind',
  falseAlarms: 'False alarms',
  findingsShown: 'Findings',
  rate: 'Rate',
  missed: 'Missed',
  exportLink: 'Download the labelled examples (JSON Lines)',
};

export type GuardAdminKey = keyof typeof en;

const fr: Record<GuardAdminKey, string> = {
  guardAdminTitle: 'Vérifications : retours de l’équipe',
  proposalsTitle: 'Proposé pour la liste autorisée',
  proposalsHelp: 'Expressions signalées « pas une erreur » au moins trois fois, et mots qu’un collègue a demandé d’ajouter au glossaire.',
  noProposals: 'Aucune proposition.',
  reportedTimes: 'signalé {count} fois par {reporters}',
  glossaryWish: 'demande de glossaire',
  accept: 'Ajouter à la liste autorisée',
  allowListTitle: 'Liste autorisée et glossaire',
  allowListHelp: 'Les vérifications ne signalent plus ces expressions. Les mots du glossaire ne sont jamais des fautes d’orthographe.',
  noEntries: 'La liste est vide.',
  appliesTo: 'S’applique à',
  appliesToValue: 'S’applique à : {scope}',
  appliesAll: 'toutes les vérifications',
  appliesGlossary: 'glossaire (orthographe)',
  remove: 'Retirer',
  phrase: 'Expression ou mot',
  add: 'Ajouter',
  added: '« {text} » ajouté.',
  removed: '« {text} » retiré : il sera de nouveau signalé.',
  ratesTitle: 'Fausses alertes par type (30 derniers jours)',
  ratesHelp: 'Fausses alertes signalées rapportées aux alertes enregistrées avec les messages envoyés.',
  noRates: 'Aucun retour pour l’instant.',
  kind: 'Type',
  falseAlarms: 'Fausses alertes',
  findingsShown: 'Alertes',
  rate: 'Taux',
  missed: 'Non détectées',
  exportLink: 'Télécharger les exemples étiquetés (JSON Lines)',
};

const dictionaries: Record<Language, Record<GuardAdminKey, string>> = { en, fr };

/** `t` for the Checks page: its own keys, then the app's. */
export function useGuardAdminText() {
  const { lang } = useI18n();
  const t = useMemo(
    () => (key: GuardAdminKey | MessageKey, vars?: Record<string, string | number>) =>
      key in en ? fill(dictionaries[lang][key as GuardAdminKey], vars) : translate(lang, key as MessageKey, vars),
    [lang],
  );
  return { t, lang };
}
