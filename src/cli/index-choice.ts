// Which kernel index `thread` and `eval` consult: --index PATH, else
// $KTRIAGE_INDEX, else the user's default index when it exists, else the index
// bundled with ktriage (data/index/bundled.sqlite.gz, unpacked once into the
// cache: ./bundled-index.ts); --no-index for none.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KtriageError } from '../core/errors.js';
import type { Message } from '../core/types.js';
import { sourcePathsIn, type TreeHints } from '../index/tree-choice.js';
import { openIndexPort, type OpenedIndex } from '../store/index-port.js';
import { BUNDLED_INDEX_GZ, unpackBundledIndex } from './bundled-index.js';

/** Where `ktriage index build` writes by default: $KTRIAGE_INDEX, else under $XDG_DATA_HOME. */
export function defaultIndexPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KTRIAGE_INDEX) return env.KTRIAGE_INDEX;
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'ktriage', 'index.sqlite');
}

export interface IndexFlags {
  index?: string;
  tree?: string;
  noIndex?: boolean;
}

/** The index flags of `thread` and `eval` (--db is the old name of --index). */
export const INDEX_OPTIONS = {
  index: { type: 'string' },
  db: { type: 'string' },
  tree: { type: 'string' },
  'no-index': { type: 'boolean' },
} as const;

/** chooseIndex for the parsed INDEX_OPTIONS values. */
export function indexFromValues(values: { index?: unknown; db?: unknown; tree?: unknown; 'no-index'?: unknown }, env: NodeJS.ProcessEnv = process.env): OpenedIndex | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return chooseIndex({ index: str(values.index) ?? str(values.db), tree: str(values.tree), noIndex: Boolean(values['no-index']) }, env);
}

export interface BundledOptions {
  /** the gzipped index (tests give their own) */
  gz?: string;
  /** one line on stderr when the bundled index cannot be used */
  warn?: (line: string) => void;
}

/**
 * The bundled index, unpacked (once) and opened read-only; a copy SQLite
 * cannot read is unpacked again. When no directory can hold it, ktriage
 * judges without an index and says so in one line on stderr: the verdict
 * still stands on the thread's own evidence.
 */
export function openBundledIndex(treeName: string | undefined, env: NodeJS.ProcessEnv = process.env, opts: BundledOptions = {}): OpenedIndex | undefined {
  const gz = opts.gz ?? BUNDLED_INDEX_GZ;
  if (!existsSync(gz)) return undefined;
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const force of [false, true]) {
    const u = unpackBundledIndex({ gz, env, force });
    if (!u.ok) {
      warn(`ktriage: judging without an index: the bundled index cannot be unpacked: ${u.why}`);
      return undefined;
    }
    try {
      return openIndexPort(u.path, treeName);
    } catch (e) {
      // a --tree the index lacks is the user's error, not a damaged copy
      if (e instanceof KtriageError && e.code === 'E_NOT_FOUND') throw e;
      if (force || u.wrote) {
        warn(`ktriage: judging without an index: the bundled index unpacked at ${u.path} cannot be read (${(e as Error).message})`);
        return undefined;
      }
    }
  }
  return undefined;
}

export function chooseIndex(flags: IndexFlags, env: NodeJS.ProcessEnv = process.env, bundled: BundledOptions = {}): OpenedIndex | undefined {
  if (flags.noIndex) return undefined;
  const explicit = flags.index ?? env.KTRIAGE_INDEX;
  if (explicit) {
    if (!existsSync(explicit)) throw new KtriageError('E_NOT_FOUND', `${explicit}: no index there (build one with "ktriage index build <tree>")`);
    return openIndexPort(explicit, flags.tree);
  }
  const user = defaultIndexPath({ ...env, KTRIAGE_INDEX: undefined });
  if (existsSync(user)) return openIndexPort(user, flags.tree);
  return openBundledIndex(flags.tree, env, bundled);
}

/** `base-commit: <sha>` as git format-patch --base writes it, below the patch or the cover letter. */
const BASE_COMMIT = /^base-commit:[ \t]+([0-9a-f]{12,40})[ \t]*$/m;

/**
 * What places a thread in a tree's history: the date of its first message and
 * the base-commit a patch names (quoted copies in replies do not count: the
 * line must start the line); for a thread with no date, the source files it
 * names (which trees hold them).
 */
export function threadTreeHints(messages: Message[]): TreeHints {
  const times = messages.map((m) => (m.date ? Date.parse(m.date) : NaN)).filter((t) => !Number.isNaN(t));
  const base = messages.map((m) => BASE_COMMIT.exec(m.body)?.[1]).find(Boolean);
  const paths = times.length ? [] : sourcePathsIn(messages.map((m) => m.body));
  return { ...(times.length ? { date: new Date(Math.min(...times)) } : {}), ...(base ? { baseCommit: base } : {}), ...(paths.length ? { paths } : {}) };
}
