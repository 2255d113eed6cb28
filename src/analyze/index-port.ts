// What the analysis may ask the kernel index, as a capability passed in (the
// analysis never opens a database). A port backed by SQLite lives in store/.

import type { MaintainerMatch, MaintainerSection } from '../index/maintainers.js';
import type { TreeScope } from '../index/scope.js';
import type { KconfigRow, SelectorRow, SymbolRow, SymversRow } from '../index/types.js';

export interface FileBuild {
  /** condition that builds the file; null when no Makefile rule reaches it */
  cond: string | null;
  via: { makefile: string; line: number }[];
}

/** The tree a port answers from: what it covers, when it dates from, and why it was chosen. */
export interface PortTree extends TreeScope {
  kind: string;
  /** why this tree answers for the thread (--tree, base-commit, the nearest release) */
  chosenBecause?: string;
}

export interface IndexPort {
  tree: PortTree;
  lookup(symbol: string): SymbolRow[];
  symvers(symbol: string): SymversRow[];
  kconfig(name: string): KconfigRow[];
  /** what selects or implies a Kconfig symbol */
  selectedBy(name: string): SelectorRow[];
  /** undefined when the file is not in the tree */
  fileBuild(path: string): FileBuild | undefined;
  exists(path: string): boolean;
  /** files whose build condition is exactly this text (the other arm of an implementation switch) */
  filesBuiltUnder(cond: string): string[];
  /**
   * MAINTAINERS sections for these paths, the most specific F: match first (as
   * scripts/get_maintainer.pl orders them); empty when the tree has no MAINTAINERS.
   */
  maintainers?(paths: string[]): MaintainerMatch[];
  /** maintainers() and then the sections whose K: keywords the patch's text matches, as get_maintainer.pl answers for a patch */
  maintainersForPatch?(paths: string[], patchText: string): MaintainerMatch[];
  /** the MAINTAINERS section with this title (case aside): whom a subsystem's digest goes to */
  maintainerSection?(title: string): MaintainerSection | undefined;
}
