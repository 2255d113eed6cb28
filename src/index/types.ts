// The index's answers as plain data: what lookups return, shared by the store
// (which fills them) and the pure code that reasons about them.

export interface SymbolRow {
  name: string;
  kind: 'func' | 'proto' | 'decl' | 'var' | 'macro' | 'fmacro' | 'export';
  storage?: string;
  exportType?: string;
  namespace?: string;
  path: string;
  line: number;
  /** preprocessor condition around the line */
  cond: string;
  /** condition that builds the file (C/asm sources reached by a Makefile), null if none */
  buildCond: string | null;
  buildVia: { makefile: string; line: number }[];
  moduleOnly: boolean;
  /** 'arm' for arch/arm/..., null for tree-wide files */
  arch: string | null;
}

export interface KconfigRow {
  name: string;
  path: string;
  line: number;
  type: string | null;
  prompt: string | null;
  dependsOn: string[];
  enclosing: string[];
  selects: { symbol: string; cond?: string }[];
  implies: { symbol: string; cond?: string }[];
  defaults: { value: string; cond?: string }[];
  help: string | null;
  arch: string | null;
}

export interface SelectorRow {
  by: string;
  kind: 'select' | 'imply';
  cond: string | null;
  path: string;
  line: number;
}

export interface SymversRow {
  crc: string | null;
  module: string;
  exportType: string;
  namespace: string | null;
}

export function archOfPath(path: string): string | null {
  const m = /^arch\/([^/]+)\//.exec(path);
  return m ? m[1]! : null;
}

