import type { Db } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { PgNotifications } from '../db/notifications.ts';
import { pingDatabase } from '../db/queries/health-queries.ts';
import type { Readiness, ReadinessCheck } from '../http/routes/health-routes.ts';
import type { Guard } from '../guard-runtime/create-guard.ts';
import { DeferredGuard } from '../guard-runtime/deferred-guard.ts';
import type { JobQueue } from '../delivery/job-queue.ts';

/** `GET /readyz` for one app: each check cheap enough for a proxy to poll every second or two. */
export function appReadiness(parts: {
  db: Db;
  jobs: JobQueue;
  /** Whether this app runs job workers at all (the server does; CLI commands do not serve). */
  workers: boolean;
  notifications: PgNotifications | null;
  /** Loads once the server listens; draft checks wait for it until then. */
  guard?: Guard | DeferredGuard;
  closing: () => boolean;
}): Readiness {
  let migrationsCurrent = false;
  return {
    async checks(): Promise<Record<ReadinessCheck, boolean>> {
      const database = await pingDatabase(parts.db, 2_000);
      // Once current, the schema stays current for this process (migrations only add).
      if (database && !migrationsCurrent) migrationsCurrent = await pendingMigrations(parts.db).then((p) => p.length === 0, () => false);
      return {
        database,
        migrations: migrationsCurrent,
        jobs: !parts.workers || parts.jobs.workersRunning,
        realtime: !parts.notifications || parts.notifications.listening,
        guard: !(parts.guard instanceof DeferredGuard) || parts.guard.loaded,
        accepting: !parts.closing(),
      };
    },
  };
}
