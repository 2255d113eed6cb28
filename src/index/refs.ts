// Which files of a tree mention a symbol: a scan of the tree's sources on
// demand (a directory or git work tree is read in place, a tarball streamed),
// whole words only, first line of each file.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KtriageError } from '../core/errors.js';
import { fileKind } from './scan/file.js';
import { openTree } from './source.js';

export interface RefHit {
  path: string;
  line: number;
}

function isWordByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95);
}

/** First whole-word occurrence of `needle` in `buf`, as a 1-based line, or 0. */
export function firstWordLine(buf: Buffer, needle: Buffer): number {
  // an empty needle is found everywhere and would never move on
  if (!needle.length) return 0;
  let at = buf.indexOf(needle);
  while (at >= 0) {
    if (!isWordByte(buf[at - 1]) && !isWordByte(buf[at + needle.length])) {
      let line = 1;
      for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) line++;
      return line;
    }
    at = buf.indexOf(needle, at + 1);
  }
  return 0;
}

export async function scanRefs(source: string, kind: string, paths: string[], symbol: string): Promise<RefHit[]> {
  const needle = Buffer.from(symbol, 'latin1');
  const wanted = (p: string) => fileKind(p) === 'c';
  const hits: RefHit[] = [];
  if (kind === 'tarball') {
    const src = await openTree(source);
    for await (const f of src.files()) {
      if (!wanted(f.path) || !f.data) continue;
      const line = firstWordLine(f.data, needle);
      if (line) hits.push({ path: f.path, line });
    }
    return hits.sort((a, b) => a.path.localeCompare(b.path));
  }
  const list = paths.filter(wanted);
  let missing = 0;
  const CONCURRENCY = 16;
  for (let i = 0; i < list.length; i += CONCURRENCY) {
    const slice = list.slice(i, i + CONCURRENCY);
    const bufs = await Promise.all(slice.map((p) => readFile(join(source, p)).catch(() => null)));
    bufs.forEach((b, k) => {
      if (!b) {
        missing++;
        return;
      }
      const line = firstWordLine(b, needle);
      if (line) hits.push({ path: slice[k]!, line });
    });
  }
  if (missing === list.length && list.length) throw new KtriageError('E_NOT_FOUND', `${source}: the tree's files are not there any more; refs needs the tree the index was built from`);
  return hits;
}
