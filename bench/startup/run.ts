/**
 * `npm run bench:startup` — time from `errata serve` to "ready" on PGlite: first start on an
 * empty data directory (database created, migrated, demo seeded) and restarts, against a bare
 * reference measured in the same run (bench/startup/reference-server.js: Fastify opening that same
 * PGlite database on disk and answering one route). Absolute times move with the machine; the
 * ratios are the bars (issue 18): restart ≤ 1.5 ×, first start ≤ 2.5 × the reference.
 *
 * Each time runs from spawning `node` to the ready line (Errata: "Errata is ready", printed once it
 * listens with its database, schema, jobs and demo in place); "guard loaded" is when `/readyz`
 * first answers 200 (the guard loads once the server listens). Restarts and reference runs
 * alternate, so a busy machine slows both alike; medians are compared.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../support/server-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ERRATA_PORT = 3918;
const REFERENCE_PORT = 3919;

async function startReference(dataDir: string): Promise<{ readyMs: number; stop(): Promise<void> }> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bench/startup/reference-server.js'), dataDir], {
    cwd: root,
    env: { ...process.env, PORT: String(REFERENCE_PORT) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Reference is ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`reference exited with ${code}:\n${output}`)));
  });
  const readyMs = performance.now() - started;
  const response = await fetch(`http://127.0.0.1:${REFERENCE_PORT}/healthz`);
  if (response.status !== 200) throw new Error(`reference answered ${response.status}`);
  return {
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts Errata; answers its ready time and when /readyz first said ready (guard loaded). */
async function startErrata(dataDir: string, demo: boolean) {
  const server = await startServer({ ERRATA_DATA_DIR: dataDir, ERRATA_DEMO: demo ? '1' : '0' }, ERRATA_PORT);
  const spawnedAt = performance.now() - server.readyMs;
  for (;;) {
    const response = await fetch(`${server.url}/readyz`);
    if (response.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const fullyReadyMs = performance.now() - spawnedAt;
  await server.stop();
  return { readyMs: server.readyMs, fullyReadyMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (value: number) => `${Math.round(value)} ms`;

const dirs: string[] = [];
try {
  const firstStarts: { readyMs: number; fullyReadyMs: number }[] = [];
  const restarts: { readyMs: number; fullyReadyMs: number }[] = [];
  const references: number[] = [];
  let dataDir = '';
  for (let round = 0; round < ROUNDS; round++) {
    // A first start on a fresh data directory each round (demo seeded), then a restart on it, then
    // the reference on a copy of the database Errata left (the reference opens it as it is).
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'errata-startup-'));
    dirs.push(dataDir);
    firstStarts.push(await startErrata(dataDir, true));
    restarts.push(await startErrata(dataDir, true));
    const copy = mkdtempSync(path.join(os.tmpdir(), 'errata-startup-reference-'));
    dirs.push(copy);
    cpSync(path.join(dataDir, 'pglite'), copy, { recursive: true });
    const reference = await startReference(copy);
    references.push(reference.readyMs);
    await reference.stop();
    process.stdout.write(
      `round ${round + 1}: first start ${ms(firstStarts.at(-1)!.readyMs)}, restart ${ms(restarts.at(-1)!.readyMs)}, reference ${ms(reference.readyMs)}\n`,
    );
  }
  const reference = median(references);
  const first = median(firstStarts.map((r) => r.readyMs));
  const restart = median(restarts.map((r) => r.readyMs));
  const rows: [string, number, string][] = [
    ['reference (Fastify + PGlite on disk, one route)', reference, ''],
    ['errata first start (empty data dir, demo seeded)', first, `${(first / reference).toFixed(2)} × reference (bar 2.5 ×)`],
    ['errata restart', restart, `${(restart / reference).toFixed(2)} × reference (bar 1.5 ×)`],
    ['errata first start, guard loaded (/readyz 200)', median(firstStarts.map((r) => r.fullyReadyMs)), ''],
    ['errata restart, guard loaded (/readyz 200)', median(restarts.map((r) => r.fullyReadyMs)), ''],
  ];
  process.stdout.write(`\nmedians of ${ROUNDS} rounds (load average ${os.loadavg()[0]!.toFixed(2)})\n`);
  for (const [label, value, note] of rows) process.stdout.write(`${label.padEnd(50)} ${ms(value).padStart(8)}  ${note}\n`);
  process.stdout.write(
    `${JSON.stringify({ referenceMs: Math.round(reference), firstStartMs: Math.round(first), restartMs: Math.round(restart), firstStartRatio: +(first / reference).toFixed(2), restartRatio: +(restart / reference).toFixed(2) })}\n`,
  );
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
