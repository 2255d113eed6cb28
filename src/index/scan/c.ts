// C and assembly sources to index entries, each with its line and the
// preprocessor condition it sits under. One pass over the text:
//
// - comments, strings and character literals are skipped (newlines counted);
// - a line whose first non-blank is '#' is a directive: #if/#ifdef/#ifndef/
//   #elif/#else/#endif maintain a stack whose conjunction is the condition of
//   everything below it (both arms are read: a definition in an #else branch is
//   kept, with the negated condition); #define records a macro; #include of a
//   .c file is kept so the included file can take its includer's condition;
// - at brace depth 0, text accumulates into a statement that ends at ';'
//   (prototype, extern declaration, variable, EXPORT_SYMBOL*) or at '{'
//   (function definition, whose body is skipped; or an initializer/aggregate).
// A header's include guard (#ifndef X / #define X first) is not a condition.

import { and, normaliseDirective, not, TRUE } from '../cond.js';

export type EntryKind = 'func' | 'proto' | 'decl' | 'var' | 'macro' | 'fmacro' | 'export';
export type Storage = 'global' | 'static' | 'static-inline' | 'extern' | 'inline';

export interface Entry {
  name: string;
  kind: EntryKind;
  line: number;
  /** condition text (see cond.ts); '1' when unconditional */
  cond: string;
  storage?: Storage;
  /** EXPORT_SYMBOL, EXPORT_SYMBOL_GPL, EXPORT_SYMBOL_NS_GPL, ... */
  exportType?: string;
  namespace?: string;
}

export interface CInclude {
  path: string;
  line: number;
  cond: string;
}

export interface CScan {
  entries: Entry[];
  /** quoted includes of .c files: "percpu-vm.c" under !CONFIG_NEED_PER_CPU_KM */
  includes: CInclude[];
}

interface Frame {
  /** the raw conditions of the branches so far (#if, then each #elif) */
  branches: string[];
  cur: string;
  guard: boolean;
}

const ATTRIBUTE_CALLS = new Set([
  '__attribute__',
  '__attribute',
  '__printf',
  '__scanf',
  '__section',
  '__aligned',
  '__alloc_size',
  '__must_hold',
  '__acquires',
  '__releases',
  '__cond_acquires',
  '__cond_releases',
  '__diagnose_as',
  '__counted_by',
  '__no_sanitize_address',
  '__no_kcsan',
  '__nocfi',
  '__assume_aligned',
  '__malloc',
  '__realloc_size',
  '__cleanup',
  '__designated_init',
  'asm',
  '__asm__',
  '__asm',
  'noinline',
  '__noinline',
  '__weak',
  '__used',
  '__maybe_unused',
  '__always_inline',
  '__free',
  '__guarded_by',
  'SEC',
  'BTF_ID',
  '__ksym',
  'likely',
  'unlikely',
  '__nonstring',
]);
const NOT_NAMES = new Set([
  'if',
  'for',
  'while',
  'switch',
  'return',
  'sizeof',
  'typeof',
  '__typeof__',
  '__typeof',
  'do',
  'else',
  'case',
  'goto',
  '_Static_assert',
  'static_assert',
  'BUILD_BUG_ON',
  '_Generic',
  'offsetof',
  'alignof',
  '__alignof__',
]);
const TYPE_WORDS = new Set([
  'void',
  'int',
  'char',
  'short',
  'long',
  'unsigned',
  'signed',
  'float',
  'double',
  'bool',
  '_Bool',
  'const',
  'volatile',
  'static',
  'extern',
  'struct',
  'union',
  'enum',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'size_t',
  'ssize_t',
]);
const EXPORT_RE =
  /^(EXPORT_(?:SYMBOL|SYMBOL_GPL|SYMBOL_NS|SYMBOL_NS_GPL|SYMBOL_FOR_[A-Z_]+|PER_CPU_SYMBOL|PER_CPU_SYMBOL_GPL|DATA_SYMBOL|DATA_SYMBOL_GPL|SYMBOL_GPL_FOR_[A-Z_]+|GPL_SYMBOL))\s*\(\s*([A-Za-z_]\w*)(?:\s*,\s*"?([A-Za-z_][\w.:-]*)"?)?/;
/** balanced parentheses, four levels deep: __attribute__((aligned(4 * sizeof(u64)))) */
const PARENS = '\\((?:[^()]|\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*\\))*\\)';
/** a struct/union/enum body with no declarator after it (attributes allowed) */
// (each attribute one whole word from `__` on: `\s*_{2,4}\w+\s*` split `__a__b` and the blanks every way)
const TYPE_BODY_ONLY = new RegExp(`^(?:struct|union|enum)\\b[^{}=;]*\\{\\}(?:\\s*__\\w+(?!\\w)(?:\\s*${PARENS})?)*\\s*$`);
/** variable attributes written after the name: __read_mostly, __initdata, __aligned(8), ... */
const VAR_ATTR_NAMES =
  '_{2,4}(?:read_mostly|ro_after_init|lsm_ro_after_init|\\w*initdata\\w*|\\w*initconst|refdata|exitdata|\\w*cacheline_aligned\\w*|page_aligned_\\w+|nosavedata|maybe_unused|always_unused|unused|used|visible|weak|latent_entropy|bss_decrypted|packed|randomize_layout|percpu|rcu)';
const VAR_ATTR = new RegExp(`^${VAR_ATTR_NAMES}$`);
const SPECIAL = /[\n\/"'{}]/g;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

const isBlank = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /\w/.test(ch);

/** The '(' that the ')' at `close` closes, four levels deep at most (as PARENS reads), or -1. */
function openingParen(text: string, close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    if (text[k] === ')' && ++depth > 4) return -1;
    if (text[k] === '(' && --depth === 0) return k;
  }
  return -1;
}

/**
 * A declarator without the attributes written after its name, each after a
 * blank: ` __read_mostly`, ` __aligned(8)`, ` SEC("maps")`. Read from the end,
 * one attribute at a time: what `(?:\s+(?:VAR_ATTR_NAMES|(?:_{2,4}\w+|SEC|asm)\s*PARENS))+\s*$`
 * removed, without that pattern's retry from every blank before them.
 */
function withoutTrailingAttributes(head: string): string {
  let kept = head.length;
  let end = head.length;
  while (end > 0 && isBlank(head[end - 1])) end--;
  for (;;) {
    let start = end;
    if (head[end - 1] === ')') {
      // `__aligned(8)`, `SEC("x")`, `asm("y")`: a word, blanks, parentheses
      const open = openingParen(head, end - 1);
      if (open < 0) break;
      let word = open;
      while (word > 0 && isBlank(head[word - 1])) word--;
      start = word;
      while (start > 0 && isWordChar(head[start - 1])) start--;
      const name = head.slice(start, word);
      if (name !== 'SEC' && name !== 'asm' && !/^__\w+$/.test(name)) break;
    } else {
      while (start > 0 && isWordChar(head[start - 1])) start--;
      if (start === end || !VAR_ATTR.test(head.slice(start, end))) break;
    }
    if (!isBlank(head[start - 1])) break;
    end = start;
    while (end > 0 && isBlank(head[end - 1])) end--;
    kept = end;
  }
  return head.slice(0, kept);
}

/** Depth-0 occurrences of `name(` in a statement, with their positions. */
function calls(stmt: string): { name: string; at: number; open: number }[] {
  const out: { name: string; at: number; open: number }[] = [];
  let depth = 0;
  for (let i = 0; i < stmt.length; i++) {
    const c = stmt.charCodeAt(i);
    if (c === 40) {
      if (depth === 0) {
        let j = i - 1;
        while (j >= 0 && (stmt.charCodeAt(j) === 32 || stmt.charCodeAt(j) === 10 || stmt.charCodeAt(j) === 9)) j--;
        const end = j + 1;
        while (j >= 0 && isIdent(stmt.charCodeAt(j))) j--;
        if (end > j + 1 && isIdentStart(stmt.charCodeAt(j + 1))) out.push({ name: stmt.slice(j + 1, end), at: j + 1, open: i });
        else out.push({ name: '', at: i, open: i });
      }
      depth++;
    } else if (c === 41) depth--;
  }
  return out;
}

function storageOf(prefix: string): Storage {
  const s = /\bstatic\b/.test(prefix);
  const i = /\b(inline|__inline__|__inline|__always_inline)\b/.test(prefix);
  if (s && i) return 'static-inline';
  if (s) return 'static';
  if (/\bextern\b/.test(prefix)) return 'extern';
  if (i) return 'inline';
  return 'global';
}

/** The function name in a declarator: the first call-like name that is not an attribute. */
function functionName(stmt: string): { name: string; at: number; open: number } | undefined {
  for (const c of calls(stmt)) {
    if (!c.name) {
      // "(*name)(...)": a function pointer, not a function
      return undefined;
    }
    if (ATTRIBUTE_CALLS.has(c.name) || NOT_NAMES.has(c.name)) continue;
    // "void (*fn)(void)": the group after a type word is a declarator
    if (TYPE_WORDS.has(c.name)) return undefined;
    return c;
  }
  return undefined;
}

/**
 * Is toks[i], a `__word` at the end of a declaration, an attribute the
 * index does not know (`int x __ksym;`, `struct mv wildfire_mv __initmv`)
 * rather than the name (`unsigned long __per_cpu_offset`, `atomic_t
 * __num_online_cpus`, `struct module __this_module`, `char *__doc__`)? It
 * is when a declarator name already stands before it.
 */
function trailingAttribute(toks: string[], i: number): boolean {
  if (!/^_{2,4}\w+$/.test(toks[i]!)) return false;
  const prev = toks[i - 1]!;
  if (prev === '*' || TYPE_WORDS.has(prev) || prev === 'register') return false;
  if (i >= 2 && /^(struct|union|enum)$/.test(toks[i - 2]!)) return false;
  // the type: everything before that is not a storage class or a qualifier
  return toks.slice(0, i).filter((x) => !/^(static|extern|register|const|volatile|_{2,4}\w+)$/.test(x)).length > 1;
}

function lineAt(stmt: string, at: number, startLine: number): number {
  let n = startLine;
  for (let i = 0; i < at; i++) if (stmt.charCodeAt(i) === 10) n++;
  return n;
}

export function scanC(text: string, path: string): CScan {
  const entries: Entry[] = [];
  const includes: CInclude[] = [];
  const isHeader = path.endsWith('.h');
  const isAsm = /\.(S|s)$/.test(path);
  const stack: Frame[] = [];
  let cond = TRUE;
  const recompute = () => {
    cond = and(...stack.filter((f) => !f.guard).map((f) => f.cur));
  };
  let sawFirstDirective = false;
  let guardCandidate: string | undefined;

  let line = 1;
  let depth = 0;
  let stmt = '';
  let stmtLine = 1;
  let stmtCond = TRUE;
  let bodySkip: 'func' | 'aggregate' | null = null;
  let atLineStart = true;
  const n = text.length;
  let i = 0;

  const pushStmtChar = (s: string) => {
    if (!stmt.trim() && s.trim()) {
      stmtLine = line;
      stmtCond = cond;
    }
    stmt += s;
  };

  const directive = (d: string, startLine: number) => {
    const m = /^#\s*([a-z_]+)\b\s*((?:\S.*)?)$/s.exec(d);
    if (!m) return;
    const name = m[1]!;
    const rest = m[2]!.replace(/\\\n/g, ' ');
    const first = !sawFirstDirective;
    sawFirstDirective = true;
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const c = normaliseDirective(name, rest);
        const frame: Frame = { branches: [c || TRUE], cur: c || TRUE, guard: false };
        if (first && isHeader && name === 'ifndef') guardCandidate = rest.trim().split(/\s/)[0];
        stack.push(frame);
        recompute();
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        const f = stack[stack.length - 1];
        if (!f) return;
        // negate the raw branch conditions, not the composed ones: chains stay linear
        const c = normaliseDirective(name, rest);
        f.cur = and(...f.branches.map(not), c);
        f.branches.push(c);
        f.guard = false;
        recompute();
        return;
      }
      case 'else': {
        const f = stack[stack.length - 1];
        if (!f) return;
        f.cur = and(...f.branches.map(not));
        f.guard = false;
        recompute();
        return;
      }
      case 'endif':
        stack.pop();
        recompute();
        return;
      case 'define': {
        const dm = /^([A-Za-z_]\w*)(\()?/.exec(rest);
        if (!dm) return;
        if (guardCandidate !== undefined) {
          if (dm[1] === guardCandidate && stack.length === 1) {
            stack[0]!.guard = true;
            recompute();
            guardCandidate = undefined;
            return;
          }
          guardCandidate = undefined;
        }
        entries.push({ name: dm[1]!, kind: dm[2] ? 'fmacro' : 'macro', line: startLine, cond });
        return;
      }
      case 'include': {
        guardCandidate = undefined;
        const im = /^"([^"]+\.c)"/.exec(rest.trim());
        if (im) includes.push({ path: im[1]!, line: startLine, cond });
        return;
      }
      default:
        guardCandidate = undefined;
    }
  };

  const endStatement = (terminator: ';' | '{') => {
    const s = stmt;
    stmt = '';
    const t = s.trim();
    if (!t) return;
    const lead = /^\s*/.exec(s)![0];
    const base = stmtLine - countNl(lead);
    if (terminator === ';') declaration(s, base);
    else definitionOpen(s, base);
  };

  const countNl = (s: string) => {
    let c = 0;
    for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) c++;
    return c;
  };

  const add = (e: Omit<Entry, 'cond'>) => entries.push({ ...e, cond: stmtCond });

  const declaration = (raw: string, base: number) => {
    const ex = EXPORT_RE.exec(raw.trim());
    if (ex) {
      add({ name: ex[2]!, kind: 'export', line: lineAt(raw, raw.indexOf(ex[2]!), base), exportType: ex[1]!, namespace: ex[3] });
      return;
    }
    // only an export's namespace needs a string's text: `SEC("version")` names nothing
    const s = raw.replace(/"[^"\n]*"/g, '""');
    const t = s.trim();
    if (/^(?:__extension__\s+)?(typedef|struct\s+\w+\s*$|union\s+\w+\s*$|enum\s+\w+\s*$)\b/.test(t)) return;
    if (/^(struct|union|enum)\s+\w+\s*;?$/.test(t)) return; // forward declaration
    if (TYPE_BODY_ONLY.test(t)) return; // `struct foo { ... };`: a type, not a variable named foo
    if (/^(?:_Static_assert|static_assert|BUILD_BUG_ON\w*)\s*\(/.test(t)) return;
    const fn = functionName(s);
    if (fn) {
      const before = s.slice(0, fn.at).trim();
      // `static LIST_HEAD(name);`: storage class but no type, so not a prototype
      if (!before || !/[A-Za-z_*]/.test(before) || /^(?:(?:static|extern)\s+)*(?:static|extern)$/.test(before) || /^(DEFINE|DECLARE)_/.test(fn.name)) {
        // `DEFINE_MUTEX(name);`, `module_init(fn);`: a macro invocation, no return type
        const dm = /(DEFINE_\w+|DECLARE_\w+)\s*\(([^)]*)\)/.exec(t);
        if (dm && dm[1]!.startsWith('DEFINE_')) {
          const args = dm[2]!.split(',').map((a) => a.trim());
          const name = /PER_CPU/.test(dm[1]!) ? args[args.length - 1] : args[0];
          if (name && /^[A-Za-z_]\w*$/.test(name)) add({ name, kind: 'var', line: lineAt(s, s.indexOf(name, fn.open), base), storage: storageOf(before) });
        }
        return;
      }
      if (/=/.test(s.slice(0, fn.at))) return; // `int x = foo(1);`
      const storage = storageOf(before);
      add({ name: fn.name, kind: 'proto', line: lineAt(s, fn.at, base), storage });
      return;
    }
    // function pointer variables and plain variables: the declarator name before = [ , ; or (
    const fp = /\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(/.exec(t);
    let name: string | undefined;
    let at = -1;
    if (fp) {
      name = fp[1];
      at = s.indexOf(fp[0]) + fp[0].indexOf(name!);
    } else {
      // `int max_threads __read_mostly = 8;`: the attributes after the name are not the name
      const head = withoutTrailingAttributes(s.split(/=|\[/, 1)[0]!);
      const toks = [...head.matchAll(/[A-Za-z_]\w*|\*/g)];
      let end = toks.length;
      while (
        end > 1 &&
        trailingAttribute(
          toks.map((x) => x[0]),
          end - 1,
        )
      )
        end--;
      const last = toks[end - 1];
      if (last && last[0] !== '*' && head.slice(0, last.index).trim()) {
        name = last[0];
        at = last.index;
      }
    }
    if (!name || VAR_ATTR.test(name) || NOT_NAMES.has(name) || /^(const|volatile|int|long|char|unsigned|signed|void|short|float|double|bool)$/.test(name)) return;
    const before = s.slice(0, Math.max(0, at));
    add({ name, kind: /\bextern\b/.test(before) ? 'decl' : 'var', line: lineAt(s, at, base), storage: storageOf(before) });
  };

  const definitionOpen = (s: string, base: number) => {
    const t = s.trim();
    if (/^(typedef\s+)?(struct|union|enum)\b[^(=]*$/.test(t) || /=\s*$/.test(t) || /=/.test(t.replace(/\([^()]*\)/g, ''))) {
      bodySkip = 'aggregate';
      // an initializer or a type body: the statement goes on after the braces
      stmt = s + '{}';
      return;
    }
    const fn = functionName(s);
    bodySkip = 'func';
    if (!fn) return;
    const before = s.slice(0, fn.at).trim();
    if (!before && !/^[A-Z_][A-Z0-9_]*$/.test(fn.name)) return; // K&R or a stray block
    // SYSCALL_DEFINEn(name, ...) and COMPAT_SYSCALL_DEFINEn define sys_name / compat_sys_name
    const sc = /^(COMPAT_)?SYSCALL_DEFINE\d\s*\(\s*([A-Za-z_]\w*)/.exec(s.slice(fn.at));
    const name = sc ? `${sc[1] ? 'compat_' : ''}sys_${sc[2]}` : fn.name;
    add({ name, kind: 'func', line: lineAt(s, fn.at, base), storage: sc ? 'global' : storageOf(before) });
  };

  if (isAsm) return scanAsm(text, directive);

  while (i < n) {
    const c = text.charCodeAt(i);
    // directive at the start of a line
    if (atLineStart) {
      let j = i;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (j < n && text.charCodeAt(j) === 35 /* # */) {
        // the logical line, with backslash continuations and comments inside
        let k = j;
        const startLine = line;
        let d = '';
        let segStart = j;
        while (k < n) {
          const ck = text.charCodeAt(k);
          if (ck === 10) {
            if (k > 0 && text.charCodeAt(k - 1) === 92) {
              d += text.slice(segStart, k - 1) + ' ';
              line++;
              k++;
              segStart = k;
              continue;
            }
            break;
          }
          if (ck === 47 && text.charCodeAt(k + 1) === 42) {
            // block comment inside a directive, possibly over several lines
            d += text.slice(segStart, k) + ' ';
            const close = text.indexOf('*/', k + 2);
            const endc = close < 0 ? n : close + 2;
            for (let q = k; q < endc; q++) if (text.charCodeAt(q) === 10) line++;
            k = endc;
            segStart = k;
            continue;
          }
          if (ck === 47 && text.charCodeAt(k + 1) === 47) {
            d += text.slice(segStart, k);
            while (k < n && text.charCodeAt(k) !== 10) k++;
            segStart = k;
            break;
          }
          k++;
        }
        d += text.slice(segStart, k);
        directive(d, startLine);
        if (depth === 0 && !bodySkip && stmt) stmt += '\n';
        i = k; // at the newline (or end)
        atLineStart = false;
        continue;
      }
      atLineStart = false;
    }
    if (c === 10) {
      line++;
      atLineStart = true;
      if (depth === 0 && !bodySkip && stmt) stmt += '\n';
      i++;
      continue;
    }
    if (c === 47 /* / */) {
      const c2 = text.charCodeAt(i + 1);
      if (c2 === 42) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 ? n : close + 2;
        for (let q = i; q < end; q++) {
          if (text.charCodeAt(q) === 10) {
            line++;
            if (depth === 0 && !bodySkip && stmt) stmt += '\n';
          }
        }
        if (depth === 0 && !bodySkip && stmt) stmt += ' ';
        i = end;
        continue;
      }
      if (c2 === 47) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        continue;
      }
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let k = i + 1;
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (ck === 92) {
          if (text.charCodeAt(k + 1) === 10) line++;
          k += 2;
          continue;
        }
        if (ck === c) break;
        if (ck === 10) break; // unterminated: do not run away
        k++;
      }
      // a string's text is dropped, except a short identifier-like one: the
      // namespace of EXPORT_SYMBOL_NS_GPL(sym, "NS") in newer trees
      if (depth === 0 && !bodySkip) {
        const lit = c === 34 ? text.slice(i, k + 1) : '';
        pushStmtChar(c === 34 ? (/^"[A-Za-z_][\w.:-]*"$/.test(lit) ? lit : '""') : "''");
      }
      i = k + 1;
      continue;
    }
    if (c === 123 /* { */) {
      if (depth === 0 && !bodySkip) {
        endStatement('{');
        if (bodySkip === null) bodySkip = 'func';
        depth = 1;
        i++;
        continue;
      }
      depth++;
      i++;
      continue;
    }
    if (c === 125 /* } */) {
      if (depth > 0) depth--;
      if (depth === 0 && bodySkip) {
        const kind = bodySkip;
        bodySkip = null;
        if (kind === 'func') stmt = '';
        // aggregate: keep `stmt` (it ends with '{}') until its ';'
      }
      i++;
      continue;
    }
    if (depth > 0) {
      // inside a body: jump to the next character that matters
      SPECIAL.lastIndex = i + 1;
      const m = SPECIAL.exec(text);
      i = m ? m.index : n;
      continue;
    }
    if (depth === 0) {
      if (c === 59 /* ; */) {
        endStatement(';');
        i++;
        continue;
      }
      // copy a run of ordinary characters at once
      let k = i + 1;
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (ck === 10 || ck === 47 || ck === 34 || ck === 39 || ck === 123 || ck === 125 || ck === 59) break;
        k++;
      }
      pushStmtChar(text.slice(i, k));
      i = k;
      continue;
    }
    i++;
  }
  return { entries, includes };

  function scanAsm(src: string, dir: (d: string, l: number) => void): CScan {
    const lines = src.split('\n');
    let inComment = false;
    for (let li = 0; li < lines.length; li++) {
      let t = lines[li]!;
      const ln = li + 1;
      if (inComment) {
        const e = t.indexOf('*/');
        if (e < 0) continue;
        t = t.slice(e + 2);
        inComment = false;
      }
      t = t.replace(/\/\*.*?\*\//g, ' ');
      const open = t.indexOf('/*');
      if (open >= 0) {
        inComment = true;
        t = t.slice(0, open);
      }
      const s = t.trim();
      if (s.startsWith('#')) {
        let d = s;
        while (d.endsWith('\\') && li + 1 < lines.length) d = d.slice(0, -1) + ' ' + lines[++li]!.trim();
        dir(d, ln);
        continue;
      }
      const ex = EXPORT_RE.exec(s);
      if (ex) {
        entries.push({ name: ex[2]!, kind: 'export', line: ln, cond, exportType: ex[1]!, namespace: ex[3] });
        continue;
      }
      const sym =
        /^(SYM_FUNC_START|SYM_FUNC_START_LOCAL|SYM_FUNC_START_WEAK|SYM_FUNC_START_ALIAS|SYM_CODE_START|SYM_CODE_START_LOCAL|SYM_TYPED_FUNC_START|ENTRY|GLOBAL|WEAK|SYM_DATA_START|SYM_DATA|_GLOBAL|_GLOBAL_TOC|FUNC_START|LEAF|NESTED)\s*\(\s*([A-Za-z_.$][\w.$]*)/.exec(
          s,
        );
      if (sym) {
        const local = /_LOCAL/.test(sym[1]!);
        entries.push({ name: sym[2]!, kind: /DATA/.test(sym[1]!) ? 'var' : 'func', line: ln, cond, storage: local ? 'static' : 'global' });
        continue;
      }
      const gl = /^\.globa?l\s+([A-Za-z_.$][\w.$]*)/.exec(s);
      if (gl) entries.push({ name: gl[1]!, kind: 'func', line: ln, cond, storage: 'global' });
    }
    return { entries, includes };
  }
}
