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
import { isStoreFile, openStoreDb, storedThread, type StoreDb } from '../store/store.js';
import { answeringTrees, openIndex, treeRoot } from '../store/index-db.js';
import { fixesTagsOf, isGitTreeWithHistory, resolveFixes } from '../index/fixes-resolve.js';
import { linkReports } from '../ingest/linked-reports.js';
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
      offline: { type: 'boolean' },
      'git-tree': { type: 'string' },
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
  // --offline (or KTRIAGE_OFFLINE=1): no network at all; a thread and its linked reports come from files and the store
  const offline = Boolean(values.offline) || process.env.KTRIAGE_OFFLINE === '1';
  const archiveFlag = values.archive as string | undefined;
  const timeout = timeoutMs(values.timeout as string | undefined);
  // --db names the store (`ktriage ingest` fills it): the thread is read from it, and the reports its
  // patches link to are looked up in it first; a kernel index given as --db (its old name) is still taken as the index
  const storePath = typeof values.db === 'string' && isStoreFile(values.db) ? values.db : undefined;
  const db = storePath ? openStoreDb(storePath) : undefined;
  let index: ReturnType<typeof indexFromValues>;
  try {
    const arg = positionals[0]!;
    const messages = db ? await storedOrLoaded(db, storePath!, arg, archiveFlag, timeout, offline) : await loadThread(arg, archiveFlag, timeout, offline);
    index = indexFromValues(db ? { ...values, db: undefined } : values);
    const { linked, notes } = await linkReports(messages, {
      store: db,
      offline,
      inbox: chooseInbox({}, { flag: archiveFlag, env: process.env.KTRIAGE_ARCHIVE || undefined, midmask: b4Midmask }).inbox,
      fetch: timeout ? { responseTimeoutMs: timeout, idleTimeoutMs: timeout } : {},
    });
    for (const n of notes) note(n);
    for (const [id, r] of linked) if ('note' in r) note(`linked report ${id} not available: ${r.note}`);
    const port = index?.portFor(threadTreeHints(messages));
    const verdict = triageMessages(messages, { blind: Boolean(values.blind), port, linked });
    const gitTree = await chooseGitTree(values['git-tree'] as string | undefined, index, port?.tree.name);
    if (gitTree) {
      const tags = fixesTagsOf(verdict);
      if (tags.length) verdict.fixes = await resolveFixes(gitTree, tags);
    }
    // the LLM runs only when configured (KTRIAGE_LLM_BASE_URL) or asked for; its module loads only then
    if (!values['no-llm'] && (values.llm || process.env.KTRIAGE_LLM_BASE_URL)) await consultLlm(verdict, messages, Boolean(values.llm));
    out.write(
      format === 'email'
        ? renderEmail(verdict, { from: (values.from as string | undefined) ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>', now: new Date() })
        : render(verdict, format),
    );
  } finally {
    index?.close();
    db?.close();
  }
  return 0;
}

/**
 * With a store: a file is read as given; a Message-ID (or a lore URL naming one) is the
 * stored thread, or, when the store lacks it and --archive names a server (not --offline),
 * the thread fetched from there.
 */
async function storedOrLoaded(db: StoreDb, path: string, arg: string, archiveFlag: string | undefined, timeout: number | undefined, offline: boolean): Promise<Message[]> {
  const ref = classifyInput(arg, existsSync);
  if (ref.kind !== 'message-id') {
    if (ref.kind === 'file' && !existsSync(ref.path)) throw new KtriageError('E_USAGE', `with --db (a store), give a Message-ID, a lore URL or an existing file, not "${arg}"`);
    return loadMessages(arg);
  }
  const messages = storedThread(db, ref.messageId);
  if (messages?.length) return messages;
  if (archiveFlag && !offline) return loadThread(arg, archiveFlag, timeout, offline);
  throw new KtriageError('E_NOT_FOUND', `no such message in the store ${path}: ${ref.messageId.startsWith('<') ? ref.messageId : `<${ref.messageId}>`}`);
}

/** A file, a Maildir or stdin as given; a Message-ID or a lore URL fetched from an archive. */
async function loadThread(arg: string, archiveFlag: string | undefined, ms: number | undefined, offline: boolean): Promise<Message[]> {
  const ref = classifyInput(arg, existsSync);
  if (ref.kind !== 'message-id') return loadMessages(arg);
  if (offline) throw new KtriageError('E_USAGE', `--offline: <${ref.messageId}> would be fetched from an archive; give a file, or --db STORE holding it`);
  const { inbox } = chooseInbox(ref, { flag: archiveFlag, env: process.env.KTRIAGE_ARCHIVE || undefined, midmask: b4Midmask });
  const url = threadMboxUrl(inbox, ref.messageId);
  return loadMessages(url, {}, (o) => archiveThreadMails(inbox, ref.messageId, { onSkip: o.onSkip, ...(ms ? { responseTimeoutMs: ms, idleTimeoutMs: ms } : {}) }));
}

/**
 * The git tree Fixes: tags are resolved in: --git-tree DIR, else KTRIAGE_GIT_TREE, else the
 * indexed tree's own directory when it is a git work tree with history; none otherwise (the
 * tags are then shown as given). A named tree without history is a usage error.
 */
async function chooseGitTree(flag: string | undefined, index: ReturnType<typeof indexFromValues>, treeName: string | undefined): Promise<string | undefined> {
  const named = flag ?? (process.env.KTRIAGE_GIT_TREE || undefined);
  if (named) {
    if (!(await isGitTreeWithHistory(named))) throw new KtriageError('E_USAGE', `${flag ? '--git-tree' : 'KTRIAGE_GIT_TREE'}: ${named} is not a git work tree with history`);
    return named;
  }
  const root = index && treeName ? indexedTreeRoot(index.path, treeName) : undefined;
  return root && (await isGitTreeWithHistory(root, { topLevel: true })) ? root : undefined;
}

/** The source directory an index tree was built from, when the index names one. */
function indexedTreeRoot(indexPath: string, treeName: string): string | undefined {
  try {
    const idx = openIndex(indexPath, { readonly: true });
    try {
      const row = answeringTrees(idx).find((t) => t.name === treeName);
      return row ? treeRoot(row, indexPath) : undefined;
    } finally {
      idx.close();
    }
  } catch {
    return undefined;
  }
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

/** A note about the linked reports: one line on stderr. */
function note(message: string): void {
  process.stderr.write(`ktriage: note: ${message.replace(/(?<!\s)\s*[\r\n]+\s*/g, ' ')}\n`);
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
