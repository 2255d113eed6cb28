// How people state a build failure in words: in a changelog ("breaks the build
// without CONFIG_FOO", "fails to link when FOO=m", "bar() is only defined when
// CONFIG_FOO is set"), in a report ("the build fails"), in a robot's or
// linux-next's header. Each entry: a name, what kind of failure it states, the
// pattern, an example that must match and a near miss that must not.
//
// `class` is what the phrase alone says; the words of the whole sentence may
// say more ("breaks the build: undefined reference to bar" is a link failure).

export type PhraseClass = 'build' | 'link' | 'compile' | 'warning' | 'kconfig';

export interface FailurePhrase {
  name: string;
  class: PhraseClass;
  pattern: RegExp;
  /** the phrase counts only when the sentence also names this (a symbol, or one inside the phrase itself) */
  needs?: 'symbol' | 'subject' | 'config';
  /** a negation is part of what it says ("does not build", "is not exported") */
  negative?: true;
  example: string;
  nearMiss: string;
}

// up to two words between a verb and its object ("breaks the arm64 allmodconfig build")
const W2 = '(?:[\\w!=+.-]{1,40}\\s){0,2}?';
// "no build errors" is the opposite of a report
const DET = '(?!(?:no|any|zero|none|fewer|less) )(?:(?:a|an|the|these|this|some|many|several|new|two|three|multiple) ){0,2}';
// an error that is the build's, or one a log below shows
const BUILD_ERROR =
  '(?:(?:following|below|above) (?:[\\w-]{1,30} )?(?:errors?|failures?|warnings?)|(?:this|these) (?:errors?|failures?|warnings?)(?=\\s{0,4}:)|(?:[\\w-]{1,30} )?(?:build|link|linker|linking|compile|compiler|compilation|modpost|[Kk]config|W=1|sparse|objtool) (?:errors?|failures?|warnings?|breakage|splat))\\b';

export const FAILURE_PHRASES: FailurePhrase[] = [
  { name: 'ftbfs', class: 'build', pattern: /\bFTBFS\b/, example: 'This is a FTBFS on sparc64.', nearMiss: 'The FTB FS team met.' },
  {
    name: 'fails-to-link',
    class: 'link',
    pattern: /\b(?:fails?|failed|failing|unable) to link\b/i,
    example: 'The driver fails to link when CONFIG_FOO=m.',
    nearMiss: 'It links fine and never fails.',
  },
  {
    name: 'fails-to-compile',
    class: 'compile',
    pattern: /\b(?:fails?|failed|failing|unable) to compile\b/i,
    example: 'foo.c fails to compile without CONFIG_BAR.',
    nearMiss: 'It compiles, then fails at run time.',
  },
  {
    name: 'fails-to-build',
    class: 'build',
    pattern: /\b(?:fails?|failed|failing|unable) to build\b/i,
    example: 'The kernel fails to build with CONFIG_FOO disabled.',
    nearMiss: 'We failed to reach a consensus on the build.',
  },
  {
    name: 'does-not-build',
    class: 'build',
    negative: true,
    pattern: /\b(?:doesn't|does not|won't|will not|didn't|did not|can't|cannot|no longer) (?:even )?(?:build|compile|link)s?\b/i,
    example: 'The driver no longer builds without CONFIG_FOO.',
    nearMiss: 'This does not change the build output.',
  },
  {
    name: 'breaks-the-build',
    class: 'build',
    pattern: new RegExp(`\\b(?:break|breaks|broke|breaking|broken) (?:the |a |an |our |my |this |that )?${W2}(?:build|builds|compilation|compile|linking)\\b`, 'i'),
    example: 'Commit 1234 breaks the arm64 build without CONFIG_FOO.',
    nearMiss: 'Breaking news: the building is closed.',
  },
  {
    name: 'build-breaks',
    class: 'build',
    pattern:
      /\b(?:the |this |my |our |a |an )?(?:[\w!=+.-]{1,40} )?(?:build|builds|building|compilation|link|linking)(?: \([^()]{1,60}\))?(?: (?:with|without|for|on|of|using|when|under|in) [^.?!]{1,40}?)? (?:now |then |still |also |just )?(?:breaks|broke|fails|failed|(?:will|would|could|might) (?:fail|break)|is broken|was broken|errors? out)\b/i,
    example: "Today's linux-next build (x86_64 allmodconfig) failed like this:",
    nearMiss: 'When any part of the build rule fails, the output is deleted.',
  },
  {
    name: 'breaks-when-building',
    class: 'build',
    pattern: /\b(?:breaks|fails|is broken|errors? out)\b[^.?!]{1,40}?\bwhen\b[^.?!]{1,40}?\bbuild(?:ing)?\b/i,
    example: 'Now the driver breaks when we build it without PCI support.',
    nearMiss: 'It breaks the loop when the list is built.',
  },
  {
    name: 'link-failure',
    class: 'link',
    pattern: /\b(?:link|linker|linking|modpost) (?:errors?|failures?|problems?|issues?)\b/i,
    example: 'This causes a link failure with CONFIG_FOO=m.',
    nearMiss: 'The link to the archive is broken.',
  },
  {
    name: 'modpost-complains',
    class: 'link',
    pattern: /\bmodpost (?:now |then |also |still )?(?:complains|errors out|fails|reports|warns)\b/i,
    example: 'Since then modpost complains that foo_get is undefined.',
    nearMiss: 'The modpost step runs last.',
  },
  {
    name: 'compile-failure',
    class: 'compile',
    pattern: /\b(?:compile|compilation|compiler) (?:errors?|failures?|breakages?|problems?|breaks|fails)\b/i,
    example: 'A compile error shows up with W=1.',
    nearMiss: 'The compiler version is 13.2.',
  },
  {
    name: 'build-failure',
    class: 'build',
    pattern: /\bbuild (?:failures?|errors?|breakages?|breaks|broken|regressions?|problems?)\b/i,
    example: 'linux-next: build failure after merge of the foo tree',
    nearMiss: 'The build farm is down.',
  },
  {
    name: 'fix-the-build',
    class: 'build',
    pattern: new RegExp(`\\bfix(?:es|ed|ing)? (?:the |a )?${W2}(?:build|compilation|linking)(?=\\s(?:with|without|for|when|on|if|under|after|in|of|by)\\b|[.,;:)]|\\s*$)`, 'i'),
    example: 'Fix the !SMP build.',
    nearMiss: 'Fix the build system documentation link.',
  },
  {
    name: 'undefined-reference',
    class: 'link',
    pattern: /\bundefined (?:references?|symbols?)\b/i,
    example: 'This causes an undefined reference to foo_get().',
    nearMiss: 'The behaviour is undefined here.',
  },
  // the symbol is the subject: "foo_get() is undefined", not "when foo_get() runs, regs are undefined"
  {
    name: 'is-undefined',
    class: 'link',
    needs: 'subject',
    negative: true,
    pattern: /[\w$]{3,200}['’"`]?(?:\(\))? (?:is|are|was|were|becomes?|remains?) (?:left )?(?:undefined|not defined|not declared|not exported)\b(?! behaviou?r)/i,
    example: 'Then foo_get() is undefined for modules.',
    nearMiss: 'The result is undefined.',
  },
  {
    name: 'only-defined-when',
    class: 'link',
    needs: 'config',
    pattern:
      /\b(?:(?:is|are) only (?:defined|built|compiled|available|exported|implemented|provided|present)|(?:defined|built|compiled|available|exported|implemented|provided) only) (?:when|if|with|for|under)\b/i,
    example: 'foo_get() is only defined when CONFIG_FOO is set.',
    nearMiss: 'The fast path is only available when the cache is warm.',
  },
  {
    name: 'only-declared-when',
    class: 'compile',
    needs: 'config',
    pattern: /\b(?:(?:is|are) only declared|declared only) (?:when|if|with|for|under)\b/i,
    example: 'foo_get() is only declared if CONFIG_FOO is enabled.',
    nearMiss: 'The variable is only declared once.',
  },
  {
    name: 'implicit-declaration',
    class: 'compile',
    pattern: /\bimplicit declaration of\b/i,
    example: 'Without the include we get an implicit declaration of function foo_get.',
    nearMiss: 'Explicit declarations are fine.',
  },
  {
    name: 'undeclared',
    class: 'compile',
    needs: 'symbol',
    pattern: /\b[\w$]{2,200}['’"`]? undeclared\b/,
    example: 'It reports FOO_MAX undeclared with CONFIG_FOO=n.',
    nearMiss: 'He left his income undeclared.',
  },
  // a causal verb, then an error that is the build's ("a link error") or that a log below shows ("the following error:")
  {
    name: 'results-in-error',
    class: 'build',
    pattern: new RegExp(
      `\\b(?:results?|resulting|ends? up|leads?|leading|causes|caused|causing|triggers?|triggering|produces?|yields?|gives?|giving|shows?|throws?|emits?)(?: in| to| with| up)? ${DET}${BUILD_ERROR}`,
      'i',
    ),
    example: 'This results in the following error (x86 defconfig):',
    nearMiss: 'In this case the instruction causes a bus error.',
  },
  {
    name: 'we-get-error',
    class: 'build',
    pattern: new RegExp(`\\b(?:I|we|you) (?:now |still |also |then |immediately )?(?:get|see|hit|got|saw|observe|observed|run into|ran into) ${DET}${BUILD_ERROR}`),
    example: 'With this patch applied I get the following error:',
    nearMiss: 'I get an error when I run the tool.',
  },
  {
    name: 'tool-warns',
    class: 'warning',
    pattern:
      /\b(?:gcc|clang|the compiler|compilers?|sparse|smatch|coccinelle|coccicheck|objtool|W=[12]|-W[\w=-]{2,60})(?:[- ]\d{1,2}(?:\.\d{1,3}){0,2})? (?:now |then |also |correctly |rightfully |rightly |still )?(?:warns?|complains?|(?:reports?|emits?|produces?|prints?|gives?|throws?|generates?|raises?) (?:a |an |the |this |these |several |some |many )?(?:[\w-]{1,30} )?(?:warnings?|errors?|diagnostics?)|(?:reports?|says|prints?)(?=\s{0,4}:))\b/i,
    example: 'gcc-13 warns about the unused variable.',
    nearMiss: 'The compiler emits the type information in DWARF.',
  },
  {
    name: 'w1-warning',
    class: 'warning',
    pattern:
      /\b(?:there (?:is|are)|we get|I get|gives?|shows?|triggers?|produces?|emits?|reports?)\b (?:now |still |also )?(?:a |an |some |several |new )?(?:[\w-]{1,30} )?W=[12] warnings?\b|\bW=[12]\b[^.?!]{1,40}?\b(?:warns|complains)\b|\b(?:when|while) (?:building|compiling) with W=[12]\b[^.?!]{1,60}?\b(?:warn(?:s|ings?)?|complains?)\b/i,
    example: 'When building with W=1, there is a warning about an unused variable.',
    nearMiss: 'Build with W=1 to see more warnings.',
  },
  // a warning flag alone names the warning: "fix -Wformat-truncation", "silence -Wunused-function"
  {
    name: 'flag-fixed',
    class: 'warning',
    pattern:
      /\b(?:fix(?:es|ed|ing)?|silenc(?:e|es|ed|ing)|suppress(?:es|ed|ing)?|avoid(?:s|ed|ing)?|address(?:es|ed|ing)?) (?:a |an |the |this |these |some |several )?-W(?!error\b|no-)[a-z][\w=-]{2,60}/i,
    example: 'drm/foo: fix -Wformat-truncation in foo_name()',
    nearMiss: 'Add -Wformat-truncation to the W=1 flags.',
  },
  {
    name: 'warning-fixed',
    class: 'warning',
    pattern:
      /\b(?:fix(?:es|ed|ing)?|silenc(?:e|es|ed|ing)|suppress(?:es|ed|ing)?|avoid(?:s|ed|ing)?|address(?:es|ed|ing)?|shut(?:s|ting)? up|get rid of)\b[^.]{0,80}?\b(?:compiler|gcc|clang|sparse|smatch|coccinelle|static[- ]check(?:er|ing)?|W=1|build|kconfig|objtool|modpost|-W[\w=-]+|a|the|this|these)\b[^.]{0,40}?\bwarnings?\b/i,
    example: 'Fix the Kconfig warning for FOO_PHY.',
    nearMiss: 'Fix the race between open and release.',
  },
  {
    name: 'kconfig-unmet',
    class: 'kconfig',
    pattern: /\bunmet (?:direct )?dependenc(?:y|ies)\b[^.?!]{1,40}?\b(?:warnings?|detected for)\b|\bwarn\w* [^.?!]{0,40}?\bunmet (?:direct )?dependenc/i,
    example: 'This gives an unmet direct dependency warning for FOO_PHY.',
    nearMiss: 'A memory leak happens when an unmet dependency is detected.',
  },
  {
    name: 'linux-next-warnings',
    class: 'warning',
    pattern: /\bbuild warnings? after merge of the [\w.-]{1,60} tree\b/,
    example: 'linux-next: build warnings after merge of the foo tree',
    nearMiss: 'linux-next: manual merge of the foo tree',
  },
  {
    name: 'robot-errors',
    class: 'build',
    pattern: /\bYet something to improve:|\bkernel test robot noticed the following build errors\b/,
    example: 'kernel test robot noticed the following build errors:',
    nearMiss: 'kernel test robot noticed the following changes',
  },
  {
    name: 'robot-warnings',
    class: 'warning',
    pattern: /\bPerhaps something to improve:|\bkernel test robot noticed the following build warnings\b/,
    example: 'Thank you for the patch! Perhaps something to improve:',
    nearMiss: 'Thank you for the patch!',
  },
  { name: 'robot-log-header', class: 'build', pattern: /^All (?:errors|warnings) \(new ones prefixed by >>/, example: 'All errors (new ones prefixed by >>):', nearMiss: 'All good (nothing new).' },
];

/** What makes a matched phrase no report: the words right before it. */
/** Each example: a sentence that is no report, and the same phrase as a report. */
export const NOT_A_REPORT_BEFORE: { name: string; pattern: RegExp; example: [string, string] }[] = [
  // "does not break the build", "without breaking", "no longer fails"
  { name: 'negated', pattern: /(?:\bnot|n't|\bnever|\bno longer|\bwithout|\bnor)\s(?:\w+\s){0,2}$/i, example: ['This does not fail to build on arm.', 'This fails to build on arm.'] },
  // "no build errors", "without any warnings", "zero link failures"
  { name: 'none', pattern: /\b(?:no|zero|any|free of)\s(?:new\s|more\s)?$/i, example: ['I see no build errors with it.', 'I see build errors with it.'] },
  // "when the build fails, ...", "if foo is not defined": a condition, not an event
  {
    name: 'conditional',
    pattern: /\b(?:when|if|unless|whether|once|until|in case)\s(?:the\s|a\s|an\s|this\s|it\s|any\s)?$/i,
    example: ['When the build fails, the output is deleted.', 'Since then the build fails on arm.'],
  },
  // "this would break arm", "could fail": a guess, unless it is what happens without the patch
  { name: 'hypothetical', pattern: /\b(?:would|could|might|should)\s(?:\w+\s){0,2}$/i, example: ['This could fail to build on arm.', 'This will fail to build on arm.'] },
];

/** What makes a matched phrase no report: the words right after it ("the build error has gone"). */
export const NOT_A_REPORT_AFTER: { name: string; pattern: RegExp; example: [string, string] }[] = [
  {
    name: 'resolved',
    pattern: /^\s(?:(?:has|is|was|have|are|were) (?:now |also )?(?:gone|fixed|resolved|solved|cured)|(?:went|goes|go) away|disappear(?:s|ed)?|vanish(?:es|ed)?)\b/i,
    example: ['The build failure has gone with v2.', 'The build failure is still there with v2.'],
  },
];

/**
 * A warning the sentence itself calls intended: the code is right and the compiler's
 * guess is not ("the functions intentionally lack a shared header", "the fall-through is
 * deliberate"). Saying so and annotating or exempting the code is the kernel's way with
 * such warnings (Documentation/process/deprecated.rst on intentional fall-through), not
 * a report of a failure.
 */
export const INTENDED_CODE = {
  name: 'intended',
  pattern: /\b(?:intentional(?:ly)?|deliberate(?:ly)?|on purpose|by design)\b/i,
  example: [
    'Also suppress -Wmissing-prototypes in the test module, as its exported test functions intentionally lack a shared header.',
    'Also suppress -Wmissing-prototypes in the test module, which lacks the header.',
  ] as [string, string],
};

/**
 * A failure the sentence places in a patch still to come ("the warnings I'm eliminating in the
 * coming patch", "the next patch would break", "in preparation for"): a preparatory patch heads
 * off what its own series would break; nothing in the tree fails, so it answers no report. A
 * past change ("a later patch broke it") is history, and a tester's "with the next patch
 * applied the build fails" is a report about that patch: both still count.
 */
export const LATER_PATCH = {
  name: 'later-patch',
  pattern: /\b(?:in|with|by) (?:the|a|an) (?:coming|upcoming) patch(?:es)?\b|\b(?:the|a) (?:next|following|coming) patch (?:will|would)\b|\bin preparation for\b|\blater in (?:this|the) series\b/i,
  example: ["In that case we get the build warnings I'm trying to eliminate in the coming patch that adds the attribute.", 'A later patch broke the build on arm.'] as [string, string],
};

/**
 * Do the words just before a phrase at `at` make it no report (a negation, a condition, a
 * guess)? A guess is still one when the sentence says it is what happens without the patch.
 */
export function deniedBefore(text: string, at: number, table: readonly { name: string; pattern: RegExp }[] = NOT_A_REPORT_BEFORE): boolean {
  const before = text.slice(Math.max(0, at - 40), at);
  const blocked = table.find((n) => n.pattern.test(before));
  return Boolean(blocked && !(blocked.name === 'hypothetical' && COUNTERFACTUAL.test(text)));
}

/** Sentences that ask rather than report. */
export const QUESTION = /\?\s*(?:["')\]]+\s*)?$|^(?:would|does|did|do|can|could|will|should|is|are|has|have)\s(?:it|this|that|the|these|those|your|you|we|anything|something|anyone|there)\b/i;

/** "otherwise the build would fail", "without this patch it would break": the unpatched tree fails. */
export const COUNTERFACTUAL = /\b(?:otherwise|without (?:this|the|that) (?:patch|change|fix|commit))\b/i;

/** Words of the whole sentence that say what kind of failure it is. */
export const SENTENCE_CLASS: { class: PhraseClass; pattern: RegExp }[] = [
  { class: 'kconfig', pattern: /\bunmet (?:direct )?dependenc/i },
  { class: 'link', pattern: /\bundefined (?:references?|symbols?)\b|\b(?:link|linker|linking) (?:errors?|failures?)\b|\bfails? to link\b|\bmodpost\b/i },
  { class: 'compile', pattern: /\bimplicit declaration\b|\bundeclared\b/i },
];

const QO = '[`\'‘"“]';
const QC = '[\'’"`”]';
const ID = '([A-Za-z_$][\\w$]{2,200})';

/**
 * Where a sentence names the failing symbol, strongest cue first. `cue` says how
 * sure: a diagnostic's own wording ("undefined reference to x"), the subject of
 * "is undefined / is only defined when" or a call "x()", or a mere mention.
 * A link or compile error is inferred only from the first two; a mention just
 * names the symbol of a failure whose kind stays unknown.
 */
export type CueLevel = 'diagnostic' | 'subject' | 'mention';
export const SYMBOL_CUES: { name: string; pattern: RegExp; cue: CueLevel; example: [string, string] }[] = [
  { name: 'reference-to', cue: 'diagnostic', pattern: new RegExp(`\\b(?:undefined )?references? to ${QO}?${ID}`, 'i'), example: ['an undefined reference to foo_get', 'foo_get'] },
  { name: 'undefined-symbol', cue: 'diagnostic', pattern: new RegExp(`\\bundefined symbols?:? ${QO}?${ID}`, 'i'), example: ['undefined symbol: foo_get', 'foo_get'] },
  { name: 'declaration-of', cue: 'diagnostic', pattern: new RegExp(`\\bimplicit declaration of (?:function )?${QO}?${ID}`, 'i'), example: ['implicit declaration of function foo_get', 'foo_get'] },
  { name: 'undeclared', cue: 'diagnostic', pattern: new RegExp(`${QO}?${ID}${QC}? undeclared\\b`), example: ['FOO_MAX undeclared', 'FOO_MAX'] },
  { name: 'modpost-symbol', cue: 'diagnostic', pattern: new RegExp(`\\bmodpost: ${QO}?${ID}${QC}? (?:\\[\\S{1,300}\\] )?undefined`), example: ['modpost: foo_get undefined', 'foo_get'] },
  {
    name: 'subject-of-undefined',
    cue: 'subject',
    pattern: new RegExp(
      `${QO}?${ID}${QC}?(?:\\(\\))? (?:is|are|was|were|becomes?|remains?) (?:only |left )?(?:undefined|not defined|not exported|defined|declared|built|compiled|available|exported|implemented|provided)\\b`,
    ),
    example: ['foo_get() is only defined when', 'foo_get'],
  },
  { name: 'call', cue: 'subject', pattern: /\b([A-Za-z_$][\w$]{2,200})\(\)/, example: ['the call to foo_get() stays', 'foo_get'] },
  { name: 'quoted', cue: 'mention', pattern: new RegExp(`${QO}${ID}${QC}`), example: ["the 'foo_get' helper", 'foo_get'] },
  { name: 'named-by-noun', cue: 'mention', pattern: new RegExp(`\\b(?:function|symbol|variable|macro|helper|export)s? ${QO}?${ID}`, 'i'), example: ['the function foo_get', 'foo_get'] },
];
