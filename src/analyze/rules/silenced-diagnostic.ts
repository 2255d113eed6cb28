// A warning silenced (unused attribute, a zero initialiser, a cast, a pragma, a
// -Wno- flag) or an error message removed or made conditional: the diagnostic
// is gone, the code it pointed at is not changed. Only where it sits at the
// place the failure points to (conventions/locality.ts): the same attribute or
// initialiser elsewhere in the diff is ordinary code and says nothing.

import type { Finding, Rule } from './types.js';
import { effectEvidence } from './types.js';
import { placeOf } from './conventions/locality.js';

export const silencedDiagnostic: Rule = {
  name: 'silenced-diagnostic',
  blindSafe: true,
  apply({ rec, effects, failures }) {
    const substantive = effects.some((e) => ['definition-added', 'definition-moved', 'call-replaced', 'export-added'].includes(e.kind));
    const out: Finding[] = [];
    // an attribute, a cast or a compiler flag can quiet only what a compiler or checker says:
    // against a crash or a link error alone they silence nothing that was reported
    const diagnostics = failures.some((f) => f.kind === 'warning' || f.kind === 'static-check' || f.kind === 'compile-error' || f.kind === 'build-prose');
    for (const e of effects) {
      if (e.kind !== 'warning-silenced' && e.kind !== 'message-silenced') continue;
      if (e.kind === 'warning-silenced' && !diagnostics) continue;
      const place = placeOf(e, rec.patch, failures);
      if (place === 'elsewhere') continue;
      const where = place === 'at' ? ', where the failure points' : '';
      if (e.kind === 'warning-silenced') {
        // the build switching off, by name, the very warning reported: silencing by definition,
        // whoever applies it (a false positive is still left unfixed in the compiler)
        const byName = place === 'at' && /-Wno-|cc-disable-warning/.test(e.detail);
        out.push({
          rule: 'silenced-diagnostic',
          lean: 'hides',
          weight: substantive ? 1 : byName ? 4 : 2.5,
          reason: byName
            ? 'it switches off the very warning reported, in the build flags, and leaves the code it points at as it was'
            : `it silences the diagnostic instead of changing the code it points at${where}`,
          evidence: [effectEvidence(e)],
        });
      } else {
        out.push({
          rule: 'silenced-diagnostic',
          lean: 'hides',
          weight: substantive ? 0.75 : 2,
          reason: `it stops the message from being printed${where}; whatever made it print is unchanged`,
          evidence: [effectEvidence(e)],
        });
      }
    }
    return out;
  },
};
