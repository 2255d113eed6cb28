// The lines toolchains, checkers and build systems print when a build fails,
// one named entry per shape. The scanner (../failures.ts) runs them over every
// line at any quote depth, and mid-line too (archives that lost the newlines).
//
// Each pattern is global, uses named groups the scanner reads (tool, obj, file,
// line, fn, sym, sym2, module, sev, msg) and bounds every run of \S or .
// ({0,300}): an unbounded run retried from each position made long lines
// quadratic. `hint` is what every match contains (a substring, or a short
// unanchored test), checked first: most lines are prose or code.

import type { FailureKind } from '../../core/types.js';

/** Quote marks toolchains and mailers put around a symbol: `x', 'x', ‘x’, "x", “x”. */
export const Q_OPEN = '[`\'‘"“]';
export const Q_CLOSE = '[\'’"`”]';
/** A linker symbol between quotes (lazy: stops at the closing quote). */
export const SYM_QUOTED = '[A-Za-z_.$][\\w.$@]{0,200}?';
/** A linker symbol without quotes (greedy, then a word boundary). */
export const SYM_BARE = '[A-Za-z_.$][\\w.$@]{0,200}(?![\\w.$@])';
const PATH_C = '(?:[\\w.+-]+\\/){0,40}[\\w.+-]{1,200}';

export interface FailureShape {
  name: string;
  /** what it is: a failure, or a line that adds to the failure found above it */
  role: 'failure' | 'context';
  kind: FailureKind;
  /** the kind by the severity word the line prints (group sev), where it has one */
  bySeverity?: Record<string, FailureKind>;
  tool?: string;
  hint: string | RegExp;
  pattern: RegExp;
  /** the match counts only when one of these groups is set */
  needsOneOf?: string[];
  /** a real-looking line of this shape (tests check it is found) */
  example: string;
  /** a line that looks close but is not this shape (tests check it is not found) */
  nearMiss?: string;
}

export const FAILURE_SHAPES: FailureShape[] = [
  {
    name: 'gnu-ld-in-function',
    role: 'context',
    kind: 'undefined-reference',
    hint: 'n function',
    // GNU ld names the function holding the reference on the line above it ("In function" before binutils 2.30)
    pattern: new RegExp(`(?:^|\\s)(?:(?<tool>\\S{0,200}?ld(?:\\.bfd|\\.gold)?): )?(?<obj>\\S{1,300}?\\.o)(?:\\s{0,4}\\(\\S{1,200}\\))?: [Ii]n function ${Q_OPEN}(?<fn>${SYM_QUOTED})${Q_CLOSE}:?`, 'g'),
    example: "ld: drivers/net/foo/foo_main.o: in function `foo_probe':",
    nearMiss: 'The problem is in function foo_probe, I think.',
  },
  {
    name: 'gnu-ld-undefined-reference',
    role: 'failure',
    kind: 'undefined-reference',
    tool: 'ld',
    hint: 'undefined reference',
    // one location group: "file:line" and "file:(.text+0x1c4)" share the file part (two runs of
    // \S{1,300}? side by side made the linter's automaton exceed its size limit)
    pattern: new RegExp(
      `(?:(?<tool>\\S{0,200}?ld(?:\\.bfd|\\.gold)?): )?(?:(?<obj>\\S{1,300}?\\.o): )?(?:(?<file>\\S{1,300}?):(?:(?<line>\\d+)|\\(\\.[\\w.$+]{1,200}\\+0x[0-9a-f]+\\)))?:? ?undefined reference to ${Q_OPEN}(?<sym>${SYM_QUOTED})${Q_CLOSE}`,
      'g',
    ),
    example: "drivers/net/foo/foo_main.c:212: undefined reference to `bar_register'",
    nearMiss: 'An undefined reference is what the linker reports.',
  },
  {
    name: 'gnu-ld-undefined-reference-unquoted',
    role: 'failure',
    kind: 'undefined-reference',
    tool: 'ld',
    hint: 'undefined reference',
    // quotes lost (an archive, a retyped log): only with ld's prefix or a location, else it is prose
    needsOneOf: ['tool', 'file'],
    pattern: new RegExp(
      `(?:(?<tool>\\S{0,200}?ld(?:\\.bfd|\\.gold)?): )?(?:(?<obj>\\S{1,300}?\\.o): )?(?:(?<file>\\S{1,300}?):(?:(?<line>\\d+)|\\(\\.[\\w.$+]{1,200}\\+0x[0-9a-f]+\\)))?:? ?undefined reference to (?<sym>${SYM_BARE})`,
      'g',
    ),
    example: 'foo_main.c:(.text+0x1c4): undefined reference to bar_register',
    nearMiss: 'This causes an undefined reference to bar_register.',
  },
  {
    name: 'lld-undefined-symbol',
    role: 'failure',
    kind: 'undefined-reference',
    tool: 'ld.lld',
    hint: 'undefined ',
    pattern: new RegExp(`(?<tool>\\S{0,200}ld\\.lld|ld64\\.lld|lld): error: undefined (?:hidden )?symbol: (?:${Q_OPEN}(?<sym>${SYM_QUOTED})${Q_CLOSE}|(?<sym2>\\S{1,300}))`, 'g'),
    example: 'ld.lld: error: undefined symbol: bar_register',
    nearMiss: 'ld.lld: warning: undefined symbol lookups are slow',
  },
  {
    name: 'modpost-undefined',
    role: 'failure',
    kind: 'modpost-undefined',
    tool: 'modpost',
    hint: 'undefined!',
    // modpost quotes the symbol; an archive or a retyped line may have lost the quotes
    pattern: /(?<sev>ERROR|WARNING): (?:modpost: )?"?(?<sym>[^"\s]{1,300}?)"? \[(?<module>\S{1,300}?\.ko|vmlinux)\] undefined!/g,
    example: 'ERROR: modpost: "bar_register" [drivers/net/foo/foo.ko] undefined!',
    nearMiss: 'ERROR: modpost: "bar_register" [drivers/net/foo/foo.ko] is exported twice',
  },
  {
    name: 'modpost-section-mismatch',
    role: 'failure',
    kind: 'warning',
    bySeverity: { ERROR: 'compile-error', WARNING: 'warning' },
    tool: 'modpost',
    hint: 'ection mismatch',
    // since v6.4: "section mismatch in reference: f+0x1c (section: .text) -> g (section: .init.text)"
    pattern: /(?<sev>ERROR|WARNING): modpost: (?<obj>\S{1,300}?): section mismatch in reference: (?<fn>[\w.$]{1,200}?)(?:\+0x[0-9a-f]+)? \(section: [\w.$]{1,100}\) -> (?<sym>[\w.$]{1,200})/g,
    example: 'WARNING: modpost: vmlinux: section mismatch in reference: foo_probe+0x1c (section: .text) -> foo_setup (section: .init.text)',
    nearMiss: 'ERROR: modpost: Section mismatches detected.',
  },
  {
    name: 'modpost-section-mismatch-old',
    role: 'failure',
    kind: 'warning',
    bySeverity: { ERROR: 'compile-error', WARNING: 'warning' },
    tool: 'modpost',
    hint: 'ection mismatch',
    pattern:
      /(?<sev>ERROR|WARNING): (?:modpost: )?(?<obj>\S{1,300}?)\([\w.$]{1,100}\+0x[0-9a-f]+\): Section mismatch in reference from the (?:function|variable) (?<fn>[\w.$]{1,200}?)(?:\(\))? to the (?:function|variable) (?:[\w.$]{1,100}:)?(?<sym>[\w.$]{1,200}?)(?:\(\))?(?=[\s,.]|$)/g,
    example: 'WARNING: vmlinux.o(.text+0x1a2b): Section mismatch in reference from the function foo_probe() to the function .init.text:foo_setup()',
    nearMiss: 'WARNING: vmlinux.o: Section mismatch checks are off',
  },
  {
    name: 'modpost-missing-license',
    role: 'failure',
    kind: 'compile-error',
    tool: 'modpost',
    hint: 'missing MODULE_LICENSE',
    pattern: /ERROR: modpost: missing MODULE_LICENSE\(\) in (?<obj>\S{1,300}\.o)/g,
    example: 'ERROR: modpost: missing MODULE_LICENSE() in drivers/net/foo/foo_main.o',
    nearMiss: 'WARNING: modpost: missing MODULE_DESCRIPTION() in drivers/net/foo/foo_main.o',
  },
  {
    name: 'gcc-clang-diagnostic',
    role: 'failure',
    // sparse as the robot prints it ("file.c:12:3: sparse: sparse: ...") has no severity word
    kind: 'static-check',
    bySeverity: { 'fatal error': 'compile-error', error: 'compile-error', warning: 'warning' },
    hint: /\.\w{1,4}:\d/,
    pattern: new RegExp(
      `(?:^|[\\s(])(?<file>${PATH_C}\\.(?:c|h|S|s|cc|cpp|rs|lds|dts|dtsi|ld)):(?<line>\\d+)(?::\\d+)?: (?:(?:sparse: ){1,4}|(?<sev>fatal error|error|warning): )(?<msg>.{1,500})`,
      'g',
    ),
    example: "drivers/net/foo/foo_main.c:120:9: error: implicit declaration of function 'bar_register' [-Werror=implicit-function-declaration]",
    nearMiss: "drivers/net/foo/foo_main.c:120:9: note: in expansion of macro 'BAR'",
  },
  {
    name: 'file-diagnostic',
    role: 'failure',
    // a checker that names the file but no line (scripts/misc-check, headers checks); only at a
    // line's start, where prose rarely puts a path
    kind: 'warning',
    bySeverity: { error: 'compile-error', warning: 'warning' },
    hint: /\.\w{1,4}: (?:warning|error): /,
    pattern: new RegExp(`^\\s{0,4}(?<file>${PATH_C}\\.(?:c|h|S|rs|lds|dts|dtsi)): (?<sev>error|warning): (?<msg>.{1,500})`, 'g'),
    example: 'init/main.c: warning: EXPORT_SYMBOL() is used, but #include <linux/export.h> is missing',
    nearMiss: 'See init/main.c: it warns about nothing.',
  },
  {
    name: 'smatch',
    role: 'failure',
    kind: 'static-check',
    tool: 'smatch',
    hint: '() ',
    pattern: new RegExp(`(?:^|\\s)(?<file>${PATH_C}\\.[ch]):(?<line>\\d+) (?<fn>[\\w.]{1,200})\\(\\) (?<sev>error|warn|warning): (?<msg>.{1,300})`, 'g'),
    example: "drivers/net/foo/foo_main.c:587 foo_read() error: uninitialized symbol 'data'.",
    nearMiss: 'drivers/net/foo/foo_main.c:587 foo_read() looks fine to me',
  },
  {
    name: 'coccinelle',
    role: 'failure',
    kind: 'static-check',
    tool: 'coccinelle',
    hint: /\.\w{1,4}:\d/,
    // coccicheck prints a column range ("12:1-3") where compilers print one column
    pattern: new RegExp(`(?:^|\\s)(?<file>${PATH_C}\\.[ch]):(?<line>\\d+):\\d+-\\d+: (?<sev>ERROR|WARNING)(?: opportunity for)?:? (?<msg>.{1,300})`, 'g'),
    example: 'drivers/net/foo/foo_main.c:301:1-3: WARNING: PTR_ERR_OR_ZERO can be used',
    nearMiss: 'drivers/net/foo/foo_main.c:301:1: WARNING in the old format is not coccinelle',
  },
  {
    name: 'objtool',
    role: 'failure',
    kind: 'warning',
    bySeverity: { error: 'compile-error', warning: 'warning' },
    tool: 'objtool',
    hint: 'objtool: ',
    pattern: /(?<obj>\S{1,300}?\.o): (?<sev>warning|error): objtool: (?<fn>[\w.$]{1,200}?)(?:\(\))?(?:\+0x[0-9a-f]+)?: (?<msg>.{1,300})/g,
    example: 'vmlinux.o: warning: objtool: foo_enter+0x2a: call to bar_trace() leaves .noinstr.text section',
    nearMiss: 'objtool: the tool that checks stack frames',
  },
  {
    name: 'toolchain-driver',
    role: 'failure',
    kind: 'compile-error',
    hint: 'error: ',
    // the driver or a tool speaking for itself, with no source location
    pattern: /(?:^|\s)(?<tool>cc1|cc1plus|gcc|clang|rustc|objtool|as|ld)(?:-\d+)?: (?<sev>fatal error|error): (?<msg>.{1,300})/g,
    example: "cc1: error: '-mfoo' must be used with '-mhard-float'",
    nearMiss: 'cc1: all warnings being treated as errors',
  },
  {
    name: 'kconfig-unmet-dependencies',
    role: 'failure',
    kind: 'kconfig-unmet',
    tool: 'kconfig',
    hint: 'unmet direct',
    pattern: /WARNING: unmet direct dependencies detected for (?<sym>\w{1,200})/g,
    example: 'WARNING: unmet direct dependencies detected for FOO_PHY',
    nearMiss: 'Kconfig used to warn about unmet direct dependencies here.',
  },
  {
    name: 'make-no-rule',
    role: 'failure',
    kind: 'compile-error',
    tool: 'make',
    hint: 'No rule to make target',
    pattern: new RegExp(`make(?:\\[\\d+\\])?: \\*\\*\\* No rule to make target ${Q_OPEN}(?<file>[^'’"\`\\s]{1,300})${Q_CLOSE}`, 'g'),
    example: "make[3]: *** No rule to make target 'drivers/net/foo/foo_hw.o', needed by 'drivers/net/foo/built-in.a'.  Stop.",
    nearMiss: 'make[3]: *** [scripts/Makefile.build:243: drivers/net/foo/foo_hw.o] Error 1',
  },
  {
    name: 'rustc-coded',
    role: 'failure',
    kind: 'compile-error',
    bySeverity: { error: 'compile-error', warning: 'warning' },
    tool: 'rustc',
    hint: '[E0',
    // rustc's own diagnostics carry an error code; the location follows on a "-->" line
    pattern: /(?:^|\s)(?<sev>error|warning)\[E\d{4}\]: (?<msg>.{1,300})/g,
    example: 'error[E0425]: cannot find function `bar_register` in this scope',
    nearMiss: 'See error E0425 in the Rust book.',
  },
  {
    name: 'rustc-plain',
    role: 'failure',
    kind: 'compile-error',
    bySeverity: { error: 'compile-error', warning: 'warning' },
    tool: 'rustc',
    hint: /^\s{0,8}(?:error|warning): /,
    // without a code it is only rustc when a "--> file.rs:L:C" line follows (the scanner checks)
    pattern: /^\s{0,8}(?<sev>error|warning): (?<msg>.{1,300})/g,
    example: 'warning: unused import: `bar_register`',
    nearMiss: 'error: this line is not followed by a location',
  },
];

/** The location line under a rustc diagnostic: "  --> rust/kernel/foo.rs:12:5". */
export const RUSTC_LOCATION = /^\s{0,12}--> (?<file>\S{1,300}?\.rs):(?<line>\d+):\d+/;

/** Lines that follow ld.lld's "undefined symbol" line. */
export const LLD_REFERENCED_BY = /^>>> referenced by (\S{1,300}?)(?::(\d+))?(?: \((\S{1,300}?)(?::(\d+))?\))?\s*$/;
export const LLD_OBJECT = /^>>>\s+(\S{1,300}\.o):\((\S{1,300}?)\)/;

/** Lines of the block under Kconfig's "unmet direct dependencies". */
export const KCONFIG_DEPENDS = /Depends on \[([nmy])\]: (.+?)(?=\s{1,40}Selected by|\s{1,40}- |$)/; // bounded: \s+ in a lookahead after .+? is quadratic
export const KCONFIG_SELECTOR = /- (\w+) \[=([nmy])\]/g;

/** Lines that accompany failures but are not one: a summary of those above, or a note. */
export const NOT_A_FAILURE: { name: string; pattern: RegExp; example: string }[] = [
  { name: 'werror-summary', pattern: /all warnings being treated as errors/, example: 'cc1: all warnings being treated as errors' },
  { name: 'gcc-note', pattern: /^note:/, example: 'note: each undeclared identifier is reported only once' },
];

/** Does this match of this shape count (see `needsOneOf`)? */
export function shapeMatchCounts(shape: FailureShape, m: RegExpExecArray): boolean {
  return !shape.needsOneOf || shape.needsOneOf.some((g) => m.groups?.[g] !== undefined);
}

/** The cheap test before a shape's pattern runs. */
export function hintIn(shape: FailureShape, t: string): boolean {
  return typeof shape.hint === 'string' ? t.includes(shape.hint) : shape.hint.test(t);
}
