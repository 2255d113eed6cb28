#!/usr/bin/env node
// Runs the built CLI: the bundle (dist/bundle/, fewer modules to load at start-up) made by
// `npm run build` (which `npm ci` runs via prepare), or tsc's output when only that exists.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
