import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../app-context.ts';

const HEARTBEAT_MS = 25_000;

/** Server-sent events of the caller's workspace: what changed, so clients refetch what they show. */
export function eventStreamRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/events', { schema: { tags: ['events'], summary: 'Server-sent events stream (text/event-stream)' } }, (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: connected\n\n`);
      const unsubscribe = ctx.bus.subscribe(request.principal.workspaceId, (event) => {
        // Unnamed events: one `onmessage` handler sees every type (the type is in the data).
        res.write(`data: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    });
  };
}
