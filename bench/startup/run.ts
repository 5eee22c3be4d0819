/**
 * `npm run bench:startup` — time from `errata serve` to "ready" on PGlite: first start on an
 * empty data directory (database created, migrated, demo seeded) and a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../support/server-process.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'errata-startup-'));
try {
  const results: Record<string, number> = {};
  for (const label of ['first start (empty data dir, demo seeded)', 'restart', 'restart again']) {
    const server = await startServer({ ERRATA_DATA_DIR: dir, ERRATA_DEMO: '1' }, 3918);
    const response = await fetch(`${server.url}/healthz`);
    if (response.status !== 200) throw new Error(`healthz answered ${response.status}`);
    results[label] = Math.round(server.readyMs);
    await server.stop();
  }
  for (const [label, ms] of Object.entries(results)) process.stdout.write(`${label.padEnd(45)} ${ms} ms\n`);
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
