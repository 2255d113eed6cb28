// A guard narrowed, or a `depends on` added, so that the failing configuration
// no longer compiles the code: the build goes green, the reference is still
// there for every other configuration. Where the guard goes matters: around a
// *use* it hides; around the *definition* of an object reported unused it only
// matches it to its users (conventions/conditional-compilation.ts); and a
// `depends on` the provider of the failing symbol is the fix
// (conventions/provider-dependency.ts).

import type { Finding, Rule } from './types.js';
import { effectEvidence, excludesFailingConfig, failingSettings } from './types.js';
import { isUnusedWarning } from './conventions/failure-kinds.js';
import { namedByFailure } from './conventions/locality.js';
import { providingDependency } from './conventions/provider-dependency.js';

export const guardExcludesConfig: Rule = {
  name: 'guard-excludes-config',
  blindSafe: true,
  apply({ effects, failures, port }) {
    const failing = failingSettings(failures);
    const linkish = failures.some((f) => f.kind === 'undefined-reference' || f.kind === 'modpost-undefined' || f.kind === 'build-prose' || f.kind === 'compile-error');
    const unused = failures.filter(isUnusedWarning);
    const out: Finding[] = [];
    const kconfigWarning = failures.some((f) => f.kind === 'kconfig-unmet');
    for (const e of effects) {
      // `select X if Y` (or `if A` → `if A && B`) where the build failed: the feature is just no longer built there
      if (e.kind === 'select-made-conditional' && !kconfigWarning && linkish) {
        out.push({
          rule: 'guard-excludes-config',
          lean: 'hides',
          weight: 1.5,
          reason: 'the feature that fails to build is no longer selected in that configuration; the code that fails is unchanged',
          evidence: [effectEvidence(e)],
        });
        continue;
      }
      if (e.kind !== 'guard-narrowed' && e.kind !== 'guard-added' && e.kind !== 'depends-on-negated' && e.kind !== 'depends-on-added') continue;
      const isGuard = e.kind === 'guard-narrowed' || e.kind === 'guard-added';
      if (isGuard && e.symbols.some((s) => namedByFailure(s, unused))) continue;
      if (providingDependency(e, failures, port)) continue;
      const excluded = excludesFailingConfig(e.configs, failing);
      if (excluded) {
        out.push({
          rule: 'guard-excludes-config',
          lean: 'hides',
          weight: isGuard ? 2.5 : 1.5,
          reason: `the failing configuration (${excluded}) simply stops compiling the code; the reference stays for the configurations that still build it`,
          evidence: [effectEvidence(e)],
        });
      } else if (isGuard && linkish) {
        out.push({
          rule: 'guard-excludes-config',
          lean: 'hides',
          weight: e.detail.includes('dead-code elimination') ? 1.5 : 1.25,
          reason: 'it narrows when the code is compiled instead of making the reference resolve',
          evidence: [effectEvidence(e)],
        });
      }
    }
    return out;
  },
};
