import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import { PgliteDialect, PgliteSession } from './pglite-dialect.ts';

// On its own in-memory PGlite (initdb, no dump): the Migrator's path on an empty database, then the
// restart's shortcut, which must never hide a migration the database has not run.
describe.runIf(process.env.ERRATA_TEST_DB !== 'postgres')('migrations', () => {
  it('runs every migration on an empty database, none on a restart, and names one a database lacks', async () => {
    const pglite = await PGlite.create();
    const db = new Kysely<unknown>({ dialect: new PgliteDialect(new PgliteSession(pglite)) });
    try {
      expect(await pendingMigrations(db)).not.toEqual([]);
      const ran = await migrateToLatest(db);
      expect(ran.length).toBeGreaterThan(10);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await pendingMigrations(db)).toEqual([]);

      const last = ran.at(-1)!;
      await sql`delete from kysely_migration where name = ${last}`.execute(db);
      expect(await pendingMigrations(db)).toEqual([last]);
    } finally {
      await db.destroy();
    }
  });
});
