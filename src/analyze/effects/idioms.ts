// Kernel idioms a C diff switches to or away from: the PM and match-table
// helpers that keep an object referenced in every configuration, a return
// value thrown away with its variable, MMIO accessors traded for plain memory
// operations, and 64-bit division through the math64 helpers or a truncating
// cast. Each vocabulary is a table with an example the tests check.

import type { DiffLine, Effect, FileDiff, Patch } from '../../core/types.js';
import { declaredAfterComma, declaredLast, isCSource, replacements, stripComments, wordsIn, type Replacement } from './diff-view.js';
import { wordSource } from '../../extract/literal.js';

/** The PM helpers that reference the callbacks in every configuration (include/linux/pm.h, v5.17+). */
export const PM_HELPERS: { name: string; example: string }[] = [
  { name: 'DEFINE_SIMPLE_DEV_PM_OPS', example: 'static DEFINE_SIMPLE_DEV_PM_OPS(foo_pm, foo_suspend, foo_resume);' },
  { name: 'DEFINE_RUNTIME_DEV_PM_OPS', example: 'static DEFINE_RUNTIME_DEV_PM_OPS(foo_pm, foo_rt_suspend, foo_rt_resume, NULL);' },
  { name: 'EXPORT_GPL_SIMPLE_DEV_PM_OPS', example: 'EXPORT_GPL_SIMPLE_DEV_PM_OPS(foo_pm, foo_suspend, foo_resume);' },
  { name: 'SYSTEM_SLEEP_PM_OPS', example: '\tSYSTEM_SLEEP_PM_OPS(foo_suspend, foo_resume)' },
  { name: 'NOIRQ_SYSTEM_SLEEP_PM_OPS', example: '\tNOIRQ_SYSTEM_SLEEP_PM_OPS(foo_suspend_noirq, foo_resume_noirq)' },
  { name: 'LATE_SYSTEM_SLEEP_PM_OPS', example: '\tLATE_SYSTEM_SLEEP_PM_OPS(foo_suspend_late, foo_resume_early)' },
  { name: 'RUNTIME_PM_OPS', example: '\tRUNTIME_PM_OPS(foo_rt_suspend, foo_rt_resume, NULL)' },
  { name: 'pm_sleep_ptr', example: '\t\t.pm = pm_sleep_ptr(&foo_pm),' },
  { name: 'pm_ptr', example: '\t\t.pm = pm_ptr(&foo_pm),' },
];

/** Wrappers that make a match table NULL when the firmware interface is off, leaving the table unused. */
export const MATCH_PTR_WRAPPERS: { name: string; example: string }[] = [
  { name: 'of_match_ptr', example: '\t\t.of_match_table = of_match_ptr(foo_of_match),' },
  { name: 'ACPI_PTR', example: '\t\t.acpi_match_table = ACPI_PTR(foo_acpi_match),' },
];

/** Accessors for __iomem memory (Documentation/driver-api/device-io.rst). */
export const MMIO_ACCESSORS: { pattern: RegExp; example: string }[] = [
  { pattern: /\bmemcpy_(?:from|to)io\b|\bmemset_io\b/, example: 'memcpy_fromio(buf, priv->base + OFF, len);' },
  { pattern: /\b(?:__raw_)?(?:read|write)[bwlq](?:_relaxed)?\b/, example: 'val = readl(priv->base + STATUS);' },
  { pattern: /\bio(?:read|write)(?:8|16|32|64)(?:be)?(?:_rep)?\b/, example: 'iowrite32(val, priv->base + CTRL);' },
];

/** The math64 helpers for 64-bit division on 32-bit (include/linux/math64.h, asm-generic/div64.h). */
export const DIV64_HELPERS: { name: string; example: string }[] = [
  { name: 'div_u64', example: 'ns = div_u64(total, count);' },
  { name: 'div_s64', example: 'delta = div_s64(diff, 1000);' },
  { name: 'div64_u64', example: 'ratio = div64_u64(a, b);' },
  { name: 'div64_s64', example: 'ratio = div64_s64(a, b);' },
  { name: 'div64_ul', example: 'pages = div64_ul(bytes, PAGE_SIZE);' },
  { name: 'div_u64_rem', example: 'sec = div_u64_rem(ns, NSEC_PER_SEC, &rem);' },
  { name: 'do_div', example: 'rem = do_div(ticks, HZ);' },
  { name: 'DIV_ROUND_UP_ULL', example: 'n = DIV_ROUND_UP_ULL(size, blk);' },
  { name: 'DIV_ROUND_CLOSEST_ULL', example: 'n = DIV_ROUND_CLOSEST_ULL(rate, 1000);' },
  { name: 'DIV64_U64_ROUND_UP', example: 'n = DIV64_U64_ROUND_UP(a, b);' },
  { name: 'mul_u64_u32_div', example: 'ns = mul_u64_u32_div(cyc, mult, rate);' },
];

const words = (names: string[]) => new RegExp(`\\b(${names.join('|')})\\s*\\(`);
const PM_HELPER = words(PM_HELPERS.map((h) => h.name));
const MATCH_PTR = words(MATCH_PTR_WRAPPERS.map((h) => h.name));
const DIV64 = words(DIV64_HELPERS.map((h) => h.name));
const isMmio = (t: string) => MMIO_ACCESSORS.some((a) => a.pattern.test(t));
const norm = (t: string) => t.replace(/\s+/g, '');
/** The first line of each text, blanks aside. */
function firstByNorm(lines: DiffLine[]): Map<string, DiffLine> {
  const out = new Map<string, DiffLine>();
  for (const l of lines) if (!out.has(norm(l.text))) out.set(norm(l.text), l);
  return out;
}
// `x / y` or `x % y`: an operator between operands, not a comment
const DIVISION = /[\w)\]]\s*[/%]\s*[\w(]/;
const TRUNCATING_CAST = /\(\s*(?:u32|s32|int|unsigned(?:\s+int)?|unsigned\s+long|long|uint32_t|__u32)\s*\)/;

export function classifyIdioms(patch: Patch): Effect[] {
  const out: Effect[] = [];
  for (const file of patch.files) {
    if (!isCSource(file.newPath)) continue;
    const push = (kind: Effect['kind'], detail: string, line: DiffLine, symbols: string[] = []) =>
      out.push({ kind, detail: `${file.newPath}: ${detail}`, file: file.newPath, symbols, configs: [], cite: { messageId: patch.messageId, line: line.mailLine } });
    const pmSeen = new Set<string>();
    for (const r of replacements(file)) {
      pmAndMatchTables(r, push, pmSeen);
      mmio(r, push);
      division(r, push);
    }
    returnValues(file, push);
  }
  return out;
}

type Push = (kind: Effect['kind'], detail: string, line: DiffLine, symbols?: string[]) => void;

function pmAndMatchTables(r: Replacement, push: Push, seen: Set<string>): void {
  // (each side read once: a lookup per line, not a search of the other side)
  const removedPm = new Set(r.removed.map((x) => PM_HELPER.exec(x.text)?.[1]));
  const pm = r.added.find((a) => PM_HELPER.test(a.text) && !removedPm.has(PM_HELPER.exec(a.text)?.[1]));
  // one per file: the ops and the pointer to them are one conversion
  if (pm && !seen.has(r.file.newPath)) {
    seen.add(r.file.newPath);
    push('pm-ops-converted', `uses ${PM_HELPER.exec(pm.text)![1]}(): the PM callbacks stay referenced in every configuration and the compiler drops them where PM is off`, pm);
  }
  let addedByNorm: Map<string, DiffLine> | undefined;
  for (const x of r.removed) {
    const m = MATCH_PTR.exec(x.text);
    if (!m) continue;
    addedByNorm ??= firstByNorm(r.added);
    const plain = norm(x.text.replace(new RegExp(`${wordSource(m[1]!)}\\s*\\(\\s*([^()]+?)\\s*\\)`), '$1'));
    const a = addedByNorm.get(plain);
    if (a) push('match-ptr-dropped', `drops ${m[1]}() around the match table: it is used in every configuration`, a);
  }
}

function mmio(r: Replacement, push: Push): void {
  const before = r.removed.filter((x) => isMmio(x.text));
  const addedNorm = new Set(r.added.map((a) => norm(a.text)));
  const removedNorm = new Set(r.removed.map((x) => norm(x.text)));
  const iomemGone = r.removed.find((x) => /\b__iomem\b/.test(x.text) && addedNorm.has(norm(x.text.replace(/\b__iomem\b\s*/, ''))));
  if (iomemGone) push('mmio-bypassed', `drops __iomem from \`${iomemGone.text.trim()}\`: the pointer is treated as ordinary memory`, iomemGone);
  const iomemAdded = r.added.find((a) => /\b__iomem\b/.test(a.text) && removedNorm.has(norm(a.text.replace(/\b__iomem\b\s*/, ''))));
  if (iomemAdded) push('mmio-accessor-used', `declares \`${iomemAdded.text.trim()}\` as __iomem: sparse checks every access`, iomemAdded);
  if (before.length && r.added.length && !r.added.some((a) => isMmio(a.text))) {
    const plain = r.added.find((a) => /\bmemcpy\s*\(|\bmemset\s*\(|=\s*\*|^\s*\*[\w(]/.test(a.text));
    if (plain) push('mmio-bypassed', `\`${before[0]!.text.trim()}\` becomes \`${plain.text.trim()}\`: device memory accessed as ordinary memory`, plain);
  } else if (!before.length && r.removed.length) {
    const acc = r.added.find((a) => isMmio(a.text));
    if (acc && r.removed.some((x) => /\bmemcpy\s*\(|\bmemset\s*\(|\*\s*\(|->\w+\s*=/.test(x.text)))
      push('mmio-accessor-used', `switches to \`${acc.text.trim()}\`: device memory goes through the MMIO accessors`, acc);
  }
}

function division(r: Replacement, push: Push): void {
  const divided = r.removed.filter((x) => DIVISION.test(stripComments(x.text)));
  if (!divided.length) return;
  const helperBefore = r.removed.some((x) => DIV64.test(x.text));
  const helper = helperBefore ? undefined : r.added.find((a) => DIV64.test(a.text));
  if (helper) {
    push('div64-helper-used', `the division goes through ${DIV64.exec(helper.text)![1]}()`, helper, [DIV64.exec(helper.text)![1]!]);
    return;
  }
  // the same division with a cast that narrows an operand to 32 bits
  const dividedNorm = new Set(divided.map((x) => norm(x.text)));
  for (const a of r.added) {
    const cm = TRUNCATING_CAST.exec(a.text);
    if (!cm || !DIVISION.test(a.text)) continue;
    const bare = norm(a.text.replace(cm[0], ''));
    if (dividedNorm.has(bare)) push('division-truncated', `adds the cast \`${cm[0]}\` to a 64-bit division: the operand is truncated to 32 bits`, a);
  }
}

/**
 * `ret = foo(...);` becoming `foo(...);` with `ret` deleted: the call's
 * result is thrown away. A deleted variable that only held a constant or a
 * plain value is just unused.
 */
function returnValues(file: FileDiff, push: Push): void {
  const reps = replacements(file);
  const added = reps.flatMap((r) => r.added);
  const removed = reps.flatMap((r) => r.removed);
  // both findings need a deleted line: a new file (a vendored crate, a driver) has none
  if (!removed.length) return;
  // each line read once: the names the added lines mention, the names the removed lines
  // declare, and the removed assignments by the name assigned (a pattern per name over
  // every removed line was quadratic: 10,000 deleted lines took 100 s)
  const addedWords = wordsIn(added.map((l) => l.text));
  const declared = new Set<string>();
  const setsOf = new Map<string, DiffLine[]>();
  for (const x of removed) {
    for (const n of [declaredLast(x.text, true), declaredAfterComma(x.text)]) if (n !== undefined) declared.add(n);
    // `name = `, `name += `…: the whole first word (no blank, op or '=' can follow a part of it)
    const set = /^\s*(\w+)\s*[+\-|&]?=/.exec(x.text);
    if (set) setsOf.get(set[1]!)?.push(x) ?? setsOf.set(set[1]!, [x]);
  }
  const seen = new Set<string>();
  for (const r of reps) {
    // the first added line of each text, spaces aside
    const firstAdded = new Map<string, number>();
    r.added.forEach((a, i) => {
      if (!firstAdded.has(norm(a.text))) firstAdded.set(norm(a.text), i);
    });
    for (const x of r.removed) {
      const m = /^\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\((.*)\)\s*;\s*$/.exec(x.text);
      if (!m || seen.has(m[1]!)) continue;
      const [, name, fn] = m;
      const at = Math.min(firstAdded.get(norm(`${fn}(${m[3]});`)) ?? Infinity, firstAdded.get(norm(`(void)${fn}(${m[3]});`)) ?? Infinity);
      const bare = r.added[at];
      if (!bare || addedWords.has(name!)) continue;
      seen.add(name!);
      push('return-value-discarded', `\`${x.text.trim()}\` becomes \`${bare.text.trim()}\`: the result of ${fn}() is no longer looked at`, bare, [name!, fn!]);
    }
  }
  // a variable deleted with everything it held, none of it a call's result
  const fromCall = (v: string) => /\b[a-z_]\w*\s*\(/.test(v) && !/\b(?:sizeof|BIT|GENMASK|min|max|ARRAY_SIZE)\s*\(/.test(v);
  const setFromCall = new Map<string, boolean>();
  for (const x of removed) {
    // (size_t is one of the `_t` names; the value starts at its first non-blank)
    const d =
      /^\s*(?:(?:static|const|unsigned|signed|struct\s+\w+|enum\s+\w+|[a-z_]\w*_t|u8|u16|u32|u64|s8|s16|s32|s64|int|long|short|char|bool)\s+)+\**([A-Za-z_]\w*)\s*(?:=\s*((?:[^;\s][^;]*)?))?;\s*$/.exec(
        x.text,
      );
    if (!d || seen.has(d[1]!) || addedWords.has(d[1]!)) continue;
    const name = d[1]!;
    if (!setFromCall.has(name))
      setFromCall.set(
        name,
        (setsOf.get(name) ?? []).some((y) => fromCall(y.text.split('=').slice(1).join('='))),
      );
    if (fromCall(d[2] ?? '') || setFromCall.get(name) || !declared.has(name)) continue;
    seen.add(name);
    push('variable-removed', `the variable ${name} is deleted with what it held, none of it a call's result`, x, [name]);
  }
}
