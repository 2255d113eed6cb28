// Lines of a message that tell history, not news: the version notes of a
// patch or a cover letter ("Changes in v2: fixed the build error the robot
// reported", "v1 -> v2: …", git's notes after the '---' line). A failure named
// there was a failure of an earlier revision, already answered by this one; it
// is not a report this posting answers (b4 and patchwork read these the same
// way: a changelog, not a comment).

import type { BuildFailure, Patch } from '../core/types.js';
import type { BodyLine } from './lines.js';

/** A line that opens version notes, named and exemplified (tests check each). */
export const VERSION_NOTE_HEADINGS: { name: string; re: RegExp; example: string }[] = [
  {
    name: 'changes-in',
    re: /^\s*(?:changes|changelog|change log|revisions?)(?: (?:in|since|from|for|compared to|vs\.?))? ?(?:v\d{1,3}|the (?:previous|last) (?:version|revision)|version \d{1,3})\b.{0,60}$/i,
    example: 'Changes in v2:',
  },
  { name: 'changelog-heading', re: /^\s*(?:changes|changelog|change log|version history|revision history)\s*(?::\s*)?$/i, example: 'Changelog:' },
  // (no two \s* side by side: a line of blanks must not cost quadratic time)
  { name: 'vN-to-vM', re: /^\s*(?:[-*]\s*)?v\d{1,3} ?(?:->|→|-->|=>|to|vs\.?|\.\.) ?v?\d{1,3}\b/i, example: 'v1 -> v2:' },
  { name: 'vN-colon', re: /^\s*(?:[-*]\s*)?v\d{1,3} ?:/i, example: 'v3: rebased on next-20240105' },
  { name: 'since-vN', re: /^\s*(?:since|from|new in|differences (?:to|from)) v\d{1,3}\b/i, example: 'Since v1:' },
];

/** Numbers of the lines inside version notes, at the message's own depth. */
export function versionNoteLines(lines: BodyLine[], skip: Set<number>): Set<number> {
  const out = new Set<number>();
  let inside = false;
  let blank = false;
  for (const l of lines) {
    if (l.depth > 0 || skip.has(l.n)) {
      inside = false;
      continue;
    }
    const t = l.text;
    if (VERSION_NOTE_HEADINGS.some((h) => h.re.test(t))) {
      inside = true;
      blank = false;
      out.add(l.n);
      continue;
    }
    if (!inside) continue;
    if (!t.trim()) {
      blank = true;
      continue;
    }
    // after a blank line, only more notes continue the block: a list item, an indented line
    if (blank && !/^\s*(?:[-*•+]|\d{1,2}[.)]|\s)/.test(t)) {
      inside = false;
      continue;
    }
    // the shortlog, the diffstat and the signature end the notes
    if (/^\s*\S.*\(\d+\):\s*$|^\s*\S+\s+\|\s+\d+|^\s*\d+ files? changed|^-- $|^base-commit:/.test(t)) {
      inside = false;
      continue;
    }
    blank = false;
    out.add(l.n);
  }
  return out;
}

/**
 * A failure whose words the patch itself adds (an error message or a warning it
 * introduces, quoted in its changelog to show the new behaviour) is not a
 * failure it answers.
 */
export function introducedByPatch(f: BuildFailure, patches: Patch[]): boolean {
  // the diagnostic's own words: after "error:" / "warning:" when there is one
  // (blanks after the colon up to a line break among them: `:\s*(.{12,})` split them every way; the words are trimmed)
  const core = (/(?:error|warning|fatal)\s*:(?:\s*[\n\r\u2028\u2029])?(.{12,})$/i.exec(f.message)?.[1] ?? f.message).trim().slice(0, 80);
  if (core.length < 12) return false;
  // the leading words, up to the first number, quote, path or name: the message template
  // says "%d" or "%s" where the log says "7" or "drivers/foo/Kconfig"
  const words = /^[A-Za-z]+(?: [A-Za-z]+)*/.exec(core.replace(/^['"`]/, ''))?.[0] ?? '';
  const cutsIntoName = /^[^\s]/.test(core.replace(/^['"`]/, '').slice(words.length));
  // (the last word read from its start: retried from each of its letters, the run was quadratic)
  const probe = (cutsIntoName ? words.replace(/ ?(?<![A-Za-z])[A-Za-z]+$/, '') : words).trimEnd().slice(0, 40);
  if (probe.length < 12) return false;
  for (const p of patches) {
    if (p.source !== 'inline') continue;
    for (const file of p.files) for (const h of file.hunks) for (const l of h.lines) if (l.kind === 'add' && l.text.includes(probe)) return true;
  }
  return false;
}
