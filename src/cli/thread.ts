// ktriage thread <file|-> [--format text|markdown|json] [--blind]

import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import { render, type Format } from '../report/render.js';
import { oneOf, parse } from './args.js';
import { loadMessages } from './load.js';

const USAGE = 'ktriage thread <file|maildir|-> [--format text|markdown|json] [--blind]';

export async function runThread(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string', short: 'f' }, blind: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected one input (a file, a Maildir or - for stdin) (usage: ${USAGE})`);
  const format = oneOf<Format>(values.format as string | undefined, ['text', 'markdown', 'json'], '--format', 'text');
  const messages = await loadMessages(positionals[0]!);
  const verdict = triageMessages(messages, { blind: Boolean(values.blind) });
  out.write(render(verdict, format));
  return 0;
}
