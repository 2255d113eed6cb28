// Is a patch's change already in the indexed tree? A tree newer than the
// thread often holds the very export, dependency or definition the patch adds;
// then the tree shows the post-patch state, and a verdict must say so and read
// the tree's facts with that change set aside.

import type { Effect, Patch } from '../core/types.js';
import { dependsTerms, kconfigEdits } from './effects/kconfig.js';
import type { IndexPort } from './index-port.js';
import type { FailureXref } from './xref.js';

export interface AlreadyInTree {
  /** what of the patch the tree already has, in words, with the tree's file:line */
  present: string[];
}

export function alreadyInTree(patch: Patch, effects: Effect[], xrefs: FailureXref[], port: IndexPort): AlreadyInTree {
  const present: string[] = [];
  for (const e of effects) {
    const sym = e.symbols[0];
    const file = e.file;
    if (!sym || !file) continue;
    if (e.kind === 'export-added' || e.kind === 'definition-added' || e.kind === 'definition-moved' || e.kind === 'stub-added' || e.kind === 'stub-warns') {
      const want = e.kind === 'export-added' ? ['export'] : ['func', 'var'];
      const hit = port.lookup(sym).find((r) => r.path === file && want.includes(r.kind));
      if (hit) present.push(`${e.kind === 'export-added' ? `the export of ${sym}` : `${sym}()`} at ${hit.path}:${hit.line}`);
    }
  }
  // Kconfig: the added `depends on` terms all in the tree's block (and the removed ones gone), or the added select
  for (const [sym, edit] of kconfigEdits(patch)) {
    const def = port.kconfig(`CONFIG_${sym}`).find((k) => k.path === edit.path);
    if (!def) continue;
    const tree = dependsTerms(def.dependsOn);
    const at = `in config ${sym} at ${def.path}:${def.line}`;
    if (edit.added.length && edit.added.every((t) => tree.includes(t)) && !(edit.removed.length && edit.removed.every((t) => tree.includes(t)))) {
      present.push(`\`depends on ${def.dependsOn.join(' && ')}\` ${at}`);
    }
    for (const s of edit.selects) {
      const has = (s.kind === 'select' ? def.selects : def.implies).some((x) => x.symbol === s.target && (x.cond ?? '').replace(/\s+/g, '') === (s.cond ?? '').replace(/\s+/g, ''));
      if (has) present.push(`\`${s.kind} ${s.target}${s.cond ? ` if ${s.cond}` : ''}\` ${at}`);
    }
  }
  // a cover letter without hunks: the thread quotes the Kconfig it changes, and the tree has it otherwise
  const files = new Set(patch.files.map((f) => f.newPath));
  for (const x of xrefs) {
    for (const d of x.kconfigDrift) {
      if (files.has(d.tree.path) && x.reproducesPrePatch === 'true' && x.reproduces === 'false') {
        present.push(`the change to ${d.name} (${d.tree.path}:${d.tree.line} has \`depends on ${d.tree.dependsOn.join(' && ')}\`, the thread \`depends on ${d.thread.dependsOn.join(' && ')}\`)`);
      }
    }
  }
  return { present: [...new Set(present)] };
}
