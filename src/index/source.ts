// Where a tree's files come from: a directory, a git work tree (tracked and
// untracked-but-not-ignored files), or a source tarball read as a stream
// (xz through the system's `xz -dc`, gzip through zlib), never unpacked to disk.

import { spawn, execFileSync } from 'node:child_process';
import { closeSync, createReadStream, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { KtriageError } from '../core/errors.js';
import { fileKind } from './scan/file.js';

export interface SourceFile {
  /** path relative to the tree root, '/' separated */
  path: string;
  /** absolute path to read it from (directories) */
  abs?: string;
  /** the content (tarballs) */
  data?: Buffer;
  size: number;
  mtimeMs?: number;
}

export interface TreeSource {
  kind: 'dir' | 'git' | 'tarball';
  root: string;
  /** "6.1.192" from the top Makefile, when known before the walk */
  version?: string;
  commit?: string;
  /** a git tree's commit date (ISO 8601) */
  commitDate?: string;
  files(): AsyncGenerator<SourceFile>;
  /** every directory of the tree the last walk saw, indexed files or not (MAINTAINERS patterns name directories) */
  dirsSeen?: () => Set<string>;
  /** for tarballs the version is only known once the Makefile went by */
  versionSeen?: () => string | undefined;
}

/** The files the index reads: C, assembly, headers, Makefiles, Kbuild and Kconfig. */
const isIndexed = (path: string): boolean => fileKind(path) !== null;

const SKIP_DIRS = new Set(['.git', '.pc', '.tmp_versions', 'node_modules']);

export function versionFromMakefile(text: string): string | undefined {
  // one line each: EXTRAVERSION is often empty, and the next line must not leak in
  const get = (k: string) => new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, 'm').exec(text)?.[1] ?? '';
  const v = get('VERSION');
  if (!v) return undefined;
  return `${v}.${get('PATCHLEVEL') || 0}${get('SUBLEVEL') ? '.' + get('SUBLEVEL') : ''}${get('EXTRAVERSION')}`;
}

// Synchronous readdir/stat: on a 60,000-file tree the promise per stat cost
// more than the stats themselves (1.8 s against 0.3 s); this yields per directory.
async function* walkDir(root: string, dirs: Set<string>): AsyncGenerator<SourceFile> {
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let ents;
    try {
      ents = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    const out: SourceFile[] = [];
    for (const e of ents) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) {
          stack.push(p);
          dirs.add(p);
        }
      } else if (e.isFile() && isIndexed(p)) {
        const abs = join(root, p);
        const st = statSync(abs, { throwIfNoEntry: false });
        if (st) out.push({ path: p, abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
      }
    }
    yield* out;
  }
}

let gitDeduplicates: boolean | undefined;

/** Tracked and untracked-but-not-ignored paths. An unmerged path is listed once per stage unless git can deduplicate (2.31+). */
function gitLsFiles(root: string): Buffer {
  const args = ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'];
  const opts = { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  if (gitDeduplicates !== false) {
    try {
      const out = execFileSync('git', [...args, '--deduplicate'], opts);
      gitDeduplicates = true;
      return out;
    } catch (e) {
      // an older git does not know the option ("unknown option `deduplicate'"); other failures are failures
      if (!/deduplicate/.test(String((e as { stderr?: Buffer }).stderr ?? ''))) throw e;
      gitDeduplicates = false;
    }
  }
  return execFileSync('git', args, opts);
}

/** "a/b/c.c" adds "a" and "a/b". */
function addParents(path: string, dirs: Set<string>): void {
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
}

async function* gitFiles(root: string, dirs: Set<string>): AsyncGenerator<SourceFile> {
  const paths = gitLsFiles(root).toString('utf8').split('\0');
  for (const path of paths) {
    if (path) addParents(path, dirs);
    if (!path || !isIndexed(path)) continue;
    const abs = join(root, path);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st && st.isFile()) yield { path, abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
  }
}

function sniffFile(path: string): 'xz' | 'gz' | 'tar' | null {
  const buf = Buffer.alloc(512);
  const fd = openSync(path, 'r');
  let n = 0;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 6 && buf[0] === 0xfd && buf[1] === 0x37 && buf[2] === 0x7a && buf[3] === 0x58 && buf[4] === 0x5a) return 'xz';
  if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gz';
  if (n >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return null;
}

async function* tarFiles(path: string, kind: 'xz' | 'gz' | 'tar', onVersion: (v: string) => void, dirs: Set<string>): AsyncGenerator<SourceFile> {
  let input: NodeJS.ReadableStream;
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<{ code: number | null; error?: Error }> | undefined;
  let err = '';
  if (kind === 'xz') {
    const c = (child = spawn('xz', ['-dc', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let spawnError: Error | undefined;
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', (e) => (spawnError = e));
    exited = new Promise((resolve) => c.on('close', (code) => resolve({ code, error: spawnError })));
    input = c.stdout!;
    child.on('close', (code) => {
      if (code && code !== 0) (input as NodeJS.ReadableStream & { destroy(e: Error): void }).destroy(new KtriageError('E_IO', `${path}: xz failed (${err.trim() || 'exit ' + code})`));
    });
  } else if (kind === 'gz') input = createReadStream(path).pipe(createGunzip());
  else input = createReadStream(path);
  const extract = tarStream.extract();
  (input as NodeJS.ReadableStream).pipe(extract as unknown as NodeJS.WritableStream);
  input.on('error', (e: Error) => extract.destroy(e));
  let prefix: string | undefined;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      let name = h.name.replace(/^\.\//, '');
      // the tarball's top directory ("linux-source-6.1/") is not part of the tree's paths
      if (prefix === undefined) prefix = name.includes('/') ? name.slice(0, name.indexOf('/') + 1) : '';
      if (prefix && name.startsWith(prefix)) name = name.slice(prefix.length);
      addParents(h.type === 'directory' ? `${name.replace(/\/$/, '')}/` : name, dirs);
      if (h.type !== 'file' || !isIndexed(name)) {
        entry.resume();
        continue;
      }
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      const data = Buffer.concat(parts);
      if (name === 'Makefile') {
        const v = versionFromMakefile(data.toString('latin1'));
        if (v) onVersion(v);
      }
      yield { path: name, data, size: data.length, mtimeMs: h.mtime ? h.mtime.getTime() : undefined };
    }
    if (exited) {
      // a truncated .xz can decode to a tar that ends cleanly at an entry boundary: only xz's status tells
      const { code, error } = await exited;
      if (error || code !== 0) throw new KtriageError('E_IO', `${path}: xz failed (${err.trim() || error?.message || 'exit ' + code})`);
    }
  } catch (e) {
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: cannot read the tarball (${(e as Error).message})`);
  } finally {
    child?.kill();
  }
}

export async function openTree(spec: string): Promise<TreeSource> {
  let st;
  try {
    st = statSync(spec);
  } catch {
    throw new KtriageError('E_NOT_FOUND', `${spec}: no such file or directory`);
  }
  if (st.isDirectory()) {
    let version: string | undefined;
    try {
      version = versionFromMakefile(readFileSync(join(spec, 'Makefile'), 'latin1'));
    } catch {
      version = undefined;
    }
    let isGit = false;
    let commit: string | undefined;
    let commitDate: string | undefined;
    try {
      statSync(join(spec, '.git'));
      const [sha, date] = execFileSync('git', ['-C', spec, 'log', '-1', '--format=%H %cI', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim()
        .split(' ');
      commit = sha;
      commitDate = date;
      isGit = !!sha;
    } catch {
      isGit = false;
    }
    let dirs = new Set<string>();
    return {
      kind: isGit ? 'git' : 'dir',
      root: spec,
      version,
      commit,
      commitDate,
      files: () => {
        dirs = new Set();
        return isGit ? gitFiles(spec, dirs) : walkDir(spec, dirs);
      },
      dirsSeen: () => dirs,
    };
  }
  if (!st.isFile()) throw new KtriageError('E_IO', `${spec}: not a directory or a tarball`);
  const kind = sniffFile(spec);
  if (!kind) throw new KtriageError('E_NOT_MAIL', `${spec}: not a kernel tree (a directory) or a source tarball (.tar, .tar.xz, .tar.gz)`);
  let seen: string | undefined;
  let dirs = new Set<string>();
  return {
    kind: 'tarball',
    root: spec,
    files: () => {
      dirs = new Set();
      return tarFiles(spec, kind, (v) => (seen ??= v), dirs);
    },
    versionSeen: () => seen,
    dirsSeen: () => dirs,
  };
}

export { gitHasCommit } from './git-commit.js';

export function defaultTreeName(src: TreeSource): string {
  return src.version ?? src.versionSeen?.() ?? basename(src.root).replace(/\.tar(\.\w+)?$/, '');
}
