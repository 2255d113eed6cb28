// What a patch does to C code: exports, definitions and stubs, calls to the
// failing symbol, warning and message silencing.

import type { DiffLine, Effect, FileDiff, Patch } from '../../core/types.js';
import { addedLines, callsIn, declaredInList, declaredLast, isCSource, removedLines, replacements } from './diff-view.js';
import { callsName, wordIn, wordSource } from '../../extract/literal.js';
import { lineStart } from '../../core/text.js';

export interface EffectContext {
  /** symbols named by the failures this patch may answer */
  failureSymbols: string[];
}

const EXPORT = /^\s*EXPORT_(?:SYMBOL|SYMBOL_GPL|SYMBOL_NS|SYMBOL_NS_GPL|SYMBOL_FOR_\w+|PER_CPU_SYMBOL|PER_CPU_SYMBOL_GPL|DATA_SYMBOL|DATA_SYMBOL_GPL)\s*\(\s*([A-Za-z_]\w*)/;
// the words before the name are one run of [\w\s*] ending in a space or a star:
// `(?:[\w*]+[\s*]+)+?` said the same but let a run of stars split every way (exponential)
const FUNC_START = /^(?!\s)(?!#)(?!(?:if|for|while|switch|return|else|do)\b)[\w*][\w\s*]*?[\s*]([A-Za-z_]\w*)\s*\(([^;]*?)(\)\s*(\{.*)?)?$/;
// (blanks at either end are read once: an empty statement and a trailing `\s*` both taking them was quadratic)
const TRIVIAL_STMT =
  /^\s*(?:(?:return\s*(?:(?:0|NULL|false|true|-E[A-Z]+|ERR_PTR\([^)]*\)|\(\w+\)\s*0|[A-Za-z_]\w*|\{\s*(?:0\s*)?\})\s*)?;|WARN_ON(?:_ONCE)?\s*\(\s*1\s*\)\s*;|WARN\s*\(.*\)\s*;|BUG\(\)\s*;|\(void\)\s*\w+\s*;|\/\*.*\*\/)\s*|\/\/.*(?:[\n\r\u2028\u2029]\s*)?)?$/;
const WARNS = /\b(WARN_ON|WARN_ON_ONCE|WARN|BUG|BUG_ON)\s*\(/;
const LOG_CALL =
  /\b(dev_err|dev_warn|dev_crit|dev_alert|dev_emerg|pr_err|pr_warn|pr_warning|pr_crit|pr_alert|pr_emerg|netdev_err|netdev_warn|printk|WARN|WARN_ON|WARN_ON_ONCE|dev_err_probe|drm_err|DRM_ERROR)\s*\(/;

interface FuncDef {
  name: string;
  lines: DiffLine[];
  body: string[];
  isStatic: boolean;
  isInline: boolean;
  startLine: number;
}

/** Function definitions made only of lines of one kind ('add' or 'del'). */
function definitions(file: FileDiff, kind: 'add' | 'del'): FuncDef[] {
  const out: FuncDef[] = [];
  for (const h of file.hunks) {
    const ls = h.lines.filter((l) => l.kind === kind);
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i]!;
      const m = FUNC_START.exec(l.text);
      if (!m || /;\s*$/.test(l.text)) continue;
      // signature may continue; find the opening brace within a few lines
      let j = i;
      let open = l.text.includes('{') ? i : -1;
      while (open < 0 && j + 1 < ls.length && j - i < 4) {
        j++;
        if (ls[j]!.text.includes('{')) open = j;
        if (/;\s*$/.test(ls[j]!.text) && !ls[j]!.text.includes('{')) break;
      }
      if (open < 0) continue;
      // one-line body: "{ return 0; }"
      const oneLine = oneLineBody(ls[open]!.text);
      let body: string[] = [];
      let end = open;
      if (oneLine !== undefined)
        body = oneLine
          .split(';')
          .filter((s) => s.trim())
          .map((s) => s.trim() + ';');
      else {
        let depth = 0;
        for (let k = open; k < ls.length; k++) {
          const t = ls[k]!.text;
          depth += (t.match(/\{/g) ?? []).length - (t.match(/\}/g) ?? []).length;
          if (k > open) body.push(t);
          end = k;
          if (depth <= 0 && k > open) break;
          if (depth <= 0 && k === open && t.includes('}')) break;
        }
        body = body.slice(0, -1); // closing brace
      }
      const head = ls
        .slice(i, open + 1)
        .map((x) => x.text)
        .join(' ');
      out.push({ name: m[1]!, lines: ls.slice(i, end + 1), body, isStatic: /\bstatic\b/.test(head), isInline: /\binline\b/.test(head), startLine: l.mailLine });
      i = end;
    }
  }
  return out;
}

/**
 * What a line holding a whole body ("{ return 0; }", then only blanks and a ';')
 * has between its first '{' and its last '}': `/\{(.*)\}\s*;?\s*$/` as two
 * searches (the pattern rescanned the line from every '{').
 */
function oneLineBody(t: string): string | undefined {
  const close = t.lastIndexOf('}');
  if (close < 0 || !/^\s*(?:;\s*)?$/.test(t.slice(close + 1))) return undefined;
  const open = t.indexOf('{', lineStart(t, close));
  return open >= 0 && open < close ? t.slice(open + 1, close) : undefined;
}

function isTrivialBody(body: string[]): boolean {
  const stmts = body.map((b) => b.trim()).filter((b) => b && b !== '{' && b !== '}');
  return stmts.length <= 3 && stmts.every((s) => TRIVIAL_STMT.test(s));
}

export function classifyCode(patch: Patch, ctx: EffectContext): Effect[] {
  const out: Effect[] = [];
  const cite = (line: number) => ({ messageId: patch.messageId, line });
  const failing = new Set(ctx.failureSymbols);
  for (const file of patch.files) {
    const path = file.newPath;
    if (!isCSource(path)) continue;
    const added = addedLines(file);
    const removed = removedLines(file);

    for (const l of added) {
      const m = EXPORT.exec(l.text);
      if (m && !removed.some((r) => EXPORT.exec(r.text)?.[1] === m[1])) {
        out.push({ kind: 'export-added', detail: `${path}: exports ${m[1]} (${l.text.trim()})`, file: path, symbols: [m[1]!], configs: [], cite: cite(l.mailLine) });
      }
    }

    const addedDefs = definitions(file, 'add');
    const removedDefs = definitions(file, 'del');
    for (const d of addedDefs) {
      const moved = removedDefs.find((r) => r.name === d.name);
      if (moved && !isTrivialBody(d.body)) {
        out.push({
          kind: 'definition-moved',
          detail: `${path}: the definition of ${d.name}() moves (from mail line ${moved.startLine} to ${d.startLine})`,
          file: path,
          symbols: [d.name],
          configs: [],
          cite: cite(d.startLine),
        });
        continue;
      }
      if (moved) continue;
      if (isTrivialBody(d.body)) {
        const warns = d.body.some((b) => WARNS.test(b));
        const afterElse = isUnderElse(file, d.lines[0]!);
        out.push({
          kind: warns ? 'stub-warns' : 'stub-added',
          detail: `${path}: ${d.isStatic ? 'static ' : ''}${d.isInline ? 'inline ' : ''}stub ${d.name}() { ${d.body.map((b) => b.trim()).join(' ') || ''} }${afterElse ? ' in an #else branch' : ''}${warns ? ': warns at run time instead of failing at build time' : ''}`,
          file: path,
          symbols: [d.name],
          configs: [],
          cite: cite(d.startLine),
        });
      } else {
        out.push({ kind: 'definition-added', detail: `${path}: defines ${d.name}()`, file: path, symbols: [d.name], configs: [], cite: cite(d.startLine) });
      }
    }

    // calls to a failing symbol that go away, or are replaced by another call;
    // its own definition moving or going is not a call site
    const called = [...failing]
      .filter((sym) => !removedDefs.some((d) => d.name === sym) && !addedDefs.some((d) => d.name === sym))
      .map((sym) => ({ sym, word: { test: (t: string) => wordIn(t, sym) } }));
    for (const r of replacements(file)) {
      for (const { sym, word } of called) {
        const wasCalled = r.removed.some((l) => word.test(l.text));
        const stillCalled = r.added.some((l) => word.test(l.text));
        if (!wasCalled || stillCalled) continue;
        if (r.removed.every((l) => /^\s*#\s*include\b/.test(l.text))) continue;
        // (a failing "NULL" is a macro gone wrong, not a reference to null out)
        const nulled = EMPTY_VALUES.includes(sym) ? undefined : nulledReference(r.removed, r.added, sym);
        if (nulled) {
          out.push({
            kind: 'reference-nulled',
            detail: `${path}: ${nulled.how}: the feature behind ${sym} is dropped in every configuration`,
            file: path,
            symbols: [sym],
            configs: [],
            cite: cite(nulled.line.mailLine),
          });
          continue;
        }
        const newCalls = r.added.flatMap((l) => callsIn(l.text)).filter((c) => c !== sym);
        out.push({
          kind: newCalls.length ? 'call-replaced' : 'call-removed',
          detail: newCalls.length ? `${path}: ${sym} is replaced by ${[...new Set(newCalls)].slice(0, 3).join(', ')}` : `${path}: the reference to ${sym} is removed`,
          file: path,
          symbols: [sym, ...new Set(newCalls)],
          configs: [],
          cite: cite((r.added[0] ?? r.removed[0])!.mailLine),
        });
      }
    }

    // a prototype for the failing function written into a .c file instead of including its header
    if (/\.c$/.test(path)) {
      for (const l of added) {
        const m = LOCAL_PROTOTYPE.exec(l.text);
        if (m && failing.has(m[1]!) && !removed.some((x) => x.text.replace(/\s+/g, '') === l.text.replace(/\s+/g, ''))) {
          out.push({
            kind: 'local-prototype-added',
            detail: `${path}: declares ${m[1]}() locally (\`${l.text.trim()}\`) instead of including the header that declares it`,
            file: path,
            symbols: [m[1]!],
            configs: [],
            cite: cite(l.mailLine),
          });
        }
      }
    }

    out.push(...silencing(patch, file));
  }
  return out;
}

const EMPTY_VALUES = ['NULL', '0', 'false', '{}', '{ }', '{0}'];

// `extern int foo(int);` or `int foo(int);` at file scope, not static (a static forward declaration is fine)
const LOCAL_PROTOTYPE = /^(?:extern\s+)?(?!static\b)(?!return\b)[A-Za-z_][\w\s*]+?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*;\s*$/;

/**
 * The failing reference replaced by NULL, 0, false or `{}` in an otherwise
 * unchanged line, or a `.field = sym,` initialiser deleted outright.
 */
function nulledReference(removed: DiffLine[], added: DiffLine[], sym: string): { how: string; line: DiffLine } | undefined {
  const ref = new RegExp(`&?${wordSource(sym)}(?:\\s*\\([^;]*\\))?`);
  for (const x of removed) {
    if (!ref.test(x.text)) continue;
    const shape = x.text.replace(ref, '§').replace(/\s+/g, '');
    for (const a of added) {
      for (const empty of EMPTY_VALUES) {
        const at = a.text.indexOf(empty);
        if (at < 0) continue;
        const cand = (a.text.slice(0, at) + '§' + a.text.slice(at + empty.length)).replace(/\s+/g, '');
        if (cand === shape) return { how: `\`${x.text.trim()}\` becomes \`${a.text.trim()}\``, line: a };
      }
    }
    if (/^\s*\.\w+\s*=\s*&?\w+\s*(?:,\s*)?$/.test(x.text) && !added.some((a) => a.text.includes(x.text.trim().split('=')[0]!.trim()))) {
      return { how: `the initialiser \`${x.text.trim()}\` is deleted`, line: x };
    }
  }
  return undefined;
}

function isUnderElse(file: FileDiff, line: DiffLine): boolean {
  for (const h of file.hunks) {
    const idx = h.lines.indexOf(line);
    if (idx < 0) continue;
    for (let k = idx - 1; k >= 0 && k >= idx - 4; k--) {
      if (/^\s*#\s*else\b/.test(h.lines[k]!.text)) return true;
      if (/^\s*#\s*if/.test(h.lines[k]!.text)) return false;
    }
  }
  return false;
}

const UNUSED_ATTR = /\b(__maybe_unused|__always_unused|__attribute__\s*\(\(\s*(?:__)?(?:unused|maybe_unused)(?:__)?\s*\)\))/;
const PRAGMA_IGNORE = /#\s*pragma\s+(GCC|clang)\s+diagnostic\s+ignored/;
const CAST = /\(\s*(?:const\s+)?(?:void|char|u8|u16|u32|u64|unsigned\s+\w+|\w+_t|struct\s+\w+)\s*(?:__user|__iomem|__force|__rcu|__percpu|__kernel)\s*(?:\*\s*)?\)|\(\s*__force\b[^)]*\)/;

/** a zero value given to the last name of a line: `bp = NULL;` */
const ZERO_INIT_AT_END = /\b([A-Za-z_]\w*)\s*=\s*(0|NULL|false|0UL|0ULL|\{\s*(?:0\s*)?\})\s*;\s*$/;

function silencing(patch: Patch, file: FileDiff): Effect[] {
  const out: Effect[] = [];
  const path = file.newPath;
  const cite = (line: number) => ({ messageId: patch.messageId, line });
  for (const r of replacements(file)) {
    // the removed lines read once, each question a lookup (every added line searched every
    // removed one: a 40,000-line replacement block took 91 s)
    const removedUnused = r.removed.some((x) => UNUSED_ATTR.test(x.text));
    const removedTrimmed = new Set(r.removed.map((x) => x.text.trim()));
    for (const a of r.added) {
      const um = UNUSED_ATTR.exec(a.text);
      if (um && !removedUnused) {
        out.push({
          kind: 'warning-silenced',
          detail: `${path}: marks a declaration ${um[1]} so the compiler stops warning; the declaration stays`,
          file: path,
          symbols: [],
          configs: [],
          cite: cite(a.mailLine),
        });
      }
      if (PRAGMA_IGNORE.test(a.text)) out.push({ kind: 'warning-silenced', detail: `${path}: ${a.text.trim()}`, file: path, symbols: [], configs: [], cite: cite(a.mailLine) });
      // `(void)x;` on a line of its own: the variable is "used" for the compiler's sake only
      const voided = /^\s*\(\s*void\s*\)\s*&?([A-Za-z_]\w*)\s*;\s*$/.exec(a.text);
      if (voided && !removedTrimmed.has(a.text.trim()))
        out.push({
          kind: 'warning-silenced',
          detail: `${path}: \`${a.text.trim()}\` only tells the compiler ${voided[1]} is used`,
          file: path,
          symbols: [voided[1]!],
          configs: [],
          cite: cite(a.mailLine),
        });
    }
    // `u64 data;` → `u64 data = 0;`: an initialiser that only quiets -Wmaybe-uninitialized; also
    // the last name of a list, the line otherwise as removed (`*fw, *bp;` → `*fw, *bp = NULL;`)
    let declaredBare: Set<string> | undefined;
    let removedBare: Set<string> | undefined;
    for (const a of r.added) {
      let init: { name: string; value: string } | undefined;
      const single = /^\s*((?:[\w*]+\s+)+\**)([A-Za-z_]\w*)\s*=\s*(0|NULL|false|0UL|0ULL|\{\s*(?:0\s*)?\})\s*;/.exec(a.text);
      if (single) init = { name: single[2]!, value: single[3]! };
      else if (a.text.includes(',')) {
        const last = ZERO_INIT_AT_END.exec(a.text);
        removedBare ??= new Set(r.removed.map((x) => x.text.replace(/\s+/g, '')));
        if (last && removedBare.has(`${a.text.slice(0, last.index)}${last[1]};`.replace(/\s+/g, ''))) init = { name: last[1]!, value: last[2]! };
      }
      if (!init) continue;
      const name = init.name;
      // the names the hunk's removed lines declare without a value, alone or in a list
      declaredBare ??= new Set(r.hunk.lines.filter((x) => x.kind === 'del').flatMap((x) => [declaredLast(x.text, false) ?? [], declaredInList(x.text)].flat()));
      if (declaredBare.has(name))
        out.push({
          kind: 'warning-silenced',
          detail: `${path}: initialises ${name} to ${init.value} where it was declared without a value`,
          file: path,
          symbols: [name],
          configs: [],
          cite: cite(a.mailLine),
        });
    }
    // a cast inserted into an otherwise unchanged line
    let uncast: Map<string, DiffLine> | undefined;
    let fixme: boolean | undefined;
    for (const a of r.added) {
      const cm = CAST.exec(a.text);
      if (!cm) continue;
      const bare = a.text.replace(cm[0], '').replace(/\s+/g, '');
      // the first removed line without a cast, by its text without blanks
      if (!uncast) {
        uncast = new Map();
        for (const x of r.removed) if (!CAST.test(x.text) && !uncast.has(x.text.replace(/\s+/g, ''))) uncast.set(x.text.replace(/\s+/g, ''), x);
      }
      const before = uncast.get(bare);
      if (!before) continue;
      fixme ??= r.removed.some((x) => /\b(FIXME|TODO|XXX)\b/.test(x.text));
      out.push({
        kind: 'warning-silenced',
        detail: `${path}: adds the cast \`${cm[0]}\` so the checker stops complaining; the types underneath are unchanged${fixme ? ', and the FIXME asking for the real work is deleted' : ''}`,
        file: path,
        symbols: [],
        configs: [],
        cite: cite(a.mailLine),
      });
    }
    // an error/warning message removed, made conditional, or downgraded
    const logGone = r.removed.filter((x) => LOG_CALL.test(x.text));
    if (logGone.length) {
      const call = LOG_CALL.exec(logGone[0]!.text)![1]!;
      // dev_err() → dev_err_probe() and the like still report the error
      const still = r.added.find((x) => callsName(x.text, call)) ?? r.added.find((x) => LOG_CALL.test(x.text) && !/\b(dev_dbg|pr_debug|dev_info|pr_info)\s*\(/.test(x.text));
      // a new `if (...)` before the call (not `if (WARN_ON(...))` itself) makes it conditional
      const norm = (t: string) => t.replace(/[{}\s]/g, '');
      const stillAt = still ? r.added.indexOf(still) : -1;
      const removedNorm = still ? new Set(r.removed.map((y) => norm(y.text))) : undefined;
      const newIf = still ? r.added.find((x, i) => i < stillAt && /^\s*if\s*\(/.test(x.text) && !removedNorm!.has(norm(x.text))) : undefined;
      const downgraded = r.added.find((x) => /\b(dev_dbg|pr_debug|dev_info|pr_info|_once|_ratelimited)\s*\(/.test(x.text));
      if (!still || newIf || downgraded) {
        const how = !still ? (downgraded ? 'downgraded' : 'removed') : newIf ? `now printed only when \`${newIf.text.trim()}\`` : 'downgraded';
        out.push({ kind: 'message-silenced', detail: `${path}: the ${call}() message is ${how}`, file: path, symbols: [call], configs: [], cite: cite((newIf ?? downgraded ?? logGone[0]!).mailLine) });
      }
    }
  }
  return out;
}
