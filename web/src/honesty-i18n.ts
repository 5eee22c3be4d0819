import { useMemo } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';
import { fill, type MessageKey, translate, useI18n } from './i18n.tsx';

/**
 * Strings that say what each of the customer's devices really shows (issue 11): deletion and edit
 * outcomes per device, withdrawing and resubmitting a message awaiting approval. Kept apart from
 * i18n.tsx so several people can work on the inbox at once; `fr` is typed against `en`.
 */
const en = {
  lastMessageDeleted: 'Message deleted',
  // Outcome of a deletion for everyone, as a whole
  deletedAllDevices: 'Deleted on all the customer’s devices ({count}). Now tell them what happened.',
  deletedNotEverywhere: 'Deletion requested, but not every device removed it: {summary}. The customer may still see the original. Now tell them what happened.',
  deletedNoDevice: 'Deletion requested: no device of the customer had received the message.',
  youDeletedPartly: 'You deleted this message — not removed on every device',
  youDeletedPending: 'You deleted this message — waiting for a device to reconnect',
  // Edits, per device
  editOutcomes: 'Edit, per device',
  edit_applied: 'shows the new text',
  edit_pending: 'pending — offline, will update when it reconnects',
  edit_ignored: 'not edited — outdated app still shows the previous text',
  edit_unknown: 'unknown — this channel confirms nothing',
  editedPartly: 'Edited — not on every device',
  editedUnconfirmed: 'Edited — not confirmed',
  editedNotEverywhere: 'Edited, but not every device shows the new text: {summary}. The customer may still read the previous text. Tell them what changed.',
  editedUnknown: 'Edit requested. This channel confirms nothing: the customer may still see the previous text. Tell them what changed.',
  // Awaiting approval
  withdraw: 'Withdraw',
  withdrawHint: 'Take it back before a supervisor decides: it will never be sent.',
  withdrawn: 'Withdrawn. The customer never received it.',
  remedy_withdraw: 'Withdraw it',
  editResubmit: 'Edit and resubmit',
  resubmitLabel: 'New text',
  resubmit: 'Resubmit for approval',
  resubmitted: 'Sent again for approval.',
  // Delete for me, past the window
  deleteForMeWarningLate: 'Deleting for you only hides it from the team; the customer still sees it. It can no longer be deleted for everyone.',
};

export type HonestyKey = keyof typeof en;

const fr: Record<HonestyKey, string> = {
  lastMessageDeleted: 'Message supprimé',
  deletedAllDevices: 'Supprimé sur tous les appareils du client ({count}). Expliquez-lui maintenant ce qui s’est passé.',
  deletedNotEverywhere: 'Suppression demandée, mais tous les appareils ne l’ont pas retiré : {summary}. Le client voit peut-être encore l’original. Expliquez-lui maintenant ce qui s’est passé.',
  deletedNoDevice: 'Suppression demandée : aucun appareil du client n’avait reçu le message.',
  youDeletedPartly: 'Vous avez supprimé ce message — pas retiré sur tous les appareils',
  youDeletedPending: 'Vous avez supprimé ce message — en attente de la reconnexion d’un appareil',
  editOutcomes: 'Modification, par appareil',
  edit_applied: 'affiche le nouveau texte',
  edit_pending: 'en attente — hors ligne, mis à jour à la reconnexion',
  edit_ignored: 'non modifié — l’application obsolète affiche toujours l’ancien texte',
  edit_unknown: 'inconnu — ce canal ne confirme rien',
  editedPartly: 'Modifié — pas sur tous les appareils',
  editedUnconfirmed: 'Modifié — non confirmé',
  editedNotEverywhere: 'Modifié, mais tous les appareils n’affichent pas le nouveau texte : {summary}. Le client lit peut-être encore l’ancien texte. Expliquez-lui ce qui a changé.',
  editedUnknown: 'Modification demandée. Ce canal ne confirme rien : le client voit peut-être encore l’ancien texte. Expliquez-lui ce qui a changé.',
  withdraw: 'Retirer',
  withdrawHint: 'Reprenez-le avant la décision d’un superviseur : il ne sera jamais envoyé.',
  withdrawn: 'Retiré. Le client ne l’a jamais reçu.',
  remedy_withdraw: 'Le retirer',
  editResubmit: 'Modifier et soumettre à nouveau',
  resubmitLabel: 'Nouveau texte',
  resubmit: 'Soumettre à nouveau pour validation',
  resubmitted: 'Soumis à nouveau pour validation.',
  deleteForMeWarningLate: 'Supprimer pour vous seulement le masque à l’équipe ; le client le voit toujours. Il ne peut plus être supprimé pour tout le monde.',
};

const dictionaries: Record<Language, Record<HonestyKey, string>> = { en, fr };

export function honestyText(lang: Language, key: HonestyKey | MessageKey, vars?: Record<string, string | number>): string {
  return key in en ? fill(dictionaries[lang][key as HonestyKey], vars) : translate(lang, key as MessageKey, vars);
}

/** `t` for these strings and the app's own. */
export function useHonestyText() {
  const { lang } = useI18n();
  const t = useMemo(() => (key: HonestyKey | MessageKey, vars?: Record<string, string | number>) => honestyText(lang, key, vars), [lang]);
  return { t, lang };
}
