import type { FastifyPluginAsync } from 'fastify';

/** What `GET /readyz` checks; each answers true when that part of the process can serve. */
export interface Readiness {
  checks(): Promise<Record<ReadinessCheck, boolean>>;
}
export type ReadinessCheck = 'database' | 'migrations' | 'jobs' | 'realtime' | 'guard' | 'accepting';

/**
 * Probes for a load balancer or an orchestrator, unauthenticated and tiny: `/healthz` says the
 * process answers; `/readyz` says it can do its work (database reachable, schema current, job
 * workers running, realtime relay listening, the guard loaded, not shutting down). Neither tells more than the
 * names of the checks that fail: no versions, no error texts, no addresses.
 */
export function healthRoutes(readiness: Readiness | undefined): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    });
    app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const checks = readiness ? await readiness.checks() : { database: true, migrations: true, jobs: true, realtime: true, guard: true, accepting: true };
      const failing = (Object.keys(checks) as ReadinessCheck[]).filter((name) => !checks[name]);
      if (failing.length === 0) return { status: 'ready' };
      return reply.code(503).send({ status: 'not_ready', failing });
    });
  };
}
