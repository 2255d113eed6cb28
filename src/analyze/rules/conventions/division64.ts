// The kernel does not link libgcc: a 64-bit division on a 32-bit
// architecture leaves an undefined reference to the compiler's helper
// (__udivdi3, __aeabi_uldivmod, …). The fix is the math64 helpers
// (include/linux/math64.h: div_u64(), div64_u64(), do_div(), …). A cast that
// truncates the dividend to 32 bits links and computes something else, and
// `depends on 64BIT` for a driver that is not inherently 64-bit just stops
// 32-bit builds.

import type { Patch } from '../../../core/types.js';
import { replacements, stripComments } from '../../effects/diff-view.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence, mailCite } from '../types.js';

// a division or modulo operator, not a comment
const DIVISION = /[\w)\]]\s*[/%]\s*[\w(]/;

/** An open-coded division replaced by a call (a helper that divides without libgcc): the line that does it. */
function divisionReplacedByCall(patch: Patch): { line: number; text: string } | undefined {
  for (const f of patch.files) {
    for (const r of replacements(f)) {
      const had = r.removed.find((l) => DIVISION.test(stripComments(l.text)));
      if (!had) continue;
      // a call: a name then '(' (read from the start of the word, so each word is read once)
      const now = r.added.find((l) => /(?<!\w)\d*[A-Za-z_]\w*\s*\(/.test(l.text) && !DIVISION.test(stripComments(l.text)));
      if (now && !r.added.some((l) => DIVISION.test(stripComments(l.text)))) return { line: now.mailLine, text: now.text.trim() };
    }
  }
  return undefined;
}

/** libgcc's division helpers, as the linker names them. */
export const LIBGCC_DIVISION: { name: string; example: string }[] = [
  { name: '__udivdi3', example: "undefined reference to `__udivdi3'" },
  { name: '__divdi3', example: "undefined reference to `__divdi3'" },
  { name: '__umoddi3', example: "undefined reference to `__umoddi3'" },
  { name: '__moddi3', example: "undefined reference to `__moddi3'" },
  { name: '__udivmoddi4', example: 'ld.lld: error: undefined symbol: __udivmoddi4' },
  { name: '__aeabi_uldivmod', example: 'ERROR: modpost: "__aeabi_uldivmod" [drivers/foo/foo.ko] undefined!' },
  { name: '__aeabi_ldivmod', example: "undefined reference to `__aeabi_ldivmod'" },
];

const NAMES = new Set(LIBGCC_DIVISION.map((d) => d.name));

export const division64: Rule = {
  name: 'division64',
  blindSafe: true,
  apply({ rec, effects, failures }) {
    if (!failures.some((f) => f.symbol && NAMES.has(f.symbol))) return [];
    const out: Finding[] = [];
    const helper = effects.find((e) => e.kind === 'div64-helper-used');
    if (helper)
      out.push({
        rule: 'division64',
        lean: 'fixes',
        weight: 2.5,
        reason: `the 64-bit division goes through ${helper.symbols[0]}(), which links on 32-bit without libgcc`,
        evidence: [effectEvidence(helper)],
      });
    // another helper that does the arithmetic (built on the math64 ones): the operator is gone
    const replaced = helper ? undefined : divisionReplacedByCall(rec.patch);
    if (replaced)
      out.push({
        rule: 'division64',
        lean: 'fixes',
        weight: 1.5,
        reason: 'the open-coded division is replaced by a call, so no libgcc division helper is referenced',
        evidence: [{ source: 'mail', cite: mailCite(rec.patch.messageId, replaced.line), text: replaced.text }],
      });
    const cast = effects.find((e) => e.kind === 'division-truncated');
    if (cast)
      out.push({ rule: 'division64', lean: 'hides', weight: 2, reason: 'a cast truncates the 64-bit operand to 32 bits: it links, and divides something else', evidence: [effectEvidence(cast)] });
    const only64 = effects.find((e) => e.kind === 'depends-on-added' && e.symbols.slice(1).includes('64BIT'));
    if (only64 && !helper)
      out.push({ rule: 'division64', lean: 'hides', weight: 1.5, reason: '`depends on 64BIT` stops 32-bit builds instead of dividing with the math64 helpers', evidence: [effectEvidence(only64)] });
    return out;
  },
};
