// Build failures as toolchains print them, found at any quote depth and also in
// text that lost its line breaks (every pattern works mid-line). The shapes are
// a table (vocab/failure-shapes.ts); this file runs them and joins what belongs
// together: ld's "in function" line with the reference under it, ld.lld's ">>>"
// lines, Kconfig's "Depends on"/"Selected by" block, rustc's "-->" location.
// Failures told in words are in prose-failures.ts.

import { LIMITS } from '../core/limits.js';
import type { BuildFailure, FailureKind, MailCite } from '../core/types.js';
import { rejoinWrapped, type BodyLine } from './lines.js';
import { flagOf, symbolFromMessage } from './vocab/diagnostic-symbols.js';
import { deniedBefore, NOT_A_REPORT_BEFORE } from './vocab/failure-phrases.js';
import {
  FAILURE_SHAPES,
  KCONFIG_DEPENDS,
  KCONFIG_SELECTOR,
  LLD_OBJECT,
  LLD_REFERENCED_BY,
  NOT_A_FAILURE,
  RUSTC_LOCATION,
  hintIn,
  shapeMatchCounts,
  type FailureShape,
} from './vocab/failure-shapes.js';

export { findProseFailures } from './prose-failures.js';

const RUNTIME =
  /\b(BUG: [\w ]+|kernel BUG at|Oops(?=:| -)|Kernel panic|general protection fault|Unable to handle kernel|WARNING: CPU: \d+|KASAN: [\w-]+|UBSAN: [\w-]+|use-after-free|hung task|soft lockup|memory corruption|corruption in|data corruption|I get corruption|(?:I|we) (?:get|see|hit|observe)\w* (?:a )?(?:crash|panic|oops|hang|corruption))\b/i;
/**
 * A boot failure told in words ("which causes a boot failure", "the board no longer
 * boots"). Words, not a log: only when not said to be absent ("never seen a boot
 * failure"), not a condition or a guess ("if it fails to boot", "could fail to boot",
 * unless it is what happens without the patch), not a feature ("debug boot hangs"), and
 * about the machine, not something it boots ("can't boot the DSP", "boot or kick the DSP").
 */
const BOOT_TROUBLE =
  /\b(?:boot (?:failure|hang)s?|fails? to boot|(?:no longer|doesn't|does not|won't|can't|cannot) boots?)\b(?!\s+(?:(?:or|and) \w+ )?(?:the|a|an|its|their|this|that|it|firmware|counter|detection|handling|handler|path)\b)/i;
export const BOOT_NOT_A_REPORT = [
  ...NOT_A_REPORT_BEFORE,
  {
    name: 'condition',
    pattern: /\b(?:when|if|unless|whether|in case)\s(?:[\w-]+\s){0,3}$/i,
    example: ['If the kernel fails to boot, try earlyprintk.', 'Since then the kernel fails to boot.'] as [string, string],
  },
  {
    name: 'feature',
    pattern: /\b(?:debug(?:ging)?|diagnos\w+|detect(?:ing|ion of)?|handl\w+|support for|document\w*|count\w*)\s(?:\w+\s){0,2}$/i,
    example: ['Document how to debug boot hangs.', 'It causes boot hangs.'] as [string, string],
  },
];

/** A commit cited with its title ("1234abcd ("x86/bug: ...")"): the title is history, not a report. */
const COMMIT_TITLE = /\b[0-9a-f]{7,40}\s{0,4}\(\s{0,4}["“][^"”]{0,300}["”]\s{0,4}\)/g;

export interface FailureScanInput {
  messageId: string;
  lines: BodyLine[];
  /** lines that belong to diffs: a failure string inside a diff is code, not a report */
  diffLines: Set<number>;
  robot: boolean;
}

interface Match {
  shape: FailureShape;
  m: RegExpExecArray;
  /** text matched, cut where a flattened line's next diagnostic starts */
  text: string;
  msg?: string;
}

/** Every shape's matches on one line, in the order they appear on it. */
function matchLine(t: string): Match[] {
  const found: Match[] = [];
  for (const shape of FAILURE_SHAPES) {
    if (!hintIn(shape, t)) continue;
    const re = shape.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) {
      if (m[0].length === 0) re.lastIndex++;
      if (!shapeMatchCounts(shape, m)) continue;
      let text = m[0];
      let msg = m.groups?.msg;
      if (msg !== undefined) {
        // flat text: the message stops at the next diagnostic, and the scan resumes there
        // (from where a run of blanks starts: retried inside the run, `\s+` was quadratic)
        const kept = msg.replace(/(?<!\s)\s+(?=\S+\.(?:c|h|S):\d+:)[\s\S]+$/, '');
        const cut = msg.length - kept.length;
        if (cut > 0) {
          re.lastIndex = m.index + m[0].length - cut;
          text = m[0].slice(0, m[0].length - cut);
        }
        msg = kept;
      }
      found.push({ shape, m, text, msg });
    }
  }
  // stable: shapes keep their table order where two start at the same place
  return found.sort((a, b) => a.m.index - b.m.index);
}

const g = (m: RegExpExecArray, name: string): string | undefined => m.groups?.[name];

export function findFailures(input: FailureScanInput): BuildFailure[] {
  const { messageId, diffLines, robot } = input;
  const lines = rejoinWrapped(input.lines, diffLines);
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

  for (let i = 0; i < lines.length && out.length < LIMITS.maxFailuresPerMessage; i++) {
    const l = lines[i]!;
    if (diffLines.has(l.n)) continue;
    const t = l.text;
    if (t.length < 8) continue;

    for (const { shape, m, text, msg } of matchLine(t)) {
      const sev = g(m, 'sev');
      const kind = (sev && shape.bySeverity?.[sev]) || shape.kind;
      if (msg !== undefined && NOT_A_FAILURE.some((n) => n.pattern.test(msg))) continue;
      switch (shape.name) {
        case 'gnu-ld-in-function':
          lastInFunction = { fn: g(m, 'fn')!, obj: g(m, 'obj')!, tool: g(m, 'tool'), lineIdx: i };
          continue;
        case 'gnu-ld-undefined-reference':
        case 'gnu-ld-undefined-reference-unquoted': {
          const obj = g(m, 'obj');
          const fnCtx = lastInFunction && i - lastInFunction.lineIdx <= 3 ? lastInFunction : undefined;
          const lineNo = g(m, 'line');
          out.push(
            base(kind, l, text, {
              symbol: g(m, 'sym'),
              file: withObjectDir(g(m, 'file') ?? obj ?? fnCtx?.obj, obj ?? fnCtx?.obj),
              line: lineNo ? Number(lineNo) : undefined,
              inFunction: fnCtx?.fn,
              tool: g(m, 'tool') ?? fnCtx?.tool ?? 'ld',
            }),
          );
          continue;
        }
        case 'lld-undefined-symbol':
          out.push(withLldLocation(base(kind, l, text, { symbol: g(m, 'sym') ?? g(m, 'sym2'), tool: 'ld.lld' }), lines, i));
          continue;
        case 'modpost-undefined': {
          const module = g(m, 'module')!;
          out.push(base(kind, l, text, { symbol: g(m, 'sym'), module, tool: 'modpost', file: module === 'vmlinux' ? undefined : module.replace(/\.ko$/, '.c') }));
          continue;
        }
        case 'kconfig-unmet-dependencies':
          out.push(withKconfigBlock(base(kind, l, text, { symbol: g(m, 'sym'), tool: 'kconfig', selectedBy: [] }), t.slice(m.index + m[0].length), lines, i));
          continue;
        case 'rustc-plain':
        case 'rustc-coded': {
          const at = rustLocation(lines, i);
          // an "error:" line is rustc's only when its location line follows
          if (!at && shape.name === 'rustc-plain') continue;
          out.push(base(kind, l, text, { symbol: symbolFromMessage(msg ?? ''), file: at?.file, line: at?.line, tool: 'rustc' }));
          continue;
        }
        default: {
          const lineNo = g(m, 'line');
          const sparse = shape.name === 'gcc-clang-diagnostic' && !sev;
          out.push(
            base(kind, l, text, {
              symbol: g(m, 'sym') ?? symbolFromMessage(msg ?? ''),
              file: g(m, 'file') ?? g(m, 'obj'),
              line: lineNo ? Number(lineNo) : undefined,
              inFunction: g(m, 'fn'),
              flag: msg ? flagOf(msg) : undefined,
              tool: g(m, 'tool') ?? (sparse ? 'sparse' : shape.tool),
            }),
          );
        }
      }
    }
  }
  return out;
}

/** ld.lld puts the file and function on the ">>>" lines under "undefined symbol". */
function withLldLocation(f: BuildFailure, lines: BodyLine[], i: number): BuildFailure {
  for (let k = i + 1; k < Math.min(lines.length, i + 8); k++) {
    const nt = lines[k]!.text.trim();
    const r = LLD_REFERENCED_BY.exec(nt);
    if (r) {
      f.file ??= r[3] ?? r[1];
      f.line ??= r[4] ? Number(r[4]) : r[2] ? Number(r[2]) : undefined;
      continue;
    }
    const o = LLD_OBJECT.exec(nt);
    if (o) {
      f.inFunction ??= o[2];
      if (!f.file || !f.file.includes('/')) f.file = f.file && !f.file.includes('/') ? o[1]!.replace(/(?<![^/])[^/]+\.o$/, f.file) : o[1];
      continue;
    }
    if (!nt.startsWith('>>>')) break;
  }
  return f;
}

/** Kconfig's block follows on the next lines, or on the same line when flattened. */
function withKconfigBlock(f: BuildFailure, rest: string, lines: BodyLine[], i: number): BuildFailure {
  const tail = [rest, ...lines.slice(i + 1, i + 14).map((x) => x.text)].join('\n');
  const block = tail.split(/WARNING: unmet direct dependencies/)[0]!;
  const dep = KCONFIG_DEPENDS.exec(block.replace(/\n\s*/g, ' '));
  if (dep) f.dependsOn = dep[2]!.trim();
  // Kconfig prints one "Selected by [y]:" and one "Selected by [m]:" section
  const selPart = block
    .split(/Selected by \[[nmy]\]:/)
    .slice(1)
    .join('\n');
  let s: RegExpExecArray | null;
  KCONFIG_SELECTOR.lastIndex = 0;
  while ((s = KCONFIG_SELECTOR.exec(selPart))) f.selectedBy!.push(s[1]!);
  f.selectedBy = [...new Set(f.selectedBy)];
  return f;
}

/** rustc prints the location on a "-->" line within a few lines of the diagnostic. */
function rustLocation(lines: BodyLine[], i: number): { file: string; line: number } | undefined {
  for (let k = i + 1; k < Math.min(lines.length, i + 4); k++) {
    const r = RUSTC_LOCATION.exec(lines[k]!.text);
    if (r) return { file: r.groups!.file!, line: Number(r.groups!.line) };
  }
  return undefined;
}

export function findRuntimeProblems(messageId: string, lines: BodyLine[], diffLines: Set<number>): BuildFailure[] {
  const out: BuildFailure[] = [];
  for (const l of lines) {
    if (out.length >= LIMITS.maxFailuresPerMessage) break;
    if (diffLines.has(l.n)) continue;
    const text = l.text.includes('("') || l.text.includes('(“') ? l.text.replace(COMMIT_TITLE, ' ') : l.text;
    const m = RUNTIME.exec(text) ?? bootTrouble(text);
    if (m) out.push({ kind: 'runtime', message: l.text.trim().slice(0, 300), configs: [], fromRobot: false, cite: { messageId, line: l.n }, quoteDepth: l.depth });
  }
  return out;
}

function bootTrouble(text: string): RegExpExecArray | null {
  const m = BOOT_TROUBLE.exec(text);
  if (!m) return null;
  return deniedBefore(text, m.index, BOOT_NOT_A_REPORT) ? null : m;
}

/** Same failure quoted again: same kind, symbol and file. */
export function failureKey(f: BuildFailure): string {
  const file = (f.file ?? '').replace(/^.*\//, '');
  const prose = f.kind === 'build-prose' || f.kind === 'runtime' || (f.kind === 'warning' && !f.file);
  return `${f.kind}|${f.symbol ?? ''}|${f.kind === 'kconfig-unmet' || f.kind === 'modpost-undefined' ? (f.module ?? '') : file}|${prose ? f.message : ''}`;
}

/** "i2c-foo.c" next to "drivers/i2c/busses/i2c-foo.o": old binutils drop the directory from the source name. */
function withObjectDir(file: string | undefined, obj: string | undefined): string | undefined {
  if (!file || file.includes('/') || !obj || !obj.includes('/')) return file;
  // the last path component, read from its start (from every position, `[^/]+$` was quadratic)
  return obj.replace(/(?<![^/])[^/]+$/, file);
}
