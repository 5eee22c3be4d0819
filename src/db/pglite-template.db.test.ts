import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { unpackPgliteTemplate } from './pglite-template.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-template-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.env.ERRATA_TEST_DB !== 'postgres')('the embedded database on disk', () => {
  it('starts from the unpacked dump with the migrated schema, keeps data across a restart', async () => {
    const dir = path.join(tempDir(), 'db');
    expect(unpackPgliteTemplate(dir)).toBe(true);
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(path.join(dir, 'pg_wal'))).toContain('000000010000000000000001');

    let handle = await openDatabase({ dataDir: dir });
    // Nothing left to migrate: the dump holds every migration.
    expect(await migrateToLatest(handle.db)).toEqual([]);
    await sql`insert into workspaces (id, name, created_at) values (${'0b3f2c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e'}::uuid, 'Atelier', now())`.execute(handle.db);
    await handle.close();

    handle = await openDatabase({ dataDir: dir });
    const rows = await sql<{ name: string }>`select name from workspaces`.execute(handle.db);
    expect(rows.rows).toEqual([{ name: 'Atelier' }]);
    await handle.close();
  });

  it('a first start on an empty directory unpacks the dump before opening it', async () => {
    const dir = path.join(tempDir(), 'fresh');
    const handle = await openDatabase({ dataDir: dir });
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    expect(await migrateToLatest(handle.db)).toEqual([]);
    await handle.close();
  });
});
