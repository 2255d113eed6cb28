// `select` forces a symbol on "without visiting the dependencies"
// (Documentation/kbuild/kconfig-language.rst, "select"): it is meant for
// symbols without dependencies, library helpers such as CRC32 or REGMAP_I2C.
// Selecting a symbol whose `depends on` the selector does not guarantee
// trades the failure for an "unmet direct dependencies" warning and a
// configuration that does not build either. The selected symbol's
// dependencies come from the patch's own Kconfig hunks, the Kconfig the thread
// quotes, or the index; when none knows them, the rule says nothing.

import type { Effect, KconfigSnippet, Patch } from '../../../core/types.js';
import { isKconfig } from '../../effects/diff-view.js';
import { conjuncts } from '../../effects/kconfig.js';
import { splitTop } from '../../effects/guards.js';
import type { IndexPort } from '../../index-port.js';
import type { Finding, Rule, RuleInput } from '../types.js';
import { effectEvidence, failingSettings } from '../types.js';
import { valueBeforeComment } from '../../../core/text.js';

interface KnownBlock {
  dependsOn: string[];
  selects: string[];
  /** the `config` line and the end of the attributes (help text, or the next entry) are both in view */
  complete: boolean;
  path: string;
}

const ENTRY_END = /^\s*(?:(?:menu)?config\s|menu\b|endmenu\b|if\b|endif\b|source\b|choice\b|endchoice\b|comment\b|help\b|---help---)/;

/** `config X` blocks as the patch shows them after it applies (context and added lines). */
function patchBlocks(patch: Patch): Map<string, KnownBlock> {
  const out = new Map<string, KnownBlock>();
  for (const f of patch.files) {
    if (!isKconfig(f.newPath)) continue;
    for (const h of f.hunks) {
      let cur: KnownBlock | undefined;
      let seenStart = false;
      const start = (sym: string, fromLine: boolean) => {
        cur = out.get(sym) ?? { dependsOn: [], selects: [], complete: false, path: f.newPath };
        out.set(sym, cur);
        seenStart = fromLine;
      };
      const fromSection = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)/.exec(h.section)?.[1];
      if (fromSection) start(fromSection, false);
      for (const l of h.lines) {
        if (l.kind === 'del') continue;
        if (ENTRY_END.test(l.text) && cur && seenStart) cur.complete = true;
        const c = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$/.exec(l.text);
        if (c) {
          start(c[1]!, true);
          continue;
        }
        // the value before a '#' comment (`\s+(.+?)\s*(?:#.*)?$` split a long line every way between its parts)
        const on = /^\s*depends on/.exec(l.text);
        const d = on ? valueBeforeComment(l.text.slice(on[0].length), true) : undefined;
        if (cur && d !== undefined) cur.dependsOn.push(d);
        const s = /^\s*select\s+([A-Za-z0-9_]+)/.exec(l.text);
        if (cur && s) cur.selects.push(s[1]!);
      }
    }
  }
  return out;
}

/** What is known of a symbol's `depends on`: the patch's complete block, a quote, or the index. */
function dependenciesOf(name: string, blocks: Map<string, KnownBlock>, quoted: KconfigSnippet[], port?: IndexPort): { deps: string[]; source: string } | undefined {
  const own = blocks.get(name);
  if (own?.complete) return { deps: own.dependsOn, source: own.path };
  const q = quoted.find((k) => k.name === `CONFIG_${name}`);
  if (q) return { deps: q.dependsOn, source: 'the Kconfig the thread quotes' };
  const rows = port?.kconfig(`CONFIG_${name}`) ?? [];
  if (rows.length) return { deps: [...rows[0]!.dependsOn, ...rows[0]!.enclosing], source: `${rows[0]!.path}:${rows[0]!.line} in tree ${port!.tree.name}` };
  return undefined;
}

/** What select-dependencies makes of one `select` a patch adds: a finding, or nothing when X's dependencies are unknown. */
export function judgeSelect(e: Effect, input: Pick<RuleInput, 'rec' | 'failures' | 'facts' | 'port'>): Finding | undefined {
  const { rec, failures, facts, port } = input;
  if (!failures.length || e.kind !== 'select-added' || !/`select /.test(e.detail)) return undefined;
  const blocks = patchBlocks(rec.patch);
  const quoted = facts.extractions.flatMap((x) => x.kconfig);
  const failing = failingSettings(failures);
  // `PCI [=y]` in an unmet-dependency report: the value in the failing configuration
  for (const f of failures) for (const m of (f.dependsOn ?? '').matchAll(/(?<![A-Z0-9_])([A-Z0-9_]+) \[=([ymn])\]/g)) if (!failing.has(m[1]!)) failing.set(m[1]!, m[2] as 'y' | 'm' | 'n');
  const [selector, target] = e.symbols as [string, string];
  const known = dependenciesOf(target, blocks, quoted, port);
  // the tree's Kconfig alone: index-select-dependencies judges it, walking the whole chain
  if (!known || (port && !blocks.get(target)?.complete && !quoted.some((k) => k.name === `CONFIG_${target}`))) return undefined;
  if (!known.deps.length) {
    return { rule: 'select-dependencies', lean: 'fixes', weight: 1.5, reason: `${target} has no dependencies (${known.source}): selecting it is what select is for`, evidence: [effectEvidence(e)] };
  }
  // what the selector guarantees: its own dependencies, the select's condition, what else it selects, and itself
  const sel = blocks.get(selector) ?? { dependsOn: [], selects: [], complete: false, path: '' };
  const selKnown = dependenciesOf(selector, blocks, quoted, port);
  const selDeps = selKnown?.deps ?? [];
  // the condition of the select as it now reads: the first quoted line of the detail
  const line = /^[^`]*`([^`]*)`/.exec(e.detail.replace(/^[^:]*: config \w+: /, ''))?.[1] ?? '';
  // the blanks after `if`, then the rest (`\s+(.+)` let the two share the blanks); blanks alone give the last one, as before
  const cond = (/\bif\s+(\S.*)$/.exec(line) ?? /\bif\s+([^\S\n\r\u2028\u2029])$/.exec(line))?.[1];
  const guaranteed = new Set([selector, ...sel.selects, ...[...sel.dependsOn, ...selDeps, ...(cond ? [cond] : [])].flatMap(conjuncts)]);
  const unmet = known.deps.flatMap(conjuncts).filter((t) => !splitTop(t, '||').some((d) => guaranteed.has(d.replace(/\s+/g, ''))));
  if (!unmet.length) {
    return { rule: 'select-dependencies', lean: 'fixes', weight: 1.5, reason: `${selector} already guarantees what ${target} depends on, so the select is safe`, evidence: [effectEvidence(e)] };
  }
  const offHere = unmet.filter((t) => failing.get(t) === 'n');
  // the selector's own dependencies out of view: only a dependency known to be off where it failed is evidence
  if (!selKnown && !offHere.length) return undefined;
  return {
    rule: 'select-dependencies',
    lean: 'hides',
    weight: offHere.length ? 2 : 1.5,
    reason: `select forces ${target} on without its dependencies (${unmet.join(' && ')}, per ${known.source}), which ${selector} does not guarantee: the failure becomes an unmet-dependency warning${offHere.length ? ' in the very configuration that failed' : ''}`,
    evidence: [effectEvidence(e)],
  };
}

export const selectDependencies: Rule = {
  name: 'select-dependencies',
  blindSafe: true,
  apply(input) {
    return input.effects.map((e) => judgeSelect(e, input)).filter((f): f is Finding => !!f);
  },
};
