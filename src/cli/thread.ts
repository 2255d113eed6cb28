// ktriage thread <file|-> [--format text|markdown|json] [--blind]

import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import { renderEmail } from '../report/email.js';
import { render, type Format } from '../report/render.js';
import { oneOf, parse } from './args.js';
import { chooseIndex } from './index-choice.js';
import { loadMessages } from './load.js';

const USAGE = 'ktriage thread <file|maildir|-> [--format text|markdown|json|email] [--blind] [--index PATH] [--tree NAME] [--no-index] [--from ADDR]';

export async function runThread(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { format: { type: 'string', short: 'f' }, blind: { type: 'boolean' }, index: { type: 'string' }, db: { type: 'string' }, tree: { type: 'string' }, 'no-index': { type: 'boolean' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
    out.write(format === 'email' ? renderEmail(verdict, { from: (values.from as string | undefined) ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>', now: new Date() }) : render(verdict, format));
  } finally {
    index?.close();
  }
  return 0;
}
