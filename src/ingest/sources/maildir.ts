// A Maildir (new/ and cur/: what `lei q -o`, fetchmail and most list
// subscriptions write) as a source. Checkpoint: a cursor (mtime, unique name)
// over the files ordered by delivery time. A message's unique name (before
// ':2,flags') does not change when a reader moves it from new/ to cur/ or
// flags it, nor does its mtime, so neither makes it new again; a file
// delivered later has a later mtime. One file is one message, read whole
// within the per-message limit; a damaged one is skipped and counted.

import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { KtriageError, type ErrorCode } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import type { RawMail } from '../../core/types.js';
import { readMails } from '../read.js';
import { sizeText, type SkipReason } from '../skips.js';
import { readJsonCheckpoint, type MailSource, type SourceItem } from './source.js';

const Checkpoint = z.object({ mtime: z.number(), name: z.string() });
type Checkpoint = z.infer<typeof Checkpoint>;

interface Entry {
  sub: 'cur' | 'new';
  file: string;
  /** the unique part of the name, without the ':2,flags' info */
  name: string;
  mtime: number;
  size: number;
}

const uniquePart = (file: string) => {
  const info = file.search(/[:!]/);
  return info < 0 ? file : file.slice(0, info);
};

async function listEntries(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const sub of ['new', 'cur'] as const) {
    let files: string[];
    try {
      files = await fsp.readdir(join(dir, sub));
    } catch {
      continue;
    }
    for (const file of files) {
      if (file.startsWith('.')) continue;
      const st = await fsp.stat(join(dir, sub, file)).catch(() => undefined);
      if (!st?.isFile()) continue;
      out.push({ sub, file, name: uniquePart(file), mtime: Math.trunc(st.mtimeMs), size: st.size });
    }
  }
  return out.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function after(e: Entry, cp: Checkpoint | undefined): boolean {
  if (!cp) return true;
  return e.mtime > cp.mtime || (e.mtime === cp.mtime && e.name > cp.name);
}

function readCheckpoint(value: string | undefined): Checkpoint | undefined {
  return readJsonCheckpoint(value, Checkpoint);
}

const REASON: Partial<Record<ErrorCode, SkipReason>> = { E_BINARY: 'binary', E_TOO_LARGE: 'too-large' };

/** The file's messages, or why it was skipped; a file moved to cur/ meanwhile is followed there. */
async function readEntry(dir: string, e: Entry): Promise<{ mails: RawMail[] } | { reason: SkipReason; detail: string }> {
  let path = join(dir, e.sub, e.file);
  for (let attempt = 0; ; attempt++) {
    try {
      const mails: RawMail[] = [];
      for await (const m of readMails(path, { maxInputBytes: LIMITS.maxMessageBytes })) mails.push({ ...m, origin: { ...m.origin, kind: 'maildir' } });
      return { mails };
    } catch (err) {
      if (!(err instanceof KtriageError)) throw err;
      if (err.code === 'E_NOT_FOUND' && attempt === 0) {
        const moved = (await fsp.readdir(join(dir, 'cur')).catch(() => [] as string[])).find((f) => uniquePart(f) === e.name);
        if (moved) {
          path = join(dir, 'cur', moved);
          continue;
        }
      }
      const reason = REASON[err.code] ?? 'not-mail';
      const detail = reason === 'too-large' ? `(${e.file}) is larger than the ${sizeText(LIMITS.maxMessageBytes)} limit per message` : `(${e.file}) ${err.message.replace(/^.*?: /, '')}`;
      return { reason, detail };
    }
  }
}

export function maildirSource(dir: string): MailSource {
  const abs = resolve(dir);
  return {
    key: `maildir:${abs}`,
    label: dir,
    async estimate() {
      return (await listEntries(abs)).length;
    },
    async *pull(checkpoint: string | undefined): AsyncGenerator<SourceItem> {
      const cp = readCheckpoint(checkpoint);
      const entries = await listEntries(abs);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (!after(e, cp)) continue;
        const mark = JSON.stringify({ mtime: e.mtime, name: e.name } satisfies Checkpoint);
        const r = await readEntry(abs, e);
        if ('reason' in r) {
          yield { kind: 'skip', skip: { index: i, reason: r.reason, bytes: e.size, detail: r.detail }, checkpoint: mark };
          continue;
        }
        // a file holding several messages (an mbox dropped in): the checkpoint moves once all are yielded
        for (let k = 0; k < r.mails.length; k++) yield { kind: 'mail', raw: { ...r.mails[k]!, origin: { ...r.mails[k]!.origin, index: i } }, checkpoint: mark };
      }
    },
  };
}
