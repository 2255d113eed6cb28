// The index bundled with ktriage ships gzipped (data/index/bundled.sqlite.gz,
// built by scripts/make-bundled-index.sh); SQLite reads only a plain file, so
// the first use unpacks it into the user's cache, named by a hash of the .gz
// bytes (a new ktriage brings a new name; a copy no ktriage used for a week
// is removed). The copy is written under a temporary name and renamed:
// rename(2) replaces the name atomically, so a process never opens a
// half-written file, and two first uses at once each write their own and one
// rename wins.

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const BUNDLED_INDEX_GZ = fileURLToPath(new URL('../../data/index/bundled.sqlite.gz', import.meta.url));

/** The first bytes of every SQLite database file (https://sqlite.org/fileformat.html, 1.3). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const COPY = /^bundled-[0-9a-f]{16}\.sqlite$/;
const TEMP = /^bundled-[0-9a-f]{16}\.sqlite\.\d+\.[0-9a-f]+\.tmp$/;
/** a temporary copy older than this was left by a process that died */
const STALE_TEMP_MS = 10 * 60 * 1000;
/** another version's copy unused this long is removed (two checkouts may share the cache: neither evicts the other) */
const UNUSED_COPY_MS = 7 * 24 * 3600 * 1000;
/** a copy's mtime says when it was last used, refreshed at most this often */
const TOUCH_EVERY_MS = 24 * 3600 * 1000;

/**
 * Where the copy may go: $XDG_CACHE_HOME/ktriage (the XDG Base Directory spec
 * ignores a relative value), else ~/.cache/ktriage; then a directory of this
 * user's own under the system's temporary directory.
 */
export function bundledCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return [join(xdg, 'ktriage'), join(env.TMPDIR || tmpdir(), `ktriage-${uid}`)];
}

export type Unpacked = { ok: true; path: string; wrote: boolean } | { ok: false; why: string };

/** Is the copy whole: SQLite's header, and the size gzip recorded (ISIZE, RFC 1952 2.3.1)? Marks it used. */
function isWhole(path: string, size: number, now: number): boolean {
  try {
    const st = statSync(path);
    if (st.size % 2 ** 32 !== size) return false;
    if (now - st.mtimeMs > TOUCH_EVERY_MS) {
      try {
        utimesSync(path, st.atime, new Date(now));
      } catch {
        // a cache we cannot write to: the copy is still good to read
      }
    }
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(SQLITE_MAGIC.length);
      return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_MAGIC);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** A directory of our own: under /tmp another user could have made it first. */
function ensureOwnDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error('not a directory');
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error('owned by another user');
}

/** Other versions' copies unused for a week, and temporary files of processes that died. */
function prune(dir: string, keep: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (name === keep) continue;
    const path = join(dir, name);
    try {
      const age = COPY.test(name) || TEMP.test(name) ? now - statSync(path).mtimeMs : 0;
      if ((COPY.test(name) && age > UNUSED_COPY_MS) || (TEMP.test(name) && age > STALE_TEMP_MS)) unlinkSync(path);
    } catch {
      // another process removed or replaced it first
    }
  }
}

/**
 * The path of an unpacked copy of the bundled index, written if it is missing
 * or not whole (force: rewritten, for a copy SQLite found corrupt). Failures
 * come back as data: why no directory could hold it.
 */
export function unpackBundledIndex(opts: { gz?: string; env?: NodeJS.ProcessEnv; force?: boolean } = {}): Unpacked {
  const gzPath = opts.gz ?? BUNDLED_INDEX_GZ;
  let gz: Buffer;
  try {
    gz = readFileSync(gzPath);
  } catch (e) {
    return { ok: false, why: `${gzPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  if (gz.length < 18) return { ok: false, why: `${gzPath}: not a gzip file` };
  const name = `bundled-${createHash('sha256').update(gz).digest('hex').slice(0, 16)}.sqlite`;
  const size = gz.readUInt32LE(gz.length - 4);
  let data: Buffer | undefined;
  const failures: string[] = [];
  for (const dir of bundledCacheDirs(opts.env)) {
    const path = join(dir, name);
    if (!opts.force && isWhole(path, size, Date.now())) return { ok: true, path, wrote: false };
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      ensureOwnDir(dir);
      try {
        data ??= gunzipSync(gz);
      } catch (e) {
        return { ok: false, why: `${gzPath}: cannot decompress (${(e as Error).message})` };
      }
      writeFileSync(temp, data, { flag: 'wx', mode: 0o644 });
      renameSync(temp, path);
      prune(dir, name, Date.now());
      return { ok: true, path, wrote: true };
    } catch (e) {
      try {
        unlinkSync(temp);
      } catch {
        // never created
      }
      failures.push(`${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return { ok: false, why: `no cache directory can hold it (${failures.join('; ')})` };
}
