// What an indexed tree can speak for. A fact found in a tree is a fact of that
// tree; something not found in it is unknown there, not absent from the
// kernel: the tree may be a subset of a tree's files, or older or newer than
// the thread (code is added, renamed and removed every release), and some
// definitions are made by macros the index does not expand. Every statement
// names its tree, and every "not found" says why it may not be found.

import { mainlineOf } from './releases.js';

export interface TreeScope {
  name: string;
  version: string | null;
  /** only these many files of a tree are indexed; what kinds, when known */
  subset: SubsetCover | null;
  /** when the tree's code base was released (ISO day) */
  released?: string;
  /** the date of the thread the tree answers for (ISO day) */
  threadDate?: string;
}

/** What a subset of a tree holds: its file count, and how many are Kconfig files and whether MAINTAINERS is one. */
export interface SubsetCover {
  files: number;
  kconfig?: number;
  maintainers?: boolean;
}

const count = (n: number) => n.toLocaleString('en');

/** "1,704 Kconfig files, MAINTAINERS and 16 other files"; undefined for a subset that holds neither kind. */
export function subsetCovers(c: SubsetCover): string | undefined {
  const kconfig = c.kconfig ?? 0;
  if (!kconfig && !c.maintainers) return undefined;
  const others = c.files - kconfig - (c.maintainers ? 1 : 0);
  const parts = [
    ...(kconfig ? [`${count(kconfig)} Kconfig file${kconfig > 1 ? 's' : ''}`] : []),
    ...(c.maintainers ? ['MAINTAINERS'] : []),
    ...(others > 0 ? [`${count(others)} other file${others > 1 ? 's' : ''}`] : []),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
}

/**
 * "tree 6.1.192"; a subset says what it holds: "the 6.1 subset (tree
 * 6.1-subset: 1,704 Kconfig files, MAINTAINERS and 16 other files)", or "the
 * 18-file 6.1 subset (tree 6.1-subset)".
 */
export function scopeLabel(s: TreeScope): string {
  if (!s.subset) return `tree ${s.name}`;
  const v = mainlineOf(s.version ?? '') ?? mainlineOf(s.name);
  // what the subset holds is said once, where the evidence names the tree (scopeIntro)
  if (subsetCovers(s.subset)) return `the ${v ? `${v} ` : ''}subset`;
  return `the ${count(s.subset.files)}-file ${v ? `${v} ` : ''}subset (tree ${s.name})`;
}

/** The first mention of a tree in a report: a subset with what it holds. */
export function scopeIntro(s: TreeScope): string {
  if (!s.subset) return `tree ${s.name}`;
  const v = mainlineOf(s.version ?? '') ?? mainlineOf(s.name);
  const covers = subsetCovers(s.subset);
  if (covers) return `the ${v ? `${v} ` : ''}subset (tree ${s.name}: ${covers})`;
  return `the ${count(s.subset.files)}-file ${v ? `${v} ` : ''}subset (tree ${s.name})`;
}

/** Why something the thread names may be missing from the tree, in words. */
export function absenceWhy(s: TreeScope): string {
  if (s.subset) return `only ${subsetCovers(s.subset) ? 'these ' : ''}${count(s.subset.files)} files of the tree are indexed`;
  if (s.released && s.threadDate) {
    if (s.threadDate > s.released) return `the tree dates from ${s.released}, the thread from ${s.threadDate}: it may have been added since`;
    if (s.threadDate < s.released) return `the tree dates from ${s.released}, the thread from ${s.threadDate}: it may have been renamed or removed since`;
  }
  return 'it may be newer or older than the tree, or generated at build time';
}

/** "X is unknown in tree T (why)": the one way an absence is stated; `first` when nothing before it named the tree. */
export function unknownIn(s: TreeScope, what: string, first = false): string {
  return `${what} is unknown in ${first ? scopeIntro(s) : scopeLabel(s)}: the index has no entry for it (${absenceWhy(s)})`;
}
