// Is a patch's change already in the indexed tree? A tree newer than the
// thread often holds the very export, dependency or definition the patch adds;
// then the tree shows the post-patch state, and a verdict must say so and read
// the tree's facts with that change set aside.

import type { Effect, Patch } from '../core/types.js';
import type { IndexPort } from './index-port.js';
import type { FailureXref } from './xref.js';

export interface AlreadyInTree {
  /** what of the patch the tree already has, in words, with the tree's file:line */
  present: string[];
}

function norm(s: string): string {
  return s.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
}

export function alreadyInTree(patch: Patch, effects: Effect[], xrefs: FailureXref[], port: IndexPort): AlreadyInTree {
  const present: string[] = [];
  for (const e of effects) {
    const sym = e.symbols[0];
    if (!sym) continue;
    const file = e.file;
    if ((e.kind === 'export-added' || e.kind === 'definition-added' || e.kind === 'definition-moved' || e.kind === 'stub-added' || e.kind === 'stub-warns') && file) {
      const want = e.kind === 'export-added' ? ['export'] : ['func', 'var'];
      const hit = port.lookup(sym).find((r) => r.path === file && want.includes(r.kind));
      if (hit) present.push(`${e.kind === 'export-added' ? `the export of ${sym}` : `${sym}()`} at ${hit.path}:${hit.line}`);
      continue;
    }
    const relaxed = e.kind === 'kconfig-changed' ? /dependency relaxed to `([^`]+)`/.exec(e.detail)?.[1] : undefined;
    if (relaxed && file) {
      const def = port.kconfig(`CONFIG_${sym}`).find((k) => k.path === file);
      if (def && def.dependsOn.some((d) => norm(d).includes(norm(relaxed)))) present.push(`\`depends on ${relaxed}\` in config ${sym} at ${def.path}:${def.line}`);
      continue;
    }
    if ((e.kind === 'depends-on-added' || e.kind === 'depends-on-negated' || e.kind === 'depends-on-broken' || e.kind === 'select-added') && file) {
      const def = port.kconfig(`CONFIG_${sym}`).find((k) => k.path === file);
      if (!def) continue;
      const term = /`(?:depends on|select|imply) ([^`]+)`/.exec(e.detail)?.[1];
      if (!term) continue;
      const has = e.kind === 'select-added' ? def.selects.some((x) => norm(x.symbol) === norm(term)) : def.dependsOn.some((d) => norm(d).includes(norm(term)));
      if (has) present.push(`${e.kind === 'select-added' ? `\`select ${term}\`` : `\`depends on ${term}\``} in config ${sym} at ${def.path}:${def.line}`);
    }
  }
  // a cover letter without hunks: the thread quotes the Kconfig it changes, and the tree has it otherwise
  const files = new Set(patch.files.map((f) => f.newPath));
  for (const x of xrefs) {
    for (const d of x.kconfigDrift) {
      const def = port.kconfig(d.name)[0];
      if (def && files.has(def.path) && x.reproducesPrePatch === 'true' && x.reproduces === 'false') {
        present.push(`the change to ${d.name} (${def.path}:${def.line} has \`depends on ${d.tree.dependsOn.join(' && ')}\`, the thread \`depends on ${d.thread.dependsOn.join(' && ')}\`)`);
      }
    }
  }
  return { present: [...new Set(present)] };
}
