import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { migrateToLatest } from './migrate.ts';
import { PgliteDialect, PgliteSession } from './pglite-dialect.ts';
import type { SqlExecutor } from './sql-executor.ts';

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
  // pg-boss's own schema and our queues are in the dump too (scripts/prepare-pglite-template.ts): they count.
  hash.update(readFileSync(path.join(root, 'node_modules', 'pg-boss', 'package.json')));
  hash.update(readFileSync(path.join(import.meta.dirname, '..', 'delivery', 'job-queue.ts')));
  hash.update(readFileSync(path.join(import.meta.dirname, '..', 'delivery', 'queues.ts')));
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

/**
 * A first start on disk: the dump is unpacked straight into the data directory, which PGlite then
 * opens as an existing database. Letting PGlite load the dump itself writes the same 1 100 files
 * through its emulated file system, about 0.6 s slower here. `PG_VERSION` is written last: a crash
 * half-way leaves a directory that the next start unpacks again. Answers false (nothing written)
 * when there is no dump or it holds anything but plain directories and files.
 */
export function unpackPgliteTemplate(dataDir: string): boolean {
  const file = templatePath();
  if (!existsSync(file)) return false;
  const entries = readUstar(readFileSync(file));
  if (!entries) return false;
  const root = path.resolve(dataDir);
  mkdirSync(root, { recursive: true });
  const last: TarEntry[] = [];
  for (const entry of entries) {
    const target = path.resolve(root, `.${entry.name}`);
    if (target === root && entry.type === 'dir') continue;
    if (!target.startsWith(`${root}${path.sep}`)) return false;
    if (entry.type === 'dir') mkdirSync(target, { recursive: true, mode: entry.mode });
    else if (path.basename(target) === 'PG_VERSION' && path.dirname(target) === root) last.push(entry);
    else writeEntry(target, entry);
  }
  for (const entry of last) writeEntry(path.resolve(root, `.${entry.name}`), entry);
  return true;
}

interface TarEntry {
  name: string;
  type: 'dir' | 'file';
  mode: number;
  data: Uint8Array;
}

function writeEntry(target: string, entry: TarEntry): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const fd = openSync(target, 'w', entry.mode);
  try {
    let offset = 0;
    while (offset < entry.data.length) offset += writeSync(fd, entry.data, offset, entry.data.length - offset);
  } finally {
    closeSync(fd);
  }
}

/** The entries of a POSIX ustar archive of directories and regular files, or null for anything else. */
function readUstar(tar: Buffer): TarEntry[] | null {
  const entries: TarEntry[] = [];
  const field = (at: number, length: number) => {
    const raw = tar.subarray(at, at + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString('utf8');
  };
  let at = 0;
  while (at + 512 <= tar.length) {
    if (tar[at] === 0) break; // the two zero blocks that end the archive
    if (field(at + 257, 6) !== 'ustar') return null;
    const prefix = field(at + 345, 155);
    const name = prefix ? `${prefix}/${field(at, 100)}` : field(at, 100);
    const size = Number.parseInt(field(at + 124, 12).trim() || '0', 8);
    const mode = Number.parseInt(field(at + 100, 8).trim() || '0', 8) & 0o777;
    const flag = String.fromCharCode(tar[at + 156] ?? 0);
    const type = flag === '5' ? 'dir' : flag === '0' || flag === '\0' ? 'file' : null;
    if (!type || !Number.isFinite(size) || name.includes('..')) return null;
    const start = at + 512;
    if (start + size > tar.length) return null;
    entries.push({ name: name.startsWith('/') ? name : `/${name}`, type, mode, data: tar.subarray(start, start + size) });
    at = start + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/**
 * Migrates a fresh PGlite database, lets `prepare` add what else belongs in the dump (the install
 * script creates pg-boss's schema and our queues: the job queue lives above `db/`, which must not
 * import it), and writes the dump.
 */
export async function writePgliteTemplate(prepare: (executor: SqlExecutor) => Promise<void> = async () => {}): Promise<string> {
  const file = templatePath();
  const pglite = await PGlite.create();
  const session = new PgliteSession(pglite);
  await migrateToLatest(new Kysely({ dialect: new PgliteDialect(session) }));
  await prepare({ executeSql: (text, values) => session.run(() => session.execute(text, values)) });
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  // Dumps of earlier schemas are 40 MB each and never read again.
  for (const old of readdirSync(path.dirname(file))) {
    if (/^pglite-.*\.tar$/.test(old) && old !== path.basename(file)) rmSync(path.join(path.dirname(file), old), { force: true });
  }
  return file;
}
