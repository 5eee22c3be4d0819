import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { PgliteDialect, PgliteSession } from './pglite-dialect.ts';
import { preparingPool } from './prepared-statements.ts';
import { loadPgliteTemplate, unpackPgliteTemplate } from './pglite-template.ts';
import type { Database } from './schema.ts';
import type { SqlExecutor } from './sql-executor.ts';

export type { SqlExecutor } from './sql-executor.ts';

export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Kysely<Database>;
  /** Runs SQL outside any transaction (pg-boss's own work). */
  executor: SqlExecutor;
  close(): Promise<void>;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;

const INT8_OID = 20;
// Counters and sequence numbers stay far below 2^53; numbers are easier everywhere than strings.
const parseInt8 = (value: string) => Number(value);

export interface OpenDatabaseOptions {
  /** postgres:// URL. When absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Sets search_path, so tests can isolate pg-boss (never our tables) if they want. */
  applicationName?: string;
  /** Told when an idle pooled connection dies (database restarted, connection killed). */
  onIdleConnectionError?: (error: Error) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 20),
    application_name: options.applicationName ?? 'errata',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose connection dies emits 'error' on the pool; unheard, that would end the
  // process (a database restart must not take Errata down). The pool replaces it on next use.
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  // Behind a pooler that cannot keep prepared statements per client (PgBouncer in transaction
  // mode before 1.21), DATABASE_PREPARED_STATEMENTS=off sends every statement unnamed.
  const prepared = process.env.DATABASE_PREPARED_STATEMENTS !== 'off';
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: prepared ? preparingPool(pool) : pool }) });
  return {
    kind: 'postgres',
    db,
    executor: { executeSql: (text, values) => pool.query(text, values) },
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    let fresh = inMemory || !existsSync(path.join(dataDir, 'PG_VERSION'));
    // On disk, unpacking the dump ourselves is faster than having PGlite load it.
    if (fresh && !inMemory && unpackPgliteTemplate(dataDir)) fresh = false;
    const template = fresh ? loadPgliteTemplate() : undefined;
    pglite = await PGlite.create(inMemory ? undefined : dataDir, {
      parsers: { [INT8_OID]: parseInt8 },
      ...(template ? { loadDataDir: template } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const session = new PgliteSession(pglite);
  const db = new Kysely<Database>({ dialect: new PgliteDialect(session) });
  return {
    kind: 'pglite',
    db,
    executor: { executeSql: (text, values) => session.run(() => session.execute(text, values)) },
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/** pg-boss writes its job rows through this, so a job is enqueued in the same transaction as the change. */
export function transactionExecutor(trx: Tx): SqlExecutor {
  return {
    executeSql: async (text, values) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}
