import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CommandError } from '../commands/command-error.ts';
import { type ErrorBody, type ErrorCode, errorCatalogue, type Language } from '../contracts/error-codes.ts';
import { requestLanguage } from './request-language.ts';
import { fieldsNotValid, localizeIssues } from './validation-messages.ts';

export function sendError(
  reply: FastifyReply,
  language: Language,
  code: ErrorCode,
  localized?: { en: string; fr: string },
  details?: unknown,
) {
  const entry = errorCatalogue[code];
  const body: ErrorBody = {
    error: { code, message: (localized ?? entry)[language], ...(details !== undefined ? { details } : {}) },
  };
  return reply.code(entry.status).type('application/json').send(body);
}

const notJson = {
  en: 'The request body is not valid JSON.',
  fr: 'Le corps de la requête n’est pas un JSON valide.',
};

/**
 * Every failure leaves as `{ error: { code, message, details? } }`: a client's mistake is a 4xx
 * with a stable code and a sentence in the caller's language; only our own faults are 500s, and
 * they never carry a stack trace.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const language = requestLanguage(request);
    if (error instanceof CommandError) return sendError(reply, language, error.code, error.localized, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Each field's problem as a sentence in the caller's language (validation-messages.ts).
      const issues = localizeIssues(error.validation, error.validationContext ?? 'body', language);
      return sendError(reply, language, 'validation_failed', fieldsNotValid, { issues });
    }
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendError(reply, language, 'validation_failed', notJson, { reason: 'malformed_json' });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, language, 'payload_too_large');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, language, 'unsupported_media_type');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, language, 'validation_failed', undefined, { reason: error.code ?? 'bad_request' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, language, 'internal_error');
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, requestLanguage(request), 'not_found'));
}
