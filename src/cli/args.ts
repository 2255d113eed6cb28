// Argument parsing shared by the commands; errors are usage errors.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KtriageError } from '../core/errors.js';

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
