// A rule reads the facts about one patch and returns findings: which way they
// lean, how much, why, and the evidence (mail lines now, index facts later).

import type { BuildFailure, Effect, Evidence } from '../../core/types.js';
import type { PatchRecord, ThreadFacts, TargetedSignal } from '../facts.js';
import type { IndexPort } from '../index-port.js';
import type { FailureXref } from '../xref.js';

export type Lean = 'fixes' | 'hides' | 'partial';

export interface Finding {
  rule: string;
  lean: Lean;
  weight: number;
  reason: string;
  evidence: Evidence[];
  /** counts only beside a finding of the same lean that does not need company: words that describe the change, not facts about it */
  corroborates?: boolean;
}

export interface RuleInput {
  rec: PatchRecord;
  effects: Effect[];
  /** failures this patch answers */
  failures: BuildFailure[];
  facts: ThreadFacts;
  /** --blind: only what was known when the patch was posted */
  blind: boolean;
  /** index facts for the failures this patch answers (empty without an index) */
  xrefs: FailureXref[];
  port?: IndexPort;
}

export interface Rule {
  name: string;
  /** true when the rule needs only the failure and the patch (usable with --blind) */
  blindSafe: boolean;
  apply(input: RuleInput): Finding[];
}

/** '<msgid>:L12', or '<msgid>:0001-foo.patch:L12' for a line of an attachment. */
export function mailCite(messageId: string, line: number, attachment?: string): string {
  return attachment ? `${messageId}:${attachment}:L${line}` : `${messageId}:L${line}`;
}

export function effectEvidence(e: Effect): Evidence {
  return { source: 'mail', cite: mailCite(e.cite.messageId, e.cite.line, e.cite.attachment), text: e.detail };
}

export function signalEvidence(s: TargetedSignal): Evidence {
  return { source: 'mail', cite: mailCite(s.cite.messageId, s.cite.line), text: `${s.speaker}: "${s.text}"` };
}

export function failureEvidence(f: BuildFailure): Evidence {
  return { source: 'mail', cite: mailCite(f.cite.messageId, f.cite.line), text: f.message };
}

/** Settings the failing builds had: CONFIG_X=n and such, from every failure answered. */
export function failingSettings(failures: BuildFailure[]): Map<string, 'y' | 'n' | 'm'> {
  const out = new Map<string, 'y' | 'n' | 'm'>();
  for (const f of failures) for (const c of f.configs) if (!out.has(c.name)) out.set(c.name, c.value);
  return out;
}

/**
 * Does a requirement the patch adds ("SMP=y") rule out the failing config
 * ("SMP=n")? Related names count (SPI_MASTER to SPI): Kconfig families share prefixes.
 */
export function excludesFailingConfig(requirements: string[], failing: Map<string, 'y' | 'n' | 'm'>): string | undefined {
  for (const r of requirements) {
    const [name, value] = r.split('=') as [string, string];
    for (const [fname, fvalue] of failing) {
      const related = fname === name || name.startsWith(fname + '_') || fname.startsWith(name + '_');
      const fOn = fvalue !== 'n';
      const rOn = value !== 'n';
      if (related && fOn !== rOn) return `CONFIG_${fname}=${fvalue}`;
    }
  }
  return undefined;
}
