// How a mailer wraps a toolchain line (format=flowed, 72/78 columns, a
// reviewer's reflow): the message moves to the next line, right after
// "error:" or mid-phrase, or a long path breaks before ":LINE:COL:". Each
// entry names one way, with a wrapped pair a test joins back.

export interface WrapRule {
  name: string;
  /** the end of the first line */
  end: RegExp;
  /** the start of the continuation */
  next: RegExp;
  /** glue between them: a space for words, nothing for a broken path */
  glue: '' | ' ';
  example: [string, string];
}

/** A line that holds a diagnostic (so the rules leave prose alone). */
export const DIAGNOSTIC_MARK =
  /\S:\d+(?::\d+)?: (?:fatal error|error|warning|sparse):|\bundefined (?:reference|symbol)\b|[Ii]n function\b|\b(?:ld(?:\.lld|\.bfd)?|cc1|gcc|clang|rustc|objtool): (?:fatal error|error|warning)\b|\bmodpost:|\berror\[E\d{4}\]:/;

export const WRAP_RULES: WrapRule[] = [
  {
    name: 'message-after-severity',
    end: /(?:fatal error|error|warning|sparse: sparse|undefined symbol):\s*$/,
    next: /^\s*\S/,
    glue: ' ',
    example: ['drivers/net/foo/foo_main.c:120:9: error:', "     implicit declaration of function 'bar_register'"],
  },
  {
    name: 'object-on-next-line',
    // the phrase stops before the symbol it names
    end: /\b(?:undefined reference to|implicit declaration of(?: function)?|call to undeclared function|conflicting types for|redefinition of|too (?:few|many) arguments to function|no member named|unknown type name|use of undeclared identifier|in function|of function|uninitialized symbol)\s*$/,
    next: /^\s*\S/,
    glue: ' ',
    example: ['drivers/net/foo/foo_main.c:256:8: error: implicit declaration of function', "'bar_register'; did you mean 'bar_unregister'? [-Werror=implicit-function-declaration]"],
  },
  {
    name: 'flag-on-next-line',
    // gcc's "[-Wflag]" pushed past the margin
    end: /\S\s*$/,
    next: /^\s*\[-W[\w=+-]{1,100}\]\s*$/,
    glue: ' ',
    example: ["drivers/net/foo/foo_main.c:33:27: warning: 'foo_ids' defined but not used", '[-Wunused-const-variable=]'],
  },
  {
    name: 'path-before-location',
    // a line holding only a path, cut by a hard wrap at a slash or just before ":LINE"
    end: /^\s{0,8}[\w.+-]{0,200}(?:\/[\w.+-]{0,200}){1,40}$/,
    next: /^[\w.+-]{0,200}(?:\/[\w.+-]{1,200}){0,40}(?:\.[chS])?:\d+(?::\d+)?: (?:fatal error|error|warning|note|sparse):/,
    glue: '',
    example: ['drivers/gpu/drm/foo/display/', 'foo_link_encoder.c:512:13: error: unused variable ‘dpcd’ [-Werror=unused-variable]'],
  },
];

/** A continuation never starts a diagnostic of its own, a gcc source excerpt, or ld.lld's ">>>". */
export const NOT_A_CONTINUATION = /^\s*(?:\d{0,6}\s{0,4}\||>>>|\S{1,300}:\d+(?::\d+)?: |(?:ERROR|WARNING|ld|ld\.lld|make)(?:\[\d+\])?: |In file included|\S{1,300}\.o: [Ii]n function)/;
