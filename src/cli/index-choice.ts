// Which kernel index `thread` and `eval` consult: --index PATH, else
// $KTRIAGE_INDEX, else the user's default index when it exists, else the small
// index bundled with ktriage (data/index/mini.sqlite); --no-index for none.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KtriageError } from '../core/errors.js';
import type { Message } from '../core/types.js';
import type { TreeHints } from '../index/tree-choice.js';
import { openIndexPort, type OpenedIndex } from '../store/index-port.js';

/** Where `ktriage index build` writes by default: $KTRIAGE_INDEX, else under $XDG_DATA_HOME. */
export function defaultIndexPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KTRIAGE_INDEX) return env.KTRIAGE_INDEX;
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'ktriage', 'index.sqlite');
}

export const BUNDLED_INDEX = fileURLToPath(new URL('../../data/index/mini.sqlite', import.meta.url));

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

export function chooseIndex(flags: IndexFlags, env: NodeJS.ProcessEnv = process.env): OpenedIndex | undefined {
  if (flags.noIndex) return undefined;
  const explicit = flags.index ?? env.KTRIAGE_INDEX;
  if (explicit) {
    if (!existsSync(explicit)) throw new KtriageError('E_NOT_FOUND', `${explicit}: no index there (build one with "ktriage index build <tree>")`);
    return openIndexPort(explicit, flags.tree);
  }
  const user = defaultIndexPath({ ...env, KTRIAGE_INDEX: undefined });
  if (existsSync(user)) return openIndexPort(user, flags.tree);
  if (existsSync(BUNDLED_INDEX)) return openIndexPort(BUNDLED_INDEX, flags.tree);
  return undefined;
}

/** `base-commit: <sha>` as git format-patch --base writes it, below the patch or the cover letter. */
const BASE_COMMIT = /^base-commit:[ \t]+([0-9a-f]{12,40})[ \t]*$/m;

/**
 * What places a thread in a tree's history: the date of its first message and
 * the base-commit a patch names (quoted copies in replies do not count: the
 * line must start the line).
 */
export function threadTreeHints(messages: Message[]): TreeHints {
  const times = messages.map((m) => (m.date ? Date.parse(m.date) : NaN)).filter((t) => !Number.isNaN(t));
  const base = messages.map((m) => BASE_COMMIT.exec(m.body)?.[1]).find(Boolean);
  return { ...(times.length ? { date: new Date(Math.min(...times)) } : {}), ...(base ? { baseCommit: base } : {}) };
}
