// Worker thread: read (or receive), hash and scan a batch of files.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { scanFile, type FileScan } from './scan/file.js';

export interface WorkItem {
  path: string;
  abs?: string;
  data?: Uint8Array;
  size: number;
  mtimeMs?: number;
}

export interface WorkBatch {
  id: number;
  items: WorkItem[];
}

export interface WorkResult {
  id: number;
  scans: FileScan[];
}

export function scanItem(item: WorkItem): FileScan {
  let buf: Buffer;
  try {
    buf = item.data ? Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength) : readFileSync(item.abs!);
  } catch (e) {
    return { path: item.path, hash: '', size: item.size, mtimeMs: item.mtimeMs, kind: 'c', error: `cannot read: ${(e as Error).message}` };
  }
  const hash = createHash('sha1').update(buf).digest('hex');
  // latin1 keeps byte offsets and never fails; kernel identifiers are ASCII
  return scanFile(item.path, buf.toString('latin1'), { hash, size: buf.length, mtimeMs: item.mtimeMs });
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (batch: WorkBatch) => {
    const scans = batch.items.map(scanItem);
    const transfer = scans.flatMap((s) => (s.nums ? [s.nums.buffer as ArrayBuffer] : []));
    port.postMessage({ id: batch.id, scans } satisfies WorkResult, transfer);
  });
}
