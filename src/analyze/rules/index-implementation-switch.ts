// A Kconfig change that decides which implementation is built: when the file
// holding the failing reference is built only under CONFIG_K, and the patch
// changes CONFIG_K, the question is whether the failing configuration now
// builds another implementation that does not need the symbol. The index
// answers with the tree's Kconfig (promptless symbols derived from their
// dependencies), and, when the thread quotes an older CONFIG_K, with that too.

import { not } from '../../index/cond.js';
import type { Evidence } from '../../core/types.js';
import { kconfigDependsEdits } from '../effects/kconfig.js';
import { splitTop } from '../effects/guards.js';
import type { IndexPort } from '../index-port.js';
import { rebuildWithDepends, type FailureXref } from '../xref.js';
import { mailCite, type Finding, type Rule } from './types.js';

const terms = (deps: string[]) => deps.flatMap((d) => splitTop(d, '&&')).map((t) => t.trim());
const same = (a: string[], b: string[]) => a.length === b.length && a.every((t) => b.includes(t));

/**
 * The patch's own `depends on` edit to a gating symbol, applied to the tree
 * in whichever direction the tree needs: the tree may hold the old lines or
 * already the new ones. Undefined when the tree holds neither.
 */
function beforeAndAfter(treeDeps: string[], removed: string[], added: string[]): { before: string[]; after: string[]; treeHas: 'before' | 'after' } | undefined {
  const tree = terms(treeDeps);
  const kept = tree.filter((t) => !removed.includes(t) && !added.includes(t));
  const before = [...kept, ...removed];
  const after = [...kept, ...added];
  if (same(tree, before) && !same(before, after)) return { before, after, treeHas: 'before' };
  if (same(tree, after) && !same(before, after)) return { before, after, treeHas: 'after' };
  return undefined;
}

function switchByPatch(x: FailureXref, port: IndexPort, gate: string, edit: { path: string; removed: string[]; added: string[]; line: number }, messageId: string): Finding | undefined {
  const name = `CONFIG_${gate}`;
  const defs = port.kconfig(name);
  const def = defs.find((k) => k.arch === x.arch) ?? defs.find((k) => !k.arch);
  if (!def || !x.caller) return undefined;
  const ba = beforeAndAfter(def.dependsOn, edit.removed, edit.added);
  if (!ba) return undefined;
  const pre = rebuildWithDepends(x, port, new Map([[name, ba.before]]));
  const post = rebuildWithDepends(x, port, new Map([[name, ba.after]]));
  if (!pre || !post) return undefined;
  const valueIn = (r: typeof pre) => r.derived.find((d) => d.name === gate);
  const fmt = (deps: string[]) => `\`depends on ${deps.join(' && ') || '(nothing)'}\``;
  const tree = port.tree.name;
  const cite = `${tree}:${def.path}:${def.line}`;
  const evidence: Evidence[] = [...x.evidence];
  const was = valueIn(pre);
  const now = valueIn(post);
  if (was) evidence.push({ source: 'index', cite, text: `before the patch (${fmt(ba.before)}) ${name}=${was.value} in the failing configuration: ${was.because}` });
  if (now) evidence.push({ source: 'index', cite: mailCite(messageId, edit.line), text: `with the patch (${fmt(ba.after)}) ${name}=${now.value} there: ${now.because}` });
  if (pre.built === 'true' && post.built === 'false' && x.referenceBroken === 'true') {
    const other = x.caller.build.cond ? port.filesBuiltUnder(not(x.caller.build.cond)).filter((p) => p !== x.caller!.path) : [];
    const instead = other.length ? `${other.join(', ')} instead, which ${other.length > 1 ? 'do' : 'does'} not need ${x.symbol}` : `another implementation instead`;
    return {
      rule: 'index-implementation-switch',
      lean: 'fixes',
      weight: 3,
      reason: `before the patch (${fmt(ba.before)}) ${name}${was ? `=${was.value}` : ''} in the failing configuration, which builds ${x.caller.path}, whose reference does not link; with the patch (${fmt(ba.after)}) ${name}${now ? `=${now.value}` : ''} there, so it builds ${instead}`,
      evidence,
    };
  }
  // a patch that leaves the failing file built does not fix it, but does not hide it either:
  // the other rules judge it
  return undefined;
}

export const indexImplementationSwitch: Rule = {
  name: 'index-implementation-switch',
  blindSafe: true,
  apply({ rec, xrefs, effects, port }) {
    if (!port) return [];
    const out: Finding[] = [];
    const files = new Set(rec.patch.files.map((f) => f.newPath));
    for (const x of xrefs) {
      if (!x.caller || !x.gating.length) continue;
      const touched = x.gating.filter((g) => {
        const def = port.kconfig(`CONFIG_${g}`)[0];
        return (def && files.has(def.path)) || effects.some((e) => e.symbols.includes(g));
      });
      if (!touched.length) continue;
      const gate = touched.map((g) => `CONFIG_${g}`).join(', ');
      const tree = port.tree.name;
      const other = x.caller.build.cond ? port.filesBuiltUnder(not(x.caller.build.cond)).filter((p) => p !== x.caller!.path) : [];
      const instead = other.length ? `${other.join(', ')} instead` : 'another implementation instead';
      // the patch's own `depends on` edit, applied to the tree and undone
      const edits = kconfigDependsEdits(rec.patch);
      const byPatch = touched.map((g) => (edits.has(g) ? switchByPatch(x, port, g, edits.get(g)!, rec.patch.messageId) : undefined)).find(Boolean);
      if (byPatch) {
        out.push(byPatch);
        continue;
      }
      if (x.reproducesPrePatch === 'true' && x.reproduces === 'false') {
        const d = x.kconfigDrift[0]!;
        const derived = x.derived.find((v) => touched.includes(v.name));
        out.push({
          rule: 'index-implementation-switch',
          lean: 'fixes',
          weight: 3,
          reason: `with the thread's ${d.name} (\`depends on ${d.thread.dependsOn.join(' && ')}\`) the failing configuration builds ${x.caller.path}, whose reference does not link; with the change (as tree ${tree} has it: \`depends on ${d.tree.dependsOn.join(' && ')}\`)${derived ? ` CONFIG_${derived.name}=${derived.value} there, so` : ''} it builds ${instead}, which ${other.length ? 'does' : 'do'} not need ${x.symbol}`,
          evidence: x.evidence,
        });
        continue;
      }
      // the patch's own Kconfig lines, when the diff shows them
      const added = effects.filter((e) => touched.some((g) => e.symbols[0] === g) && (e.kind === 'depends-on-removed' || e.kind === 'kconfig-changed' || e.kind === 'depends-on-negated' || e.kind === 'depends-on-added'));
      if (x.reproduces === 'false' && (added.length || x.kconfigDrift.length)) {
        out.push({ rule: 'index-implementation-switch', lean: 'fixes', weight: 2, reason: `in tree ${tree}, ${gate} keeps ${x.caller.path} out of the failing configuration, so the failing reference is not built`, evidence: x.evidence });
        continue;
      }
      if (x.reproduces === 'false' && rec.patch.source === 'diffstat') {
        out.push({ rule: 'index-implementation-switch', lean: 'fixes', weight: 1.5, reason: `the patch changes ${gate}, which decides whether ${x.caller.path} is built; in tree ${tree} it is not built in the failing configuration`, evidence: x.evidence });
        continue;
      }
    }
    return out;
  },
};
