// Read and parse every message of one input, within the per-thread limits.

import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Message } from '../core/types.js';
import { readMails, type ReadOptions } from '../ingest/read.js';
import { parseMail } from '../mail/parse.js';

export async function loadMessages(spec: string, opts: ReadOptions = {}): Promise<Message[]> {
  const out: Message[] = [];
  for await (const raw of readMails(spec, opts)) {
    if (out.length >= LIMITS.maxMessagesPerThread) {
      throw new KtriageError('E_TOO_LARGE', `${spec}: more than ${LIMITS.maxMessagesPerThread} messages; this is an archive, not a thread`);
    }
    try {
      out.push(await parseMail(raw));
    } catch (e) {
      throw new KtriageError('E_NOT_MAIL', `${spec}: message ${(raw.origin.index ?? 0) + 1} cannot be parsed as mail (${(e as Error).message})`);
    }
  }
  if (!out.length) throw new KtriageError('E_EMPTY', `${spec}: no messages found`);
  if (out.every((m) => !m.body.trim() && !m.subject)) throw new KtriageError('E_NOT_MAIL', `${spec}: messages have neither a subject nor a body`);
  return out;
}
