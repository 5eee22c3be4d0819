import type { Language } from '../../src/contracts/error-codes.ts';
import type { MistakeKind } from './types.ts';

interface Parts {
  /** "our previous message …" */
  what: string;
  /** Why it was removed, when it was deleted for everyone. */
  why: string;
  /** The correct information, with a […] placeholder for the agent. */
  correct: string;
  /** A remedy when the mistake may have cost the customer something. */
  remedy: string | null;
}

const parts: Record<Language, Record<MistakeKind, Parts>> = {
  fr: {
    typo: { what: 'contenait une erreur', why: 'pour éviter toute confusion', correct: 'Il fallait lire : [texte correct].', remedy: null },
    wrong_price: {
      what: 'indiquait un prix erroné',
      why: 'pour éviter toute confusion sur le prix',
      correct: 'Le prix correct est [prix correct].',
      remedy: 'Pour nous excuser de la gêne occasionnée, [geste commercial proposé].',
    },
    confidential: {
      what: 'contenait par erreur des informations confidentielles',
      why: 'pour protéger ces données',
      correct: 'Voici l’information qui vous était destinée : [information correcte].',
      remedy: null,
    },
    wrong_recipient: {
      what: 'ne vous était pas destiné',
      why: 'car il concernait une autre personne',
      correct: 'Vous pouvez l’ignorer ; [information utile pour vous, le cas échéant].',
      remedy: null,
    },
    tone: {
      what: 'n’avait pas le ton que vous méritez',
      why: 'car sa formulation n’était pas acceptable',
      correct: 'Voici ce que nous voulions vous dire : [réponse reformulée].',
      remedy: null,
    },
    promotion_withdrawn: {
      what: 'annonçait une offre qui n’est malheureusement plus disponible',
      why: 'pour ne pas vous induire en erreur',
      correct: 'Les conditions actuelles sont : [conditions actuelles].',
      remedy: 'Pour vous remercier de votre intérêt, [geste commercial proposé].',
    },
    other: { what: 'contenait une erreur', why: 'pour éviter toute confusion', correct: 'La bonne information est : [information correcte].', remedy: null },
  },
  en: {
    typo: { what: 'contained a mistake', why: 'to avoid any confusion', correct: 'It should have read: [correct text].', remedy: null },
    wrong_price: {
      what: 'gave the wrong price',
      why: 'to avoid any confusion about the price',
      correct: 'The correct price is [correct price].',
      remedy: 'To make up for the inconvenience, [what we offer].',
    },
    confidential: {
      what: 'included confidential information by mistake',
      why: 'to protect that information',
      correct: 'Here is the information meant for you: [correct information].',
      remedy: null,
    },
    wrong_recipient: {
      what: 'was not meant for you',
      why: 'because it concerned someone else',
      correct: 'Please disregard it; [anything useful for you, if any].',
      remedy: null,
    },
    tone: {
      what: 'did not have the tone you deserve',
      why: 'because its wording was not acceptable',
      correct: 'Here is what we meant to say: [reworded reply].',
      remedy: null,
    },
    promotion_withdrawn: {
      what: 'announced an offer that is unfortunately no longer available',
      why: 'so as not to mislead you',
      correct: 'The current terms are: [current terms].',
      remedy: 'To thank you for your interest, [what we offer].',
    },
    other: { what: 'contained a mistake', why: 'to avoid any confusion', correct: 'The right information is: [correct information].', remedy: null },
  },
};

/**
 * A correction message following the reference text's etiquette: address the customer by name,
 * own the mistake and apologise, say why a message was removed (the tombstone they see), give
 * the right information, offer a remedy when it cost them something. The agent edits the […] parts.
 */
export function draftCorrection(input: {
  language: Language;
  name: string;
  mistake: MistakeKind;
  deleted: boolean;
  /**
   * How far the deletion (or the edit) reached the customer's devices. Only `all` lets the draft
   * say what they see; otherwise it says they may still see the original (issue 11).
   */
  reach?: 'all' | 'partial' | 'unknown' | 'none';
  /** The message was edited, and not every device shows the new text. */
  editedNotEverywhere?: boolean;
}): string {
  const p = parts[input.language][input.mistake];
  const firstName = input.name.trim().split(/\s+/)[0] ?? '';
  const everywhere = (input.reach ?? 'all') === 'all';
  if (input.language === 'fr') {
    const removed = input.deleted
      ? everywhere
        ? ` Nous l’avons supprimé ${p.why} ; c’est pourquoi vous voyez « Ce message a été supprimé ».`
        : ` Nous l’avons supprimé ${p.why} ; si vous le voyez encore sur l’un de vos appareils, merci de ne pas en tenir compte.`
      : input.editedNotEverywhere
        ? ' Nous l’avons corrigé ; si vous voyez encore l’ancienne version sur l’un de vos appareils, merci de ne pas en tenir compte.'
        : '';
    return [
      `Bonjour ${firstName},`,
      `Toutes nos excuses : notre message précédent ${p.what}.${removed}`,
      p.correct,
      ...(p.remedy ? [p.remedy] : []),
      'Merci de votre compréhension, et n’hésitez pas à nous écrire pour toute question.',
    ].join('\n');
  }
  return [
    `Hello ${firstName},`,
    `We are sorry: our previous message ${p.what}.${
      input.deleted
        ? everywhere
          ? ` We deleted it ${p.why}, which is why you see “This message was deleted”.`
          : ` We deleted it ${p.why}; if you still see it on one of your devices, please disregard it.`
        : input.editedNotEverywhere
          ? ' We have corrected it; if you still see the previous version on one of your devices, please disregard it.'
          : ''
    }`,
    p.correct,
    ...(p.remedy ? [p.remedy] : []),
    'Thank you for your understanding, and do write to us if you have any question.',
  ].join('\n');
}
