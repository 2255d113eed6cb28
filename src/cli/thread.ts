// ktriage thread <file|-> [--format text|markdown|json] [--blind]

import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import type { Message, Verdict } from '../core/types.js';
import { renderEmail } from '../report/email.js';
import { render, type Format } from '../report/render.js';
import { oneOf, parse } from './args.js';
import { chooseIndex } from './index-choice.js';
import { loadMessages } from './load.js';

const USAGE = 'ktriage thread <file|maildir|-> [--format text|markdown|json|email] [--blind] [--index PATH] [--tree NAME] [--no-index] [--from ADDR] [--llm|--no-llm]';

export async function runThread(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { format: { type: 'string', short: 'f' }, blind: { type: 'boolean' }, index: { type: 'string' }, db: { type: 'string' }, tree: { type: 'string' }, 'no-index': { type: 'boolean' }, from: { type: 'string' }, llm: { type: 'boolean' }, 'no-llm': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected one input (a file, a Maildir or - for stdin) (usage: ${USAGE})`);
  const format = oneOf<Format | 'email'>(values.format as string | undefined, ['text', 'markdown', 'json', 'email'], '--format', 'text');
  const messages = await loadMessages(positionals[0]!);
  const index = chooseIndex({ index: (values.index ?? values.db) as string | undefined, tree: values.tree as string | undefined, noIndex: Boolean(values['no-index']) });
  try {
    const verdict = triageMessages(messages, { blind: Boolean(values.blind), port: index?.port });
    // the LLM runs only when configured (KTRIAGE_LLM_BASE_URL) or asked for; its module loads only then
    if (!values['no-llm'] && (values.llm || process.env.KTRIAGE_LLM_BASE_URL)) await consultLlm(verdict, messages, Boolean(values.llm));
    out.write(format === 'email' ? renderEmail(verdict, { from: (values.from as string | undefined) ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>', now: new Date() }) : render(verdict, format));
  } finally {
    index?.close();
  }
  return 0;
}

async function consultLlm(verdict: Verdict, messages: Message[], required: boolean): Promise<void> {
  const { openLlm, noteOf } = await import('../llm/index.js');
  const { openLlmCache, defaultLlmCachePath } = await import('../store/llm-cache.js');
  let cache: ReturnType<typeof openLlmCache> | undefined;
  try {
    cache = openLlmCache(defaultLlmCachePath(process.env));
  } catch (e) {
    process.stderr.write(`ktriage: LLM cache unavailable, asking without it (${(e as Error).message})\n`);
  }
  const llm = openLlm({ env: process.env, cache });
  try {
    if (!llm.enabled) {
      if (required || llm.status === 'error') {
        if (required) throw new KtriageError('E_USAGE', `--llm: ${llm.reason}`);
        process.stderr.write(`ktriage: LLM off: ${llm.reason}\n`);
      }
      return;
    }
    const note = noteOf(await llm.judge(verdict, messages));
    verdict.llm = note;
    // the model may weigh in only with the engine's facts: judge() accepts it only when it cites them
    if (note.accepted && note.verdict) {
      verdict.verdict = note.verdict;
      if (note.confidence !== undefined) verdict.confidence = note.confidence;
    }
    if (note.error) process.stderr.write(`ktriage: LLM step failed, the rules' verdict stands (${note.error.code}: ${note.error.message})\n`);
  } finally {
    if (llm.enabled) await llm.close();
    cache?.close();
  }
}
