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

// The codes an entry's kind, storage and export type are stored as (the
// scanner writes them, the store reads them back). One table each.

export const KIND_CODES = { func: 1, proto: 2, decl: 3, var: 4, macro: 5, fmacro: 6, export: 7 } as const satisfies Record<SymbolRow['kind'], number>;
export const KIND_NAMES = Object.fromEntries(Object.entries(KIND_CODES).map(([k, v]) => [v, k])) as Record<number, keyof typeof KIND_CODES>;
export const STORAGE_CODES = { global: 1, static: 2, 'static-inline': 3, extern: 4, inline: 5 } as const;
export const STORAGE_NAMES = Object.fromEntries(Object.entries(STORAGE_CODES).map(([k, v]) => [v, k])) as Record<number, keyof typeof STORAGE_CODES>;
/** by code: 0 is none, the last one any other EXPORT_* macro */
export const EXPORT_TYPES = [
  '',
  'EXPORT_SYMBOL',
  'EXPORT_SYMBOL_GPL',
  'EXPORT_SYMBOL_NS',
  'EXPORT_SYMBOL_NS_GPL',
  'EXPORT_PER_CPU_SYMBOL',
  'EXPORT_PER_CPU_SYMBOL_GPL',
  'EXPORT_DATA_SYMBOL',
  'EXPORT_DATA_SYMBOL_GPL',
  'EXPORT_SYMBOL_FOR_MODULES',
  'EXPORT_SYMBOL_GPL_FOR_MODULES',
  'EXPORT_SYMBOL_FOR_TESTS_ONLY',
  'other',
] as const;
const EXPORT_TYPE_CODES = new Map<string, number>(EXPORT_TYPES.map((t, i) => [t, i]));

export function storageCode(storage: string | undefined): number {
  return storage ? ((STORAGE_CODES as Record<string, number>)[storage] ?? 0) : 0;
}

export function exportTypeCode(exportType: string | undefined): number {
  return exportType ? (EXPORT_TYPE_CODES.get(exportType) ?? EXPORT_TYPES.length - 1) : 0;
}
