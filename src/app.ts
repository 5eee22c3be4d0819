import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { AppContext } from './app-context.ts';
import { TtlCache } from './caches/ttl-cache.ts';
import { SecretBox } from './auth/secret-box.ts';
import { ChannelCache } from './channels/channel-cache.ts';
import { ProviderRegistry } from './channels/provider-registry.ts';
import { type Clock, systemClock } from './clock.ts';
import { openDatabase } from './db/database.ts';
import { createGuard } from './guard-runtime/create-guard.ts';
import { DeferredGuard } from './guard-runtime/deferred-guard.ts';
import { WorkspaceGuardDataCache } from './guard-runtime/workspace-guard-data.ts';
import { migrateToLatest, withSchemaLock } from './db/migrate.ts';
import { appReadiness } from './observability/readiness.ts';
import { buildServer } from './http/server.ts';
import { JobQueue } from './delivery/job-queue.ts';
import { ProviderEventApplier } from './delivery/provider-event-applier.ts';
import { defaultSenderOptions, ProviderSender, type SenderOptions } from './delivery/provider-sender.ts';
import { startRecoverySweep } from './delivery/recovery-sweep.ts';
import { startAlertLoop } from './commands/analytics/alert-loop.ts';
import { registerJobHandlers } from './delivery/register-handlers.ts';
import { createMetrics } from './observability/metrics.ts';
import { EventBus } from './realtime/event-bus.ts';
import { ClusterEventBus } from './realtime/cluster-event-bus.ts';
import { PgNotifications } from './db/notifications.ts';
import { type SmtpSettings, smtpMailer } from './mail/smtp-mailer.ts';

export interface AppOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  clock?: Clock;
  /** Run job workers in the background (the server does; tests drain jobs explicitly). */
  workers?: boolean;
  logger?: Logger;
  logRequests?: boolean;
  poolSize?: number;
  /** pg-boss's schema (default `pgboss`); tests isolate their jobs with their own. */
  jobSchema?: string;
  /** Seals channel secrets. Default: ERRATA_SECRET_KEY, else a throw-away key (tests). */
  secretBox?: SecretBox;
  /** How long a provider may take to answer one request. */
  providerTimeoutMs?: number;
  sender?: Partial<SenderOptions>;
  /** Largest body on webhook routes that may carry media inline (default 25 MiB). */
  webhookMediaLimitBytes?: number;
  /** `GET /metrics` needs this bearer token (ERRATA_METRICS_TOKEN); without one, metrics are not served. */
  metricsToken?: string | undefined;
  /** The platform operator's token for `POST /api/v1/workspaces` (ERRATA_PLATFORM_TOKEN). */
  platformToken?: string | undefined;
  /** Fastify's `trustProxy` (ERRATA_TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** Where invitation and reset e-mails go out (ERRATA_SMTP_URL, ERRATA_MAIL_FROM); unset, links are only shown. */
  smtp?: SmtpSettings | undefined;
}

export interface App {
  ctx: AppContext;
  server: FastifyInstance;
  /** The delivery loops behind `ctx.sender` and `ctx.providerEvents` (drain in tests and scripts). */
  sender: ProviderSender;
  providerEvents: ProviderEventApplier;
  close(): Promise<void>;
}

/** Opens the database, migrates it, starts pg-boss and builds the HTTP server. */
export async function createApp(options: AppOptions = {}): Promise<App> {
  const log = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  // The guard loads on first use or once the server listens (see DeferredGuard): loading it
  // beside the database's open slowed the open by about as much as it took.
  const guard = new DeferredGuard(() => createGuard({ defaultRegion: 'FR' }));
  const handle = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    poolSize: options.poolSize,
    onIdleConnectionError: (error) => log.warn({ err: error }, 'an idle database connection was lost; it is replaced on next use'),
  });
  let notifications: PgNotifications | null = null;
  let closing = false;
  try {
    const jobs = new JobQueue(handle.executor, { maintenance: options.workers ?? false, schema: options.jobSchema });
    // Two processes starting at once on an empty database prepare it one after the other.
    await withSchemaLock(handle.db, handle.kind, async () => {
      await migrateToLatest(handle.db);
      await jobs.init((error) => log.error({ err: error }, 'job queue error'));
    });
    const clock = options.clock ?? systemClock;
    // Several processes may share a PostgreSQL database: they hear each other through LISTEN/NOTIFY.
    notifications = handle.kind === 'postgres' && options.databaseUrl ? new PgNotifications(options.databaseUrl, log) : null;
    const bus = notifications ? new ClusterEventBus(handle.db, notifications, clock, log) : new EventBus();
    const ctx: AppContext = {
      db: handle.db,
      dbKind: handle.kind,
      clock,
      jobs,
      bus,
      log,
      channels: new ChannelCache(),
      guard,
      guardData: new WorkspaceGuardDataCache(),
      contacts: new TtlCache(30_000),
      mailer: options.smtp ? smtpMailer(options.smtp) : undefined,
      providers: new ProviderRegistry(
        options.secretBox ?? (process.env.ERRATA_SECRET_KEY ? SecretBox.fromKey(process.env.ERRATA_SECRET_KEY) : SecretBox.random()),
        { timeoutMs: options.providerTimeoutMs ?? 15_000 },
      ),
      // Replaced just below by the loops, which need the context themselves.
      sender: { wake: () => {} },
      providerEvents: { wake: () => {} },
    };
    const metrics = createMetrics();
    const providerEvents = new ProviderEventApplier(ctx, (report) => {
      metrics.webhookEvents.labels('any', 'applied').inc(report.applied);
      metrics.webhookEvents.labels('any', 'unmatched').inc(report.unmatched);
      metrics.webhookEvents.labels('any', 'deferred').inc(report.deferred);
      metrics.webhookEvents.labels('any', 'no_change').inc(report.noChange);
    });
    ctx.providerEvents = providerEvents;
    const sender = new ProviderSender(ctx, { ...defaultSenderOptions, ...options.sender }, notifications);
    ctx.sender = sender;
    registerJobHandlers(ctx);
    await notifications?.start();
    const server = await buildServer(ctx, {
      metrics,
      logRequests: options.logRequests ?? false,
      webhookMediaLimitBytes: options.webhookMediaLimitBytes,
      metricsToken: options.metricsToken,
      platformToken: options.platformToken,
      trustProxy: options.trustProxy,
      readiness: appReadiness({ db: handle.db, jobs, workers: options.workers ?? false, notifications, guard, closing: () => closing }),
    });
    server.addHook('onListen', async () => {
      void guard.load().catch((error: unknown) => log.error({ err: error }, 'guard failed to load'));
    });
    let stopSweep = () => {};
    if (options.workers) {
      jobs.startWorkers({ batchSize: 200 });
      await sender.start();
      providerEvents.start();
      stopSweep = startRecoverySweep(ctx);
      const stopAlerts = startAlertLoop(ctx);
      const stopRecovery = stopSweep;
      stopSweep = () => {
        stopRecovery();
        stopAlerts();
      };
    }
    return {
      ctx,
      server,
      sender,
      providerEvents,
      // A clean stop (SIGTERM): /readyz answers 503, no new connection is taken, requests in
      // flight finish (event streams are ended), provider calls in flight are answered and
      // recorded, then the sender lanes are given back to the other processes.
      close: async () => {
        closing = true;
        stopSweep();
        await Promise.all([server.close(), sender.stop(), providerEvents.stop()]);
        await jobs.stop();
        if (bus instanceof ClusterEventBus) await bus.idle();
        await notifications?.stop();
        await handle.close();
        guard.dispose();
        ctx.mailer?.close();
      },
    };
  } catch (error) {
    await notifications?.stop();
    await handle.close();
    guard.dispose();
    throw error;
  }
}
