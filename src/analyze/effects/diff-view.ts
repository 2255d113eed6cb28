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
    const words = t.slice(0, stop).split(/[\s*]+/).filter(Boolean);
    if (words.length < 2 || NOT_A_TYPE.test(words[0]!) || !words.every((w) => /^[A-Za-z_]\w*$/.test(w))) continue;
    const name = words[words.length - 1]!;
    if (!C_KEYWORDS.has(name)) out.push(name);
  }
  return [...new Set(out)];
}

const C_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'defined', 'typeof', '__typeof__', 'do', 'case', 'else', 'IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'IS_REACHABLE', 'likely', 'unlikely', '__attribute__']);
