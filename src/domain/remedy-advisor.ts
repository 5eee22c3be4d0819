import type { Bilingual } from '../contracts/error-codes.ts';
import type { ChannelCapabilities } from './channel-profile.ts';
import type { MessageStatus, MistakeKind } from './message-lifecycle.ts';
import { secondsLeft } from './message-windows.ts';

/**
 * Remedy advisor v1: the least damaging fix for the mistake at hand (PRODUCT.md §2, §6).
 * Deleting often looks unreliable, so deletion ranks first only where the content itself is the
 * harm (confidential data, wrong recipient, a withdrawn offer, an impulsive reply still unread);
 * minor errors are better owned with an edit or a correction.
 */
export type Remedy = 'cancel' | 'edit' | 'delete_for_everyone_and_correct' | 'correct' | 'delete_for_me' | 'none';

export interface RemedyOption {
  remedy: Remedy;
  rank: number;
  reason: Bilingual;
  /** Seconds left to act; null when no window applies. */
  secondsLeft: number | null;
}

export interface RemedySituation {
  status: MessageStatus;
  direction: 'out' | 'in';
  read: boolean;
  revoked: boolean;
  deletedForMe: boolean;
  holdUntil: Date | null;
  revocableUntil: Date | null;
  editableUntil: Date | null;
  capabilities: ChannelCapabilities;
  mistake: MistakeKind;
  now: Date;
  /**
   * The customer's devices that have (or will get) this message on an outdated app: they ignore
   * edits and deletions and keep showing the original. 0 or absent when none, or not known.
   */
  devicesIgnoringChanges?: number;
}

type Candidate = { remedy: Remedy; score: number; reason: Bilingual; secondsLeft: number | null };

const reasons = {
  cancelHeld: {
    en: 'The message has not left yet: cancelling is a true unsend, the customer will never see it.',
    fr: 'Le message n’est pas encore parti : l’annuler est un vrai retrait, le client ne le verra jamais.',
  },
  editHeld: {
    en: 'Fix the text before it leaves: the customer will only ever see the corrected version.',
    fr: 'Corrigez le texte avant son départ : le client ne verra que la version corrigée.',
  },
  editTypo: {
    en: 'A small error is best fixed in place; the message will show "Edited".',
    fr: 'Une petite erreur se corrige sur place ; le message affichera « Modifié ».',
  },
  editUnreadPrice: {
    en: 'Not read yet: editing replaces the wrong figure before the customer sees it.',
    fr: 'Pas encore lu : la modification remplace le mauvais chiffre avant que le client ne le voie.',
  },
  editRead: {
    en: 'Editing is possible, but the customer already read it: say what changed in a correction too.',
    fr: 'La modification est possible, mais le client l’a déjà lu : expliquez aussi le changement dans un correctif.',
  },
  editContent: {
    en: 'Editing changes the words in place, but the message stays in the chat with "Edited": the customer may still see what it was about.',
    fr: 'La modification change le texte sur place, mais le message reste dans la discussion avec « Modifié » : le client peut encore en deviner le sujet.',
  },
  editConfidential: {
    en: 'Editing removes the data on up-to-date phones only; outdated apps keep the original.',
    fr: 'La modification retire la donnée sur les téléphones à jour seulement ; les applications anciennes gardent l’original.',
  },
  deleteConfidential: {
    en: 'Confidential data must go at once: delete it for everyone, then explain why in a correction.',
    fr: 'Une donnée confidentielle doit disparaître tout de suite : supprimez pour tout le monde, puis expliquez pourquoi dans un correctif.',
  },
  deleteWrongRecipient: {
    en: 'It was meant for someone else: delete it for everyone and apologise to this customer.',
    fr: 'Il était destiné à quelqu’un d’autre : supprimez-le pour tout le monde et excusez-vous auprès de ce client.',
  },
  deletePromotion: {
    en: 'Withdraw the offer and send an explanation, so nobody relies on it.',
    fr: 'Retirez l’offre et envoyez une explication, pour que personne ne s’y fie.',
  },
  deleteToneUnread: {
    en: 'Not read yet: remove the impulsive reply and send a calmer one.',
    fr: 'Pas encore lu : retirez la réponse impulsive et envoyez-en une plus posée.',
  },
  deletePriceUnread: {
    en: 'Not read yet: remove the wrong price and send the right one with a short apology.',
    fr: 'Pas encore lu : retirez le mauvais prix et envoyez le bon avec de brèves excuses.',
  },
  deleteOther: {
    en: 'Possible, but deleting often looks unreliable: prefer a correction unless the content itself harms.',
    fr: 'Possible, mais supprimer souvent paraît peu fiable : préférez un correctif, sauf si le contenu lui-même nuit.',
  },
  correctDefault: {
    en: 'Own the mistake, give the right information and, if it cost the customer something, offer a remedy.',
    fr: 'Assumez l’erreur, donnez la bonne information et, si elle a coûté quelque chose au client, proposez une compensation.',
  },
  correctRead: {
    en: 'The customer has read it: a sincere, personal correction keeps their trust better than a deletion.',
    fr: 'Le client l’a lu : un correctif sincère et personnalisé préserve mieux sa confiance qu’une suppression.',
  },
  correctNoRevoke: {
    en: 'It can no longer be deleted for everyone: a correction is the honest way to repair it.',
    fr: 'Il ne peut plus être supprimé pour tout le monde : un correctif est la façon honnête de réparer.',
  },
  correctConfidentialLate: {
    en: 'Too late to delete it for everyone: apologise, ask the customer to delete it, and take protective steps.',
    fr: 'Trop tard pour le supprimer pour tout le monde : excusez-vous, demandez au client de le supprimer et prenez des mesures de protection.',
  },
  correctAfterRevoke: {
    en: 'Already deleted for everyone: explain why with a correction, so the tombstone does not raise suspicion.',
    fr: 'Déjà supprimé pour tout le monde : expliquez pourquoi dans un correctif, pour que la mention de suppression n’éveille pas de soupçons.',
  },
  deleteForMe: {
    en: 'Hides it from your team only; the customer still sees it. It does not close delete for everyone.',
    fr: 'Le masque pour votre équipe seulement ; le client le voit toujours. Cela n’empêche pas de le supprimer pour tout le monde ensuite.',
  },
  deleteForMeLate: {
    en: 'Hides it from your team only; the customer still sees it, and it can no longer be deleted for everyone.',
    fr: 'Le masque pour votre équipe seulement ; le client le voit toujours, et il ne peut plus être supprimé pour tout le monde.',
  },
  deleteForMeAfterRevoke: {
    en: 'Hides it from your team only; it changes nothing on the customer’s devices.',
    fr: 'Le masque pour votre équipe seulement ; cela ne change rien sur les appareils du client.',
  },
  editIgnoredByOutdated: {
    en: 'Some of the customer’s devices run an outdated app: they will ignore the edit and keep showing the original. Prefer a correction message.',
    fr: 'Certains appareils du client ont une application obsolète : ils ignoreront la modification et garderont l’original. Préférez un message de correction.',
  },
  editUnconfirmed: {
    en: 'Editing is possible, but this channel confirms nothing: an outdated phone may keep the original. Say what changed in a correction too.',
    fr: 'La modification est possible, mais ce canal ne confirme rien : un téléphone obsolète peut garder l’original. Expliquez aussi le changement dans un correctif.',
  },
  deleteIgnoredByOutdated: {
    en: 'Some of the customer’s devices run an outdated app: they will ignore the deletion and keep showing the original. Delete it for the others, and say so in the correction.',
    fr: 'Certains appareils du client ont une application obsolète : ils ignoreront la suppression et garderont l’original. Supprimez-le pour les autres, et dites-le dans le correctif.',
  },
  withdrawAwaiting: {
    en: 'The customer has not received it: it waits for a supervisor. Withdraw it and it will never be sent.',
    fr: 'Le client ne l’a pas reçu : il attend la décision d’un superviseur. Retirez-le et il ne sera jamais envoyé.',
  },
  resubmitRejected: {
    en: 'It was rejected and never sent: edit it and resubmit it for approval.',
    fr: 'Il a été refusé et n’a jamais été envoyé : modifiez-le et soumettez-le à nouveau pour validation.',
  },
  noneTypo: {
    en: 'A harmless typo may need nothing at all: too many corrections are noise too.',
    fr: 'Une faute sans conséquence peut ne rien nécessiter : trop de correctifs créent aussi du bruit.',
  },
  noneNeverLeft: {
    en: 'The message never reached the customer: there is nothing to repair.',
    fr: 'Le message n’a jamais atteint le client : il n’y a rien à réparer.',
  },
  noneCustomer: {
    en: 'This is the customer’s message: only they can change it.',
    fr: 'C’est le message du client : lui seul peut le modifier.',
  },
  noneSending: {
    en: 'The message is being handed to WhatsApp right now: wait a second for the options that follow.',
    fr: 'Le message est en cours de transmission à WhatsApp : patientez une seconde pour les options suivantes.',
  },
} as const satisfies Record<string, Bilingual>;

const destructive: ReadonlySet<MistakeKind> = new Set(['confidential', 'wrong_recipient', 'promotion_withdrawn']);

export function adviseRemedies(s: RemedySituation): RemedyOption[] {
  return rank(candidates(s));
}

function candidates(s: RemedySituation): Candidate[] {
  if (s.direction === 'in') return [{ remedy: 'none', score: 1, reason: reasons.noneCustomer, secondsLeft: null }];
  if (s.status === 'cancelled' || s.status === 'failed') {
    return [{ remedy: 'none', score: 1, reason: reasons.noneNeverLeft, secondsLeft: null }];
  }
  if (s.status === 'held') {
    const left = s.holdUntil ? secondsLeft(s.holdUntil, s.now) : null;
    const fixable = s.mistake === 'typo' || s.mistake === 'wrong_price' || s.mistake === 'other';
    return [
      { remedy: 'cancel', score: fixable ? 90 : 100, reason: reasons.cancelHeld, secondsLeft: left },
      { remedy: 'edit', score: fixable ? 100 : 40, reason: reasons.editHeld, secondsLeft: left },
    ];
  }
  if (s.status === 'queued') return [{ remedy: 'none', score: 1, reason: reasons.noneSending, secondsLeft: null }];
  // Never sent: nothing to correct with the customer, only the draft to withdraw or rework.
  if (s.status === 'awaiting_approval') return [{ remedy: 'cancel', score: 100, reason: reasons.withdrawAwaiting, secondsLeft: null }];
  if (s.status === 'rejected') {
    return [
      { remedy: 'edit', score: 100, reason: reasons.resubmitRejected, secondsLeft: null },
      { remedy: 'none', score: 10, reason: reasons.noneNeverLeft, secondsLeft: null },
    ];
  }

  const list: Candidate[] = [];
  const revokeLeft = s.capabilities.deleteForEveryone && s.revocableUntil ? remaining(s.revocableUntil, s.now) : null;
  const editLeft = s.capabilities.edit && s.editableUntil ? remaining(s.editableUntil, s.now) : null;
  const canRevoke = revokeLeft !== null && !s.revoked;
  const canEdit = editLeft !== null;
  // Delete for me never closes delete for everyone — but say so only while it is still possible.
  const forMe = (): Candidate | null =>
    s.deletedForMe
      ? null
      : {
          remedy: 'delete_for_me',
          score: 5,
          reason: s.revoked ? reasons.deleteForMeAfterRevoke : canRevoke ? reasons.deleteForMe : reasons.deleteForMeLate,
          secondsLeft: null,
        };
  const ignoring = (s.devicesIgnoringChanges ?? 0) > 0;

  if (s.revoked) {
    list.push({ remedy: 'correct', score: 100, reason: reasons.correctAfterRevoke, secondsLeft: null });
    const hide = forMe();
    if (hide) list.push(hide);
    return list;
  }

  // Deletion first where the content itself does harm, or an unread impulsive reply / wrong price.
  if (canRevoke) {
    const score = destructive.has(s.mistake)
      ? 100
      : !s.read && (s.mistake === 'tone' || s.mistake === 'wrong_price')
        ? 80
        : 20;
    const reason =
      s.mistake === 'confidential'
        ? reasons.deleteConfidential
        : s.mistake === 'wrong_recipient'
          ? reasons.deleteWrongRecipient
          : s.mistake === 'promotion_withdrawn'
            ? reasons.deletePromotion
            : s.mistake === 'tone' && !s.read
              ? reasons.deleteToneUnread
              : s.mistake === 'wrong_price' && !s.read
                ? reasons.deletePriceUnread
                : reasons.deleteOther;
    // An outdated app keeps the original: deleting still protects the other devices, but it is no
    // clean fix, so it falls behind a correction unless the content itself does harm.
    list.push(
      ignoring
        ? { remedy: 'delete_for_everyone_and_correct', score: destructive.has(s.mistake) ? score : Math.min(score, 45), reason: reasons.deleteIgnoredByOutdated, secondsLeft: revokeLeft }
        : { remedy: 'delete_for_everyone_and_correct', score, reason, secondsLeft: revokeLeft },
    );
  }

  if (canEdit) {
    let score = 30;
    let reason: Bilingual = reasons.editTypo;
    if (s.mistake === 'typo') score = 100;
    else if (s.mistake === 'wrong_price' && !s.read) {
      score = 90;
      reason = reasons.editUnreadPrice;
    } else if (s.mistake === 'confidential') {
      score = 50;
      reason = reasons.editConfidential;
    } else if (s.read) {
      score = s.mistake === 'wrong_price' || s.mistake === 'other' ? 50 : 25;
      reason = reasons.editRead;
    } else if (s.mistake !== 'wrong_price' && s.mistake !== 'other') {
      reason = reasons.editContent;
    }
    if (ignoring) {
      // Devices that will ignore the edit keep the mistake: a correction reaches them, an edit does not.
      score = Math.min(score, 35);
      reason = reasons.editIgnoredByOutdated;
    } else if (!s.capabilities.confirmsRevoke) {
      score -= 10;
      reason = reasons.editUnconfirmed;
    }
    list.push({ remedy: 'edit', score, reason, secondsLeft: editLeft });
  }

  let correctScore = 70;
  let correctReason: Bilingual = reasons.correctDefault;
  if (!canRevoke && s.mistake === 'confidential') {
    correctScore = 95;
    correctReason = reasons.correctConfidentialLate;
  } else if (!canRevoke && destructive.has(s.mistake)) {
    correctScore = 95;
    correctReason = reasons.correctNoRevoke;
  } else if (s.read) {
    correctScore = 85;
    correctReason = reasons.correctRead;
  } else if (s.mistake === 'typo') {
    correctScore = 60;
  }
  list.push({ remedy: 'correct', score: correctScore, reason: correctReason, secondsLeft: null });

  if (s.mistake === 'typo') list.push({ remedy: 'none', score: 40, reason: reasons.noneTypo, secondsLeft: null });
  const hide = forMe();
  if (hide) list.push(hide);
  return list;
}

function remaining(until: Date, now: Date): number | null {
  return now.getTime() <= until.getTime() ? secondsLeft(until, now) : null;
}

function rank(list: Candidate[]): RemedyOption[] {
  return [...list]
    .sort((a, b) => b.score - a.score)
    .map((c, i) => ({ remedy: c.remedy, rank: i + 1, reason: c.reason, secondsLeft: c.secondsLeft }));
}
