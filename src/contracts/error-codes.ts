/**
 * The one error catalogue. Codes are stable (clients switch on them); messages are for people,
 * in French and English. The web app imports this file too.
 */
export const errorCatalogue = {
  unauthorized: {
    status: 401,
    en: 'Sign in or send a valid API token.',
    fr: 'Connectez-vous ou fournissez un jeton d’API valide.',
  },
  forbidden: {
    status: 403,
    en: 'You are not allowed to do this.',
    fr: 'Vous n’avez pas le droit de faire cela.',
  },
  not_found: {
    status: 404,
    en: 'Not found.',
    fr: 'Introuvable.',
  },
  validation_failed: {
    status: 400,
    en: 'The request is not valid.',
    fr: 'La requête n’est pas valide.',
  },
  conflict: {
    status: 409,
    en: 'This conflicts with the current state.',
    fr: 'Cela entre en conflit avec l’état actuel.',
  },
  not_held: {
    status: 409,
    en: 'This message is no longer in its hold window: it has already left. Delete it for everyone or send a correction.',
    fr: 'Ce message n’est plus en attente : il est déjà parti. Supprimez-le pour tout le monde ou envoyez un correctif.',
  },
  revoke_window_expired: {
    status: 409,
    en: 'Too late to delete this message for everyone. Send a correction message instead.',
    fr: 'Trop tard pour supprimer ce message pour tout le monde. Envoyez plutôt un message de correction.',
  },
  edit_window_expired: {
    status: 409,
    en: 'Too late to edit this message. Send a correction message instead.',
    fr: 'Trop tard pour modifier ce message. Envoyez plutôt un message de correction.',
  },
  capability_unsupported: {
    status: 422,
    en: 'This channel cannot do that.',
    fr: 'Ce canal ne permet pas cette action.',
  },
  outside_service_window: {
    status: 422,
    en: 'More than 24 hours since the customer last wrote: WhatsApp only lets an approved template through now. Send a template instead.',
    fr: 'Plus de 24 heures depuis le dernier message du client : WhatsApp n’accepte plus qu’un modèle approuvé. Envoyez un modèle.',
  },
  webhook_signature_invalid: {
    status: 401,
    en: 'The webhook signature is missing or does not match.',
    fr: 'La signature du webhook est absente ou ne correspond pas.',
  },
  guard_blocked: {
    status: 422,
    en: 'This message was not sent: it contains something that must never be sent (see the findings).',
    fr: 'Ce message n’a pas été envoyé : il contient une donnée qui ne doit jamais partir (voir les alertes).',
  },
  rate_limited: {
    status: 429,
    en: 'Too many requests. Try again shortly.',
    fr: 'Trop de requêtes. Réessayez dans un instant.',
  },
  payload_too_large: {
    status: 413,
    en: 'The request body is too large.',
    fr: 'Le corps de la requête est trop volumineux.',
  },
  uri_too_long: {
    status: 414,
    en: 'The address of this request is too long.',
    fr: 'L’adresse de cette requête est trop longue.',
  },
  request_timeout: {
    status: 408,
    en: 'The request took too long to arrive.',
    fr: 'La requête a mis trop de temps à arriver.',
  },
  headers_too_large: {
    status: 431,
    en: 'The request headers are too large.',
    fr: 'Les en-têtes de la requête sont trop volumineux.',
  },
  service_unavailable: {
    status: 503,
    en: 'The server is shutting down. Try again in a moment.',
    fr: 'Le serveur s’arrête. Réessayez dans un instant.',
  },
  unsupported_media_type: {
    status: 415,
    en: 'Send the request body as application/json.',
    fr: 'Envoyez le corps de la requête en application/json.',
  },
  media_rejected: {
    status: 422,
    en: 'This file was refused: its content is not what its type says, or it could run code.',
    fr: 'Ce fichier a été refusé : son contenu ne correspond pas à son type, ou il pourrait exécuter du code.',
  },
  link_invalid: {
    status: 400,
    en: 'This link is not valid: it was already used, it has expired, or a newer one replaced it. Ask an admin for a new link.',
    fr: 'Ce lien n’est pas valide : il a déjà servi, il a expiré ou un lien plus récent l’a remplacé. Demandez un nouveau lien à un administrateur.',
  },
  totp_required: {
    status: 401,
    en: 'Enter the 6-digit code from your authenticator app (or a recovery code).',
    fr: 'Saisissez le code à 6 chiffres de votre application d’authentification (ou un code de secours).',
  },
  internal_error: {
    status: 500,
    en: 'Something went wrong on our side. Nothing you sent was lost; try again.',
    fr: 'Une erreur s’est produite de notre côté. Rien de ce que vous avez envoyé n’est perdu ; réessayez.',
  },
} as const satisfies Record<string, { status: number; en: string; fr: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export type Language = 'fr' | 'en';

/** A sentence in both languages: everything a person reads exists in both. */
export interface Bilingual {
  en: string;
  fr: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
