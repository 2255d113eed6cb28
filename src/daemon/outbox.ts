// The outbox: one file per reply, named from a hash of its idempotency key (a
// Message-ID comes from mail and could name any path), written atomically so a
// reader or a crash never sees half a message.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 of the key: the file name, and the stable part of the reply's Message-ID. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function outboxFileName(key: string): string {
  return `${keyDigest(key).slice(0, 32)}.eml`;
}

/** Write (or rewrite, identically named) the reply for `key`: a temporary file, fsync, rename. Returns its path. */
export function writeOutbox(dir: string, key: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const name = outboxFileName(key);
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

const REPLY_FILE = /^[0-9a-f]{32}\.eml$/;
const TEMP_FILE = /^\.[0-9a-f]{32}\.eml\.\d+\.tmp$/;

/**
 * After a crash: a reply is written before the transaction that records its
 * posts row commits, so a kill between the two leaves a file no row names (and
 * the verdict judged again may differ, so nothing would ever claim it), or a
 * half-written temporary. Both are removed; files not named like ours are left.
 * Returns what was removed.
 */
export function reconcileOutbox(dir: string, keys: Iterable<string>): string[] {
  if (!existsSync(dir)) return [];
  const named = new Set<string>();
  for (const k of keys) named.add(outboxFileName(k));
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    if (TEMP_FILE.test(f) || (REPLY_FILE.test(f) && !named.has(f))) {
      unlinkSync(join(dir, f));
      removed.push(f);
    }
  }
  return removed;
}
