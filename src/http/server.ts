import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { healthRoutes, type Readiness } from './routes/health-routes.ts';
import type { Metrics } from '../observability/metrics.ts';
import { installAuthentication } from './authentication.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandling, sendError } from './error-handler.ts';
import { parseJsonBody, refuseUnsafeText } from './input-checks.ts';
import { requestLanguage } from './request-language.ts';
import { analyticsRoutes } from './routes/analytics-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import { contactRoutes } from './routes/contact-routes.ts';
import { conversationRoutes } from './routes/conversation-routes.ts';
import { inboxRoutes } from './routes/inbox-routes.ts';
import { eventStreamRoutes } from './routes/event-stream-routes.ts';
import { guardFeedbackRoutes } from './routes/guard-feedback-routes.ts';
import { guardRoutes } from './routes/guard-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { simulatorRoutes } from './routes/simulator-routes.ts';
import { platformRoutes } from './routes/platform-routes.ts';
import { teamRoutes } from './routes/team-routes.ts';
import { mediaRoutes } from './routes/media-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

export interface ServerOptions {
  metrics: Metrics;
  /** Only errors and slow requests are logged under load; `info` logs every request. */
  logRequests: boolean;
  webhookMediaLimitBytes?: number | undefined;
  /** `GET /metrics` needs `Authorization: Bearer <this>` (ERRATA_METRICS_TOKEN); without it, metrics are not served. */
  metricsToken?: string | undefined;
  /** `POST /api/v1/workspaces` needs `Authorization: Bearer <this>` (ERRATA_PLATFORM_TOKEN); without it, the route refuses everyone. */
  platformToken?: string | undefined;
  /**
   * Which proxies to believe about the client (X-Forwarded-For/-Proto): Fastify's `trustProxy`
   * (ERRATA_TRUST_PROXY). It decides the client IP sign-in throttling counts and whether cookies
   * get `Secure` behind a TLS-terminating proxy.
   */
  trustProxy?: boolean | number | string | undefined;
  /** What `GET /readyz` checks (the app's database, jobs, realtime relay and shutdown state). */
  readiness?: Readiness | undefined;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
}

const routeLists = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the server registered (tests walk them all). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routeLists.get(app) ?? [];
}

export async function buildServer(ctx: AppContext, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    trustProxy: (options.trustProxy ?? false) as boolean,
    // Every answer in our shape, including those Fastify and Node write before any route runs.
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: false,
    // zod validates and serialises every route (set below too): given here, Fastify never loads
    // its default Ajv and fast-json-stringify compilers, about 40 ms of every start.
    // (Fastify types these factories for Ajv only; a zod compiler is what setValidatorCompiler takes.)
    schemaController: { compilersFactory: { buildValidator: () => validatorCompiler, buildSerializer: () => serializerCompiler } } as unknown as FastifyServerOptions['schemaController'],
  }).withTypeProvider<ZodTypeProvider>() as unknown as FastifyInstance;

  const routes: RegisteredRoute[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, public: route.config?.public === true });
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Actions such as cancel carry no body; clients often still send the JSON content type. Bytes
  // that are not UTF-8 are refused, never stored as replacement characters.
  // JSON only: text/plain is what a cross-site form can post without a CORS preflight (415, not parsed).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  installErrorHandling(app);
  await app.register(fastifyHelmet, {
    // The web app is built by Vite: scripts and styles are files, nothing inline.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only meaningful over https; browsers ignore it on http.
    strictTransportSecurity: { maxAge: 180 * 86_400, includeSubDomains: false },
  });
  await app.register(fastifyCookie);
  const auth = installAuthentication(app, ctx);

  app.addHook('onResponse', async (request, reply) => {
    options.metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unknown', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Errata API',
        description:
          'Team inbox for WhatsApp Business: pre-send checks, hold (undo send), edit, honest delete for me / for everyone, corrections. Authenticate with `Authorization: Bearer <token>`.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes(options.readiness));
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!metricsTokenMatches(options.metricsToken, request.headers.authorization)) {
      return sendError(reply, requestLanguage(request), 'unauthorized', options.metricsToken ? undefined : metricsOff);
    }
    reply.type(options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  await app.register(
    async (api) => {
      // Every route in here is authenticated (unless it says `config: { public: true }`), and no
      // text PostgreSQL cannot store gets past validation.
      api.addHook('onRequest', auth.authenticate);
      api.addHook('preValidation', refuseUnsafeText);
      await api.register(authRoutes(ctx, auth, options.metrics));
      await api.register(channelRoutes(ctx));
      await api.register(contactRoutes(ctx));
      await api.register(messageRoutes(ctx));
      await api.register(mediaRoutes(ctx));
      await api.register(conversationRoutes(ctx));
      await api.register(inboxRoutes(ctx));
      await api.register(simulatorRoutes(ctx));
      await api.register(guardRoutes(ctx));
      await api.register(guardFeedbackRoutes(ctx));
      await api.register(analyticsRoutes(ctx));
      await api.register(eventStreamRoutes(ctx));
      await api.register(teamRoutes(ctx, auth));
      await api.register(platformRoutes(ctx, { platformToken: options.platformToken }));
    },
    { prefix: '/api/v1' },
  );

  await app.register(webhookRoutes(ctx, options.metrics, { mediaLimitBytes: options.webhookMediaLimitBytes }));

  await serveWebApp(app);

  return app;
}

const webDist = path.resolve(import.meta.dirname, '../../web/dist');

/**
 * The web app, built by `npm run build:web` (run at install). Unknown non-API paths answer its
 * index.html, so deep links work. Without a build, a short bilingual page points to the API docs.
 */
async function serveWebApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Errata</title></head><body>' +
            '<h1>Errata</h1><p lang="fr">L’application web n’est pas construite : lancez <code>npm run build:web</code>. ' +
            '<a href="/api/docs">Documentation de l’API</a></p><p lang="en">The web app is not built: run ' +
            '<code>npm run build:web</code>. <a href="/api/docs">API documentation</a></p></body></html>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root: webDist, prefix: '/', index: ['index.html'], wildcard: false });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = normalisedPath(request.url);
    if (/^\/(api|metrics|healthz|readyz|webhooks)(\/|$)/.test(url) || path.extname(url) !== '') {
      return sendError(reply, requestLanguage(request), 'not_found');
    }
    return reply.sendFile('index.html');
  });
}

/**
 * How a lenient client or proxy might read a path: decoded, slashes collapsed, lower case. Only
 * used to answer 404 rather than the web app to anything that looks like another route; routes
 * themselves are matched by Fastify, and authentication is a property of the route.
 */
function normalisedPath(url: string): string {
  let p = url.split('?')[0] ?? '/';
  try {
    p = decodeURIComponent(p);
  } catch {
    // keep it encoded
  }
  return p.replace(/\/{2,}/g, '/').toLowerCase();
}

const metricsOff = {
  en: 'Metrics are served only with a token: set ERRATA_METRICS_TOKEN and send it as a bearer token.',
  fr: 'Les métriques ne sont servies qu’avec un jeton : définissez ERRATA_METRICS_TOKEN et envoyez-le comme jeton Bearer.',
};

function metricsTokenMatches(expected: string | undefined, header: string | undefined): boolean {
  if (!expected || typeof header !== 'string') return false;
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!given) return false;
  const digest = (value: string) => createHmac('sha256', 'errata-metrics').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
