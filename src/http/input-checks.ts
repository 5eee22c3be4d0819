import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandError } from '../commands/command-error.ts';
import { findUnsafeText } from '../domain/safe-text.ts';
import { sendError } from './error-handler.ts';
import { requestLanguage } from './request-language.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const notUtf8 = {
  en: 'The request body is not valid UTF-8.',
  fr: 'Le corps de la requête n’est pas de l’UTF-8 valide.',
};

/**
 * A JSON request body: UTF-8 or refused (never decoded with replacement characters), and an empty
 * body is no body. Throws a `validation_failed` CommandError or the parser's SyntaxError.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new CommandError('validation_failed', notUtf8, { reason: 'invalid_utf8' });
  }
  if (text.trim() === '') return undefined;
  return JSON.parse(text);
}

const notUtf8Query = {
  en: 'The query string is not valid UTF-8 once decoded.',
  fr: 'La chaîne de requête n’est pas de l’UTF-8 valide une fois décodée.',
};

function percentEncodingIsUtf8(query: string): boolean {
  if (!query.includes('%')) return true;
  try {
    decodeURIComponent(query.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    return true;
  } catch {
    return false;
  }
}

const unsafe = {
  nul_character: {
    en: 'Text cannot contain the NUL character (\\u0000).',
    fr: 'Un texte ne peut pas contenir le caractère NUL (\\u0000).',
  },
  lone_surrogate: {
    en: 'Text contains an incomplete Unicode character (a lone surrogate).',
    fr: 'Le texte contient un caractère Unicode incomplet (un demi-caractère isolé).',
  },
};

/**
 * `preValidation` hook of the API: a NUL or a lone surrogate anywhere in the body, the query
 * string or the path parameters is a 400 `validation_failed` before the schemas run (PostgreSQL
 * refuses NUL: without this, a 500 and nothing explained).
 */
export async function refuseUnsafeText(request: FastifyRequest, reply: FastifyReply) {
  // A query string's percent-encoding must decode to UTF-8 (the parser would make U+FFFD of it).
  const queryAt = request.url.indexOf('?');
  if (queryAt >= 0 && !percentEncodingIsUtf8(request.url.slice(queryAt + 1))) {
    return sendError(reply, requestLanguage(request), 'validation_failed', notUtf8Query, {
      reason: 'invalid_utf8',
      issues: [{ in: 'querystring', path: null, message: notUtf8Query.en }],
    });
  }
  for (const [where, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const found = findUnsafeText(value);
    if (found) {
      return sendError(reply, requestLanguage(request), 'validation_failed', unsafe[found.reason], {
        reason: found.reason,
        issues: [{ in: where, path: found.path || null, message: unsafe[found.reason].en }],
      });
    }
  }
}
