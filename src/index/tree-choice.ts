// Which indexed tree answers for a thread. Code changes between releases, so a
// fact from a tree far from the thread (a symbol added or removed since) is
// weak evidence: a tree named on the command line wins; then a git tree that
// holds the thread's `base-commit:` (git format-patch --base records the
// commit the series applies to); then the tree released nearest the thread's
// date. Whole trees come first: a subset answers only when no whole tree is
// there, and among subsets the same order holds. A thread with no date (a
// pasted page) is answered by the tree holding most of the files it names,
// else by the newest.

import { isoDay, releaseDateOf } from './releases.js';

export interface TreeCandidate {
  name: string;
  version: string | null;
  /** dir, git, tarball (symvers-only and partial trees are not candidates) */
  kind: string;
  commit: string | null;
  /** a git tree's commit date (ISO) */
  commitDate: string | null;
  /** only some files of a tree are indexed */
  subset: boolean;
}

export interface TreeHints {
  /** the thread's date (its first message) */
  date?: Date;
  /** the `base-commit:` a patch of the thread names */
  baseCommit?: string;
  /** source files the thread names (diff headers, compiler and linker output) */
  paths?: string[];
}

/** The top-level source directories of the kernel tree (the root of linux.git). */
const TOP_DIRS = [
  'arch',
  'block',
  'certs',
  'crypto',
  'drivers',
  'fs',
  'include',
  'init',
  'io_uring',
  'ipc',
  'kernel',
  'lib',
  'mm',
  'net',
  'rust',
  'samples',
  'scripts',
  'security',
  'sound',
  'tools',
  'usr',
  'virt',
];
/** a C, header or assembly file under one of them; "a/" and "b/" are git diff's prefixes. Bounded length: no quadratic backtracking on a long token. */
const SOURCE_PATH = new RegExp(`(?<![\\w.+-])(?:[ab]/)?((?:${TOP_DIRS.join('|')})/[\\w.+/-]{0,200}\\.[chS])(?![\\w/+-]|\\.\\w)`, 'g');
/** enough to tell trees apart; a tree-wide patch names thousands */
const MAX_PATHS = 64;

/** The kernel source files a text names ("mm/percpu-vm.c:188: undefined reference", "+++ b/mm/Kconfig" is not one: only .c/.h/.S). */
export function sourcePathsIn(texts: string[]): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(SOURCE_PATH)) {
      out.add(m[1]!);
      if (out.size >= MAX_PATHS) return [...out];
    }
  }
  return [...out];
}

export interface TreeChoice {
  name: string;
  /** why this tree, in words */
  because: string;
  /** the date its code base was released (ISO day), when known */
  released?: string;
  /** the thread date it was chosen for (ISO day) */
  threadDate?: string;
}

/** When a tree's code base dates from: a git tree's commit, else its version's mainline release. */
export function treeDate(t: TreeCandidate): { date: string; how: string } | undefined {
  if (t.commitDate) return { date: t.commitDate.slice(0, 10), how: `the tree's commit ${t.commit?.slice(0, 12) ?? ''} is from` };
  const r = t.version ? releaseDateOf(t.version) : undefined;
  return r ? { date: r.date, how: r.estimated ? 'the tree was tagged about' : 'the tree was released' } : undefined;
}

const DAY = 24 * 3600 * 1000;

export function chooseTree(
  trees: TreeCandidate[],
  hints: TreeHints,
  opts: { named?: string; hasCommit?: (tree: TreeCandidate, sha: string) => boolean; holds?: (tree: TreeCandidate, path: string) => boolean } = {},
): TreeChoice | undefined {
  const threadDate = hints.date && !Number.isNaN(hints.date.getTime()) ? isoDay(hints.date.getTime()) : undefined;
  const out = (t: TreeCandidate, because: string): TreeChoice => ({ name: t.name, because, released: treeDate(t)?.date, threadDate });
  if (opts.named) {
    const t = trees.find((x) => x.name === opts.named);
    return t ? out(t, `named with --tree`) : undefined;
  }
  if (!trees.length) return undefined;
  // a subset answers for a few files only: any whole tree is the better witness
  const whole = trees.filter((t) => !t.subset);
  const pool = whole.length ? whole : trees;
  const base = hints.baseCommit?.toLowerCase();
  if (base && opts.hasCommit) {
    const holding = pool.filter((t) => t.kind === 'git' && (t.commit?.startsWith(base) || opts.hasCommit!(t, base)));
    // the tree at that very commit, else the earliest one that contains it
    const exact = holding.find((t) => t.commit?.startsWith(base));
    const best = exact ?? [...holding].sort((a, b) => (a.commitDate ?? '').localeCompare(b.commitDate ?? ''))[0];
    if (best) return out(best, `the thread's base-commit ${base.slice(0, 12)} is ${exact ? "this git tree's commit" : 'in this git tree'}`);
  }
  const dated = pool.flatMap((t) => {
    const d = treeDate(t);
    return d ? [{ t, d }] : [];
  });
  if (threadDate && dated.length) {
    const at = Date.parse(threadDate);
    // nearest in time; between two equally near, the older (it cannot hold code from after the thread)
    const best = [...dated].sort((a, b) => Math.abs(Date.parse(a.d.date) - at) - Math.abs(Date.parse(b.d.date) - at) || a.d.date.localeCompare(b.d.date))[0]!;
    const months = Math.round(Math.abs(Date.parse(best.d.date) - at) / (30.4 * DAY));
    const others = dated.filter((x) => x !== best).map((x) => `${x.t.name} ${x.d.date}`);
    const side = Date.parse(best.d.date) <= at ? 'before' : 'after';
    return out(
      best.t,
      `the thread is from ${threadDate}; ${best.d.how} ${best.d.date}, ${months ? `${months} month${months > 1 ? 's' : ''} ${side}` : 'the same month'}${others.length ? `, the nearest of the trees (also ${others.join(', ')})` : ''}`,
    );
  }
  // nothing to place the thread in time: the tree that can speak for most of the files it names, else the newest
  const byDate = [...pool].sort((a, b) => (treeDate(b)?.date ?? '').localeCompare(treeDate(a)?.date ?? ''));
  const paths = hints.paths ?? [];
  if (!threadDate && paths.length && opts.holds && pool.length > 1) {
    const held = byDate.map((t) => ({ t, n: paths.filter((p) => opts.holds!(t, p)).length }));
    const most = Math.max(...held.map((h) => h.n));
    // trees that all hold as many tell nothing apart: the newest then, as without the paths
    if (held.some((h) => h.n < most)) {
      const best = held.find((h) => h.n === most)!;
      return out(
        best.t,
        `the thread has no date; this tree holds ${most} of the ${paths.length} source file${paths.length > 1 ? 's' : ''} it names, ${held.filter((h) => h.n === most).length > 1 ? 'the newest of those holding the most' : 'the most of the trees'}`,
      );
    }
  }
  const newest = byDate[0]!;
  return out(newest, threadDate ? 'no tree has a known release date: the newest' : 'the thread has no date: the newest tree');
}
