import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { RESYNC_EVENT_TYPE } from '../../realtime/cluster-event-bus.ts';

const HEARTBEAT_MS = 25_000;

/** Server-sent events of the caller's workspace: what changed, so clients refetch what they show. */
export function eventStreamRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<ServerResponse>();
    let nextId = 0;
    // Shutdown: streams never end on their own; closing them lets in-flight requests finish and
    // browsers reconnect (to another process behind the proxy).
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });
    app.get('/events', { schema: { tags: ['events'], summary: 'Server-sent events stream (text/event-stream)' } }, (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // An id from the start, so that even a stream that carried no event is resumed as a reconnect.
      res.write(`retry: 3000\nid: ${++nextId}\n: connected\n\n`);
      const write = (event: object) => {
        // Unnamed events: one `onmessage` handler sees every type (the type is in the data).
        res.write(`id: ${++nextId}\ndata: ${JSON.stringify(event)}\n\n`);
      };
      // A browser that reconnects (its process restarted, or it lost the network) names the last
      // event it saw; whatever happened in between was not sent to it, so it refetches.
      if (request.headers['last-event-id'] !== undefined) {
        write({ type: RESYNC_EVENT_TYPE, workspaceId: request.principal.workspaceId, conversationId: null, messageId: null, at: ctx.clock.now().toISOString() });
      }
      const unsubscribe = ctx.bus.subscribe(request.principal.workspaceId, write);
      open.add(res);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        open.delete(res);
        clearInterval(heartbeat);
        unsubscribe();
      });
    });
  };
}
