import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { hashToken } from '../auth/secrets.ts';
import { findActiveToken } from '../db/queries/user-queries.ts';
import type { Role } from '../domain/actor.ts';
import { sendError } from './error-handler.ts';
import { requestLanguage } from './request-language.ts';

export interface Principal {
  workspaceId: string;
  userId: string;
  role: Role;
  name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

// A token lookup per request would cost the database a round trip on the hottest path; a short
// cache keeps revocation effective within seconds.
const CACHE_TTL_MS = 5_000;

export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  const cache = new Map<string, { principal: Principal | null; expires: number }>();
  app.decorateRequest('principal', null as unknown as Principal);

  async function principalFor(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    const now = Date.now();
    const hit = cache.get(hash);
    if (hit && hit.expires > now) return hit.principal;
    const row = await findActiveToken(ctx.db, hash);
    const principal = row ? { workspaceId: row.workspaceId, userId: row.userId, role: row.role, name: row.userName } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { principal, expires: now + CACHE_TTL_MS });
    return principal;
  }

  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const principal = match?.[1] ? await principalFor(match[1]) : null;
    if (!principal) return sendError(reply, requestLanguage(request), 'unauthorized');
    request.principal = principal;
  });
}
