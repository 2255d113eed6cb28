// The traffic scripts' input: an archive (mbox, .gz) split into its threads as the
// bot will see them, or a directory holding one thread per file (lore's t.mbox.gz,
// as ../shared/traffic has them). Every message is read: the thread command's cap
// does not apply to an archive; a damaged one is counted and skipped.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '../src/core/types.js';
import { readMails } from '../src/ingest/read.js';
import { settleDuplicateIds } from '../src/mail/duplicate-ids.js';
import { parseMail } from '../src/mail/parse.js';
import { splitThreads } from '../src/mail/split-threads.js';

export async function readArchiveThreads(source: string): Promise<{ threads: Message[][]; skipped: number }> {
  let skipped = 0;
  const readAll = async (file: string): Promise<Message[]> => {
    const parsed: Message[] = [];
    for await (const raw of readMails(file, { maxInputBytes: 2 ** 31, onSkip: () => skipped++ })) {
      try {
        parsed.push(await parseMail(raw));
      } catch {
        skipped++;
      }
    }
    return settleDuplicateIds(parsed, Infinity).messages;
  };
  if (!statSync(source).isDirectory()) return { threads: splitThreads(await readAll(source)), skipped };
  const threads: Message[][] = [];
  for (const f of readdirSync(source)
    .filter((x) => /\.(mbox|eml)(\.gz)?$/.test(x))
    .sort())
    threads.push(await readAll(join(source, f)));
  return { threads, skipped };
}
