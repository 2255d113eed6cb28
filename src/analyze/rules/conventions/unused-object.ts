// A "defined but not used" warning for PM callbacks or a match table is fixed
// by keeping the object referenced in every configuration and letting the
// compiler drop it where the feature is off: DEFINE_SIMPLE_DEV_PM_OPS() /
// SYSTEM_SLEEP_PM_OPS() / RUNTIME_PM_OPS() with pm_ptr() / pm_sleep_ptr()
// instead of #ifdef CONFIG_PM* blocks or __maybe_unused (include/linux/pm.h,
// the preferred idiom since v5.17), and a match table used without
// of_match_ptr()/ACPI_PTR(). __maybe_unused itself is silenced-diagnostic's.

import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';
import { isMissingDeclaration, isUnusedWarning } from './failure-kinds.js';

const PM_CONFIG = /^(?:PM|PM_SLEEP|SUSPEND|HIBERNATION|PM_RUNTIME)$/;

export const unusedObject: Rule = {
  name: 'unused-object',
  blindSafe: true,
  apply({ effects, failures }) {
    if (!failures.length) return [];
    const unused = failures.some(isUnusedWarning);
    const pmConfig = failures.some((f) => f.configs.some((c) => PM_CONFIG.test(c.name)) || /CONFIG_(?:PM|PM_SLEEP|SUSPEND)\b/.test(f.message));
    const pmGuardGone = effects.some((e) => (e.kind === 'guard-removed' || e.kind === 'ifdef-to-is-enabled') && /CONFIG_(?:PM|PM_SLEEP|SUSPEND|HIBERNATION)\b/.test(e.detail));
    const out: Finding[] = [];
    const pm = effects.find((e) => e.kind === 'pm-ops-converted');
    if (pm) {
      const strong = unused || pmConfig || pmGuardGone || failures.some(isMissingDeclaration);
      out.push({
        rule: 'unused-object',
        lean: 'fixes',
        weight: strong ? 2 : 1,
        reason: 'the PM callbacks are referenced through the PM helpers in every configuration and dropped by the compiler where PM is off, the preferred idiom since v5.17',
        evidence: [effectEvidence(pm)],
      });
    }
    const table = effects.find((e) => e.kind === 'match-ptr-dropped');
    if (table) {
      out.push({
        rule: 'unused-object',
        lean: 'fixes',
        weight: unused ? 2 : 1,
        reason: 'the match table is used directly instead of through a wrapper that is NULL when the firmware interface is off',
        evidence: [effectEvidence(table)],
      });
    }
    return out;
  },
};
