import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

/** Starts `errata serve` as its own process (as a user would), and waits for "ready". */
export async function startServer(env: Record<string, string>, port: number): Promise<ServerProcess> {
  const started = performance.now();
  // BENCH_SERVER_ARGS: extra node flags for the server, e.g. --cpu-prof to see where time goes.
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, path.join(root, 'bin/errata.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ERRATA_DEMO: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Errata is ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // BENCH_SERVER_STDERR=1 passes the server's diagnostics through.
    if (process.env.BENCH_SERVER_STDERR) child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    readyMs: performance.now() - started,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
