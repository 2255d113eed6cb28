// One file of a tree to what the index stores about it, in a compact form that
// crosses a worker boundary cheaply (names joined, numbers in a typed array).

import { parseMaintainers, type MaintainerSection } from '../maintainers.js';
import { exportTypeCode, KIND_CODES, storageCode } from '../types.js';
import { scanC, type CInclude } from './c.js';
import { scanKconfig, type KconfigScan } from './kconfig.js';
import { scanMakefile, type MakeItem } from './make.js';

export type FileKind = 'c' | 'make' | 'kconfig' | 'maintainers';

/** Numbers per entry in FileScan.nums. */
export const ENTRY_STRIDE = 5; // line, kind, storage, exportType, condIndex

export interface FileScan {
  path: string;
  hash: string;
  size: number;
  mtimeMs?: number;
  kind: FileKind;
  names?: string;
  nums?: Int32Array;
  conds?: string[];
  /** [entry index, namespace] for EXPORT_SYMBOL_NS* */
  namespaces?: [number, string][];
  includes?: CInclude[];
  makeItems?: MakeItem[];
  kconfig?: KconfigScan;
  maintainers?: MaintainerSection[];
  error?: string;
}

export function fileKind(path: string): FileKind | null {
  // the top-level MAINTAINERS only (a few drivers keep files of that name in their directories)
  if (path === 'MAINTAINERS') return 'maintainers';
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'Makefile' || base === 'Kbuild') return 'make';
  if (base.startsWith('Kconfig')) return 'kconfig';
  if (/\.(c|h|S)$/.test(base)) return 'c';
  return null;
}

export function scanFile(path: string, text: string, meta: { hash: string; size: number; mtimeMs?: number }): FileScan {
  const kind = fileKind(path);
  const base: FileScan = { path, ...meta, kind: kind ?? 'c' };
  try {
    if (kind === 'make') return { ...base, makeItems: scanMakefile(text).items };
    if (kind === 'kconfig') return { ...base, kconfig: scanKconfig(text) };
    if (kind === 'maintainers') return { ...base, maintainers: parseMaintainers(text) };
    const r = scanC(text, path);
    const condIndex = new Map<string, number>();
    const conds: string[] = [];
    const nums = new Int32Array(r.entries.length * ENTRY_STRIDE);
    const names: string[] = new Array(r.entries.length);
    const namespaces: [number, string][] = [];
    r.entries.forEach((e, k) => {
      let ci = condIndex.get(e.cond);
      if (ci === undefined) {
        ci = conds.length;
        conds.push(e.cond);
        condIndex.set(e.cond, ci);
      }
      names[k] = e.name;
      const o = k * ENTRY_STRIDE;
      nums[o] = e.line;
      nums[o + 1] = KIND_CODES[e.kind];
      nums[o + 2] = storageCode(e.storage);
      nums[o + 3] = exportTypeCode(e.exportType);
      nums[o + 4] = ci;
      if (e.namespace) namespaces.push([k, e.namespace]);
    });
    return { ...base, names: names.join('\n'), nums, conds, namespaces, includes: r.includes };
  } catch (e) {
    // one file that trips the scanner must not stop the build
    return { ...base, error: (e as Error).message };
  }
}
