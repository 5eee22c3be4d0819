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
    if (error instanceof CommandError) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return sendError(reply, language, error.code, error.localized, error.details);
    }
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
    const byStatus = error.statusCode ? codeForStatus(error.statusCode) : undefined;
    if (byStatus) return sendError(reply, language, byStatus, undefined, byStatus === 'validation_failed' ? { reason: error.code ?? 'bad_request' } : undefined);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, language, 'internal_error');
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, requestLanguage(request), 'not_found'));

  // Once the server is closing, new requests get a 503 in our shape (Fastify's own is switched off).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing) return sendError(reply.header('connection', 'close'), requestLanguage(request), 'service_unavailable');
  });
}

/** A framework's 4xx, by its status: the closest code of ours (anything else a client got wrong is a 400). */
function codeForStatus(status: number): ErrorCode | undefined {
  if (status < 400 || status >= 500) return undefined;
  const known: Partial<Record<number, ErrorCode>> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    408: 'request_timeout',
    413: 'payload_too_large',
    414: 'uri_too_long',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    431: 'headers_too_large',
  };
  return known[status] ?? 'validation_failed';
}

/**
 * Fastify answers a few failures before any route runs (a malformed percent-encoding, a path
 * parameter over the router's limit) with its own body, which echoes the URL: ours instead.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const language = requestLanguage(request);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, language, 'uri_too_long');
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendError(reply, language, 'validation_failed', badUrl, { reason: 'malformed_url' });
  }
  request.log.error({ err: error }, 'router error');
  return sendError(reply, language, 'internal_error');
}

const badUrl = { en: 'The address of this request is not valid.', fr: 'L’adresse de cette requête n’est pas valide.' };

/**
 * Requests Node's HTTP parser refuses (headers too large, a malformed request line, a timeout)
 * never reach Fastify: the answer is written on the socket, in our shape (English: no headers
 * could be read).
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request_timeout' : error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'validation_failed';
  const entry = errorCatalogue[code];
  const body = JSON.stringify({ error: { code, message: entry.en } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${entry.status} ${STATUS_TEXT[entry.status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
