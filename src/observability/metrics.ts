import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Webhook facts by provider and what became of them (applied, duplicate, deferred, unmatched, ignored). */
  webhookEvents: Counter<'provider' | 'outcome'>;
  /** Failed sign-ins: a wrong address or password (`bad_credentials`), or refused unchecked (`throttled`). */
  signInFailures: Counter<'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'errata_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'errata_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'errata_webhook_events_total',
      help: 'Webhook events received from providers, by outcome',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
    signInFailures: new Counter({
      name: 'errata_sign_in_failures_total',
      help: 'Failed sign-ins, by reason (bad_credentials, throttled)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
