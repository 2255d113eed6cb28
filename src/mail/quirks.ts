// List quirks as small named filters: footers that lists and archives append,
// which would otherwise look like part of a patch or a review.

import { LIMITS } from '../core/limits.js';

type BodyFilter = (lines: string[]) => string[];

/** Cut at the first line of a footer block; the rest of the body is the footer. */
function cutAt(re: RegExp): BodyFilter {
  return (lines) => {
    for (let i = lines.length - 1; i >= Math.max(0, lines.length - 40); i--) {
      if (re.test(lines[i]!)) {
        let j = i;
        // footers are set off by a separator or a blank line just above
        while (j > 0 && /^(_{10,}|-- ?|\s*)$/.test(lines[j - 1]!)) j--;
        return lines.slice(0, j);
      }
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
