// The failing reference now resolves: the symbol gets a definition (added or
// moved out of a guard), or the call is replaced by an available API; or a
// module that uses unexported symbols becomes built-in only. (An export is
// judged by whose symbol it is: conventions/export-scope.ts.)

import type { BuildFailure } from '../../core/types.js';
import type { Finding, Rule } from './types.js';
import { effectEvidence } from './types.js';

/** Kernel build tools and where their sources live. */
const TOOL_DIRS: [RegExp, RegExp][] = [
  [/\bmodpost\b|Section mismatch|exported twice/i, /^scripts\/mod\//],
  [/\bgenksyms\b/i, /^scripts\/genksyms\//],
  [/\bgendwarfksyms\b/i, /^scripts\/gendwarfksyms\//],
  [/\bKconfig\b|\b(?:sync|old|menu|def)config\b|\bconf:/, /^scripts\/kconfig\//],
  [/\bobjtool\b/i, /^tools\/objtool\//],
  [/\bkernel-doc\b/i, /^scripts\/kernel-doc/],
];

/** Does this changed script print the failure (named in it, or a tool of its directory)? */
function toolMatches(path: string, f: BuildFailure): boolean {
  if (!path) return false;
  const text = `${f.tool ?? ''} ${f.message}`;
  const base = path.replace(/^.*\//, '');
  if (base.length > 3 && text.includes(base)) return true;
  return TOOL_DIRS.some(([said, dir]) => said.test(text) && dir.test(path));
}

export const referenceResolved: Rule = {
  name: 'reference-resolved',
  blindSafe: true,
  apply({ effects, failures }) {
    const failing = new Set(failures.map((f) => f.symbol).filter((s): s is string => !!s));
    const modpost = failures.some((f) => f.kind === 'modpost-undefined');
    const out: Finding[] = [];
    const seenKinds = new Set<string>();
    for (const e of effects) {
      // one finding per kind of change: three hunks doing the same thing are one argument
      if (seenKinds.has(e.kind)) continue;
      seenKinds.add(e.kind);
      const sym = e.symbols[0] ?? '';
      const aboutFailing = failing.has(sym);
      switch (e.kind) {
        case 'definition-moved':
          out.push({
            rule: 'reference-resolved',
            lean: 'fixes',
            weight: aboutFailing ? 2.5 : 1,
            reason: `the definition of ${sym}() moves so that it is built where it is used`,
            evidence: [effectEvidence(e)],
          });
          break;
        case 'definition-added':
          if (aboutFailing) out.push({ rule: 'reference-resolved', lean: 'fixes', weight: 2, reason: `${sym}() gets a real definition`, evidence: [effectEvidence(e)] });
          break;
        // exports are judged by whose symbol it is: conventions/export-scope.ts
        case 'call-replaced':
        case 'call-removed':
          out.push({
            rule: 'reference-resolved',
            lean: 'fixes',
            weight: 1.5,
            reason: e.kind === 'call-replaced' ? `the call to ${sym} is replaced by an available API` : `the reference to ${sym} is removed`,
            evidence: [effectEvidence(e)],
          });
          break;
        case 'kconfig-type-changed':
          if (modpost)
            out.push({ rule: 'reference-resolved', lean: 'fixes', weight: 1.5, reason: 'the driver becomes built-in only, where unexported symbols resolve', evidence: [effectEvidence(e)] });
          break;
        case 'select-added':
          out.push({ rule: 'reference-resolved', lean: 'fixes', weight: 0.75, reason: `the configuration now selects ${e.symbols[1] ?? 'what it needs'}`, evidence: [effectEvidence(e)] });
          break;
        case 'build-script-changed': {
          // the tool that printed the diagnostic is the one that changes: a located change for tool failures
          const printedBy = failures.some((f) => toolMatches(e.file ?? '', f));
          out.push({
            rule: 'reference-resolved',
            lean: 'fixes',
            weight: printedBy ? 1.5 : 0.75,
            reason: printedBy ? 'the build tool that printed the diagnostic is what the patch corrects' : 'the build tooling that produced the failure is corrected',
            evidence: [effectEvidence(e)],
          });
          break;
        }
        default:
          break;
      }
    }
    return out;
  },
};
