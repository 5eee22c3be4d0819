import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../commands/command-error.ts';
import { SESSION_SECONDS, SignInThrottle, signIn, signOut } from '../../commands/sign-in.ts';
import { loginBody, sessionSchema } from '../../contracts/api-schemas.ts';
import { getUser } from '../../db/queries/user-queries.ts';
import { getWorkspace } from '../../db/queries/workspace-queries.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { SESSION_COOKIE } from '../authentication.ts';

const tags = ['auth'];

export function authRoutes(ctx: AppContext, auth: { forget(kind: 'session', secret: string): void }, metrics: Metrics): FastifyPluginAsyncZod {
  const throttle = new SignInThrottle((reason) => metrics.signInFailures.labels(reason).inc());

  async function session(workspaceId: string, userId: string) {
    const [user, workspace] = await Promise.all([getUser(ctx.db, workspaceId, userId), getWorkspace(ctx.db, workspaceId)]);
    if (!user || !workspace) throw notFound({ en: 'User', fr: 'Utilisateur' });
    return {
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
      workspace: {
        id: workspace.id,
        name: workspace.name,
        country: workspace.country,
        language: workspace.language === 'en' ? ('en' as const) : ('fr' as const),
      },
    };
  }

  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          summary: 'Sign in with email and password; sets an HttpOnly session cookie',
          security: [],
          body: loginBody,
          response: { 200: sessionSchema },
        },
        config: { public: true },
      },
      async (request, reply) => {
        const result = await signIn(ctx, throttle, { ...request.body, ip: request.ip });
        reply.setCookie(SESSION_COOKIE, result.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: request.protocol === 'https',
          maxAge: SESSION_SECONDS,
        });
        return session(result.workspaceId, result.userId);
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null() } } },
      async (request, reply) => {
        const cookie = request.cookies[SESSION_COOKIE];
        if (cookie) {
          await signOut(ctx, cookie);
          auth.forget('session', cookie);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
        return reply.code(204).send(null);
      },
    );

    app.get('/auth/me', { schema: { tags, summary: 'Who is signed in', response: { 200: sessionSchema } } }, async (request) =>
      session(request.principal.workspaceId, request.principal.userId),
    );
  };
}
