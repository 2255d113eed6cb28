// Running the built CLI (bin/ktriage.js over dist/) from the index tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './index-fixtures.js';

function newestMtime(dir: string, ext: RegExp): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (ext.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than any source file. */
export function ensureDist(): void {
  const main = join(REPO, 'dist', 'cli', 'main.js');
  const indexCmd = join(REPO, 'dist', 'cli', 'index-cmd.js');
  const built = existsSync(main) && existsSync(indexCmd) ? Math.min(statSync(main).mtimeMs, statSync(indexCmd).mtimeMs) : 0;
  if (built && built >= newestMtime(join(REPO, 'src'), /\.ts$/)) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** node bin/ktriage.js <args>, with KTRIAGE_INDEX/XDG_DATA_HOME/KTRIAGE_DEBUG cleared unless given. */
export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KTRIAGE_INDEX;
  delete env.KTRIAGE_DEBUG;
  delete env.XDG_DATA_HOME;
  Object.assign(env, opts.env ?? {});
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'ktriage.js'), ...args], { cwd: opts.cwd ?? REPO, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
