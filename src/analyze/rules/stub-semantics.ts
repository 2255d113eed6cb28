// Stubs for a disabled config are a kernel idiom: static inline functions in
// the API's header, in the #else of the config that provides it, so callers
// compile whether or not the subsystem is built (coding-style.rst, "Conditional
// Compilation"). A stub that WARNs turns a link error into a run-time warning;
// a stub of a driver's own function in its .c file, in the #else of an
// unrelated option, gives callers an implementation that does nothing where
// they expect one that works. The failing function is found by name in the
// failure's message too, when the diagnostic did not quote it.

import type { Finding, Rule } from './types.js';
import { effectEvidence } from './types.js';
import { namedByFailure } from './conventions/locality.js';

export const stubSemantics: Rule = {
  name: 'stub-semantics',
  blindSafe: true,
  apply({ effects, failures }) {
    const isFailing = (s: string | undefined) => !!s && namedByFailure(s, failures);
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const e of effects) {
      // several stubs of one kind are one argument, not several
      const kindKey = `${e.kind}|${isFailing(e.symbols[0]) ? 'failing' : 'other'}`;
      if (seen.has(kindKey)) continue;
      seen.add(kindKey);
      if (e.kind === 'stub-warns') {
        out.push({
          rule: 'stub-semantics',
          lean: 'hides',
          weight: 2.5,
          reason: 'the stub warns at run time: a build error becomes a run-time warning that CI no longer reports',
          evidence: [effectEvidence(e)],
        });
      } else if (e.kind === 'stub-added' && isFailing(e.symbols[0]) && /#else/.test(e.detail) && e.file?.endsWith('.h')) {
        out.push({
          rule: 'stub-semantics',
          lean: 'fixes',
          weight: 1.5,
          reason: `${e.symbols[0]}() gets a stub in its header for the configuration that does not build it, the kernel's idiom for optional APIs`,
          evidence: [effectEvidence(e)],
        });
      } else if (e.kind === 'stub-added' && isFailing(e.symbols[0]) && /#else/.test(e.detail) && /return (NULL|0|false)|\{ *\}/.test(e.detail)) {
        out.push({ rule: 'stub-semantics', lean: 'hides', weight: 0.75, reason: `${e.symbols[0]}() becomes a dummy in the other branch of the config that defines it`, evidence: [effectEvidence(e)] });
      } else if (e.kind === 'stub-added' && !isFailing(e.symbols[0])) {
        out.push({ rule: 'stub-semantics', lean: 'fixes', weight: 0.5, reason: `an empty stub for ${e.symbols[0]}() where its config is off, the usual kernel idiom`, evidence: [effectEvidence(e)] });
      }
    }
    return out;
  },
};
