// "implicit declaration of function f": the prototype is not visible. The fix
// is to #include the header that declares f, strong when the compiler's note
// or the index names that header, moderate when the header is named after f's
// API prefix, weak otherwise. A local `extern`/prototype in a .c file instead
// makes it compile and lets the two declarations drift apart (checkpatch:
// "externs should be avoided in .c files").

import type { BuildFailure } from '../../../core/types.js';
import type { ThreadFacts } from '../../facts.js';
import type { IndexPort } from '../../index-port.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence } from '../types.js';
import { isMissingDeclaration } from './failure-kinds.js';
import { failureNames } from './locality.js';

/** The function a missing-declaration diagnostic is about, quoted or not. */
export function undeclaredFunction(f: BuildFailure): string | undefined {
  return f.symbol ?? /(?:implicit declaration of function|call to undeclared function)\s+[`'‘"]?([A-Za-z_]\w*)/.exec(f.message)?.[1];
}

/** Does the compiler's note next to the failure name the header ("include '<linux/foo.h>'")? */
function namedInNote(header: string, failures: BuildFailure[], facts: ThreadFacts): boolean {
  for (const f of failures) {
    const m = facts.messages.find((x) => x.messageId === f.cite.messageId);
    const lines = m?.body.split('\n').slice(Math.max(0, f.cite.line - 2), f.cite.line + 6) ?? [];
    if (lines.some((l) => l.includes(header) && /include/.test(l) && !/^[+-]\s*#\s*include/.test(l.replace(/^[>\s]+/, '')))) return true;
  }
  return false;
}

/** Does the index declare f in this header? */
function declaredIn(header: string, fn: string, port?: IndexPort): boolean {
  return (port?.lookup(fn) ?? []).some((r) => (r.kind === 'proto' || r.kind === 'decl' || r.kind === 'macro' || r.kind === 'fmacro' || r.storage === 'static-inline') && r.path.endsWith(`include/${header}`));
}

/** `<linux/gpio/consumer.h>` for gpiod_set_value(): a header named after the API prefix. */
export function namedAfterApi(header: string, fn: string): boolean {
  const head = fn.replace(/^_+/, '').split('_')[0]!.toLowerCase();
  return header.replace(/\.h$/, '').split('/').some((part) => part.length >= 3 && (head.startsWith(part) || part.startsWith(head)) && head.length >= 3);
}

export const missingInclude: Rule = {
  name: 'missing-include',
  blindSafe: true,
  apply({ effects, failures, facts, port }) {
    const missing = failures.filter(isMissingDeclaration);
    const fns = [...new Set(missing.map(undeclaredFunction).filter((s): s is string => !!s))];
    if (!fns.length) return [];
    const out: Finding[] = [];
    const inc = effects.find((e) => e.kind === 'include-changed' && e.symbols.length);
    if (inc) {
      const strong = inc.symbols.find((h) => namedInNote(h, missing, facts) || fns.some((fn) => declaredIn(h, fn, port)));
      const api = inc.symbols.find((h) => fns.some((fn) => namedAfterApi(h, fn)));
      const header = strong ?? api ?? inc.symbols[0]!;
      out.push({
        rule: 'missing-include',
        lean: 'fixes',
        weight: strong ? 2 : api ? 1.5 : 1,
        reason: `it includes <${header}>${strong ? ', the header that declares ' + fns[0] + '()' : api ? `, the header of ${fns[0]}()'s API` : ''}: the declaration becomes visible in every configuration`,
        evidence: [effectEvidence(inc)],
      });
    }
    const local = effects.find((e) => e.kind === 'local-prototype-added' && fns.some((fn) => e.symbols.includes(fn) || failureNames(missing[0]!).includes(fn)));
    if (local) {
      out.push({ rule: 'missing-include', lean: 'hides', weight: 1.5, reason: `${local.symbols[0]}() is declared by hand in a .c file instead of through its header, so the two can drift apart unnoticed`, evidence: [effectEvidence(local)] });
    }
    return out;
  },
};
