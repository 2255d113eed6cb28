// A failure a tool printed (quoted in the thread), as opposed to one told in words.

import type { BuildFailure } from '../core/types.js';

/** A diagnostic a toolchain printed (quoted in the thread), as opposed to a failure described in prose. */
export function isConcreteFailure(f: BuildFailure): boolean {
  if (f.reference || f.kind === 'build-prose' || f.kind === 'runtime') return false;
  if (f.kind === 'warning') return Boolean(f.file || f.flag || f.line !== undefined);
  return true;
}
