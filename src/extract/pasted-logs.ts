// A build log pasted into a mail, most often a changelog: an indented block
// introduced by a sentence ending in ':' ("…gets the following error:"),
// holding a line that a tool printed as an error or a warning. Kernel builds
// fail in many tools (make, the shell scripts under scripts/, objcopy, awk,
// rustc, Kconfig's parser, gendwarfksyms…) whose exact line shapes no table
// can list; the convention of pasting the log indented under a sentence that
// introduces it is what they share. One failure per block: its first error
// line (else its first warning line), cited where it stands.

import { LIMITS } from '../core/limits.js';
import type { BuildFailure, FailureKind } from '../core/types.js';
import type { BodyLine } from './lines.js';
import { symbolFromMessage } from './vocab/diagnostic-symbols.js';

export interface LogMarker {
  name: string;
  kind: FailureKind;
  re: RegExp;
  example: string;
}

/** What makes a pasted line an error or a warning report, checked in order. */
export const LOG_MARKERS: LogMarker[] = [
  { name: 'make-error', kind: 'compile-error', re: /\bmake(?:\[\d+\])?: \*\*\* |\*\*\* .{0,200}(?:Error \d+|Stop\.)/, example: 'make[2]: *** [Makefile:679: syncconfig] Error 2' },
  { name: 'tool-error', kind: 'compile-error', re: /(?:^|\s)(?:error|fatal(?: error)?|ERROR|FAILED)(?:\[E\d+\])?\s*:/, example: 'error: multiple input filenames provided' },
  {
    name: 'parse-error',
    kind: 'compile-error',
    re: /\b(?:syntax error|invalid statement|unterminated (?:call|string|variable)|unexpected (?:operator|token|end of file))\b/i,
    example: 'init/Kconfig:83: syntax error',
  },
  {
    name: 'missing-file',
    kind: 'compile-error',
    re: /\b(?:cannot|can't|could not|unable to) (?:open|find|stat|read|execute|access|create)\b|No such file or directory|command not found/,
    example: "mv: cannot stat './.tmp.config.new': No such file or directory",
  },
  { name: 'tool-warning', kind: 'warning', re: /(?:^|\s)warning\s*:/i, example: 'vmlinux.o: warning: objtool: efi_boot_kernel() falls through to next function' },
];

// source code pasted to show a change is not a log: statements, braces, printing calls
const CODE = /;\s*$|^\s*[#{}]|\b(?:pr_\w+|printk|dev_\w+|printf|fprintf|echo)\s*\(|^\s*(?:if|for|while|return)\b/;
const INDENTED = /^(?:\t| {2,})\S/;
const BULLET = /^\s*[*•-] \S/;

export function findPastedLogFailures(messageId: string, lines: BodyLine[], skip: Set<number>): BuildFailure[] {
  const out: BuildFailure[] = [];
  let i = 0;
  while (i < lines.length && out.length < LIMITS.maxFailuresPerMessage) {
    const l = lines[i]!;
    if (skip.has(l.n) || !INDENTED.test(l.text)) {
      i++;
      continue;
    }
    // the block: indented lines (and blank ones inside it) at one depth
    const depth = l.depth;
    let j = i;
    while (j < lines.length && lines[j]!.depth === depth && !skip.has(lines[j]!.n) && (INDENTED.test(lines[j]!.text) || (!lines[j]!.text.trim() && lines[j + 1] && INDENTED.test(lines[j + 1]!.text))))
      j++;
    const block = lines.slice(i, j);
    const start = i;
    i = Math.max(j, i + 1);
    if (!introduced(lines, start)) continue;
    const logLines = block.filter((b) => b.text.trim() && !CODE.test(b.text));
    let hit: { line: BodyLine; marker: LogMarker } | undefined;
    for (const m of LOG_MARKERS.filter((x) => x.kind !== 'warning')) {
      const line = logLines.find((b) => m.re.test(b.text));
      if (line) {
        hit = { line, marker: m };
        break;
      }
    }
    if (!hit) {
      const w = LOG_MARKERS.find((x) => x.kind === 'warning')!;
      // a bulleted "* WARNING: …" is a release note or a list quoted as prose; tools print no bullets
      const line = logLines.find((b) => w.re.test(b.text) && !BULLET.test(b.text));
      if (line) hit = { line, marker: w };
    }
    if (!hit) continue;
    const message = hit.line.text.trim().slice(0, 400);
    const file = /^([\w./+-]+\.(?:c|h|S|rs|sh|pl|py|lds|dts|dtsi)|[\w./+-]*(?:Makefile|Kconfig|Kbuild)[\w./+-]*):\d+/.exec(message)?.[1];
    const tool = /^([\w.+-]+?)(?:\[\d+\])?:\s/.exec(message)?.[1];
    out.push({
      kind: hit.marker.kind,
      message,
      symbol: symbolFromMessage(message),
      ...(file ? { file } : {}),
      ...(tool && !file ? { tool } : {}),
      configs: [],
      fromRobot: false,
      cite: { messageId, line: hit.line.n },
      quoteDepth: depth,
    });
  }
  return out;
}

/** Is the block starting at lines[at] introduced by prose ending in ':' (blank lines allowed between)? */
function introduced(lines: BodyLine[], at: number): boolean {
  const first = lines[at]!;
  let k = at - 1;
  while (k >= 0 && !lines[k]!.text.trim() && lines[k]!.depth === first.depth) k--;
  const intro = lines[k];
  return Boolean(intro && intro.depth === first.depth && !INDENTED.test(intro.text) && /:\s*$/.test(intro.text));
}
