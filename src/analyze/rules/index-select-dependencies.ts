// A patch adds `select X`: select forces X on without looking at X's own
// `depends on` (Documentation/kbuild/kconfig-language.rst: "select should be
// used with care ... it will not visit the dependencies"). The tree gives X's
// dependencies; when the selecting symbol's own (with the patch's lines)
// do not guarantee each of them, Kconfig prints "WARNING: unmet direct
// dependencies detected for X" in the configurations that lack it, as
// randconfig robots then report: the link error is traded for an invalid
// configuration. X with no dependencies, or with ones the selector carries,
// is a select that holds. X or the selector unknown in the tree: nothing.

import type { Evidence } from '../../core/types.js';
import type { KconfigRow } from '../../index/types.js';
import { dependsTerms, kconfigEdits } from '../effects/kconfig.js';
import { splitTop } from '../effects/guards.js';
import type { IndexPort } from '../index-port.js';
import { archDef, indexCite } from '../xref.js';
import { mailCite, type Finding, type Rule } from './types.js';

/** how deep a chain of `depends on` is followed to show one symbol implies another */
const IMPLY_DEPTH = 3;

/** `A||(B)||C` to its alternatives, outer parentheses dropped. */
function alternatives(term: string): string[] {
  return splitTop(term, '||').map((t) => t.replace(/^\((.*)\)$/, '$1'));
}

/** Terms as Kconfig text, an `||` term in parentheses. */
function show(terms: string[]): string {
  return terms.map((t) => (alternatives(t).length > 1 ? `(${t.replace(/\|\|/g, ' || ')})` : t)).join(' && ');
}

/** Every top-level term a symbol's definition requires: its `depends on` and the `if`/`menu` it sits in. */
function requires(def: KconfigRow): string[] {
  return dependsTerms([...def.enclosing, ...def.dependsOn]);
}

/** Does having these terms on guarantee `term`? Equal terms, one alternative of an `||`, or a chain of dependencies and selects. */
export function guarantees(have: string[], term: string, port: IndexPort, arch: string | null, depth = 0): boolean {
  if (have.includes(term)) return true;
  const alts = alternatives(term);
  if (alts.length > 1 && alts.some((a) => guarantees(have, a, port, arch, depth))) return true;
  // `A || B` among ours guarantees the term when A does and B does (`X86_INTEL_LPSS || COMPILE_TEST` against `... || ACPI || COMPILE_TEST`)
  if (depth < 2 && have.some((h) => alternatives(h).length > 1 && alternatives(h).every((a) => guarantees([a], term, port, arch, depth + 1)))) return true;
  if (!/^[A-Za-z0-9_]+$/.test(term)) return false;
  // a symbol one of ours depends on (or selects), directly or a few steps down
  const seen = new Set<string>();
  let frontier = have.filter((t) => /^[A-Za-z0-9_]+$/.test(t));
  for (let depth = 0; depth < IMPLY_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const s of frontier) {
      if (seen.has(s)) continue;
      seen.add(s);
      const def = archDef(port, `CONFIG_${s}`, arch);
      if (!def) continue;
      const implied = [...requires(def), ...def.selects.filter((x) => !x.cond).map((x) => x.symbol)];
      if (implied.includes(term)) return true;
      next.push(...implied.filter((t) => /^[A-Za-z0-9_]+$/.test(t)));
    }
    frontier = next;
  }
  return false;
}

export const indexSelectDependencies: Rule = {
  name: 'index-select-dependencies',
  blindSafe: true,
  apply({ rec, failures, xrefs, port }) {
    if (!port || !failures.length) return [];
    const arch = xrefs[0]?.arch ?? failures.find((f) => f.arch)?.arch ?? null;
    const tree = port.tree.name;
    const out: Finding[] = [];
    for (const [selector, edit] of kconfigEdits(rec.patch)) {
      for (const s of edit.selects) {
        if (s.kind !== 'select') continue;
        const target = archDef(port, `CONFIG_${s.target}`, arch);
        const own = archDef(port, `CONFIG_${selector}`, arch);
        // the selector's `if`/`menu` context is known only from the tree
        if (!target || !own) continue;
        // what holds whenever the selector is on: its dependencies, and what it selects unconditionally (select sets them to y)
        const selected = [...own.selects.filter((x) => !x.cond).map((x) => x.symbol), ...edit.selects.filter((x) => x.kind === 'select' && !x.cond && x.target !== s.target).map((x) => x.target)];
        const have = [...requires(own).filter((t) => !edit.removed.includes(t)), ...edit.added, ...selected, ...(s.cond ? dependsTerms([s.cond]) : [])];
        const needs = requires(target);
        const unmet = needs.filter((t) => !guarantees(have, t, port, arch));
        const cite: Evidence = { source: 'mail', cite: mailCite(rec.patch.messageId, edit.line), text: `config ${selector} gains \`select ${s.target}${s.cond ? ` if ${s.cond}` : ''}\`` };
        const at: Evidence = { source: 'index', cite: indexCite(tree, target.path, target.line), text: `config ${s.target}: ${needs.length ? `depends on ${show(needs)}` : 'no dependencies'}` };
        if (unmet.length) {
          out.push({
            rule: 'index-select-dependencies',
            lean: 'hides',
            weight: 1.5,
            reason: `in tree ${tree}, ${s.target} depends on ${show(needs)}, and ${selector}'s own dependencies do not guarantee ${show(unmet)}: where ${selector}=y without ${show(unmet.slice(0, 1))}, Kconfig warns "unmet direct dependencies detected for ${s.target}" (trading a link error for an invalid configuration)`,
            evidence: [
              cite,
              at,
              { source: 'index', cite: indexCite(tree, own.path, own.line), text: `config ${selector}: ${requires(own).length ? `depends on ${show(requires(own))}` : 'no dependencies'}` },
            ],
          });
        } else {
          out.push({
            rule: 'index-select-dependencies',
            lean: 'fixes',
            weight: 1,
            reason: needs.length
              ? `in tree ${tree}, ${selector}'s dependencies guarantee what ${s.target} depends on (${show(needs)}), so the select is valid wherever ${selector} is enabled`
              : `in tree ${tree}, ${s.target} has no dependencies, so selecting it is valid wherever ${selector} is enabled`,
            evidence: [cite, at],
          });
        }
      }
    }
    return out;
  },
};
