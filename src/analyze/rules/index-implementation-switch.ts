// A Kconfig change that decides which implementation is built: when the file
// holding the failing reference is built only under CONFIG_K, and the patch
// changes CONFIG_K, the question is whether the failing configuration now
// builds another implementation that does not need the symbol. The index
// answers with the tree's Kconfig (promptless symbols derived from their
// dependencies), and, when the thread quotes an older CONFIG_K, with that too.

import { not } from '../../index/cond.js';
import type { Finding, Rule } from './types.js';

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
