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
import { reviewAcceptance } from './review-acceptance.js';
import { reviewerObjection } from './reviewer-objection.js';
import { silencedDiagnostic } from './silenced-diagnostic.js';
import { stillFailing } from './still-failing.js';
import { stopGap } from './stop-gap.js';
import { stubSemantics } from './stub-semantics.js';
import type { Rule } from './types.js';

export const RULES: Rule[] = [
  brokenDependency,
  guardExcludesConfig,
  kconfigUnmetDependency,
  silencedDiagnostic,
  stubSemantics,
  referenceResolved,
  stopGap,
  reviewerObjection,
  refusedExport,
  reviewAcceptance,
  stillFailing,
  indexImplementationSwitch,
  indexGuardScope,
  indexResolutionCheck,
  indexDependsResolution,
  indexSelectDependencies,
];

export type { Finding, Rule, RuleInput } from './types.js';
