import type { ErrorCode } from '../contracts/error-codes.ts';
import type { DomainError } from '../domain/message-lifecycle.ts';

/** A refusal that reaches the client as `{ error: { code, message, details } }` with the catalogue's status. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly localized?: { en: string; fr: string },
    readonly details?: Record<string, unknown>,
  ) {
    super(localized?.en ?? code);
    this.name = 'CommandError';
  }

  static from(error: DomainError): CommandError {
    return new CommandError(error.code, error.message, error.details);
  }
}

export const notFound = (what: Noun) =>
  new CommandError('not_found', { en: `${what.en} not found.`, fr: `${what.fr} introuvable.` });

type Noun = { en: string; fr: string };
export const nouns = {
  message: { en: 'Message', fr: 'Message' },
  contact: { en: 'Contact', fr: 'Contact' },
  channel: { en: 'Channel', fr: 'Canal' },
  conversation: { en: 'Conversation', fr: 'Conversation' },
  device: { en: 'Device', fr: 'Appareil' },
} satisfies Record<string, Noun>;
