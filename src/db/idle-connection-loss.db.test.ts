import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';

const onPostgres = process.env.ERRATA_TEST_DB === 'postgres';

describe.runIf(onPostgres)('an idle pooled connection that dies (database restarted, connection killed)', () => {
  it('is reported, never thrown at the process, and the pool answers the next query on a new one', async () => {
    const lost: Error[] = [];
    const handle = await openDatabase({
      databaseUrl: process.env.ERRATA_TEST_DATABASE_URL,
      poolSize: 2,
      applicationName: 'errata-idle-loss-test',
      onIdleConnectionError: (error) => lost.push(error),
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
      const pid = before.rows[0]!.pid;
      // Another session kills the pool's idle connection, as a restart or an operator would.
      const killer = await openDatabase({ databaseUrl: process.env.ERRATA_TEST_DATABASE_URL, poolSize: 1 });
      await sql`select pg_terminate_backend(${pid})`.execute(killer.db);
      await killer.close();
      await expect.poll(() => lost.length, { timeout: 5_000 }).toBeGreaterThan(0);
      const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
      expect(after.rows[0]!.pid).not.toBe(pid);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await handle.close();
    }
  });
});
