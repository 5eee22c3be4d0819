import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Statements whose text starts with this comment are sent to PostgreSQL as named prepared
 * statements: each connection parses and analyses them once instead of on every call. Reserved for
 * the few hot statements with a fixed text (accepting a message is a seven-table statement that
 * PostgreSQL otherwise re-parses for every message). PGlite reads the marker as a plain comment.
 */
export const PREPARED = '/* prepared */';

const names = new Map<string, string>();

/** A stable name per statement text, so two texts never share a name on one connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `errata_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** The pool Kysely's PostgreSQL dialect reads from, naming the marked statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        // biome-ignore lint/suspicious/noExplicitAny: Kysely's overloads (text or cursor) pass straight through
        query: ((text: any, parameters?: readonly unknown[]) =>
          typeof text === 'string' && text.startsWith(PREPARED)
            ? client.query({ name: statementName(text), text, values: parameters as unknown[] })
            : client.query(text, parameters as unknown[])) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
