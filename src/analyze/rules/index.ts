// The rules, in the order their findings are listed.

import { brokenDependency } from './broken-dependency.js';
import { guardExcludesConfig } from './guard-excludes-config.js';
import { indexDependsResolution } from './index-depends-resolution.js';
import { indexGuardScope } from './index-guard-scope.js';
import { indexImplementationSwitch } from './index-implementation-switch.js';
import { indexResolutionCheck } from './index-resolution-check.js';
import { indexSelectDependencies } from './index-select-dependencies.js';
import { kconfigUnmetDependency } from './kconfig-unmet-dependency.js';
import { referenceResolved } from './reference-resolved.js';
import { refusedExport } from './refused-export.js';
import { reviewOutcome } from './review-outcome.js';
import { silencedDiagnostic } from './silenced-diagnostic.js';
import { stillFailing } from './still-failing.js';
import { stopGap } from './stop-gap.js';
import { stubSemantics } from './stub-semantics.js';
import { compileTestNarrowed } from './conventions/compile-test.js';
import { conditionalCompilation } from './conventions/conditional-compilation.js';
import { discardedResult } from './conventions/discarded-result.js';
import { division64 } from './conventions/division64.js';
import { exportScope } from './conventions/export-scope.js';
import { missingInclude } from './conventions/missing-include.js';
import { mmioAccess } from './conventions/mmio-access.js';
import { nulledReference } from './conventions/nulled-reference.js';
import { providerDependency } from './conventions/provider-dependency.js';
import { reachability } from './conventions/reachability.js';
import { selectDependencies } from './conventions/select-dependencies.js';
import { unusedObject } from './conventions/unused-object.js';
import { warningFixes } from './conventions/warning-fixes.js';
import { locatedChange } from './conventions/located-change.js';
import { buildRules } from './conventions/build-rules.js';
import type { Rule } from './types.js';

export const RULES: Rule[] = [
  brokenDependency,
  guardExcludesConfig,
  kconfigUnmetDependency,
  silencedDiagnostic,
  stubSemantics,
  referenceResolved,
  compileTestNarrowed,
  selectDependencies,
  reachability,
  providerDependency,
  conditionalCompilation,
  nulledReference,
  exportScope,
  discardedResult,
  unusedObject,
  warningFixes,
  locatedChange,
  buildRules,
  mmioAccess,
  division64,
  missingInclude,
  stopGap,
  reviewOutcome,
  refusedExport,
  stillFailing,
  indexImplementationSwitch,
  indexGuardScope,
  indexResolutionCheck,
  indexDependsResolution,
  indexSelectDependencies,
];

export type { Finding, Rule, RuleInput } from './types.js';
