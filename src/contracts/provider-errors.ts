import type { Bilingual } from './error-codes.ts';

/**
 * Provider failures in our own words. Each channel adapter maps its provider's errors to one of
 * these; agents see the sentence, the job runner reads `retryable` and `retryAfterSeconds`.
 */
export type ProviderErrorCode =
  | 'rate_limited'
  | 'provider_unavailable'
  | 'timeout'
  | 'outside_service_window'
  | 'recipient_unreachable'
  | 'auth_failed'
  | 'invalid_request'
  | 'rejected'
  | 'channel_unavailable'
  /** Media WhatsApp no longer has (or never had) under that id. */
  | 'media_unavailable'
  /** Downloaded media whose SHA-256 is not the one WhatsApp announced. */
  | 'checksum_mismatch';

export interface ProviderError {
  code: ProviderErrorCode;
  retryable: boolean;
  retryAfterSeconds?: number;
  /** The provider's own code and words, kept for the record and for support. */
  providerCode?: string;
  providerMessage?: string;
}

/** A provider error as recorded in a message's history (the neutral code and the provider's own words). */
export function providerErrorData(error: ProviderError): Record<string, unknown> {
  return {
    code: error.code,
    ...(error.providerCode ? { providerCode: error.providerCode } : {}),
    ...(error.providerMessage ? { providerMessage: error.providerMessage } : {}),
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

export const providerErrorMessages: Record<ProviderErrorCode, Bilingual> = {
  media_unavailable: {
    en: 'WhatsApp no longer has this media (or refused to give it): it could not be fetched.',
    fr: 'WhatsApp n’a plus ce média (ou a refusé de le donner) : il n’a pas pu être récupéré.',
  },
  checksum_mismatch: {
    en: 'The file downloaded from WhatsApp was not the one announced (checksum mismatch): it was not kept.',
    fr: 'Le fichier téléchargé depuis WhatsApp n’était pas celui annoncé (empreinte différente) : il n’a pas été conservé.',
  },
  rate_limited: {
    en: 'WhatsApp asked us to slow down; the message will be retried shortly.',
    fr: 'WhatsApp nous demande de ralentir ; le message sera renvoyé sous peu.',
  },
  provider_unavailable: {
    en: 'WhatsApp is not answering right now; the message will be retried.',
    fr: 'WhatsApp ne répond pas pour le moment ; le message sera renvoyé.',
  },
  timeout: {
    en: 'WhatsApp took too long to answer; the message will be retried.',
    fr: 'WhatsApp a mis trop de temps à répondre ; le message sera renvoyé.',
  },
  outside_service_window: {
    en: 'More than 24 hours since the customer last wrote: only an approved template can be sent now.',
    fr: 'Plus de 24 heures depuis le dernier message du client : seul un modèle approuvé peut être envoyé.',
  },
  recipient_unreachable: {
    en: 'This number cannot receive WhatsApp messages.',
    fr: 'Ce numéro ne peut pas recevoir de messages WhatsApp.',
  },
  auth_failed: {
    en: 'WhatsApp refused our credentials: an admin must update the channel’s access token.',
    fr: 'WhatsApp a refusé nos identifiants : un administrateur doit mettre à jour le jeton d’accès du canal.',
  },
  invalid_request: {
    en: 'WhatsApp rejected the message as invalid.',
    fr: 'WhatsApp a rejeté le message comme invalide.',
  },
  channel_unavailable: {
    en: 'This message’s channel no longer exists, so it could not be sent.',
    fr: 'Le canal de ce message n’existe plus : il n’a pas pu être envoyé.',
  },
  rejected: {
    en: 'WhatsApp did not accept the message.',
    fr: 'WhatsApp n’a pas accepté le message.',
  },
};
