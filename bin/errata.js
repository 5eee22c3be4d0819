#!/usr/bin/env node
// Runs the server compiled at install time (scripts/server-build.js), rebuilding it first when any
// source it was made from has changed since, so what runs is always what src/ says. Should the
// build be impossible (esbuild missing, a syntax error), tsx compiles the sources on the fly
// instead, with a warning. Stack traces name the .ts lines (source maps).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { currentServerBuild } from '../scripts/server-build.js';

const root = path.resolve(import.meta.dirname, '..');
let bundle = null;
try {
  bundle = await currentServerBuild(root);
} catch (error) {
  process.stderr.write(`errata: could not compile the server (${String(error?.message ?? error).split('\n')[0]}); compiling on the fly with tsx\n`);
}
let main;
if (bundle) {
  process.setSourceMapsEnabled(true);
  main = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../src/cli/main.ts');
}
await main.runCli(process.argv);
