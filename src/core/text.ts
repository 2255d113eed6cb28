// Plain searches that stand where a regular expression would retry from every
// position: each says which pattern it computes, and runs in one pass. Mail is
// hostile, so a line of 64K '{' or '<' must cost no more than its length
// (eslint-plugin-regexp's no-super-linear-move rejects the patterns).

/** The line breaks `.` does not match and `$` (without the m flag) does not stop at. */
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** Where the line holding position `at` starts: after the last line break before `at`, or 0. */
export function lineStart(text: string, at: number): number {
  let k = at;
  while (k > 0 && !isLineBreak(text.charCodeAt(k - 1))) k--;
  return k;
}

/** Where the first line break at or after `from` is, or `text.length`. */
export function nextLineBreak(text: string, from: number): number {
  let k = from;
  while (k < text.length && !isLineBreak(text.charCodeAt(k))) k++;
  return k;
}

/**
 * `text` cut where `marker` first appears on its last line: what
 * `text.replace(/marker.*$/, '')` does (`.*$` ran from every marker).
 */
export function cutAt(text: string, marker: string): string {
  const at = text.indexOf(marker, lineStart(text, text.length));
  return at < 0 ? text : text.slice(0, at);
}

/** `text.replace(/\s*marker.*$/, '')`: cut as `cutAt` does, and the blanks before the marker with it. */
export function cutBlanksAt(text: string, marker: string): string {
  const at = text.indexOf(marker, lineStart(text, text.length));
  return at < 0 ? text : text.slice(0, at).trimEnd();
}

/**
 * The first `open`…`close` pair with no `close` inside and at least `minInner`
 * characters inside, as [start, end) of the whole pair: what `/<[^>]*>/`
 * (`minInner` 0) or `/<([^>]+)>/` (1) find. Those searched to the end of the
 * text from every `open` when no `close` followed.
 */
export function enclosed(text: string, open: string, close: string, minInner = 0): { start: number; end: number } | undefined {
  let shut = -1;
  for (let at = text.indexOf(open); at >= 0; at = text.indexOf(open, at + 1)) {
    // the first `close` after this `open` (it only moves forward)
    if (shut < at + 1) shut = text.indexOf(close, at + 1);
    if (shut < 0) return undefined;
    if (shut - at - 1 >= minInner) return { start: at, end: shut + 1 };
  }
  return undefined;
}

/**
 * A Kconfig value before its `#` comment, as `/\s*(.*?)\s*(?:#.*)?$/` reads the
 * rest of a line (`/\s+(.+?)\s*(?:#.*)?$/` when `nonEmpty`): from the first
 * non-blank to the blanks before the first '#' on the last line, or to the
 * trailing blanks; undefined when that crosses a line break. The patterns
 * split the blanks every way between their three parts (quadratic).
 */
export function valueBeforeComment(rest: string, nonEmpty = false): string | undefined {
  let from = 0;
  while (from < rest.length && /\s/.test(rest[from]!)) from++;
  if (nonEmpty) {
    if (from === 0) return undefined;
    if (from === rest.length) {
      // blanks alone: the value is the last blank (not the first) that is not a line break
      for (let k = from - 1; k >= 1; k--) if (!isLineBreak(rest.charCodeAt(k))) return rest[k];
      return undefined;
    }
  }
  const min = nonEmpty ? from + 1 : from;
  let end = rest.indexOf('#', Math.max(min, lineStart(rest, rest.length)));
  if (end >= 0) while (end > min && /\s/.test(rest[end - 1]!)) end--;
  else end = Math.max(rest.trimEnd().length, min);
  return nextLineBreak(rest, from) < end ? undefined : rest.slice(from, end);
}
