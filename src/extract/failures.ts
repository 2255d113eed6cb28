// Build failures as toolchains print them, found at any quote depth and also in
// text that lost its line breaks (every pattern works mid-line).
//
//   GNU ld   : "ld: mm/percpu.o: in function `f':" + "mm/percpu-vm.c:188: undefined reference to `sym'"
//              (old binutils: "foo.o: In function `f':" + "foo.c:(.text+0xc4): undefined reference to `sym'")
//   ld.lld   : "ld.lld: error: undefined symbol: sym" + ">>> referenced by file.c:12" + ">>> path.o:(f)"
//   modpost  : 'ERROR: modpost: "sym" [drivers/x.ko] undefined!'
//   gcc/clang: "file.c:12:3: error: implicit declaration of function 'f'" (+ [-Werror=...])
//   sparse   : "file.c:12:3: warning: incorrect type ..." / robot's "file.c:12:3: sparse: sparse: ..."
//   smatch   : "file.c:587 func() error: uninitialized symbol 'data'."
//   Kconfig  : "WARNING: unmet direct dependencies detected for X" + "Depends on [n]: ..." + "Selected by [y]:"
//   prose    : "FTBFS", "fails to link without CONFIG_SMP"
//   runtime  : oops/BUG/WARNING splats, KASAN, "corruption"

import type { BuildFailure, FailureKind, MailCite } from '../core/types.js';
import type { BodyLine } from './lines.js';

const Q_OPEN = "[`'‘\"]";
const Q_CLOSE = "['’\"`]";
const SYM = '([A-Za-z_.$][\\w.$@]{0,200}?)';

const LD_IN_FUNCTION = new RegExp(`(?:^|\\s)(?:(\\S*?ld(?:\\.bfd|\\.gold)?): )?(\\S+?\\.o)(?:\\s*\\(\\S+\\))?: [Ii]n function ${Q_OPEN}${SYM}${Q_CLOSE}:?`, 'g');
// \S runs are bounded ({0,200}): unbounded ones made a long line without spaces quadratic
const LD_UNDEF = new RegExp(`(?:(\\S{0,200}?ld(?:\\.bfd|\\.gold)?): )?(?:(\\S{1,300}?\\.o): )?(?:(\\S{1,300}?):(\\d+)|(\\S{1,300}?):\\(\\.[\\w.$]+\\+0x[0-9a-f]+\\))?:? ?undefined reference to ${Q_OPEN}${SYM}${Q_CLOSE}`, 'g');
const LLD_UNDEF = /(\S{0,200}ld\.lld|ld64\.lld|lld): error: undefined symbol: (\S+)/g;
const LLD_REF = /^>>> referenced by (\S+?)(?::(\d+))?(?: \((\S+?)(?::(\d+))?\))?\s*$/;
const LLD_OBJ = /^>>>\s+(\S+\.o):\((\S+?)\)/;
const MODPOST = /(ERROR|WARNING): (?:modpost: )?"([^"\s]+)" \[(\S+?\.ko|vmlinux)\] undefined!/g;
const CC_DIAG = /(?:^|[\s(])((?:[\w.+-]+\/)*[\w.+-]+\.(?:c|h|S|s|cc|cpp|rs|lds|dts|dtsi|ld)):(\d+)(?::(\d+))?: (?:(?:sparse: )+|(fatal error|error|warning): )(.{1,500})/g;
const SMATCH = /(?:^|\s)((?:[\w.+-]+\/)*[\w.+-]+\.[ch]):(\d+) ([\w.]+)\(\) (error|warn|warning): (.{1,300})/g;
const TOOL_DIAG = /(?:^|\s)(cc1|cc1plus|gcc|clang|rustc|objtool|as|ld)(?:-\d+)?: (fatal error|error): (.{1,300})/g;
const KCONFIG_UNMET = /WARNING: unmet direct dependencies detected for (\w+)/g;
const KCONFIG_DEPENDS = /Depends on \[([nmy])\]: (.+?)(?=\s{1,40}Selected by|\s{1,40}- |$)/; // bounded: \s+ in a lookahead after .+? is quadratic
const KCONFIG_SELECTOR = /- (\w+) \[=([nmy])\]/g;
const PROSE_BUILD = /\b(FTBFS|fails? to (?:build|compile|link)|failed to (?:build|compile|link)|build (?:failures?|errors?|breakages?|breaks|fails|failed|is broken|broken|regressions?)|link(?:er|ing)? (?:errors?|failures?|problems?)|compil(?:e|ation|er) (?:errors?|failures?|problems?|fails|breaks)|(?:doesn't|does not|won't|will not|didn't|did not) (?:build|compile|link)|breaks the build|broke the build)\b/i;
const PROSE_WARNING = /\b(?:fix(?:es|ed|ing)?|silenc(?:e|es|ed|ing)|suppress(?:es|ed|ing)?|avoid(?:s|ed|ing)?|address(?:es|ed|ing)?|shut(?:s|ting)? up|get rid of)\b[^.]{0,80}?\b(?:compiler|gcc|clang|sparse|smatch|coccinelle|static[- ]check(?:er|ing)?|W=1|build|kconfig|objtool|modpost|-W[\w=-]+|a|the|this|these)\b[^.]{0,40}?\bwarnings?\b/i;
const RUNTIME = /\b(BUG: [\w ]+|kernel BUG at|Oops(?=:| -)|Kernel panic|general protection fault|Unable to handle kernel|WARNING: CPU: \d+|KASAN: [\w-]+|UBSAN: [\w-]+|use-after-free|hung task|soft lockup|memory corruption|corruption in|data corruption|I get corruption|(?:I|we) (?:get|see|hit|observe)\w* (?:a )?(?:crash|panic|oops|hang|corruption))\b/i;

function symbolFromMessage(msg: string): string | undefined {
  const pats = [
    /implicit declaration of function [`'‘"]([\w$]+)/,
    /call to undeclared function [`'‘"]([\w$]+)/,
    /[`'‘"]([\w$]+)['’"] undeclared/,
    /use of undeclared identifier [`'‘"]([\w$]+)/,
    /unknown type name [`'‘"]([\w$]+)/,
    /(?:has )?no member named [`'‘"]([\w$]+)/,
    /[`'‘"]([\w$]+)['’"] defined but not used/,
    /unused (?:variable|function|const variable) [`'‘"]([\w$]+)/,
    /[`'‘"]([\w$]+)['’"] is used uninitialized/,
    /variable [`'‘"]([\w$]+)['’"] is (?:uninitialized|used uninitialized)/,
    /uninitialized symbol [`'‘"]([\w$]+)/,
    /(?:redefinition|conflicting types) (?:of|for) [`'‘"]([\w$]+)/,
    /too (?:few|many) arguments to function [`'‘"]([\w$]+)/,
    /^([\w./-]+\.h): No such file or directory/,
    /[`'‘"]([\w$]+)['’"] (?:declared|defined) (?:here|inside)/,
    /incompatible (?:pointer )?type[^'`‘]*[`'‘"]([\w$]+)/,
    /[`'‘"]([\w$]+)['’"] is deprecated/,
    /^[`'‘"]?([\w$]+)['’"]? undefined/,
  ];
  for (const re of pats) {
    const m = re.exec(msg);
    if (m) return m[1];
  }
  return undefined;
}

function flagOf(msg: string): string | undefined {
  const m = /\[(-W[\w=+-]+)\]/.exec(msg);
  return m ? m[1]!.replace(/^-Werror=/, '-W') : undefined;
}

export interface FailureScanInput {
  messageId: string;
  lines: BodyLine[];
  /** lines that belong to diffs: a failure string inside a diff is code, not a report */
  diffLines: Set<number>;
  robot: boolean;
}

export function findFailures(input: FailureScanInput): BuildFailure[] {
  const { messageId, lines, diffLines, robot } = input;
  const out: BuildFailure[] = [];
  const cite = (l: BodyLine): MailCite => ({ messageId, line: l.n });
  const base = (kind: FailureKind, l: BodyLine, message: string, extra: Partial<BuildFailure>): BuildFailure => ({
    kind,
    message: message.trim().slice(0, 400),
    configs: [],
    fromRobot: robot,
    cite: cite(l),
    quoteDepth: l.depth,
    ...extra,
  });
  let lastInFunction: { fn: string; obj: string; tool?: string; lineIdx: number } | undefined;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (diffLines.has(l.n)) continue;
    const t = l.text;
    if (t.length < 8) continue;
    let m: RegExpExecArray | null;

    // GNU ld: remember "in function" then pair it with the undefined reference
    const events: { at: number; kind: 'fn' | 'undef'; m: RegExpExecArray }[] = [];
    // cheap substring tests first: most lines are prose or code, and these
    // unanchored patterns otherwise try every position of every line
    LD_IN_FUNCTION.lastIndex = 0;
    if (t.includes('n function')) while ((m = LD_IN_FUNCTION.exec(t))) events.push({ at: m.index, kind: 'fn', m });
    if (t.includes('undefined reference')) {
      LD_UNDEF.lastIndex = 0;
      while ((m = LD_UNDEF.exec(t))) events.push({ at: m.index, kind: 'undef', m });
    }
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      if (e.kind === 'fn') {
        lastInFunction = { fn: e.m[3]!, obj: e.m[2]!, tool: e.m[1], lineIdx: i };
        continue;
      }
      const [, tool, obj, file, lineNo, fileNoLine, sym] = e.m;
      const fnCtx = lastInFunction && i - lastInFunction.lineIdx <= 3 ? lastInFunction : undefined;
      out.push(
        base('undefined-reference', l, e.m[0], {
          symbol: sym,
          file: withObjectDir(file ?? fileNoLine ?? obj ?? fnCtx?.obj, obj ?? fnCtx?.obj),
          line: lineNo ? Number(lineNo) : undefined,
          inFunction: fnCtx?.fn,
          tool: tool ?? fnCtx?.tool ?? 'ld',
        }),
      );
    }

    LLD_UNDEF.lastIndex = 0;
    while (t.includes('undefined symbol: ') && (m = LLD_UNDEF.exec(t))) {
      const f = base('undefined-reference', l, m[0], { symbol: m[2], tool: 'ld.lld' });
      for (let k = i + 1; k < Math.min(lines.length, i + 8); k++) {
        const nt = lines[k]!.text.trim();
        const r = LLD_REF.exec(nt);
        if (r) {
          f.file ??= r[3] ?? r[1];
          f.line ??= r[4] ? Number(r[4]) : r[2] ? Number(r[2]) : undefined;
          continue;
        }
        const o = LLD_OBJ.exec(nt);
        if (o) {
          f.inFunction ??= o[2];
          if (!f.file || !f.file.includes('/')) f.file = f.file && !f.file.includes('/') ? o[1]!.replace(/[^/]+\.o$/, f.file) : o[1];
          continue;
        }
        if (!nt.startsWith('>>>')) break;
      }
      out.push(f);
    }

    MODPOST.lastIndex = 0;
    while ((m = MODPOST.exec(t))) {
      out.push(base('modpost-undefined', l, m[0], { symbol: m[2], module: m[3], tool: 'modpost', file: m[3] === 'vmlinux' ? undefined : m[3]!.replace(/\.ko$/, '.c') }));
    }

    CC_DIAG.lastIndex = 0;
    while (t.includes(': ') && (m = CC_DIAG.exec(t))) {
      const [, file, lineNo, , sev, msgRaw] = m;
      // flat text: the message stops at the next diagnostic, and the scan resumes there
      const msg = msgRaw!.replace(/\s+(?=\S+\.(?:c|h|S):\d+:)[\s\S]*$/, '');
      const cut = msgRaw!.length - msg.length;
      if (cut > 0) CC_DIAG.lastIndex = m.index + m[0].length - cut;
      const isSparse = !sev;
      if (sev === 'warning' && /^note:/.test(msg)) continue;
      const kind: FailureKind = isSparse ? 'static-check' : sev === 'warning' ? 'warning' : 'compile-error';
      out.push(base(kind, l, m[0].slice(0, m[0].length - cut).trim(), { symbol: symbolFromMessage(msg), file, line: Number(lineNo), flag: flagOf(msg), tool: isSparse ? 'sparse' : undefined }));
    }

    SMATCH.lastIndex = 0;
    while (t.includes('() ') && (m = SMATCH.exec(t))) {
      out.push(base('static-check', l, m[0].trim(), { symbol: symbolFromMessage(m[5]!), file: m[1], line: Number(m[2]), inFunction: m[3], tool: 'smatch' }));
    }

    TOOL_DIAG.lastIndex = 0;
    while ((m = TOOL_DIAG.exec(t))) {
      if (/all warnings being treated as errors/.test(m[3]!)) continue;
      out.push(base('compile-error', l, m[0].trim(), { tool: m[1], symbol: symbolFromMessage(m[3]!) }));
    }

    KCONFIG_UNMET.lastIndex = 0;
    while ((m = KCONFIG_UNMET.exec(t))) {
      const f = base('kconfig-unmet', l, m[0], { symbol: m[1], tool: 'kconfig', selectedBy: [] });
      // the block follows on the next lines, or on the same line when flattened
      const tail = [t.slice(m.index + m[0].length), ...lines.slice(i + 1, i + 14).map((x) => x.text)].join('\n');
      const block = tail.split(/WARNING: unmet direct dependencies/)[0]!;
      const dep = KCONFIG_DEPENDS.exec(block.replace(/\n\s*/g, ' '));
      if (dep) f.dependsOn = dep[2]!.trim();
      // Kconfig prints one "Selected by [y]:" and one "Selected by [m]:" section
      const selPart = block.split(/Selected by \[[nmy]\]:/).slice(1).join('\n');
      let s: RegExpExecArray | null;
      KCONFIG_SELECTOR.lastIndex = 0;
      while ((s = KCONFIG_SELECTOR.exec(selPart))) f.selectedBy!.push(s[1]!);
      f.selectedBy = [...new Set(f.selectedBy)];
      out.push(f);
    }
  }
  return out;
}

/**
 * Prose reports of a build problem or a warning being fixed, in the sender's
 * own words only. The subject counts too, as line 0.
 */
export function findProseFailures(messageId: string, own: BodyLine[], diffLines: Set<number>, subject = ''): BuildFailure[] {
  const out: BuildFailure[] = [];
  const lines = subject ? [{ n: 0, depth: 0, text: subject, raw: subject } as BodyLine, ...own] : own;
  for (const l of lines) {
    if (diffLines.has(l.n)) continue;
    // a toolchain's own line ("note: ... to silence this warning") is not prose about it
    if (/\S\.(?:c|h|S):\d+(?::\d+)?: (?:note|warning|error)\b/.test(l.text)) continue;
    const kind = PROSE_BUILD.test(l.text) ? 'build-prose' : PROSE_WARNING.test(l.text) ? 'warning' : undefined;
    if (kind) out.push({ kind, message: l.text.trim().slice(0, 300), configs: [], fromRobot: false, cite: { messageId, line: l.n }, quoteDepth: 0 });
  }
  return out;
}

export function findRuntimeProblems(messageId: string, lines: BodyLine[], diffLines: Set<number>): BuildFailure[] {
  const out: BuildFailure[] = [];
  for (const l of lines) {
    if (diffLines.has(l.n)) continue;
    const m = RUNTIME.exec(l.text);
    if (m) out.push({ kind: 'runtime', message: l.text.trim().slice(0, 300), configs: [], fromRobot: false, cite: { messageId, line: l.n }, quoteDepth: l.depth });
  }
  return out;
}

/** Same failure quoted again: same kind, symbol and file. */
export function failureKey(f: BuildFailure): string {
  const file = (f.file ?? '').replace(/^.*\//, '');
  const prose = f.kind === 'build-prose' || f.kind === 'runtime' || (f.kind === 'warning' && !f.file);
  return `${f.kind}|${f.symbol ?? ''}|${f.kind === 'kconfig-unmet' || f.kind === 'modpost-undefined' ? f.module ?? '' : file}|${prose ? f.message : ''}`;
}

/** "i2c-foo.c" next to "drivers/i2c/busses/i2c-foo.o": old binutils drop the directory from the source name. */
function withObjectDir(file: string | undefined, obj: string | undefined): string | undefined {
  if (!file || file.includes('/') || !obj || !obj.includes('/')) return file;
  return obj.replace(/[^/]+$/, file);
}
