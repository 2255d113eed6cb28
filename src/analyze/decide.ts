// From findings to verdicts: per patch, then for the thread.

import type { BuildFailure, CommitRef, Effect, Evidence, PatchVerdict, Verdict, VerdictKind } from '../core/types.js';
import { classifyPatch } from './effects/index.js';
import type { PatchRecord, ThreadFacts } from './facts.js';
import { RULES, type Finding } from './rules/index.js';
import { failureEvidence } from './rules/types.js';
import { writeSummary } from './summary.js';

export interface DecideOptions {
  blind: boolean;
}

function confidenceOf(margin: number, total: number): number {
  if (total === 0) return 0.4;
  return Math.round(Math.min(0.95, 0.5 + Math.abs(margin) / 8) * 100) / 100;
}

export interface PatchJudgement {
  verdict: PatchVerdict;
  findings: Finding[];
}

/** The failures a patch answers and what its diff does to them. */
export function patchInputs(rec: PatchRecord, facts: ThreadFacts): { failures: BuildFailure[]; effects: Effect[] } {
  const failures: BuildFailure[] = rec.answers.map((k) => facts.failures[k]!.failure);
  // symbols a call could be about: not struct members, types or headers
  const callable = failures.filter((f) => f.kind === 'undefined-reference' || f.kind === 'modpost-undefined' || (f.kind === 'compile-error' && /implicit declaration|undeclared/.test(f.message)));
  const effects = classifyPatch(rec.patch, { failureSymbols: callable.map((f) => f.symbol).filter((s): s is string => !!s) });
  return { failures, effects };
}

export function judgePatch(rec: PatchRecord, facts: ThreadFacts, opts: DecideOptions): PatchJudgement {
  const { failures, effects } = patchInputs(rec, facts);
  const base = {
    messageId: rec.patch.messageId,
    subject: rec.patch.subject,
    author: rec.patch.author,
    files: rec.patch.files.map((f) => f.newPath),
    effects,
    answers: rec.answers,
  };
  if (!failures.length) {
    const symptom = effects.find((e) => e.kind === 'warning-silenced' || e.kind === 'message-silenced');
    if (!symptom) {
      return {
        findings: [],
        verdict: { ...base, verdict: 'no-failure', confidence: 0.7, evidence: effects.slice(0, 3).map(effectEv), reason: 'answers no reported build or run-time problem' },
      };
    }
  }
  const findings = RULES.filter((r) => !opts.blind || r.blindSafe).flatMap((r) => r.apply({ rec, effects, failures, facts, blind: opts.blind }));
  const fix = findings.filter((f) => f.lean === 'fixes').reduce((a, f) => a + f.weight, 0);
  const hide = findings.filter((f) => f.lean === 'hides').reduce((a, f) => a + f.weight, 0);
  const partial = findings.filter((f) => f.lean === 'partial');
  let verdict: VerdictKind;
  let reason: string;
  const strongest = (lean: 'fixes' | 'hides') =>
    findings
      .filter((f) => f.lean === lean)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 2)
      .map((f) => f.reason);
  if (hide >= 1.5 && hide > fix) {
    verdict = 'hides';
    reason = strongest('hides').join('; ');
  } else if (partial.length && fix + partial.reduce((a, f) => a + f.weight, 0) > hide) {
    verdict = 'partial';
    reason = partial.map((p) => p.reason).join('; ');
  } else {
    verdict = 'fixes';
    reason = fix > 0 ? strongest('fixes').join('; ') : 'nothing in the thread says it only hides the failure; presumed to fix it';
  }
  const evidence: Evidence[] = [...failures.slice(0, 2).map(failureEvidence), ...findings.sort((a, b) => b.weight - a.weight).flatMap((f) => f.evidence)];
  if (!findings.length) evidence.push(...effects.slice(0, 2).map(effectEv));
  return {
    findings,
    verdict: { ...base, verdict, confidence: confidenceOf(fix - hide, fix + hide), evidence: dedupe(evidence), reason },
  };
}

function effectEv(e: Effect): Evidence {
  return { source: 'mail', cite: `${e.cite.messageId}:L${e.cite.line}`, text: e.detail };
}

function dedupe(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const k = `${e.cite}|${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function decideThread(facts: ThreadFacts, opts: DecideOptions): Verdict {
  const judgements = facts.patches.map((rec) => judgePatch(rec, facts, opts));
  const patches = judgements.map((j) => j.verdict);
  const answering = patches.filter((p) => p.verdict !== 'no-failure');
  const failures = facts.failures.map((f) => f.failure);
  const concrete = failures.filter((f) => f.kind !== 'build-prose');
  let verdict: VerdictKind;
  let confidence: number;
  let evidence: Evidence[];
  if (answering.length) {
    const latest = answering[answering.length - 1]!;
    verdict = latest.verdict;
    confidence = latest.confidence;
    evidence = latest.evidence;
  } else if (failures.length || facts.extractions.some((x) => x.problemStatements.length)) {
    verdict = 'no-patch';
    confidence = concrete.length ? 0.85 : 0.6;
    evidence = [...failures.slice(0, 3).map(failureEvidence), ...facts.extractions.flatMap((x) => x.problemStatements).slice(0, 2).map((p) => ({ source: 'mail' as const, cite: `${p.cite.messageId}:L${p.cite.line}`, text: p.text }))];
  } else if (patches.length) {
    verdict = 'no-failure';
    confidence = 0.75;
    evidence = patches.slice(0, 3).flatMap((p) => p.evidence.slice(0, 1));
  } else {
    verdict = 'unclear';
    confidence = 0.3;
    evidence = [];
  }
  const first = facts.messages[0];
  const v: Verdict = {
    verdict,
    confidence,
    summary: '',
    evidence,
    patches,
    failures,
    messages: facts.messages.length,
    subject: first?.subject ?? '',
    rootId: facts.thread.rootId,
    series: facts.thread.series,
    refs: uniqueRefs(facts),
  };
  v.summary = writeSummary(v, facts);
  return v;
}

function uniqueRefs(facts: ThreadFacts): CommitRef[] {
  const seen = new Map<string, CommitRef>();
  for (const x of facts.extractions) {
    for (const r of x.refs) {
      const key = r.sha.slice(0, 12);
      const had = seen.get(key);
      // keep the most telling kind (fixes/reverts over a mention) and a title when one is known
      if (!had || (had.kind === 'mention' && r.kind !== 'mention')) seen.set(key, { ...r, title: r.title ?? had?.title });
      else if (!had.title && r.title) had.title = r.title;
    }
  }
  return [...seen.values()];
}
