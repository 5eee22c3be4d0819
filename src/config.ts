import path from 'node:path';

/** Settings from the environment, read once at start-up. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demo: boolean;
  admin: { email: string | undefined; password: string | undefined; token: string | undefined };
  logLevel: string;
  /** A send attempt owns its message this long; after a crash, the message is retried once it ends. */
  sendLeaseSeconds: number;
  providerTimeoutMs: number;
  /** On SIGTERM, how long requests and provider calls in flight may take before the process exits anyway. */
  shutdownSeconds: number;
  /** Largest webhook body accepted on routes that may carry media inline (Evolution), in bytes. */
  webhookMediaLimitBytes: number;
  /** `GET /metrics` requires this as a bearer token; unset, metrics are not served. */
  metricsToken: string | undefined;
  /** Lets whoever holds it create workspaces over the API (`POST /api/v1/workspaces`); unset, nobody can. */
  platformToken: string | undefined;
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For/-Proto to believe (client IP, https). */
  trustProxy: boolean | number | string;
  /** Invitation and reset e-mails: ERRATA_SMTP_URL (`smtp://…`/`smtps://…`) and ERRATA_MAIL_FROM; unset, links are only shown. */
  smtp: { url: string; from: string } | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ERRATA_DATA_DIR ?? '.errata'),
    demo: env.ERRATA_DEMO !== '0',
    admin: {
      email: env.ERRATA_ADMIN_EMAIL || undefined,
      password: env.ERRATA_ADMIN_PASSWORD || undefined,
      token: env.ERRATA_ADMIN_TOKEN || undefined,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    sendLeaseSeconds: positiveNumber(env, 'ERRATA_SEND_LEASE_SECONDS', 60),
    providerTimeoutMs: positiveNumber(env, 'ERRATA_PROVIDER_TIMEOUT_MS', 15_000),
    shutdownSeconds: positiveNumber(env, 'ERRATA_SHUTDOWN_SECONDS', 30),
    webhookMediaLimitBytes: positiveNumber(env, 'ERRATA_WEBHOOK_MEDIA_LIMIT_BYTES', 25 * 1024 * 1024),
    metricsToken: env.ERRATA_METRICS_TOKEN || undefined,
    platformToken: env.ERRATA_PLATFORM_TOKEN || undefined,
    trustProxy: trustProxySetting(env.ERRATA_TRUST_PROXY),
    smtp: smtpSetting(env),
  };
}

/**
 * ERRATA_TRUST_PROXY: unset/`false` (the client is whoever connects), `true` (believe any proxy),
 * a number of proxy hops, or addresses/CIDRs of the proxies (`127.0.0.1,10.0.0.0/8`).
 */
export function trustProxySetting(raw: string | undefined): boolean | number | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^[0-9a-fA-F.:/, ]+$/.test(value)) throw new Error(`ERRATA_TRUST_PROXY must be true, false, a hop count or proxy addresses, got "${raw}"`);
  return value;
}

function smtpSetting(env: NodeJS.ProcessEnv): Config['smtp'] {
  const url = env.ERRATA_SMTP_URL?.trim();
  if (!url) return undefined;
  if (!/^smtps?:\/\/[^\s]+$/.test(url)) throw new Error('ERRATA_SMTP_URL must look like smtp://user:password@host:587 or smtps://…:465');
  return { url, from: env.ERRATA_MAIL_FROM?.trim() || 'Errata <errata@localhost>' };
}

/** PGlite keeps its files in a sub-folder, so the data directory can hold other things too. */
export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}
