// A patch adds `depends on X` for a failing reference to S: is X what makes S
// resolve? The tree answers by evaluating S with X on and X off:
// - S is defined (usable) only with X, and nothing stands in for it without X:
//   the code needs X, and the dependency is the fix;
// - S has a stub for !X (a static inline or macro in the `#else` of the
//   config, the idiom of Documentation/process/coding-style.rst, "Conditional
//   Compilation"): X=n never failed, so the failure is X=m with a built-in
//   user. `depends on X || !X` answers exactly that (Documentation/kbuild/
//   kconfig-language.rst, "optional dependencies"): it fixes. `depends on X`
//   answers it too and also drops X=n: maintainers have applied it and refused
//   it, so the tree gives no lean and the review decides;
// - S is usable without X as well, no stub needed: the dependency is not what
//   makes the reference resolve, it only narrows where the code is built.
// S unusable with X and without it: the dependency does not make it resolve
// either. What the tree does not settle (S unknown, X's effect open) gives no finding.

import type { Evidence } from '../../core/types.js';
import { dependsTerms, kconfigEdits } from '../effects/kconfig.js';
import type { IndexPort } from '../index-port.js';
import { archDef, indexCite, rederive, usable, type FailureXref } from '../xref.js';
import { mailCite, type Finding, type Rule } from './types.js';

type Form = 'plain' | 'optional';

/** `X` or `X || !X` (either order), spaces dropped as dependsTerms gives them. */
export function dependencyForm(term: string): { symbol: string; form: Form } | undefined {
  if (/^[A-Za-z0-9_]+$/.test(term)) return { symbol: term, form: 'plain' };
  const m = /^([A-Za-z0-9_]+)\|\|!([A-Za-z0-9_]+)$/.exec(term) ?? /^!([A-Za-z0-9_]+)\|\|([A-Za-z0-9_]+)$/.exec(term);
  return m && m[1] === m[2] ? { symbol: m[1]!, form: 'optional' } : undefined;
}

interface Resolution {
  /** usable with X=y / X=n */
  withX: ReturnType<typeof usable>;
  withoutX: ReturnType<typeof usable>;
  /** the stub seen with X=n, when that is what answers */
  stub?: { path: string; line: number; cond: string };
  /** the definition used with X=y */
  def?: { path: string; line: number; buildCond: string | null };
}

function resolve(x: FailureXref, port: IndexPort, X: string): Resolution {
  const on = rederive(x, port, { settings: new Map([[X, 'y' as const]]) });
  const off = rederive(x, port, { settings: new Map([[X, 'n' as const]]) });
  // a stub for !X: seen with X off and gone with X on (the #else arm), not a definition that is always there
  const gone = new Set(on.explanation.rows.filter((v) => v.pp === 'false').map((v) => `${v.row.path}:${v.row.line}`));
  const stubRow = off.explanation.rows.find(
    (v) => v.pp === 'true' && gone.has(`${v.row.path}:${v.row.line}`) && !/\.(c|S)$/.test(v.row.path) && (v.row.kind === 'macro' || v.row.kind === 'fmacro' || v.row.storage === 'static-inline'),
  );
  const defRow = on.explanation.rows.find((v) => v.effective === 'true' && (v.row.kind === 'func' || v.row.kind === 'var') && /\.(c|S)$/.test(v.row.path));
  return {
    withX: usable(x.kind, on.explanation),
    withoutX: usable(x.kind, off.explanation),
    stub: stubRow && off.explanation.inline === 'true' ? { path: stubRow.row.path, line: stubRow.row.line, cond: stubRow.row.cond } : undefined,
    def: defRow ? { path: defRow.row.path, line: defRow.row.line, buildCond: defRow.row.buildCond } : undefined,
  };
}

function judge(x: FailureXref, port: IndexPort, X: string, form: Form, cite: Evidence): Finding | undefined {
  if (!x.explanation.rows.length) return undefined;
  const r = resolve(x, port, X);
  const tree = port.tree.name;
  const evidence: Evidence[] = [cite];
  if (r.def)
    evidence.push({
      source: 'index',
      cite: indexCite(tree, r.def.path, r.def.line),
      text: `with CONFIG_${X}=y, ${x.symbol} is defined here${r.def.buildCond && r.def.buildCond !== '1' ? ` (built when ${r.def.buildCond})` : ''}`,
    });
  if (r.stub) evidence.push({ source: 'index', cite: indexCite(tree, r.stub.path, r.stub.line), text: `with CONFIG_${X}=n, a stub of ${x.symbol} is visible (under ${r.stub.cond})` });
  const needs = r.withX.answer === 'true' && r.withoutX.answer === 'false';
  const standsIn = r.withX.answer === 'true' && r.withoutX.answer === 'true';
  // X may turn on what S needs through a select the derivation does not follow: then X's effect is open
  const selects = archDef(port, `CONFIG_${X}`, x.arch)?.selects.map((s) => s.symbol) ?? [];
  const neither =
    r.withX.answer === 'false' && r.withoutX.answer === 'false' && !x.explanation.rows.some((v) => selects.some((s) => `${v.row.cond} ${v.row.buildCond ?? ''}`.includes(`CONFIG_${s})`)));
  if (form === 'optional') {
    // X || !X: a built-in user is kept from a modular X, and X=n is served by the stub
    if (!r.stub || r.withX.answer !== 'true') return undefined;
    return {
      rule: 'index-depends-resolution',
      lean: 'fixes',
      weight: 2,
      reason: `\`depends on ${X} || !${X}\` keeps built-in code from referring to ${x.symbol} in a modular ${X}, while with ${X}=n the stub at ${r.stub.path}:${r.stub.line} answers (tree ${tree})`,
      evidence,
    };
  }
  if (needs) {
    return {
      rule: 'index-depends-resolution',
      lean: 'fixes',
      weight: 2,
      reason: `in tree ${tree}, ${x.symbol} is usable only with CONFIG_${X} (${r.withX.why}) and nothing stands in for it without (${r.withoutX.why}): the code needs ${X}, so the dependency is real`,
      evidence,
    };
  }
  if (standsIn && r.stub) {
    // X=n is served by the stub, so the failing build had X=m under built-in code; `depends on X`
    // rules that out (the reference resolves wherever the code is still built) and also drops
    // X=n, which `X || !X` keeps: a fix that narrows more than needed. Whether that is
    // acceptable is the maintainer's call, so the tree gives no lean either way
    return undefined;
  }
  if (standsIn || neither) {
    const why = neither ? `${x.symbol} is not usable in the failing configuration with ${X} or without it (${r.withX.why})` : `${x.symbol} is usable without ${X} too (${r.withoutX.why})`;
    return {
      rule: 'index-depends-resolution',
      lean: 'hides',
      weight: 1.5,
      reason: `in tree ${tree}, ${why}: \`depends on ${X}\` is not what makes the reference resolve, it only narrows where the code is built`,
      evidence,
    };
  }
  return undefined;
}

export const indexDependsResolution: Rule = {
  name: 'index-depends-resolution',
  blindSafe: true,
  apply({ rec, xrefs, port }) {
    if (!port || !xrefs.length) return [];
    const out: Finding[] = [];
    for (const [sym, edit] of kconfigEdits(rec.patch)) {
      // `depends on` added next to a `select` carries the selected symbol's dependencies: the select is judged, not these
      if (edit.selects.length) continue;
      const before = new Set(edit.removed);
      for (const term of dependsTerms(edit.added)) {
        if (before.has(term)) continue;
        const dep = dependencyForm(term);
        // BROKEN is no dependency but a verdict on the option (broken-dependency judges it)
        if (!dep || dep.symbol === sym || dep.symbol === 'BROKEN') continue;
        const cite: Evidence = {
          source: 'mail',
          cite: mailCite(rec.patch.messageId, edit.line),
          text: `config ${sym} gains \`depends on ${dep.form === 'plain' ? dep.symbol : `${dep.symbol} || !${dep.symbol}`}\``,
        };
        for (const x of xrefs) {
          const f = judge(x, port, dep.symbol, dep.form, cite);
          if (f) out.push(f);
        }
      }
    }
    return out;
  },
};
