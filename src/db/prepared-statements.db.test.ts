import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PREPARED, preparingPool } from './prepared-statements.ts';

const onPostgres = process.env.ERRATA_TEST_DB === 'postgres';

describe.runIf(onPostgres)('named prepared statements on PostgreSQL', () => {
  it('prepares a marked statement once per connection and leaves unmarked ones alone', async () => {
    // One connection, so every statement below runs in the same session.
    const pool = new pg.Pool({ connectionString: process.env.ERRATA_TEST_DATABASE_URL, max: 1 });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    try {
      const marked = (n: number) => sql<{ doubled: number }>`${sql.raw(PREPARED)} select ${n}::int * 2 as doubled`.execute(db);
      expect((await marked(2)).rows).toEqual([{ doubled: 4 }]);
      expect((await marked(21)).rows).toEqual([{ doubled: 42 }]);
      // A different text gets its own name: texts never collide on one connection.
      const other = await sql<{ tripled: number }>`${sql.raw(PREPARED)} select ${5}::int * 3 as tripled`.execute(db);
      expect(other.rows).toEqual([{ tripled: 15 }]);
      await sql`select ${1}::int as plain`.execute(db);

      const prepared = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements order by statement`.execute(db);
      expect(prepared.rows).toHaveLength(2);
      expect(prepared.rows.every((r) => /^errata_[0-9a-f]{16}$/.test(r.name))).toBe(true);
      expect(prepared.rows.map((r) => r.statement)).toEqual([
        expect.stringContaining('* 2 as doubled'),
        expect.stringContaining('* 3 as tripled'),
      ]);
    } finally {
      await db.destroy();
    }
  });
});

describe.runIf(!onPostgres)('the prepared marker on PGlite', () => {
  it('is a plain comment there', async () => {
    const { openDatabase } = await import('./database.ts');
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      const result = await sql<{ doubled: number }>`${sql.raw(PREPARED)} select ${4}::int * 2 as doubled`.execute(handle.db);
      expect(result.rows).toEqual([{ doubled: 8 }]);
    } finally {
      await handle.close();
    }
  });
});
