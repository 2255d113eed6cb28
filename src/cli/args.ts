// Argument parsing shared by the commands; errors are usage errors. The usage
// lines live here, once, for each command's --help and for `ktriage --help`
// (main.ts imports this light module, not the commands themselves).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KtriageError } from '../core/errors.js';

export const USAGE = {
  thread:
    'ktriage thread <file|maildir|-|msgid|lore-url> [--archive URL] [--timeout SECS] [--offline] [--format text|markdown|json|email] [--blind] [--db STORE] [--index PATH] [--tree NAME] [--no-index] [--git-tree DIR] [--from ADDR] [--llm|--no-llm]',
  eval: 'ktriage eval <dir> [--blind] [--split odd|even] [--min-confidence C] [--summary] [--without-rule NAME]... [--format text|json] [--index PATH] [--tree NAME] [--no-index]',
  ingest:
    'ktriage ingest <mbox|mbox.gz|maildir|public-inbox dir|http(s)://host/list/|imap(s)://user@host/folder> [--db FILE] [--list NAME] [--batch N] [--index PATH] [--tree NAME] [--no-index] [--no-judge]',
  check: 'ktriage check <PATCH-MAIL-OR-SERIES-MBOX-ON-STDIN [--format json|checkpatch] [--index PATH] [--tree NAME] [--no-index]',
  watch: 'ktriage watch [SOURCE...] [--config FILE] [--db FILE] [--outbox DIR] [--jsonl FILE|-] [--once]',
  threads: 'ktriage threads [--since 7d] [--list L] [--verdict V] [--limit N] [--format text|json] [--db FILE]',
  digest:
    'ktriage digest [--since 7d | --week 2026-W49] [--until DATE] [--list L] [--subsystem S] [--out FILE | --to ADDR|maintainers... --smtp URL] [--format text|html|eml] [--from ADDR] [--db FILE] [--index PATH] [--no-chart]',
  /** the index command's own usage (one line per subcommand) is in index-cmd.ts */
  index: 'ktriage index build|update|lookup|explain|refs|kconfig|symvers|list ...   (ktriage index --help)',
} as const;

export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new KtriageError('E_USAGE', `${(e as Error).message.replace(/\. To specify.*$/, '')} (usage: ${usage})`);
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new KtriageError('E_USAGE', `${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
