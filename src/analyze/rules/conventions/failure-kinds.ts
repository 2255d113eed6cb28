// Small predicates over failures that several convention rules share.

import type { BuildFailure } from '../../../core/types.js';

/** "defined but not used", -Wunused-function/-variable/-const-variable, "set but not used". */
export function isUnusedWarning(f: BuildFailure): boolean {
  return /^-Wunused/.test(f.flag ?? '') || /defined but not used|\bunused (?:variable|function|const variable)\b|set but not used/.test(f.message);
}

/** An implicit declaration or undeclared identifier: the declaration is not visible where it is used. */
export function isMissingDeclaration(f: BuildFailure): boolean {
  return /implicit declaration of function|call to undeclared function|undeclared \(first use|use of undeclared identifier/.test(f.message) || f.flag === '-Wimplicit-function-declaration';
}

/** A reference that did not link: ld, lld, modpost, or prose saying so. */
export function isLinkFailure(f: BuildFailure): boolean {
  return f.kind === 'undefined-reference' || f.kind === 'modpost-undefined';
}
