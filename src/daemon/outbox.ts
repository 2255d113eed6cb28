// The outbox: one file per reply, named from a hash of its idempotency key (a
// Message-ID comes from mail and could name any path), written atomically so a
// reader or a crash never sees half a message.

import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
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
