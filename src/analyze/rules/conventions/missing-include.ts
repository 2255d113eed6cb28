// "implicit declaration of function f": the prototype is not visible. The fix
// is to #include the header that declares f, strong when the compiler's note
// or the index names that header, moderate when the header is named after f's
// API prefix, weak otherwise. A local `extern`/prototype in a .c file instead
// makes it compile and lets the two declarations drift apart (checkpatch:
// "externs should be avoided in .c files").

import type { BuildFailure, Patch } from '../../../core/types.js';
import { includedHeader, isCSource } from '../../effects/diff-view.js';
import type { ThreadFacts } from '../../facts.js';
import type { IndexPort } from '../../index-port.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence, mailCite } from '../types.js';
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
  return (port?.lookup(fn) ?? []).some(
    (r) => (r.kind === 'proto' || r.kind === 'decl' || r.kind === 'macro' || r.kind === 'fmacro' || r.storage === 'static-inline') && r.path.endsWith(`include/${header}`),
  );
}

/**
 * Headers whose declarations are kernel knowledge: the API each one carries,
 * with an example a test checks.
 */
export const KNOWN_HEADERS: { header: string; declares: RegExp; example: string }[] = [
  // 32-bit architectures have no readq/writeq; these give them as two 32-bit accesses
  { header: 'linux/io-64-nonatomic-lo-hi.h', declares: /^(?:readq|writeq|readq_relaxed|writeq_relaxed|ioread64|iowrite64|ioread64_lo_hi|iowrite64_lo_hi|lo_hi_readq|lo_hi_writeq)$/, example: 'readq' },
  {
    header: 'linux/io-64-nonatomic-hi-lo.h',
    declares: /^(?:readq|writeq|readq_relaxed|writeq_relaxed|ioread64|iowrite64|ioread64_hi_lo|iowrite64_hi_lo|hi_lo_readq|hi_lo_writeq)$/,
    example: 'writeq',
  },
  { header: 'linux/slab.h', declares: /^(?:kmalloc|kzalloc|kcalloc|kfree|krealloc|kmalloc_array|kmem_cache_\w+|kvmalloc|kvfree|kvzalloc)$/, example: 'kzalloc' },
  { header: 'linux/vmalloc.h', declares: /^(?:vmalloc|vzalloc|vfree|vmap|vunmap|vmalloc_\w+)$/, example: 'vfree' },
  { header: 'linux/delay.h', declares: /^(?:udelay|ndelay|mdelay|msleep|msleep_interruptible|usleep_range|fsleep|ssleep)$/, example: 'usleep_range' },
  { header: 'linux/io.h', declares: /^(?:ioremap|ioremap_\w+|iounmap|readl|writel|readb|writeb|readw|writew|memcpy_fromio|memcpy_toio|memset_io|devm_ioremap\w*)$/, example: 'ioremap' },
  {
    header: 'linux/interrupt.h',
    declares: /^(?:request_irq|free_irq|request_threaded_irq|devm_request_irq|devm_request_threaded_irq|enable_irq|disable_irq|disable_irq_nosync|tasklet_\w+)$/,
    example: 'devm_request_irq',
  },
  { header: 'linux/gpio/consumer.h', declares: /^(?:gpiod_\w+|devm_gpiod_\w+)$/, example: 'gpiod_set_value' },
  { header: 'linux/of.h', declares: /^(?:of_property_\w+|of_find_\w+|of_get_\w+|of_node_put|of_node_get|of_device_is_compatible|of_match_node)$/, example: 'of_property_read_u32' },
  {
    header: 'linux/math64.h',
    declares: /^(?:div_u64|div_s64|div64_u64|div64_s64|div64_ul|div_u64_rem|div_s64_rem|mul_u64_u32_div|mul_u64_u64_div_u64|DIV64_U64_ROUND_UP|DIV_ROUND_UP_ULL)$/,
    example: 'div_u64',
  },
  { header: 'linux/bitfield.h', declares: /^(?:FIELD_GET|FIELD_PREP|FIELD_FIT|FIELD_MAX|u32_get_bits|u32_encode_bits|le32_get_bits)$/, example: 'FIELD_PREP' },
  { header: 'linux/seq_file.h', declares: /^(?:seq_printf|seq_puts|seq_putc|seq_read|seq_lseek|single_open|single_release|seq_write)$/, example: 'seq_printf' },
  { header: 'linux/debugfs.h', declares: /^debugfs_\w+$/, example: 'debugfs_create_file' },
  { header: 'linux/pm_runtime.h', declares: /^pm_runtime_\w+$/, example: 'pm_runtime_get_sync' },
  { header: 'linux/dma-mapping.h', declares: /^(?:dma_map_\w+|dma_unmap_\w+|dma_alloc_\w+|dma_free_\w+|dma_set_mask\w*|dma_sync_\w+|dmam_alloc_\w+)$/, example: 'dma_alloc_coherent' },
];

/** Does kernel knowledge say this header declares f? */
export function knownToDeclare(header: string, fn: string): boolean {
  return KNOWN_HEADERS.some((k) => k.header === header && k.declares.test(fn));
}

/** `<linux/gpio/consumer.h>` for gpiod_set_value(): a header named after the API prefix. */
export function namedAfterApi(header: string, fn: string): boolean {
  const head = fn.replace(/^_+/, '').split('_')[0]!.toLowerCase();
  return header
    .replace(/\.h$/, '')
    .split('/')
    .some((part) => part.length >= 3 && (head.startsWith(part) || part.startsWith(head)) && head.length >= 3);
}

/**
 * The header a checker says is missing or needless ("#include <linux/export.h> is missing",
 * "unnecessary #include <linux/foo.h>"), with what it asks for.
 */
export function headerAskedFor(f: BuildFailure): { header: string; wants: 'added' | 'removed' } | undefined {
  const m = /#\s*include\s*[<"]([\w./-]{1,200}\.h)[>"]/.exec(f.message);
  if (!m) return undefined;
  // scripts/misc-check: "EXPORT_SYMBOL() is not used, but #include <linux/export.h> is present"
  if (/\b(?:unnecessary|unneeded|not needed|needless|unused|superfluous|redundant|not used)\b|\bis present\b/i.test(f.message)) return { header: m[1]!, wants: 'removed' };
  if (/\b(?:missing|is needed|must include|should include|please include|not included)\b/i.test(f.message)) return { header: m[1]!, wants: 'added' };
  return undefined;
}

/** A checker named the header: the patch adds (or drops) exactly that include. */
function askedHeaderFindings(patch: Patch, failures: BuildFailure[]): Finding[] {
  const asked = failures.map(headerAskedFor).filter((a): a is NonNullable<typeof a> => !!a);
  if (!asked.length) return [];
  for (const f of patch.files) {
    if (!isCSource(f.newPath)) continue;
    for (const h of f.hunks)
      for (const l of h.lines) {
        if (l.kind === 'ctx') continue;
        const inc = includedHeader(l.text);
        const a = inc ? asked.find((x) => x.header === inc && (x.wants === 'added') === (l.kind === 'add')) : undefined;
        if (!a) continue;
        return [
          {
            rule: 'missing-include',
            lean: 'fixes',
            weight: 1.5,
            reason: `it ${a.wants === 'added' ? 'includes' : 'drops the include of'} <${a.header}>, as the check that warned asks`,
            evidence: [{ source: 'mail', cite: mailCite(patch.messageId, l.mailLine), text: l.text.trim() }],
          },
        ];
      }
  }
  return [];
}

export const missingInclude: Rule = {
  name: 'missing-include',
  blindSafe: true,
  apply({ rec, effects, failures, facts, port }) {
    const missing = failures.filter(isMissingDeclaration);
    const fns = [...new Set(missing.map(undeclaredFunction).filter((s): s is string => !!s))];
    if (!fns.length) return askedHeaderFindings(rec.patch, failures);
    const out: Finding[] = [];
    const inc = effects.find((e) => e.kind === 'include-changed' && e.symbols.length);
    if (inc) {
      const strong = inc.symbols.find((h) => namedInNote(h, missing, facts) || fns.some((fn) => declaredIn(h, fn, port) || knownToDeclare(h, fn)));
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
      out.push({
        rule: 'missing-include',
        lean: 'hides',
        weight: 1.5,
        reason: `${local.symbols[0]}() is declared by hand in a .c file instead of through its header, so the two can drift apart unnoticed`,
        evidence: [effectEvidence(local)],
      });
    }
    return out;
  },
};
