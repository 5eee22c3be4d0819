import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as core from './migrations/0001-core.ts';
import * as guard from './migrations/0002-guard-approvals-sessions.ts';
import * as conversationOrder from './migrations/0003-conversation-order-index.ts';
import * as providerChannels from './migrations/0004-provider-channels.ts';
import * as leanEventKeys from './migrations/0005-lean-event-keys.ts';
import * as providerEventRetry from './migrations/0006-provider-event-retry.ts';
import * as webhookContent from './migrations/0007-webhook-content-identities.ts';
import * as guardFeedback from './migrations/0008-guard-feedback.ts';
import * as messageReplies from './migrations/0011-message-replies.ts';
import * as teamAdministration from './migrations/0014-team-administration.ts';
import * as sendLanes from './migrations/0016-send-lanes.ts';
import * as teamInbox from './migrations/0017-team-inbox.ts';
import * as deletionHealth from './migrations/0018-deletion-health.ts';

// Migrations are imported statically: no directory scanning, so they work the same from a
// checkout, from a bundle, and under tests.
const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-guard-approvals-sessions': guard,
  '0003-conversation-order-index': conversationOrder,
  '0004-provider-channels': providerChannels,
  '0005-lean-event-keys': leanEventKeys,
  '0006-provider-event-retry': providerEventRetry,
  '0007-webhook-content-identities': webhookContent,
  '0008-guard-feedback': guardFeedback,
  '0011-message-replies': messageReplies,
  '0014-team-administration': teamAdministration,
  '0016-send-lanes': sendLanes,
  '0017-team-inbox': teamInbox,
  '0018-deletion-health': deletionHealth,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * The migrations this database has run, or null before its first (no migration table). Two small
 * queries: Kysely's Migrator first introspects every table and column of the catalogue, about
 * 0.4 s of a restart on PGlite, to find out what this answers.
 */
async function executedMigrations<DB>(db: Kysely<DB>): Promise<Set<string> | null> {
  const table = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!table.rows[0]?.present) return null;
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.rows.map((row) => row.name));
}

const allRun = (executed: Set<string> | null) => executed !== null && Object.keys(migrations).every((name) => executed.has(name));

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  // A restart: nothing to run, and nothing to ask the Migrator.
  if (allRun(await executedMigrations(db))) return [];
  // 0007 is reserved for a migration still being written: a database that ran 0008 first must
  // still take 0007 when it lands, so the order of names is not enforced (migrations are independent).
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Our migrations this database has not run yet (readiness: empty when the schema is current). */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  if (allRun(await executedMigrations(db))) return [];
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider, allowUnorderedMigrations: true });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/** Any fixed number: the session lock under which a process prepares the schema at start-up. */
const SCHEMA_LOCK = 7_316_113_000;

/**
 * Runs `work` (migrations, pg-boss's schema and queues) while holding a session advisory lock on
 * one connection: two processes starting at once on an empty database prepare it one after the
 * other, the second finding everything done. PGlite is one process (its data directory is locked).
 */
export async function withSchemaLock<DB, T>(db: Kysely<DB>, kind: 'pglite' | 'postgres', work: () => Promise<T>): Promise<T> {
  if (kind !== 'postgres') return work();
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(SCHEMA_LOCK)})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(SCHEMA_LOCK)})`.execute(connection);
    }
  });
}
