import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bin/errata.js and scripts/server-build.js copied beside a tiny src/ of their own: the real
// launcher, compiling and running sources this test may change.
const repo = path.resolve(import.meta.dirname, '..');
let root: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/errata.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MAIN = `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeting } from './greeting.ts';

export async function runCli(argv: string[]): Promise<void> {
  if (argv[2] === 'throw') throw new Error('boom');
  const data: string = readFileSync(join(import.meta.dirname, 'data.txt'), 'utf8');
  process.stdout.write(\`\${greeting} \${data}\\n\`);
}
`;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'errata-build-'));
  cpSync(path.join(repo, 'bin/errata.js'), path.join(root, 'bin/errata.js'));
  cpSync(path.join(repo, 'scripts/server-build.js'), path.join(root, 'scripts/server-build.js'));
  symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  write('src/cli/main.ts', MAIN);
  write('src/cli/greeting.ts', `export const greeting: string = 'one';\n`);
  write('src/cli/data.txt', 'beside the source');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('bin/errata.js runs the compiled server, never a stale one', () => {
  it('compiles on first run and finds files next to the sources', () => {
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('one beside the source\n');
    const manifest = JSON.parse(readFileSync(path.join(root, 'dist/server/manifest.json'), 'utf8'));
    expect(manifest.inputs).toEqual(['src/cli/greeting.ts', 'src/cli/main.ts']);
    // Unchanged sources: the same bundle runs again.
    const bundle = path.join(root, 'dist/server', manifest.bundle);
    const builtAt = statSync(bundle).mtimeMs;
    expect(run().stdout).toBe('one beside the source\n');
    expect(statSync(bundle).mtimeMs).toBe(builtAt);
  });

  it('runs an imported source changed since the build, even with the same size and time stamp', () => {
    const file = path.join(root, 'src/cli/greeting.ts');
    const before = statSync(file);
    write('src/cli/greeting.ts', `export const greeting: string = 'two';\n`);
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    expect(run().stdout).toBe('two beside the source\n');
  });

  it('names the .ts line in stack traces', () => {
    const result = run('throw');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('boom');
    expect(result.stderr).toMatch(/src\/cli\/main\.ts:6:/);
  });

  it('never falls back on the old bundle when the sources no longer compile', () => {
    write('src/cli/greeting.ts', `export const greeting: string = 'three' +;\n`);
    const result = run();
    expect(result.stdout).not.toContain('two');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('compiling on the fly with tsx');
    write('src/cli/greeting.ts', `export const greeting: string = 'four';\n`);
    expect(run().stdout).toBe('four beside the source\n');
  });
});
