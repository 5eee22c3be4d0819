import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import type { Metrics } from '../observability/metrics.ts';
import { installAuthentication } from './authentication.ts';
import { installErrorHandling, sendError } from './error-handler.ts';
import { requestLanguage } from './request-language.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import { contactRoutes } from './routes/contact-routes.ts';
import { conversationRoutes } from './routes/conversation-routes.ts';
import { eventStreamRoutes } from './routes/event-stream-routes.ts';
import { guardFeedbackRoutes } from './routes/guard-feedback-routes.ts';
import { guardRoutes } from './routes/guard-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { simulatorRoutes } from './routes/simulator-routes.ts';
import { teamRoutes } from './routes/team-routes.ts';
import { mediaRoutes } from './routes/media-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

export interface ServerOptions {
  metrics: Metrics;
  /** Only errors and slow requests are logged under load; `info` logs every request. */
  logRequests: boolean;
  webhookMediaLimitBytes?: number | undefined;
}

export async function buildServer(ctx: AppContext, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>() as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Actions such as cancel carry no body; clients often still send the JSON content type.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  installErrorHandling(app);
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
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes(ctx, auth));
      await api.register(channelRoutes(ctx));
      await api.register(contactRoutes(ctx));
      await api.register(messageRoutes(ctx));
      await api.register(mediaRoutes(ctx));
      await api.register(conversationRoutes(ctx));
      await api.register(simulatorRoutes(ctx));
      await api.register(guardRoutes(ctx));
      await api.register(guardFeedbackRoutes(ctx));
      await api.register(eventStreamRoutes(ctx));
      await api.register(teamRoutes(ctx, auth));
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
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url === '/metrics' || url === '/healthz' || path.extname(url) !== '') {
      return sendError(reply, requestLanguage(request), 'not_found');
    }
    return reply.sendFile('index.html');
  });
}
