import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { SESSION_SECONDS, SignInThrottle, signIn, signOut } from '../../commands/sign-in.ts';
import { loginBody } from '../../contracts/api-schemas.ts';
import { meSchema } from '../../contracts/team-schemas.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { SESSION_COOKIE } from '../authentication.ts';
import { sessionView } from '../session-view.ts';

const tags = ['auth'];

export function authRoutes(ctx: AppContext, auth: { forget(kind: 'session', secret: string): void }, metrics: Metrics): FastifyPluginAsyncZod {
  const throttle = new SignInThrottle((reason) => metrics.signInFailures.labels(reason).inc());

  /** The session and what the caller may do (`permissions`), with the role the request acts with. */
  const session = (workspaceId: string, userId: string, actingRole?: string) => sessionView(ctx, workspaceId, userId, actingRole);

  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          summary: 'Sign in with email and password; sets an HttpOnly session cookie',
          security: [],
          body: loginBody,
          response: { 200: meSchema },
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
      { schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null() } }, config: { beforeTwoFactor: true } },
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

    app.get(
      '/auth/me',
      {
        schema: { tags, summary: 'Who is signed in, and what they may do (permissions, from can())', response: { 200: meSchema } },
        config: { beforeTwoFactor: true },
      },
      async (request) => session(request.principal.workspaceId, request.principal.userId, request.principal.role),
    );
  };
}
