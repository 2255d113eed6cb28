// The words a patch's subject or changelog uses to name the problem it answers
// when the log itself lives elsewhere ("fix section mismatch warning", "fix
// build error", "-Wunused-variable"). The kernel test robot asks for exactly
// such patches: a Reported-by: and a Closes: to its report, the log not quoted.
// One named entry per shape, most specific first; the first that matches gives
// the failure's kind.

import type { FailureKind } from '../../core/types.js';

export interface ReportedProblemWords {
  name: string;
  kind: FailureKind;
  /** what the summary calls it */
  label: string;
  pattern: RegExp;
  /** a subject or changelog sentence that names it (tests check it matches) */
  example: string;
  /** close, but not a problem this patch says it answers (tests check it does not match) */
  nearMiss?: string;
}

export const REPORTED_PROBLEM_WORDS: ReportedProblemWords[] = [
  {
    name: 'section-mismatch',
    kind: 'warning',
    label: 'section mismatch warning',
    pattern: /\bsection mismatch(?:es)?\b/i,
    example: 'mm/sparse: fix section mismatch warning in sparse_init',
  },
  {
    name: 'modpost',
    kind: 'modpost-undefined',
    label: 'modpost error',
    // modpost the tool is no problem ("modpost: add a range check"); its errors are
    pattern: /\bmodpost (?:errors?|warnings?|failures?)\b|\bis not exported\b|\bnot exported to (?:be used in )?modules\b/i,
    example: 'set_memory_rw() is not exported to be used in modules',
    nearMiss: 'modpost: add array range check to sec_name()',
  },
  {
    name: 'link-error',
    kind: 'undefined-reference',
    label: 'link error',
    pattern: /\b(?:link(?:er|ing)?|ld) (?:error|failure|fail(?:s|ed)?)\b|\bundefined (?:reference|symbol)s?\b|\bfails? to link\b/i,
    example: 'fix link error without CONFIG_SWAP',
  },
  {
    name: 'implicit-declaration',
    kind: 'compile-error',
    label: 'implicit declaration',
    pattern: /\bimplicit(?:ly)? declar(?:ation|ed)\b|\bundeclared identifier\b/i,
    example: 'include the header to avoid an implicit declaration of pfn_to_page',
  },
  {
    name: 'checker-warning',
    kind: 'static-check',
    label: 'static checker warning',
    pattern: /\b(?:sparse|smatch|coccinelle|coccicheck|cppcheck)(?::| (?:warnings?|errors?|complain\w*|report\w*))/i,
    example: 'mm/kasan: fix sparse warnings about __user pointers',
    nearMiss: 'a sparse array of page pointers',
  },
  {
    name: 'compiler-flag',
    kind: 'warning',
    label: 'compiler warning',
    pattern: /(?<![\w-])-W(?!error\b)(?:error=)?[a-z][a-z0-9-]{2,60}(?:=\d)?\b/,
    example: 'silence -Wmissing-prototypes for the stub',
    nearMiss: 'the -Werror build option is now on by default',
  },
  {
    name: 'unused-or-uninitialized',
    kind: 'warning',
    label: 'compiler warning',
    pattern:
      /\bunused (?:variable|function|label|parameter|value|result)s?\b|\b(?:defined|set) but not used\b|\b(?:may be |is )?used uninitiali[sz]ed\b|\buninitiali[sz]ed (?:variable|use|warning)s?\b|\bmaybe-uninitialized\b/i,
    example: 'mm: remove unused variable in shrink_folio_list',
    nearMiss: 'the folio may hold uninitialized memory until it is zeroed',
  },
  {
    name: 'build-error',
    kind: 'build-prose',
    label: 'build failure',
    pattern:
      /\b(?:build|compil(?:e|er|ation)) (?:error|failure|breakage|warning|fail(?:s|ed)?|issue|problem|regression)s?\b|\bfix(?:es|ed)? (?:the |a )?(?:\w+ )?(?:build|compil(?:e|ation))\b|\bFTBFS\b|\bbreaks? the build\b/i,
    example: 'mm/percpu: fix build error on !SMP',
    nearMiss: 'build the list before taking the lock',
  },
  {
    name: 'compiler-warning',
    kind: 'warning',
    label: 'compiler warning',
    pattern: /\b(?:gcc|clang|compiler|W=1|kernel-doc) warnings?\b|\b(?:fix|silence|suppress|avoid|quiet)(?:es|ed|s)? (?:a |the |this |these |some )?(?:[\w-]+ )?warnings?\b/i,
    example: 'kasan: fix a clang warning in kasan_populate_early_shadow',
    nearMiss: 'print a warning when the pool runs low',
  },
  {
    name: 'kconfig-unmet',
    kind: 'kconfig-unmet',
    label: 'Kconfig unmet dependency',
    pattern: /\bunmet (?:direct )?dependenc(?:y|ies)\b|\bKconfig warnings?\b/i,
    example: 'fix Kconfig unmet dependency for SWAP',
  },
  {
    name: 'runtime-report',
    kind: 'runtime',
    label: 'run-time problem',
    // the report's own headline words, in capitals as the kernel prints them; a
    // subsystem's lower-case prefix ("kasan: …") is no report
    pattern: /\b(?:BUG|Oops|KASAN|UBSAN|KCSAN|KMSAN)\b|\blockdep (?:warning|splat|report)s?\b/,
    example: 'mm/slub: fix a KASAN slab-out-of-bounds in kmem_cache_free',
    nearMiss: 'kasan: improve vmalloc tests',
  },
  {
    name: 'runtime',
    kind: 'runtime',
    label: 'run-time problem',
    pattern:
      /\bnull[- ]pointer (?:dereference|deref)\b|\buse-after-free\b|\bdeadlock\b|\bsoft lockup\b|\bhung task\b|\bdata[- ]race\b|\bcrash(?:es|ed)?\b|\bpanic\b|\bboot (?:failure|hang)\b|\bregression\b/i,
    example: 'mm/kfence: fix a potential NULL pointer dereference',
    nearMiss: 'convert the callers to folios',
  },
];

/** The first entry whose words the text uses. */
export function namedProblem(text: string): ReportedProblemWords | undefined {
  for (const w of REPORTED_PROBLEM_WORDS) if (w.pattern.test(text)) return w;
  return undefined;
}

/** A subject's topic without its subsystem prefixes ("mm/kasan: ", "drm/i915/gt: "): they name a place, not a problem. */
export function subjectWords(topic: string): string {
  // a revert's quoted title is the reverted commit's words, not this patch's
  if (/^\s*Revert\s+["“]/i.test(topic)) return '';
  let t = topic;
  for (let guard = 0; guard < 4; guard++) {
    const m = /^[\w./,+-]{1,60}(?: [\w./,+-]{1,60})?:\s/.exec(t);
    if (!m) break;
    t = t.slice(m[0].length);
  }
  return t;
}
