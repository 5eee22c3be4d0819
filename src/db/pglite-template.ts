import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { JobQueue } from '../jobs/job-queue.ts';
import { migrateToLatest } from './migrate.ts';
import { PgliteDialect, PgliteSession } from './pglite-dialect.ts';

/**
 * Creating a PGlite database from nothing runs initdb (about 2.5 s here), our migrations (about
 * 0.5 s) and pg-boss's schema (about 0.4 s); loading a dump of a freshly initialised and migrated one takes a fraction of
 * that. `npm install` makes the dump once (scripts/prepare-pglite-template.ts); the first start and
 * every test database load it. Its name carries a fingerprint of the migration files, so a changed
 * or added migration never loads a stale schema: without a matching dump, PGlite runs initdb and
 * the migrations run as usual.
 */
const root = path.resolve(import.meta.dirname, '../..');

function migrationsFingerprint(): string {
  const dir = path.join(import.meta.dirname, 'migrations');
  const hash = createHash('sha256');
  // pg-boss's own schema is in the dump too: its version counts.
  hash.update(readFileSync(path.join(root, 'node_modules', 'pg-boss', 'package.json')));
  hash.update(readFileSync(path.join(import.meta.dirname, '..', 'jobs', 'job-queue.ts')));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file);
    hash.update(readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function templatePath(): string {
  const manifest = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return path.join(root, 'node_modules', '.cache', 'errata', `pglite-${version}-schema-${migrationsFingerprint()}.tar`);
}

export function loadPgliteTemplate(): Blob | undefined {
  const file = templatePath();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

export async function writePgliteTemplate(): Promise<string> {
  const file = templatePath();
  const pglite = await PGlite.create();
  const session = new PgliteSession(pglite);
  await migrateToLatest(new Kysely({ dialect: new PgliteDialect(session) }));
  // pg-boss creates its schema and our queues on first start; do it here once instead.
  const jobs = new JobQueue({ executeSql: (text, values) => session.run(() => session.execute(text, values)) }, { maintenance: false });
  await jobs.init((error) => {
    throw error;
  });
  await jobs.stop();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  return file;
}
