// COMPILE_TEST exists so that randconfig and allmodconfig build drivers on
// architectures they cannot run on (init/Kconfig, "Compile also drivers which
// will not load"). Dropping `|| COMPILE_TEST` from a `depends on`, or making
// COMPILE_TEST itself depend on something, only stops the failing
// configuration from being generated: the code is as broken as before.

import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';

export const compileTestNarrowed: Rule = {
  name: 'compile-test-narrowed',
  blindSafe: true,
  apply({ effects, failures }) {
    if (!failures.length) return [];
    const e = effects.find((x) => x.kind === 'compile-test-narrowed');
    if (!e) return [];
    const global = e.symbols[0] === 'COMPILE_TEST';
    const out: Finding[] = [
      {
        rule: 'compile-test-narrowed',
        lean: 'hides',
        weight: global ? 3 : 2,
        reason: global
          ? 'it switches compile testing off where the build fails: every driver that breaks there is simply no longer built, and none is fixed'
          : 'it takes compile testing away from the option, so randconfig stops generating the failing configuration; the code is as broken as before',
        evidence: [effectEvidence(e)],
      },
    ];
    return out;
  },
};
