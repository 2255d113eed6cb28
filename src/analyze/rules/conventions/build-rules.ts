// A failure of the build itself (a compiler or linker refusing its options, a
// make recipe, a tool run by the build) with no source line to blame is
// answered in the build rules: the Makefile that runs the failing step. A patch
// that only changes Makefiles there leans towards fixing, weakly (as a
// changed build script does, reference-resolved.ts): the rules may still
// only step around the failure. A diagnostic in a source file is another
// matter: a Makefile edit cannot change that code, only what gets built or
// how, so it gets no lean here (flags and exclusions are other rules').

import type { BuildFailure } from '../../../core/types.js';
import { changedFiles, isMakefile } from '../../effects/diff-view.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';

/** A diagnostic that points into source code: the code there is the cause, not the rules. */
export function inSource(f: BuildFailure): boolean {
  return !!f.file && /\.(?:c|h|S|rs|dts|dtsi)$/.test(f.file);
}

export const buildRules: Rule = {
  name: 'build-rules',
  blindSafe: true,
  apply({ rec, failures, effects }) {
    // only a Makefile edit no other rule classified (a -Wno-, a guard, a select…)
    if (effects.some((e) => e.kind !== 'makefile-changed' && e.kind !== 'code-changed')) return [];
    const files = changedFiles(rec.patch);
    const rules = effects.find((e) => e.kind === 'makefile-changed');
    if (!rules || !files.length || !files.every(isMakefile)) return [];
    if (!failures.length || failures.some(inSource)) return [];
    return [
      {
        rule: 'build-rules',
        lean: 'fixes',
        weight: 0.75,
        reason: 'the build rules that run the failing step are corrected; no source line is blamed',
        evidence: [effectEvidence(rules)],
      } satisfies Finding,
    ];
  },
};
