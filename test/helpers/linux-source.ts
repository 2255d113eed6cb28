// Debian's linux-source-6.1 tarball as a small tree for get_maintainer.pl: one
// pass of `xz -dc` through tar-stream keeps every directory (the script tests
// F: patterns with `-d`), MAINTAINERS, scripts/get_maintainer.pl, the files
// its top_of_kernel_tree() wants, and a sample of real files chosen by a fixed
// rule (every Nth regular file in the tarball's order), with their contents
// (the script matches K: keywords against a -f file's text).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tarStream from 'tar-stream';

export const LINUX_SOURCE_61 = '/usr/src/linux-source-6.1.tar.xz';

const KEEP = new Set(['MAINTAINERS', 'scripts/get_maintainer.pl', 'COPYING', 'CREDITS', 'Kbuild', 'Makefile', 'README']);

export interface SampledTree {
  root: string;
  /** the sampled files, in the tarball's order */
  sample: string[];
  dirs: Set<string>;
  files: number;
  seconds: number;
}

/** Every `every`th regular file (the `offset`th first), below the tarball's top directory. */
export async function sampleLinuxSource(tarball: string, every: number, offset: number): Promise<SampledTree> {
  const t0 = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'ktriage-linux61-'));
  const dirs = new Set<string>();
  const sample: string[] = [];
  let files = 0;
  const xz = spawn('xz', ['-dc', '--', tarball], { stdio: ['ignore', 'pipe', 'inherit'] });
  const extract = tarStream.extract();
  xz.stdout.pipe(extract);
  for await (const entry of extract) {
    const name = entry.header.name.replace(/^[^/]+\/?/, '').replace(/\/$/, '');
    let wanted = false;
    if (entry.header.type === 'directory' && name) dirs.add(name);
    else if (entry.header.type === 'file') {
      wanted = KEEP.has(name) || files % every === offset;
      if (files % every === offset) sample.push(name);
      files++;
    }
    if (!wanted) {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    mkdirSync(join(root, dirname(name)), { recursive: true });
    writeFileSync(join(root, name), Buffer.concat(chunks));
  }
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of KEEP) if (!existsSync(join(root, f))) writeFileSync(join(root, f), '');
  return { root, sample, dirs, files, seconds: (Date.now() - t0) / 1000 };
}
