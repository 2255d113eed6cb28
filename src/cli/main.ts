// The only place that exits the process. Errors become one line on stderr.

import { isKtriageError } from '../core/errors.js';
import { USAGE } from './args.js';

/** A usage line folded before an option group at 80 columns, continued under its first argument. */
function fold(usage: string, indent = '  '): string {
  const [cmd, ...groups] = usage.split(/ (?=\[)/);
  const hang = ' '.repeat(indent.length + (/^\S+ \S+ /.exec(cmd!)?.[0].length ?? 0));
  const lines = [indent + cmd];
  for (const g of groups) {
    if (lines[lines.length - 1]!.length + 1 + g.length > 80) lines.push(hang + g);
    else lines[lines.length - 1] += ' ' + g;
  }
  return lines.join('\n');
}

const HELP = `ktriage: triage Linux kernel mailing-list threads (does a patch fix a build failure, or hide it?)

usage:
${fold(USAGE.thread)}
${fold(USAGE.eval)}
${fold(USAGE.ingest)}
${fold(USAGE.threads)}
${fold(USAGE.digest)}
${fold(USAGE.check)}
${fold(USAGE.watch)}
  ${USAGE.index}
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const out = process.stdout;
  // `ktriage eval … | head`: the reader has all it wanted; stop quietly, as Unix tools do. Not
  // for the daemon: it has a store to close and a supervisor to tell (its JSON lines writer)
  if (cmd !== 'watch')
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') process.stderr.write(`ktriage: cannot write the output: ${e.message}\n`);
      process.exit(e.code === 'EPIPE' ? 0 : 1);
    });
  try {
    switch (cmd) {
      // each command loads only what it needs: an index lookup should not pay for mailparser
      case 'thread':
        return await (await import('./thread.js')).runThread(rest, out);
      case 'eval':
        return await (await import('./eval.js')).runEval(rest, out);
      case 'ingest':
        return await (await import('./ingest.js')).runIngest(rest, out);
      case 'threads':
        return await (await import('./threads.js')).runThreads(rest, out);
      case 'digest':
        return await (await import('./digest.js')).runDigest(rest, out);
      case 'check':
        return await (await import('./check.js')).runCheck(rest, out);
      case 'watch':
        return await (await import('./watch.js')).runWatch(rest, out);
      case 'index':
        return await (await import('./index-cmd.js')).runIndex(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out.write(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        process.stderr.write(`ktriage: unknown command "${cmd}"\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (isKtriageError(e)) {
      process.stderr.write(`ktriage: ${e.message}\n`);
      return e.code === 'E_USAGE' ? 2 : 1;
    }
    const err = e as Error;
    process.stderr.write(`ktriage: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.KTRIAGE_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    return 70;
  }
}
