// Where a diagnostic's message names the symbol at stake, one entry per
// message shape (gcc, clang, sparse, smatch, rustc). The quotes are optional
// where the wording alone marks the symbol: archives and retyped mail lose
// them ("implicit declaration of function foo; did you mean ...").

const QO = '[`\'‘"“]';
const QC = '[\'’"`”]';
const ID = '([A-Za-z_$][\\w$]{0,200})';

export interface DiagnosticSymbol {
  name: string;
  pattern: RegExp;
  /** a message of this shape and the symbol it names (tests check both) */
  example: [string, string];
}

export const DIAGNOSTIC_SYMBOLS: DiagnosticSymbol[] = [
  { name: 'implicit-declaration', pattern: new RegExp(`implicit declaration of function ${QO}?${ID}`), example: ['implicit declaration of function foo_get; did you mean foo_put?', 'foo_get'] },
  {
    name: 'clang-undeclared-function',
    pattern: new RegExp(`call to undeclared function ${QO}?${ID}`),
    example: ["call to undeclared function 'foo_get'; ISO C99 and later do not support implicit function declarations", 'foo_get'],
  },
  { name: 'clang-undeclared-identifier', pattern: new RegExp(`use of undeclared identifier ${QO}?${ID}`), example: ["use of undeclared identifier 'FOO_MAX'", 'FOO_MAX'] },
  { name: 'undeclared', pattern: new RegExp(`(?:^|\\s)${QO}?${ID}${QC}? undeclared`), example: ["'FOO_MAX' undeclared (first use in this function)", 'FOO_MAX'] },
  { name: 'unknown-type', pattern: new RegExp(`unknown type name ${QO}?${ID}`), example: ["unknown type name 'foo_t'", 'foo_t'] },
  { name: 'no-member', pattern: new RegExp(`(?:has )?no member named ${QO}?${ID}`), example: ["'struct foo' has no member named 'bar'", 'bar'] },
  { name: 'defined-not-used', pattern: new RegExp(`${QO}${ID}${QC} defined but not used`), example: ['‘foo_ids’ defined but not used [-Wunused-const-variable=]', 'foo_ids'] },
  { name: 'unused', pattern: new RegExp(`unused (?:variable|function|const variable|import:?) ${QO}?${ID}`), example: ["unused variable 'ret' [-Wunused-variable]", 'ret'] },
  { name: 'set-but-not-used', pattern: new RegExp(`variable ${QO}?${ID}${QC}? set but not used`), example: ['variable ‘len’ set but not used [-Wunused-but-set-variable]', 'len'] },
  { name: 'used-uninitialized', pattern: new RegExp(`${QO}${ID}${QC} (?:is|may be) used uninitialized`), example: ["'ret' is used uninitialized [-Wuninitialized]", 'ret'] },
  {
    name: 'variable-uninitialized',
    pattern: new RegExp(`variable ${QO}?${ID}${QC}? is (?:uninitialized|used uninitialized)`),
    example: ["variable 'ret' is uninitialized when used here [-Wuninitialized]", 'ret'],
  },
  { name: 'smatch-uninitialized', pattern: new RegExp(`uninitialized symbol ${QO}?${ID}`), example: ["uninitialized symbol 'data'.", 'data'] },
  { name: 'redefinition', pattern: new RegExp(`(?:redefinition|conflicting types) (?:of|for) ${QO}?${ID}`), example: ["conflicting types for 'foo_read'; have 'int(void)'", 'foo_read'] },
  { name: 'argument-count', pattern: new RegExp(`too (?:few|many) arguments to function ${QO}?${ID}`), example: ["too few arguments to function 'foo_read'", 'foo_read'] },
  { name: 'missing-header', pattern: /^([\w./-]{1,300}\.h): No such file or directory/, example: ['linux/foo.h: No such file or directory', 'linux/foo.h'] },
  { name: 'declared-here', pattern: new RegExp(`${QO}${ID}${QC} (?:declared|defined) (?:here|inside)`), example: ["'foo' declared inside parameter list", 'foo'] },
  // the function called, not the types ("initialization of 'int *' from incompatible pointer type 'long *'" names none)
  { name: 'argument-of', pattern: new RegExp(`passing argument \\d+ of ${QO}?${ID}`), example: ["passing argument 1 of 'foo_read' from incompatible pointer type", 'foo_read'] },
  {
    name: 'no-previous-prototype',
    pattern: new RegExp(`no previous (?:prototype|declaration) for ${QO}?${ID}`),
    example: ["no previous prototype for 'foo_setup' [-Wmissing-prototypes]", 'foo_setup'],
  },
  { name: 'sparse-should-be-static', pattern: new RegExp(`symbol ${QO}?${ID}${QC}? was not declared`), example: ["sparse: symbol 'foo_table' was not declared. Should it be static?", 'foo_table'] },
  { name: 'deprecated', pattern: new RegExp(`${QO}${ID}${QC} is deprecated`), example: ["'foo_old' is deprecated [-Wdeprecated-declarations]", 'foo_old'] },
  { name: 'rustc-cannot-find', pattern: /cannot find (?:function|value|type|macro|struct|trait|module) `([\w$]{1,200})`/, example: ['cannot find function `foo_get` in this scope', 'foo_get'] },
  { name: 'objtool-call', pattern: /call to ([\w.$]{1,200})\(\) leaves/, example: ['call to foo_trace() leaves .noinstr.text section', 'foo_trace'] },
  { name: 'bare-undefined', pattern: new RegExp(`^${QO}?${ID}${QC}? undefined`), example: ['"foo_get" undefined!', 'foo_get'] },
];

export function symbolFromMessage(msg: string): string | undefined {
  for (const d of DIAGNOSTIC_SYMBOLS) {
    const m = d.pattern.exec(msg);
    if (m) return m[1];
  }
  return undefined;
}

/** The warning flag a diagnostic names, "-Werror=x" read as "-Wx". */
export function flagOf(msg: string): string | undefined {
  // gcc: [-Wfoo], [-Werror=foo]; clang: [-Werror,-Wfoo]
  const m = /\[(?:-Werror,)?(-W[\w=+-]{1,100})\]/.exec(msg);
  return m ? m[1]!.replace(/^-Werror=/, '-W') : undefined;
}
