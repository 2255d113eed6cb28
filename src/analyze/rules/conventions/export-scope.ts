// An EXPORT_SYMBOL added next to a definition makes a module link. Whether
// that fixes anything depends on whose symbol it is: core internals (arch/,
// kernel/, mm/ …) exported so that one driver elsewhere can be modular are
// usually refused by their owners, and `__` names are internals by kernel
// naming convention. An export for a module in the same subtree (arch/x/kvm
// using arch/x/mm), or of a symbol whose siblings in the same file are
// already exported (an API family), is the ordinary way to finish an API.

import type { BuildFailure, Effect, Patch } from '../../../core/types.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';

/** Trees whose symbols are the core kernel's internals. */
export const CORE_TREES: { name: string; pattern: RegExp; example: string }[] = [
  { name: 'arch', pattern: /^arch\/[^/]+\//, example: 'arch/mips/kernel/mips-cm.c' },
  { name: 'kernel', pattern: /^kernel\//, example: 'kernel/exit.c' },
  { name: 'mm', pattern: /^mm\//, example: 'mm/memory.c' },
  { name: 'init', pattern: /^init\//, example: 'init/main.c' },
  { name: 'ipc', pattern: /^ipc\//, example: 'ipc/util.c' },
];

const EXPORT = /^\s*EXPORT_\w*SYMBOL\w*\s*\(\s*([A-Za-z_]\w*)/;

/** `arch/<arch>` for arch code, else the top directory: the unit whose owners decide on an export. */
export function subtreeOf(path: string): string {
  const parts = path.replace(/^\.\//, '').split('/');
  return parts[0] === 'arch' && parts.length > 2 ? `arch/${parts[1]}` : parts[0]!;
}

/** The module that needs the symbol, by modpost's word. */
function moduleFor(sym: string, failures: BuildFailure[]): string | undefined {
  const mp = failures.filter((f) => f.kind === 'modpost-undefined' && f.module && f.module !== 'vmlinux');
  return (mp.find((f) => f.symbol?.replace(/^\./, '') === sym) ?? mp[0])?.module;
}

/** Other symbols the same file already exports (context lines): the new export joins a family. */
function exportedSiblings(patch: Patch, file: string, sym: string): string[] {
  const f = patch.files.find((x) => x.newPath === file);
  return (f?.hunks ?? [])
    .flatMap((h) => h.lines)
    .filter((l) => l.kind === 'ctx')
    .map((l) => EXPORT.exec(l.text)?.[1])
    .filter((s): s is string => !!s && s !== sym);
}

interface Judged {
  e: Effect;
  sym: string;
  lean: 'fixes' | 'hides';
  why: string;
  internal: boolean;
}

export const exportScope: Rule = {
  name: 'export-scope',
  blindSafe: true,
  apply({ rec, effects, failures }) {
    const failing = new Set(failures.map((f) => f.symbol?.replace(/^\./, '')).filter((s): s is string => !!s));
    const modpost = failures.some((f) => f.kind === 'modpost-undefined');
    const judged: Judged[] = [];
    for (const e of effects) {
      if (e.kind !== 'export-added') continue;
      const sym = e.symbols[0]!;
      if (!failing.has(sym) && !modpost) continue;
      const file = e.file ?? '';
      const mod = moduleFor(sym, failures);
      const core = CORE_TREES.find((t) => t.pattern.test(file));
      const siblings = exportedSiblings(rec.patch, file, sym);
      if (siblings.length) judged.push({ e, sym, lean: 'fixes', why: `the file already exports its siblings (${siblings.slice(0, 3).join(', ')}): it completes an API family`, internal: false });
      else if (core && mod && subtreeOf(mod) !== subtreeOf(file))
        judged.push({
          e,
          sym,
          lean: 'hides',
          why: `a ${core.name} internal in ${file} is exported so that one module elsewhere (${mod}) can link; owners usually refuse such exports`,
          internal: sym.startsWith('__'),
        });
      else
        judged.push({
          e,
          sym,
          lean: 'fixes',
          why: mod && subtreeOf(mod) === subtreeOf(file) ? `it is exported for a module in the same tree (${mod})` : 'it is exported, so modules can link against it',
          internal: false,
        });
    }
    const out: Finding[] = [];
    for (const lean of ['hides', 'fixes'] as const) {
      const js = judged.filter((j) => j.lean === lean);
      if (!js.length) continue;
      const names = [...new Set(js.map((j) => j.sym))];
      const internal = js.some((j) => j.internal);
      out.push({
        rule: 'export-scope',
        lean,
        weight: lean === 'hides' ? (internal ? 2 : 1.5) : 1.5,
        reason: `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}: ${js[0]!.why}${internal ? '; a __ name is an internal by convention' : ''}`,
        evidence: js.slice(0, 3).map((j) => effectEvidence(j.e)),
      });
    }
    return out;
  },
};
