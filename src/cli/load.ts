// Read and parse every message of one input, within the per-thread limits.
// A damaged message of an archive is skipped and counted (the rest is read);
// the count comes back as data and, from loadMessages, as one warning line.

import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Message, RawMail } from '../core/types.js';
import { readMails, type ReadOptions, type SkippedMessage } from '../ingest/read.js';
import { describeSkips, nothingReadError } from '../ingest/skips.js';
import { settleDuplicateIds } from '../mail/duplicate-ids.js';
import { parseMail } from '../mail/parse.js';

export interface LoadedInput {
  messages: Message[];
  /** damaged messages left out, in input order */
  skipped: SkippedMessage[];
  /** copies of a message already read (same Message-ID, same content), dropped */
  redelivered: number;
}

export async function loadInput(spec: string, opts: ReadOptions = {}): Promise<LoadedInput> {
  return loadFrom(spec, (o) => readMails(spec, o), opts);
}

/** What the messages are read from: a file by name, or a thread fetched from an archive. */
export type MailSource = (opts: ReadOptions) => AsyncIterable<RawMail>;

/** loadInput over any source of raw mail; `spec` names it in errors and warnings. */
export async function loadFrom(spec: string, source: MailSource, opts: ReadOptions = {}): Promise<LoadedInput> {
  const out: Message[] = [];
  const skipped: SkippedMessage[] = [];
  let archive = false;
  for await (const raw of source({ ...opts, onSkip: (s) => (skipped.push(s), opts.onSkip?.(s)) })) {
    if (out.length >= LIMITS.maxMessagesPerThread) {
      throw new KtriageError('E_TOO_LARGE', `${spec}: more than ${LIMITS.maxMessagesPerThread} messages; this is an archive, not a thread`);
    }
    const index = raw.origin.index ?? 0;
    archive ||= raw.origin.kind === 'mbox' || raw.origin.kind === 'maildir' || (raw.origin.kind === 'stdin' && raw.origin.index !== undefined);
    try {
      out.push(await parseMail(raw));
    } catch (e) {
      const why = (e as Error).message;
      if (!archive) throw new KtriageError('E_NOT_MAIL', `${spec}: message ${index + 1} cannot be parsed as mail (${why})`);
      const s: SkippedMessage = { index, reason: 'unparseable', bytes: raw.bytes.length, detail: `cannot be parsed as mail (${why})` };
      skipped.push(s);
      opts.onSkip?.(s);
    }
  }
  const { messages, redelivered, overflow } = settleDuplicateIds(out);
  for (const m of overflow) {
    const s: SkippedMessage = {
      index: m.origin.index ?? 0,
      reason: 'duplicate-id',
      bytes: m.body.length,
      detail: `repeats ${m.messageId}, already carried by ${LIMITS.maxCopiesPerMessageId} other messages`,
    };
    skipped.push(s);
    opts.onSkip?.(s);
  }
  skipped.sort((a, b) => a.index - b.index);
  if (!messages.length) throw skipped.length ? nothingReadError(spec, skipped) : new KtriageError('E_EMPTY', `${spec}: no messages found`);
  if (messages.every((m) => !m.body.trim() && !m.subject)) throw new KtriageError('E_NOT_MAIL', `${spec}: messages have neither a subject nor a body`);
  return { messages, skipped, redelivered };
}

/** The messages of one input; skipped ones are told on stderr in one line. */
export async function loadMessages(spec: string, opts: ReadOptions = {}, source?: MailSource): Promise<Message[]> {
  const { messages, skipped } = await (source ? loadFrom(spec, source, opts) : loadInput(spec, opts));
  if (skipped.length) process.stderr.write(`${skippedWarning(spec, skipped, messages.length)}\n`);
  return messages;
}

/** "ktriage: warning: x.mbox: 2 of 40 messages skipped, the rest read (message 3 contains NUL bytes; …)" */
export function skippedWarning(spec: string, skipped: readonly SkippedMessage[], read: number): string {
  const total = read + skipped.length;
  const what = skipped.length === 1 ? `1 of ${total} messages skipped` : `${skipped.length} of ${total} messages skipped`;
  return `ktriage: warning: ${spec}: ${what}, the rest read (${describeSkips(skipped)})`;
}
