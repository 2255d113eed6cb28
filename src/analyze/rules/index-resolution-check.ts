// A patch that claims to resolve the reference, checked against the tree: an
// export must sit next to a definition built in the failing configuration, a
// replacement API must itself be usable there, and a definition or export
// added for one arch leaves the arches that only declare the symbol broken.

import { explainIn, usable } from '../xref.js';
import type { Finding, Rule } from './types.js';

export const indexResolutionCheck: Rule = {
  name: 'index-resolution-check',
  blindSafe: true,
  apply({ rec, xrefs, effects, port }) {
    if (!port) return [];
    const out: Finding[] = [];
    const tree = port.tree.name;
    for (const x of xrefs) {
      for (const e of effects) {
        if (e.kind === 'call-replaced' && e.symbols[0] === x.symbol) {
          const repl = e.symbols.slice(1).find((s) => port.lookup(s).length);
          if (!repl) continue;
          const use = usable(x.kind, explainIn(port, repl, x.arch, x.env));
          if (use.answer === 'true')
            out.push({
              rule: 'index-resolution-check',
              lean: 'fixes',
              weight: 1,
              reason: `the replacement ${repl} is usable in the failing configuration (${use.why})`,
              evidence: [{ source: 'index', cite: `${tree}:explain`, text: `${repl}: ${use.why}` }],
            });
          else if (use.answer === 'false')
            out.push({
              rule: 'index-resolution-check',
              lean: 'hides',
              weight: 2,
              reason: `the replacement ${repl} is not usable in the failing configuration either (${use.why})`,
              evidence: [{ source: 'index', cite: `${tree}:explain`, text: `${repl}: ${use.why}` }],
            });
        }
        if (e.kind === 'export-added' && e.symbols[0] === x.symbol) {
          const defs = x.explanation.rows.filter((v) => v.row.kind === 'func' || v.row.kind === 'var');
          // a subset may lack the definition that is built: its "none built" is no evidence
          if (!port.tree.subset && defs.length && defs.every((v) => v.effective === 'false')) {
            out.push({
              rule: 'index-resolution-check',
              lean: 'hides',
              weight: 1.5,
              reason: `${x.symbol} is not defined in any object built in the failing configuration, so an export cannot make it resolve`,
              evidence: x.evidence,
            });
          }
        }
      }
      // arch-only additions: which other arches declare the symbol without defining it?
      const archFiles = rec.patch.files.map((f) => /^arch\/([^/]+)\//.exec(f.newPath)?.[1]).filter((a): a is string => !!a);
      const adds = effects.some((e) => (e.kind === 'definition-added' || e.kind === 'export-added') && e.symbols[0] === x.symbol);
      if (adds && archFiles.length === rec.patch.files.length && new Set(archFiles).size === 1) {
        const fixedArch = archFiles[0]!;
        const arches = [
          ...new Set(
            port
              .lookup(x.symbol)
              .map((r) => r.arch)
              .filter((a): a is string => !!a && a !== fixedArch),
          ),
        ];
        const broken = arches.filter((a) => {
          const ex = explainIn(port, x.symbol, a, x.env);
          return ex.declared === 'true' && ex.defined === 'false' && ex.inline !== 'true';
        });
        if (broken.length) {
          out.push({
            rule: 'index-resolution-check',
            lean: 'partial',
            weight: 2,
            reason: `it resolves ${x.symbol} for ${fixedArch} only; tree ${tree} still declares it without a definition on ${broken.slice(0, 5).join(', ')}${broken.length > 5 ? ', …' : ''}`,
            evidence: x.evidence,
          });
        }
      }
    }
    return out;
  },
};
