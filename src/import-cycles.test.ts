import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No import cycle in src/ (type-only imports count: they tie modules together just the same). Our
 * imports are plain relative specifiers with the .ts extension, so a regular expression reads them;
 * TypeScript 7 has no JavaScript API to parse with.
 */
const root = import.meta.dirname;
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function importGraph(dir: string): Map<string, string[]> {
  const files = new Set(sourceFiles(dir));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec))
      .filter((target) => files.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One cycle through each back edge of a depth-first walk: none at all when the graph has no cycle. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('imports in src/', () => {
  it('finds a cycle when there is one, and reads our kinds of import', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    const real = importGraph(root);
    const app = real.get(path.join(root, 'app.ts')) ?? [];
    // a value import, a type-only import, a multi-line one and a dynamic import are all seen
    expect(app).toContain(path.join(root, 'db', 'database.ts'));
    expect(app).toContain(path.join(root, 'app-context.ts'));
    expect(real.get(path.join(root, 'commands', 'sign-in.ts'))).toContain(path.join(root, 'domain', 'sign-in-throttle.ts'));
    expect(real.get(path.join(root, 'cli', 'main.ts'))).toContain(path.join(root, 'commands', 'reprocess-webhooks.ts'));
  });

  it('form no cycle', () => {
    const cycles = findCycles(importGraph(root)).map((cycle) => cycle.map((file) => path.relative(root, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
