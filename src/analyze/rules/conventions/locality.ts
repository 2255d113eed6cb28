// Diff facts are evidence, not verdicts: a zero initialiser, a cast, an
// unused attribute, a removed WARN or a per-file flag says something about a
// failure only where it sits at the place the failure points to (its file and
// line neighbourhood, its function, the variable or symbol it names).
// Anywhere else it is ordinary code.

import type { BuildFailure, DiffLine, Effect, Hunk, Patch } from '../../../core/types.js';
import { isMakefile } from '../../effects/diff-view.js';
import { escapeRegExp, wordIn } from '../../../extract/literal.js';
import { cutAt } from '../../../core/text.js';

export type Place = 'at' | 'elsewhere' | 'unknown';

/** How far (in lines) a change may sit from the reported line and still be its neighbourhood: trees drift between report and patch. */
export const NEIGHBOURHOOD_LINES = 40;

interface Site {
  file: string;
  text: string;
  /** line in the new file */
  line?: number;
  /** the function the hunk header names */
  func?: string;
  names: Set<string>;
}

// words a diagnostic quotes that are not names: "whenever 'if' condition is false"
const NOT_NAMES = new Set(['if', 'else', 'for', 'while', 'switch', 'case', 'return', 'sizeof', 'int', 'long', 'char', 'void', 'unsigned', 'signed', 'const', 'static', 'struct', 'enum', 'union']);

/** Identifiers a diagnostic quotes: ‘foo’, 'foo', `foo'. */
export function quotedNames(message: string): string[] {
  return [...message.matchAll(/[`'‘"]([A-Za-z_]\w*)['’"]/g)].map((m) => m[1]!).filter((n) => !NOT_NAMES.has(n));
}

/** The symbol a failure is about, and the identifiers its message quotes, without ppc64's leading dot. */
export function failureNames(f: BuildFailure): string[] {
  return [...new Set([f.symbol, ...quotedNames(f.message)].filter((s): s is string => !!s).map((s) => s.replace(/^\./, '')))];
}

/** Does a failure name this identifier (as its symbol, quoted, or as a word of its message)? */
export function namedByFailure(name: string, failures: BuildFailure[]): boolean {
  return failures.some((f) => failureNames(f).includes(name) || wordIn(f.message, name));
}

function samePath(a: string, b: string): boolean {
  const n = (p: string) => p.replace(/^\.\//, '').replace(/\.(o|ko)$/, '.c');
  const x = n(a);
  const y = n(b);
  return x === y || x.endsWith('/' + y) || y.endsWith('/' + x);
}

function dirOf(p: string): string {
  return p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '';
}

/** Where in the new file a diff line sits, and the function its hunk names. */
function siteOf(e: Effect, patch: Patch): Site | undefined {
  for (const f of patch.files) {
    for (const h of f.hunks) {
      const at = h.lines.findIndex((l) => l.mailLine === e.cite.line);
      if (at < 0) continue;
      const l = h.lines[at]!;
      return { file: f.newPath, text: l.text, line: newLineOf(h, l), func: enclosingFunction(h, at, f.newPath), names: new Set([...e.symbols, ...(l.text.match(/[A-Za-z_]\w*/g) ?? [])]) };
    }
  }
  return e.file ? { file: e.file, text: e.detail, names: new Set(e.symbols) } : undefined;
}

/**
 * The function a hunk line sits in: the last definition the hunk shows above it, else the
 * one git names in the hunk header (the nearest above the hunk's start, which is the right
 * one only when no other definition starts inside the hunk before the line).
 */
function enclosingFunction(h: Hunk, at: number, path: string): string | undefined {
  if (/\.[ch]$/.test(path))
    for (let k = at - 1; k >= 0; k--) {
      // a definition starts in column 0: a type, the name, an opening parenthesis, no ';'
      const t = h.lines[k]!.text;
      const open = t.indexOf('(');
      if (open < 0 || !/^[A-Za-z_]/.test(t) || t.includes(';')) continue;
      const name = t.slice(0, open).trimEnd().split(/[^\w]/).pop();
      if (name && /^[A-Za-z_]/.test(name) && !/^(?:if|for|while|switch|return|sizeof)$/.test(name)) return name;
    }
  return /\b([A-Za-z_]\w*)\s*\(/.exec(h.section)?.[1];
}

function newLineOf(h: Hunk, target: DiffLine): number | undefined {
  let n = h.newStart;
  for (const l of h.lines) {
    if (l === target) return n;
    if (l.kind !== 'del') n++;
  }
  return undefined;
}

function placeFor(site: Site, f: BuildFailure, own: string[]): Place {
  const names = failureNames(f);
  if (names.some((n) => site.names.has(n))) return 'at';
  // a diagnostic about a function ("warning in foo()", smatch's "foo() error:") points into its body
  if (site.func && names.includes(site.func) && (!f.file || samePath(f.file, site.file))) return 'at';
  // the change is about a variable or symbol of its own, and the failure names another one
  if (names.length && own.length && !isMakefile(site.file)) return 'elsewhere';
  if (f.inFunction && site.func === f.inFunction) return 'at';
  if (isMakefile(site.file)) {
    // `-Wno-foo` for the warning reported, or a flag for the failing object or its directory
    const warning = f.flag === undefined ? undefined : cutAt(f.flag.replace(/^-W(?:no-)?/, ''), '=');
    if (warning && (site.text.includes(`-Wno-${warning}`) || new RegExp(`cc-disable-warning,\\s*${escapeRegExp(warning)}\\b`).test(site.text))) return 'at';
    // a log line cut short keeps the start of the flag ("[-Werror,-Wdefault-const-init-fi"): a long enough start names it
    const disabled = /-Wno-([\w-]+)|cc-disable-warning,\s*([\w-]+)/.exec(site.text);
    const name = disabled?.[1] ?? disabled?.[2];
    // (trailing ']' and blanks taken from the start of their run: retried inside it, the run was quadratic)
    const cut = /-W(?:error,-W)?([a-z][\w-]{7,})\s*$/.exec(f.message.replace(/(?<![\]\s])[\]\s]+$/, ''))?.[1];
    if (name && cut && name.startsWith(cut)) return 'at';
    if (f.file) {
      const obj = f.file.replace(/^.*\//, '').replace(/\.c$/, '.o');
      if (site.text.includes(obj)) return 'at';
      return f.file.startsWith(dirOf(site.file)) && !/\.o\b/.test(site.text) ? 'at' : 'elsewhere';
    }
    return f.flag ? 'elsewhere' : 'unknown';
  }
  if (!f.file) return names.length || f.inFunction ? 'elsewhere' : 'unknown';
  if (!samePath(f.file, site.file)) return 'elsewhere';
  if (f.line === undefined || site.line === undefined) return 'at';
  return Math.abs(f.line - site.line) <= NEIGHBOURHOOD_LINES ? 'at' : 'elsewhere';
}

/** Does this effect sit where any of the failures points? 'unknown' when no failure points anywhere. */
export function placeOf(e: Effect, patch: Patch, failures: BuildFailure[]): Place {
  const site = siteOf(e, patch);
  if (!site) return 'unknown';
  const places = failures.map((f) => placeFor(site, f, e.symbols));
  if (places.includes('at')) return 'at';
  return places.includes('elsewhere') ? 'elsewhere' : 'unknown';
}
