// List quirks as small named filters: footers that lists and archives append,
// which would otherwise look like part of a patch or a review.

import { LIMITS } from '../core/limits.js';

type BodyFilter = (lines: string[]) => string[];

/** Lines a list footer runs to after its first line (vger's has 3, Mailman's 2, Google Groups' up to 5; room for a wrapped URL). */
const FOOTER_TAIL = 8;
/** A line of a diff: after a footer, it means the "footer" was a line of the mail's own text. */
const DIFF_LINE = /^(?:diff --git |@@ -\d|--- |\+\+\+ |[+-])/;

/**
 * Cut at the first line of a footer block, when the block ends the body: at
 * most FOOTER_TAIL lines follow it, none of them a diff line. A "... mailing
 * list" line with a diff after it is the mail's own text (a changelog, a
 * quoted footer), and cutting there lost the diff.
 */
function cutAt(re: RegExp): BodyFilter {
  return (lines) => {
    let end = lines.length;
    while (end > 0 && !lines[end - 1]!.trim()) end--;
    for (let i = end - 1; i >= Math.max(0, end - 40); i--) {
      if (!re.test(lines[i]!)) continue;
      if (end - i - 1 > FOOTER_TAIL) return lines;
      for (let k = i + 1; k < end; k++) if (DIFF_LINE.test(lines[k]!)) return lines;
      let j = i;
      // footers are set off by a separator or a blank line just above
      while (j > 0 && /^(_{10,}|-- ?|\s*)$/.test(lines[j - 1]!)) j--;
      return lines.slice(0, j);
    }
    return lines;
  };
}

const FILTERS: { name: string; apply: BodyFilter }[] = [
  // vger.kernel.org, until 2023
  { name: 'vger-footer', apply: cutAt(/^To unsubscribe from this list: send the line "unsubscribe /) },
  // Google Groups (clang-built-linux, kasan-dev)
  { name: 'google-groups-footer', apply: cutAt(/^You received this message because you are subscribed to the Google Groups/) },
  // Mailman 2 lists (linux-arm-kernel on infradead, driverdev-devel, linuxppc-dev)
  { name: 'mailman-footer', apply: cutAt(/^[\w.-]+ mailing list$/) },
  // kbuild-all on lists.01.org
  { name: 'kbuild-all-footer', apply: cutAt(/^kbuild-all mailing list -- kbuild-all@lists\.01\.org$/) },
];

export function cleanBody(text: string): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > LIMITS.maxBodyLines) lines = lines.slice(0, LIMITS.maxBodyLines);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.length > LIMITS.maxLineChars) lines[i] = lines[i]!.slice(0, LIMITS.maxLineChars);
  }
  for (const f of FILTERS) lines = f.apply(lines);
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  return lines.join('\n') + '\n';
}

export const QUIRK_FILTERS = FILTERS.map((f) => f.name);
