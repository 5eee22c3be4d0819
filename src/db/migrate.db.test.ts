import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';

// On an in-memory PGlite of its own: the restart's shortcut must never hide a migration the
// database has not run (a database without a migration table goes to the Migrator, as at install).
describe.runIf(process.env.ERRATA_TEST_DB !== 'postgres')('migrations', () => {
  it('none to run on a migrated database, and one it lacks is named', async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      expect(await migrateToLatest(handle.db)).toEqual([]);
      expect(await pendingMigrations(handle.db)).toEqual([]);

      const names = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db)).rows.map((r) => r.name);
      expect(names.length).toBeGreaterThan(10);
      await sql`delete from kysely_migration where name = ${names.at(-1)!}`.execute(handle.db);
      expect(await pendingMigrations(handle.db)).toEqual([names.at(-1)]);
    } finally {
      await handle.close();
    }
  });
});
