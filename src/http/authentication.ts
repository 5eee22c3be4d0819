import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { hashToken } from '../auth/secrets.ts';
import { CSRF_HEADER } from '../contracts/api-schemas.ts';
import { findActiveSession } from '../db/queries/session-queries.ts';
import { touchToken } from '../db/queries/team-queries.ts';
import { findActiveToken } from '../db/queries/user-queries.ts';
import type { Role } from '../domain/actor.ts';
import { sendError } from './error-handler.ts';
import { requestLanguage } from './request-language.ts';

export interface Principal {
  workspaceId: string;
  userId: string;
  role: Role;
  name: string;
  via: 'token' | 'session';
  /**
   * The workspace requires two-factor sign-in and this person has not set it up: their session
   * reaches only the routes marked `beforeTwoFactor` (who am I, sign out, set it up, password).
   */
  twoFactorSetupRequired?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /**
     * A route anyone may call (signing in): the API's authentication hook lets it through. Decided
     * per route, never from the URL string (Fastify decodes `/%61pi/…` before routing, a prefix
     * test on the raw URL does not).
     */
    public?: boolean;
    /** A route a session may use before setting up the two-factor sign-in its workspace requires. */
    beforeTwoFactor?: boolean;
  }
}

export const SESSION_COOKIE = 'errata_session';

// A lookup per request would cost the database a round trip on the hottest path; a short cache
// keeps revocation (and sign-out, which also drops the entry here) effective within seconds.
const CACHE_TTL_MS = 5_000;

const csrfMissing = {
  en: 'This request must come from the Errata web app.',
  fr: 'Cette requête doit provenir de l’application web Errata.',
};

const twoFactorFirst = {
  en: 'Your workspace requires two-factor sign-in: set it up first (Security page, or POST /api/v1/auth/totp/setup).',
  fr: 'Votre espace exige la connexion en deux étapes : configurez-la d’abord (page Sécurité, ou POST /api/v1/auth/totp/setup).',
};

export function installAuthentication(app: FastifyInstance, ctx: AppContext) {
  // `until`: when the token or session itself expires, on the injected clock (a cached entry never outlives it).
  const cache = new Map<string, { principal: Principal | null; expires: number; until?: number | undefined }>();
  app.decorateRequest('principal', null as unknown as Principal);

  async function lookup(kind: 'token' | 'session', secret: string): Promise<Principal | null> {
    const hash = hashToken(secret);
    const key = `${kind}:${hash}`;
    const nowMs = Date.now();
    const hit = cache.get(key);
    const now = ctx.clock.now();
    if (hit && hit.expires > nowMs && (hit.until === undefined || hit.until > now.getTime())) return hit.principal;
    const row = kind === 'token' ? await findActiveToken(ctx.db, hash, now) : await findActiveSession(ctx.db, hash, now);
    if (row && 'tokenId' in row) touchToken(ctx.db, row.tokenId, now).catch((error) => ctx.log.warn({ err: error }, 'token last-used time not written'));
    const principal = row
      ? {
          workspaceId: row.workspaceId,
          userId: row.userId,
          role: row.role,
          name: row.userName,
          via: kind,
          twoFactorSetupRequired: 'requireTotp' in row && row.requireTotp && !row.totpEnabledAt,
        }
      : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { principal, expires: nowMs + CACHE_TTL_MS, until: row?.expiresAt?.getTime() });
    return principal;
  }

  /**
   * The API's `onRequest` hook, added in the encapsulated plugin that holds every `/api/v1` route
   * (so it runs for each of them, whatever spelling of the path reached it); a route opts out
   * with `config: { public: true }`.
   */
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    if (request.routeOptions.config?.public === true) return;
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const cookie = bearer ? undefined : request.cookies?.[SESSION_COOKIE];
    const principal = bearer ? await lookup('token', bearer) : cookie ? await lookup('session', cookie) : null;
    if (!principal) return sendError(reply, requestLanguage(request), 'unauthorized');
    // A cookie is sent by the browser on its own, even for a form posted from another site; a
    // custom header is not. Changes made with a session cookie must carry it.
    if (principal.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !request.headers[CSRF_HEADER]) {
      return sendError(reply, requestLanguage(request), 'forbidden', csrfMissing, { reason: 'csrf_header_missing' });
    }
    if (principal.twoFactorSetupRequired && request.routeOptions.config?.beforeTwoFactor !== true) {
      return sendError(reply, requestLanguage(request), 'forbidden', twoFactorFirst, { reason: 'two_factor_setup_required' });
    }
    request.principal = principal;
  }

  return {
    authenticate,
    forget(kind: 'token' | 'session', secret: string) {
      cache.delete(`${kind}:${hashToken(secret)}`);
    },
    /** After a workspace-wide change (two-factor required): every next request is looked up again. */
    forgetAll() {
      cache.clear();
    },
    /** After a person's role, activity, password or tokens change: their next request is looked up again. */
    forgetUser(userId: string) {
      // Refusals too: a reactivated person's token was cached as refused.
      for (const [key, entry] of cache) if (entry.principal === null || entry.principal.userId === userId) cache.delete(key);
    },
  };
}
