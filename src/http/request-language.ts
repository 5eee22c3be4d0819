import type { FastifyRequest } from 'fastify';
import type { Language } from '../contracts/error-codes.ts';

/** The language a person reading this response prefers: their Accept-Language, else English. */
export function requestLanguage(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'en';
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'fr' || tag === 'en') return tag;
  }
  return 'en';
}
