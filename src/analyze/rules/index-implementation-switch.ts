// A Kconfig change that decides which implementation is built: when the file
// holding the failing reference is built only under CONFIG_K, and the patch
// changes CONFIG_K, the question is whether the failing configuration now
// builds another implementation that does not need the symbol. The index
// answers with the tree's Kconfig (promptless symbols derived from their
// dependencies), with the patch's own `depends on` lines applied or undone,
// and, when the thread quotes an older CONFIG_K, with that too.

import type { Evidence } from '../../core/types.js';
import { not } from '../../index/cond.js';
import { dependsTerms, kconfigEdits, sameTerms, type KconfigEdit } from '../effects/kconfig.js';
import type { IndexPort } from '../index-port.js';
import { archDef, indexCite, rederive, type FailureXref } from '../xref.js';
import { mailCite, type Finding, type Rule } from './types.js';

/** `depends on` terms as Kconfig text. */
const show = (terms: string[]) => `\`depends on ${terms.map((t) => t.replace(/(&&|\|\|)/g, ' $1 ')).join(' && ') || '(nothing)'}\``;

/** "mm/foo-km.c instead, which does not need sym": the files built when the caller is not. */
function instead(x: FailureXref, port: IndexPort): string {
  const cond = x.caller?.build.cond;
  const other = cond ? port.filesBuiltUnder(not(cond)).filter((p) => p !== x.caller!.path) : [];
  if (!other.length) return `another implementation instead, which does not need ${x.symbol}`;
  return `${other.join(', ')} instead, which ${other.length > 1 ? 'do' : 'does'} not need ${x.symbol}`;
}

/**
 * The patch's own `depends on` edit to a gating symbol, applied to the tree
 * in whichever direction the tree needs: the tree may hold the old lines or
 * already the new ones. Undefined when the tree holds neither.
 */
function beforeAndAfter(treeDeps: string[], edit: KconfigEdit): { before: string[]; after: string[]; treeHas: 'before' | 'after' } | undefined {
  const tree = dependsTerms(treeDeps);
  const kept = tree.filter((t) => !edit.removed.includes(t) && !edit.added.includes(t));
  const before = [...kept, ...edit.removed];
  const after = [...kept, ...edit.added];
  if (sameTerms(before, after)) return undefined;
  if (sameTerms(tree, before)) return { before, after, treeHas: 'before' };
  if (sameTerms(tree, after)) return { before, after, treeHas: 'after' };
  return undefined;
}

function switchByPatch(x: FailureXref, port: IndexPort, gate: string, edit: KconfigEdit, messageId: string): Finding | undefined {
  const name = `CONFIG_${gate}`;
  const def = archDef(port, name, x.arch);
  if (!def || !x.caller) return undefined;
  const ba = beforeAndAfter(def.dependsOn, edit);
  if (!ba) return undefined;
  const pre = rederive(x, port, { dependsOn: new Map([[name, ba.before]]) });
  const post = rederive(x, port, { dependsOn: new Map([[name, ba.after]]) });
  const was = pre.derived.find((d) => d.name === gate);
  const now = post.derived.find((d) => d.name === gate);
  const evidence: Evidence[] = [...x.evidence];
  if (was)
    evidence.push({
      source: 'index',
      cite: indexCite(port.tree.name, def.path, def.line),
      text: `before the patch (${show(ba.before)}) ${name}=${was.value} in the failing configuration: ${was.because}`,
    });
  if (now) evidence.push({ source: 'index', cite: mailCite(messageId, edit.line), text: `with the patch (${show(ba.after)}) ${name}=${now.value} there: ${now.because}` });
  // a patch that leaves the failing file built does not fix it, but does not hide it either: the other rules judge it
  if (pre.built !== 'true' || post.built !== 'false' || x.referenceBroken !== 'true') return undefined;
  return {
    rule: 'index-implementation-switch',
    lean: 'fixes',
    weight: 3,
    reason: `before the patch (${show(ba.before)}) ${name}${was ? `=${was.value}` : ''} in the failing configuration, which builds ${x.caller.path}, whose reference does not link; with the patch (${show(ba.after)}) ${name}${now ? `=${now.value}` : ''} there, so it builds ${instead(x, port)}`,
    evidence,
  };
}

export const indexImplementationSwitch: Rule = {
  name: 'index-implementation-switch',
  blindSafe: true,
  apply({ rec, xrefs, effects, port }) {
    if (!port) return [];
    const out: Finding[] = [];
    const files = new Set(rec.patch.files.map((f) => f.newPath));
    const edits = kconfigEdits(rec.patch);
    const tree = port.tree.name;
    for (const x of xrefs) {
      if (!x.caller || !x.gating.length) continue;
      const touched = x.gating.filter((g) => {
        const def = archDef(port, `CONFIG_${g}`, x.arch);
        return (def && files.has(def.path)) || effects.some((e) => e.symbols.includes(g));
      });
      if (!touched.length) continue;
      // the patch's own `depends on` edit, applied to the tree and undone
      const byPatch = touched.map((g) => (edits.get(g)?.added.length || edits.get(g)?.removed.length ? switchByPatch(x, port, g, edits.get(g)!, rec.patch.messageId) : undefined)).find(Boolean);
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
          reason: `with the thread's ${d.name} (${show(dependsTerms(d.thread.dependsOn))}) the failing configuration builds ${x.caller.path}, whose reference does not link; with the change (as tree ${tree} has it: ${show(dependsTerms(d.tree.dependsOn))})${derived ? ` CONFIG_${derived.name}=${derived.value} there, so` : ''} it builds ${instead(x, port)}`,
          evidence: x.evidence,
        });
        continue;
      }
      if (x.reproduces !== 'false') continue;
      const gate = touched.map((g) => `CONFIG_${g}`).join(', ');
      if (touched.some((g) => edits.has(g)) || x.kconfigDrift.length) {
        out.push({
          rule: 'index-implementation-switch',
          lean: 'fixes',
          weight: 2,
          reason: `in tree ${tree}, ${gate} keeps ${x.caller.path} out of the failing configuration, so the failing reference is not built`,
          evidence: x.evidence,
        });
      } else if (rec.patch.source === 'diffstat') {
        out.push({
          rule: 'index-implementation-switch',
          lean: 'fixes',
          weight: 1.5,
          reason: `the patch changes ${gate}, which decides whether ${x.caller.path} is built; in tree ${tree} it is not built in the failing configuration`,
          evidence: x.evidence,
        });
      }
    }
    return out;
  },
};
