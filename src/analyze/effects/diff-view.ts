// Small views over a patch's hunks that the effect classifiers share.

import type { DiffLine, FileDiff, Hunk, Patch } from '../../core/types.js';
import { lineStart, nextLineBreak } from '../../core/text.js';

export interface Replacement {
  file: FileDiff;
  hunk: Hunk;
  removed: DiffLine[];
  added: DiffLine[];
}

/** Runs of '-' lines followed by '+' lines (or either alone): one edit each. */
export function replacements(file: FileDiff): Replacement[] {
  const out: Replacement[] = [];
  for (const hunk of file.hunks) {
    let removed: DiffLine[] = [];
    let added: DiffLine[] = [];
    const flush = () => {
      if (removed.length || added.length) out.push({ file, hunk, removed, added });
      removed = [];
      added = [];
    };
    for (const l of hunk.lines) {
      if (l.kind === 'ctx') flush();
      else if (l.kind === 'del') {
        if (added.length) flush();
        removed.push(l);
      } else added.push(l);
    }
    flush();
  }
  return out;
}

export function addedLines(file: FileDiff): DiffLine[] {
  return file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add'));
}

export function removedLines(file: FileDiff): DiffLine[] {
  return file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del'));
}

export function isKconfig(path: string): boolean {
  return /(^|\/)Kconfig(\.[\w.-]+)?$/.test(path);
}

export function isMakefile(path: string): boolean {
  return /(^|\/)(Makefile|Kbuild)(\.[\w.-]+)?$|\.mk$/.test(path);
}

/** The header a `#include` line names, or undefined for any other line. */
export function includedHeader(line: string): string | undefined {
  return /^\s*#\s*include\s*[<"]([^>"]+)[>"]/.exec(line)?.[1];
}

export function isCSource(path: string): boolean {
  return /\.(c|h|S|rs|lds)$/.test(path);
}

export function isBuildScript(path: string): boolean {
  return /^scripts\//.test(path) && !isMakefile(path);
}

export function changedFiles(p: Patch): string[] {
  return p.files.map((f) => (f.newPath === '/dev/null' ? f.oldPath : f.newPath));
}

/** Identifiers called in a line: `foo(` but not keywords or casts. */
export function callsIn(text: string): string[] {
  const out: string[] = [];
  const re = /\b([A-Za-z_]\w*)\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (!C_KEYWORDS.has(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/**
 * `text` without its C comments: what `text.replace(/\/\*.*?\*\/|\/\/.*$/g, '')`
 * does, in one pass. The pattern searched from every '/*' to the end of the line
 * for its '*\/' (quadratic when none comes) and ran `.*$` from every '//'.
 */
export function stripComments(text: string): string {
  const lastLine = lineStart(text, text.length);
  let out = '';
  let kept = 0;
  // the next '*\/' and the next line break from where we look; both searches only move forward
  let close = -1;
  let brk = -1;
  for (let i = 0; i + 1 < text.length; i++) {
    if (text[i] !== '/') continue;
    // `//.*$`: a line comment on the last line runs to the end
    if (text[i + 1] === '/' && i >= lastLine) return out + text.slice(kept, i);
    if (text[i + 1] !== '*') continue;
    if (close < i + 2) {
      close = text.indexOf('*/', i + 2);
      if (close < 0) close = text.length;
    }
    if (brk < i + 2) brk = nextLineBreak(text, i + 2);
    // `\/\*.*?\*\/`: closed on the same line
    if (close < text.length && close < brk) {
      out += text.slice(kept, i);
      kept = close + 2;
      i = close + 1;
    }
  }
  return out + text.slice(kept);
}

const NOT_A_TYPE = /^(?:if|for|while|switch|return|else|do|case|typedef|goto|EXPORT_\w+|module_\w+|MODULE_\w+)$/;

/**
 * Names a run of lines declares or defines at file scope: `static int foo(`,
 * `const struct x foo[] =`, `int foo;`. Tokenised, not one regex: the type
 * words before the name are any number of words and stars.
 */
export function topLevelNames(lines: string[]): string[] {
  const out: string[] = [];
  for (const t of lines) {
    if (!/^[A-Za-z_]/.test(t)) continue;
    const stop = t.search(/[([=;]/);
    if (stop < 0) continue;
    const words = t
      .slice(0, stop)
      .split(/[\s*]+/)
      .filter(Boolean);
    if (words.length < 2 || NOT_A_TYPE.test(words[0]!) || !words.every((w) => /^[A-Za-z_]\w*$/.test(w))) continue;
    const name = words[words.length - 1]!;
    if (!C_KEYWORDS.has(name)) out.push(name);
  }
  return [...new Set(out)];
}

const C_KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'return',
  'sizeof',
  'defined',
  'typeof',
  '__typeof__',
  'do',
  'case',
  'else',
  'IS_ENABLED',
  'IS_BUILTIN',
  'IS_MODULE',
  'IS_REACHABLE',
  'likely',
  'unlikely',
  '__attribute__',
]);

// ---- the names a line declares -------------------------------------------------
// Read once per line, so a classifier asks a Set instead of running a pattern
// per name over every deleted line (10,000 deleted lines made that quadratic).

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);

/** The identifiers of `texts`, each a whole word: `wordIn(text, name)` for every name at once. */
export function wordsIn(texts: string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\w+/g)) out.add(m[0]);
  return out;
}

/**
 * The name a plain declaration ends with, before `;` (or also `,` and `= value;`
 * when `withValue`): the `N` of `^\s*(?:[\w*]+\s+)+\**\bN\b\s*;` (or of
 * `\s*(?:=[^;]*)?[;,]`), words and blanks before it, then stars.
 */
export function declaredLast(text: string, withValue: boolean): string | undefined {
  let s = 0;
  while (isSpace(text[s])) s++;
  let q = s;
  while (q < text.length && /[\w\s*]/.test(text[q]!)) q++;
  const c = text[q];
  const ends = c === ';' || (withValue && (c === ',' || (c === '=' && (text.indexOf(';', q + 1) >= 0 || text.indexOf(',', q + 1) >= 0))));
  if (!ends) return undefined;
  let e = q;
  while (e > s && isSpace(text[e - 1])) e--;
  let b = e;
  while (b > s && isWord(text[b - 1])) b--;
  let p = b;
  while (p > s && text[p - 1] === '*') p--;
  return b < e && p > s && isSpace(text[p - 1]) ? text.slice(b, e) : undefined;
}

/** The name right after the first ',' of a declaration list: the `N` of `^\s*[\w\s*]+,\s*\**N\s*[;,]`. */
export function declaredAfterComma(text: string): string | undefined {
  let q = 0;
  while (q < text.length && /[\w\s*]/.test(text[q]!)) q++;
  if (q === 0 || text[q] !== ',') return undefined;
  let b = q + 1;
  while (isSpace(text[b])) b++;
  while (text[b] === '*') b++;
  let e = b;
  while (isWord(text[e])) e++;
  let k = e;
  while (isSpace(text[k])) k++;
  return e > b && (text[k] === ';' || text[k] === ',') ? text.slice(b, e) : undefined;
}

/**
 * The names of a declaration list after its type, each before ',' or ';': every
 * `N` of `^\s*[\w*]+\s+[^=;]*[\s,*]N\s*[,;]` (the first word, blanks, then no
 * '=' or ';' up to a blank, ',' or '*' right before the name).
 */
export function declaredInList(text: string): string[] {
  const out: string[] = [];
  let w = 0;
  while (isSpace(text[w])) w++;
  const s = w;
  while (w < text.length && /[\w*]/.test(text[w]!)) w++;
  if (w === s || !isSpace(text[w])) return out;
  for (let k = w + 2; k < text.length && text[k - 1] !== '=' && text[k - 1] !== ';'; k++) {
    if (!isWord(text[k]) || !/[\s,*]/.test(text[k - 1]!)) continue;
    let e = k;
    while (isWord(text[e])) e++;
    let t = e;
    while (isSpace(text[t])) t++;
    if (text[t] === ',' || text[t] === ';') out.push(text.slice(k, e));
    k = e - 1;
  }
  return out;
}
