// What the analysis may ask the kernel index, as a capability passed in (the
// analysis never opens a database). A port backed by SQLite lives in store/.

import type { KconfigRow, SelectorRow, SymbolRow, SymversRow } from '../index/types.js';

export interface FileBuild {
  /** condition that builds the file; null when no Makefile rule reaches it */
  cond: string | null;
  via: { makefile: string; line: number }[];
}

export interface IndexPort {
  tree: { name: string; version: string | null; kind: string };
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
}
