// A built-in user of a tristate provider fails to link when the provider is a
// module. The kernel's idiom is a Kconfig constraint that forbids exactly that
// pair and keeps the others: `depends on X || !X` (also `X || X=n`,
// `m || X`, or `X=y` when only built-in will do); see
// Documentation/kbuild/kconfig-language.rst, "Optional dependencies".
// IS_REACHABLE() instead of IS_ENABLED() makes the link succeed by silently
// dropping the call when X=m and the user is built in: the feature is gone in
// that configuration. Often accepted, as a stop-gap, hence a modest weight.

import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';

const LINK_FAILURES = new Set(['undefined-reference', 'modpost-undefined', 'build-prose']);

export const reachability: Rule = {
  name: 'reachability',
  blindSafe: true,
  apply({ effects, failures }) {
    if (!failures.length) return [];
    const link = failures.some((f) => LINK_FAILURES.has(f.kind));
    const out: Finding[] = [];
    const idiom = effects.find((e) => e.kind === 'depends-on-reachable');
    if (idiom) {
      out.push({
        rule: 'reachability',
        lean: 'fixes',
        weight: link ? 2 : 1,
        reason: `the Kconfig constraint forbids a built-in user with a modular ${idiom.symbols[1] ?? 'provider'}, the pairing that cannot link, and keeps the others`,
        evidence: [effectEvidence(idiom)],
      });
    }
    const reach = effects.find((e) => e.kind === 'guard-made-reachable');
    if (reach) {
      out.push({
        rule: 'reachability',
        lean: 'hides',
        weight: 1.5,
        reason: 'IS_REACHABLE() makes it link by silently dropping the call when the provider is a module and the user built in; the feature is gone there',
        evidence: [effectEvidence(reach)],
      });
    }
    return out;
  },
};
