// Kbuild Makefiles: which objects and subdirectories each CONFIG_ builds.
//
//   obj-$(CONFIG_X) += a.o dir/     obj-y, obj-m, lib-y, core-y, drivers-y, ...
//   foo-y := a.o b.o / foo-objs / foo-$(CONFIG_Y) += c.o   (composite foo.o)
//   ifdef CONFIG_MMU ... else ... endif, ifeq ($(CONFIG_X),y), ifneq (...)
//
// Conditions use the C condition syntax of cond.ts: obj-$(CONFIG_X) is
// `defined(CONFIG_X)` (y or m), ifeq ($(CONFIG_X),y) is `IS_BUILTIN(CONFIG_X)`;
// a make conditional the model cannot read is kept as an opaque `make:` atom.

import { and, not, TRUE } from '../cond.js';

export interface MakeItem {
  /** the list variable's stem: obj, lib, core, foo (for foo-y), ... */
  stem: string;
  /** condition of the item: the -$(CONFIG_X) suffix and the enclosing make conditionals */
  cond: string;
  /** 'a.o' or 'dir/' as written (relative to the Makefile's directory, or to the root for core-y & co.) */
  target: string;
  line: number;
  module: boolean;
}

export interface MakeScan {
  items: MakeItem[];
}

const ASSIGN = /^([A-Za-z0-9_.-]+?)-(\$\(\s*(CONFIG_[A-Za-z0-9_]+)\s*\)|y|m|objs|n|\$\([^)]*\))\s*(:=|\+=|=|\?=)\s*((?:\S.*)?)$/;

function condOfSuffix(suffix: string, configName: string | undefined): { cond: string; module: boolean } | null {
  if (configName) return { cond: `defined(${configName})`, module: false };
  if (suffix === 'y' || suffix === 'objs') return { cond: TRUE, module: false };
  if (suffix === 'm') return { cond: TRUE, module: true };
  if (suffix === 'n') return null;
  return { cond: `make:${suffix.replace(/\s+/g, '')}`, module: false };
}

/** `ifeq ($(CONFIG_X),y)` and friends to a condition. */
// kbuild's own switches say how make was invoked, not what is configured. A
// normal in-tree build runs in the sub-make with a .config: these are their
// values there ('' = unset), so `ifdef mixed-build ... else ... endif` keeps the
// branch a normal build takes.
const NORMAL_BUILD: Record<string, string> = {
  KBUILD_EXTMOD: '',
  'mixed-build': '',
  'single-build': '',
  'config-build': '',
  'need-sub-make': '',
  'need-config': '1',
  'may-sync-config': '1',
  'dot-config': '1',
  sub_make_done: '1',
  'clean-targets': '',
};

function normalValue(side: string): string | undefined {
  const v = /^\$\(\s*([A-Za-z0-9_-]+)\s*\)$/.exec(side.trim());
  if (v) return NORMAL_BUILD[v[1]!];
  return /\$\(/.test(side) ? undefined : side.trim();
}

export function makeConditional(kw: string, arg: string): string {
  const a = arg.trim();
  if (kw === 'ifdef' || kw === 'ifndef') {
    const name = a.split(/\s+/)[0] ?? '';
    const known = NORMAL_BUILD[name];
    if (known !== undefined) return (known !== '') === (kw === 'ifdef') ? TRUE : '0';
    const c = /^CONFIG_/.test(name) ? `defined(${name})` : `make:defined(${name})`;
    return kw === 'ifdef' ? c : not(c);
  }
  // ifeq (A,B) / ifeq "A" "B"
  let lhs = '';
  let rhs = '';
  const paren = /^\((.*)\)$/.exec(a);
  if (paren) {
    const inner = paren[1]!;
    // split at the top-level comma
    let depth = 0;
    let cut = -1;
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0) {
        cut = i;
        break;
      }
    }
    if (cut >= 0) {
      lhs = inner.slice(0, cut).trim();
      rhs = inner.slice(cut + 1).trim();
    }
  } else {
    const q = /^["']([^"']*)["']\s+["']([^"']*)["']$/.exec(a);
    if (q) {
      lhs = q[1]!.trim();
      rhs = q[2]!.trim();
    }
  }
  const ln = normalValue(lhs);
  const rn = normalValue(rhs);
  if (ln !== undefined && rn !== undefined && (/\$\(/.test(lhs) || /\$\(/.test(rhs))) {
    return (ln === rn) === (kw === 'ifeq') ? TRUE : '0';
  }
  let c: string;
  const cfg = (s: string) => /^\$\(\s*(CONFIG_[A-Za-z0-9_]+)\s*\)$/.exec(s)?.[1];
  const l = cfg(lhs) ?? cfg(rhs);
  const other = cfg(lhs) ? rhs : lhs;
  if (l && other === 'y') c = `IS_BUILTIN(${l})`;
  else if (l && other === 'm') c = `IS_MODULE(${l})`;
  else if (l && other === '')
    c = `!defined(${l})`; // ifeq ($(CONFIG_X),) : X unset
  else if (l && other === 'n') c = `!defined(${l})`;
  // the atom says what ifeq would test; ifneq negates it below
  else c = `make:ifeq(${lhs},${rhs})`.replace(/\s+/g, '');
  return kw === 'ifeq' ? c : not(c);
}

/** Logical lines: backslash continuations joined, comments removed; with their first line number. */
function logicalLines(text: string): { text: string; line: number }[] {
  const raw = text.split('\n');
  const out: { text: string; line: number }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let t = raw[i]!;
    while (t.endsWith('\\') && i + 1 < raw.length) t = t.slice(0, -1) + ' ' + raw[++i]!;
    // recipes (tab-indented) are shell, not make; comments start at an unescaped #
    if (t.startsWith('\t')) continue;
    const hash = t.search(/(^|[^\\])#/);
    if (hash >= 0) t = t.slice(0, hash === 0 && t[0] === '#' ? 0 : hash + 1);
    out.push({ text: t.trim(), line: start });
  }
  return out;
}

export function scanMakefile(text: string): MakeScan {
  const items: MakeItem[] = [];
  // the conditional stack: each frame holds its branch conditions so far
  const stack: { branches: string[]; cur: string }[] = [];
  let cond = TRUE;
  const recompute = () => {
    cond = and(...stack.map((f) => f.cur));
  };
  // variables as lists of words, each with the condition under which the
  // variable holds it: `mmu-y := nommu.o` then `mmu-$(CONFIG_MMU) := memory.o`
  // makes $(mmu-y) nommu.o under !defined(CONFIG_MMU), memory.o under defined(CONFIG_MMU)
  const vars = new Map<string, { word: string; cond: string }[]>();
  const assign = (name: string, op: string, words: string[], c: string) => {
    const prev = vars.get(name) ?? [];
    if (op === '?=' && prev.length) return;
    const kept = op === '+=' ? prev : prev.map((w) => ({ word: w.word, cond: and(w.cond, not(c)) })).filter((w) => w.cond !== '0');
    vars.set(name, kept.concat(words.map((word) => ({ word, cond: c }))));
  };
  const expand = (value: string): { word: string; cond: string }[] =>
    value
      .split(/\s+/)
      .filter(Boolean)
      .flatMap((tok) => {
        const whole = /^\$\(([A-Za-z0-9_.-]+)\)$/.exec(tok);
        if (whole && !whole[1]!.startsWith('CONFIG_') && vars.has(whole[1]!)) return vars.get(whole[1]!)!;
        const text = tok.replace(/\$\(([A-Za-z0-9_.-]+)\)/g, (w, v: string) =>
          v.startsWith('CONFIG_')
            ? w
            : (vars
                .get(v)
                ?.map((x) => x.word)
                .join(' ') ?? w),
        );
        return text
          .split(/\s+/)
          .filter(Boolean)
          .map((word) => ({ word, cond: TRUE }));
      });

  for (const { text: t, line } of logicalLines(text)) {
    if (!t) continue;
    // (each value starts at its first non-blank: `\s*(.*)$` let the two share the blanks)
    const ifm = /^(ifdef|ifndef|ifeq|ifneq)\s+((?:\S.*)?)$/.exec(t);
    if (ifm) {
      const c = makeConditional(ifm[1]!, ifm[2]!);
      stack.push({ branches: [c], cur: c });
      recompute();
      continue;
    }
    const elsem = /^else(?:\s+(ifdef|ifndef|ifeq|ifneq)\s+((?:\S.*)?))?$/.exec(t);
    if (elsem) {
      const f = stack[stack.length - 1];
      if (!f) continue;
      if (elsem[1]) {
        const c = makeConditional(elsem[1], elsem[2]!);
        f.cur = and(...f.branches.map(not), c);
        f.branches.push(c);
      } else f.cur = and(...f.branches.map(not));
      recompute();
      continue;
    }
    if (t === 'endif' || t.startsWith('endif ')) {
      stack.pop();
      recompute();
      continue;
    }
    // plain variables we can expand later: objs := a.o b.o
    const plain = /^([A-Za-z0-9_.-]+)\s*(:=|\+=|=|\?=)\s*((?:\S.*)?)$/.exec(t);
    const am = ASSIGN.exec(t);
    if (!am) {
      if (plain) {
        assign(
          plain[1]!,
          plain[2]!,
          expand(plain[3]!).map((w) => w.word),
          cond,
        );
      }
      continue;
    }
    const [, stem, suffix, configName, op, value] = am;
    const sc = condOfSuffix(suffix!, configName);
    if (!sc) continue;
    const words = expand(value!);
    // foo-y, foo-objs, foo-m and foo-$(CONFIG_X) (which is foo-y when X=y) as variables too
    if (configName || !suffix!.startsWith('$('))
      assign(
        `${stem}-${configName ? 'y' : suffix}`,
        op!,
        words.map((w) => w.word),
        and(cond, sc.cond),
      );
    for (const { word: raw, cond: wordCond } of words) {
      // arch/$(SRCARCH)/ descends into every arch; other computed names cannot be resolved
      const target = raw.replace(/\$\((?:SRCARCH|ARCH|HDR_ARCH)\)/g, '*');
      if (target.includes('$(')) continue;
      // arm's machine-$(CONFIG_X) += foo / plat-... name arch/arm/mach-foo/ and plat-foo/
      const bareDir = (stem === 'machine' || stem === 'plat') && /^[\w-]+$/.test(target);
      if (!bareDir && !/\.(o|a)$|\/$/.test(target)) continue;
      items.push({ stem: stem!, cond: and(cond, sc.cond, wordCond), target, line, module: sc.module });
    }
  }
  return { items };
}
