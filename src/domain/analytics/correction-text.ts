/**
 * When a message of the team counts as a correction, and when a correction owns the mistake.
 * Errata records no "this is a correction" flag and no "owns the mistake" flag, so both are read
 * from what was sent (docs/analytics.md). The patterns are plain alternations, understood alike
 * by JavaScript (flag i) and PostgreSQL (`~*`), so the SQL and these functions agree.
 */

/** Words a correction uses (FR/EN): it names the mistake, the deletion or the fix, or apologises. */
const CORRECTION_WORDS = [
  'correct',
  'rectif',
  'erreur',
  'error',
  'mistake',
  'supprim',
  'deleted',
  'removed',
  'wrong',
  'tromp',
  'oups',
  'oops',
  'désolé',
  'desole',
  'sorry',
  'excuse',
  'pardon',
  'apolog',
];

/** Owning the mistake: an apology or saying it was ours (the reference text's first rule of repair). */
const OWNING_WORDS = [
  'désolé',
  'desole',
  'sorry',
  'excuse',
  'pardon',
  'apolog',
  'mon erreur',
  'notre erreur',
  'my mistake',
  'our mistake',
  'my bad',
  'my fault',
  'our fault',
  'me suis trompé',
  'nous sommes trompés',
];

export const CORRECTION_PATTERN = CORRECTION_WORDS.join('|');
export const OWNING_PATTERN = OWNING_WORDS.join('|');

const correction = new RegExp(CORRECTION_PATTERN, 'i');
const owning = new RegExp(OWNING_PATTERN, 'i');

/** A later message of the team corrects a deleted one when it quotes it or uses a correction's words. */
export function readsAsCorrection(message: { text: string; replyToMessageId: string | null }, deletedMessageId: string): boolean {
  return message.replyToMessageId === deletedMessageId || correction.test(message.text);
}

export const ownsMistake = (text: string): boolean => owning.test(text);
