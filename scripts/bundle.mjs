// The CLI as a few files instead of ~200 (`npm run build` runs it after tsc): Node's ESM
// loader resolves, reads and links each module, which was about half of `ktriage thread`'s
// start-up. esbuild splits at the commands' dynamic imports, so each command still loads
// only its own code and packages (left external: node_modules is resolved as before).
// Workers stay in dist/ (they are loaded by path); bin/ktriage.js falls back to dist/cli/
// when the bundle is missing.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${root}dist/cli/main.js` },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
