// ktriage thread <file|maildir|-|msgid|lore URL> [--format text|markdown|json|email] [--blind] ... (USAGE.thread in args.ts)
// A Message-ID or a lore URL is fetched as a whole thread from a public-inbox server (ingest/archive.ts).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import type { Message, Verdict } from '../core/types.js';
import type { LlmCacheStore } from '../store/llm-cache.js';
import { renderEmail } from '../report/email.js';
import { render, type Format } from '../report/render.js';
import { oneOf, parse, USAGE } from './args.js';
import { INDEX_OPTIONS, indexFromValues, threadTreeHints } from './index-choice.js';
import { isStoreFile, openStoreDb, storedThread } from '../store/store.js';
import { archiveThreadMails } from '../ingest/archive.js';
import { chooseInbox, classifyInput, threadMboxUrl } from '../ingest/archive-ref.js';
import { loadMessages } from './load.js';

export async function runThread(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...INDEX_OPTIONS,
      format: { type: 'string', short: 'f' },
      blind: { type: 'boolean' },
      from: { type: 'string' },
      llm: { type: 'boolean' },
      'no-llm': { type: 'boolean' },
      archive: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE.thread,
  );
  if (values.help) {
    out.write(USAGE.thread + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected one input (a file, a Maildir, - for stdin, a Message-ID or a lore URL) (usage: ${USAGE.thread})`);
  const format = oneOf<Format | 'email'>(values.format as string | undefined, ['text', 'markdown', 'json', 'email'], '--format', 'text');
  // --db names the store (`ktriage ingest` fills it): the thread is read from it, no network;
  // a kernel index given as --db (its old name) is still taken as the index
  const store = typeof values.db === 'string' && isStoreFile(values.db) ? values.db : undefined;
  const messages = store ? storedThreadOrFail(store, positionals[0]!) : await loadThread(positionals[0]!, values.archive as string | undefined, values.timeout as string | undefined);
  const index = indexFromValues(store ? { ...values, db: undefined } : values);
  try {
    const verdict = triageMessages(messages, { blind: Boolean(values.blind), port: index?.portFor(threadTreeHints(messages)) });
    // the LLM runs only when configured (KTRIAGE_LLM_BASE_URL) or asked for; its module loads only then
    if (!values['no-llm'] && (values.llm || process.env.KTRIAGE_LLM_BASE_URL)) await consultLlm(verdict, messages, Boolean(values.llm));
    out.write(
      format === 'email'
        ? renderEmail(verdict, { from: (values.from as string | undefined) ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>', now: new Date() })
        : render(verdict, format),
    );
  } finally {
    index?.close();
  }
  return 0;
}

/** The stored thread a Message-ID (or a lore URL naming one) belongs to. */
function storedThreadOrFail(path: string, arg: string): Message[] {
  const ref = classifyInput(arg, () => false);
  if (ref.kind !== 'message-id') throw new KtriageError('E_USAGE', `with --db (a store), give a Message-ID or a lore URL, not "${arg}"`);
  const db = openStoreDb(path);
  try {
    const messages = storedThread(db, ref.messageId);
    if (!messages?.length) throw new KtriageError('E_NOT_FOUND', `no such message in the store ${path}: ${ref.messageId.startsWith('<') ? ref.messageId : `<${ref.messageId}>`}`);
    return messages;
  } finally {
    db.close();
  }
}

/** A file, a Maildir or stdin as given; a Message-ID or a lore URL fetched from an archive. */
async function loadThread(arg: string, archiveFlag: string | undefined, timeout: string | undefined): Promise<Message[]> {
  const ref = classifyInput(arg, existsSync);
  if (ref.kind !== 'message-id') return loadMessages(arg);
  const { inbox } = chooseInbox(ref, { flag: archiveFlag, env: process.env.KTRIAGE_ARCHIVE || undefined, midmask: b4Midmask });
  const ms = timeoutMs(timeout);
  const url = threadMboxUrl(inbox, ref.messageId);
  return loadMessages(url, {}, (o) => archiveThreadMails(inbox, ref.messageId, { onSkip: o.onSkip, ...(ms ? { responseTimeoutMs: ms, idleTimeoutMs: ms } : {}) }));
}

/** --timeout SECONDS: connecting, the answer's headers, and each pause in its body. */
function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new KtriageError('E_USAGE', `--timeout must be a number of seconds between 0 and 3600 (got "${value}")`);
  return Math.round(n * 1000);
}

/** b4's own setting (`git config b4.midmask`), so ktriage asks the archive b4 asks; unset or no git: none. */
function b4Midmask(): string | undefined {
  try {
    const out = execFileSync('git', ['config', '--get', 'b4.midmask'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** One line on stderr; a message from elsewhere (an SQLite error, a server) cannot add lines. */
function warn(message: string): void {
  process.stderr.write(`ktriage: warning: ${message.replace(/(?<!\s)\s*[\r\n]+\s*/g, ' ')}\n`);
}

async function consultLlm(verdict: Verdict, messages: Message[], required: boolean): Promise<void> {
  const { openLlm, applyLlm } = await import('../llm/index.js');
  const { openLlmCache, defaultLlmCachePath } = await import('../store/llm-cache.js');
  let cache: LlmCacheStore | undefined;
  // the cache (a directory and an SQLite file) is opened only once the LLM is configured and usable
  const llm = openLlm({
    env: process.env,
    openCache: () => {
      try {
        cache = openLlmCache(defaultLlmCachePath(process.env));
      } catch (e) {
        warn(`LLM cache unavailable, asking without it (${(e as Error).message})`);
      }
      return cache;
    },
  });
  if (!llm.enabled) {
    if (required) throw new KtriageError('E_USAGE', `--llm: ${llm.reason}`);
    if (llm.status === 'error') warn(`LLM off: ${llm.reason}`);
    return;
  }
  try {
    const result = await llm.judge(verdict, messages);
    // the model weighs in only with the engine's facts: its verdict is accepted only when it cites them
    applyLlm(verdict, result);
    for (const w of result.warnings) warn(w);
    if (!result.ok) process.stderr.write(`ktriage: LLM step failed, the rules' verdict stands (${result.code}: ${result.message.replace(/(?<!\s)\s*[\r\n]+\s*/g, ' ')})\n`);
  } finally {
    await llm.close();
    cache?.close();
  }
}
