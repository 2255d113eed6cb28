// Documentation/process/coding-style.rst, "Conditional Compilation": prefer
// `if (IS_ENABLED(CONFIG_X))` to `#ifdef` in .c files, so the code is
// compiled (and checked) in every configuration and the compiler drops it
// where X is off. Removing an #ifdef around a definition makes it exist in
// every configuration that references it: the reference resolves. The other
// direction, a guard added around a *use* so the failing configuration stops
// compiling it, is guard-excludes-config's (hides); a guard added around the
// *definition* of an object reported unused only matches it to its users.

import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';
import { isMissingDeclaration, isUnusedWarning } from './failure-kinds.js';
import { namedByFailure } from './locality.js';

export const conditionalCompilation: Rule = {
  name: 'conditional-compilation',
  blindSafe: true,
  apply({ effects, failures }) {
    if (!failures.length) return [];
    const related = failures.some((f) => isUnusedWarning(f) || isMissingDeclaration(f));
    const out: Finding[] = [];
    const converted = effects.find((e) => e.kind === 'ifdef-to-is-enabled');
    if (converted) {
      out.push({
        rule: 'conditional-compilation',
        lean: 'fixes',
        weight: related ? 1.5 : 1,
        reason: 'an #ifdef becomes if (IS_ENABLED()): the code is compiled in every configuration and left out by the compiler, the form coding-style.rst prefers',
        evidence: [effectEvidence(converted)],
      });
    }
    const removed = effects.filter((e) => e.kind === 'guard-removed');
    const aroundFailing = removed.find((e) => e.symbols.some((s) => namedByFailure(s, failures)));
    if (aroundFailing) {
      const name = aroundFailing.symbols.find((s) => namedByFailure(s, failures))!;
      out.push({
        rule: 'conditional-compilation',
        lean: 'fixes',
        weight: 2,
        reason: `the #ifdef around ${name} is removed, so it exists in every configuration that uses it`,
        evidence: [effectEvidence(aroundFailing)],
      });
    } else if (removed.length && related) {
      out.push({
        rule: 'conditional-compilation',
        lean: 'fixes',
        weight: 1,
        reason: 'the #ifdef around the code is removed, so it is compiled in every configuration',
        evidence: [effectEvidence(removed[0]!)],
      });
    }
    // a guard around the definition of what is reported unused: it now matches its users
    const unused = failures.filter(isUnusedWarning);
    const wrapsUnused = effects.find((e) => (e.kind === 'guard-added' || e.kind === 'guard-narrowed') && e.symbols.some((s) => namedByFailure(s, unused)));
    if (wrapsUnused) {
      out.push({
        rule: 'conditional-compilation',
        lean: 'fixes',
        weight: 1,
        reason: 'the guard goes around the definition reported unused, matching the configurations that use it',
        evidence: [effectEvidence(wrapsUnused)],
      });
    }
    return out;
  },
};
