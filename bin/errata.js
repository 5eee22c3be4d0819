#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx compiles them on the fly), so there is no build step
// between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
