import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Creating a PGlite database from nothing runs initdb (about 2.5 s here); loading a dump of a
 * freshly initialised one takes a third of that. `npm install` makes the dump once
 * (scripts/prepare-pglite-template.ts); the first start and every test database load it. Without
 * it, PGlite simply runs initdb.
 */
const root = path.resolve(import.meta.dirname, '../..');

function templatePath(): string {
  const manifest = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return path.join(root, 'node_modules', '.cache', 'errata', `pglite-${version}-initdb.tar`);
}

export function loadPgliteTemplate(): Blob | undefined {
  const file = templatePath();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

export async function writePgliteTemplate(): Promise<string> {
  const file = templatePath();
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  return file;
}
