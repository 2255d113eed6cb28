// From the engine's verdict and the thread's messages to an LlmCase: the
// rules' verdict for one patch, its evidence numbered E1..En, and the mail
// excerpts the model may read (failure lines, the patch, review replies).
// Pure: no I/O, deterministic, so the same thread gives the same prompt (and
// the same cache key).

import { effectEvidence, failureEvidence } from '../analyze/rules/types.js';
import type { BuildFailure, Evidence, Message, PatchVerdict, Verdict } from '../core/types.js';
import { bodyLines, isRobotReport } from '../extract/lines.js';
import { buildThread } from '../mail/thread.js';
import { LLM_LIMITS } from './limits.js';
import type { Excerpt, LlmCase, NumberedEvidence } from './types.js';

export interface CaseOptions {
  /** the patch to judge (its Message-ID); default: the one the rules' thread verdict rests on */
  patchId?: string;
}

/**
 * The patch decideThread's thread verdict rests on: the latest that answers a
 * failure. None when no patch answers one (the thread verdict is then
 * no-patch, no-failure or unclear): the case is about the thread.
 */
export function pickTarget(verdict: Verdict, patchId?: string): PatchVerdict | undefined {
  if (patchId) return verdict.patches.find((p) => p.messageId === patchId);
  const answering = verdict.patches.filter((p) => p.answers.length > 0);
  return answering[answering.length - 1];
}

/** Control characters (escape sequences, NULs) out of mail text; tabs and newlines stay. */
export function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, ' ');
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** Message-ID of a mail cite '<id>:L12', else undefined (index cites). */
export function citedMessage(cite: string): string | undefined {
  const m = /^(<[^>]*>):L\d+$/.exec(cite);
  return m?.[1];
}

function numberEvidence(items: Evidence[], notes: string[]): NumberedEvidence[] {
  const seen = new Set<string>();
  const out: NumberedEvidence[] = [];
  let over = 0;
  for (const e of items) {
    const key = `${e.cite}|${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length >= LLM_LIMITS.maxEvidenceItems) {
      over++;
      continue;
    }
    out.push({ id: `E${out.length + 1}`, source: e.source, cite: clip(cleanText(e.cite), 300), text: clip(cleanText(e.text), LLM_LIMITS.maxEvidenceChars) });
  }
  if (over) notes.push(`${over} evidence item(s) beyond the first ${LLM_LIMITS.maxEvidenceItems} left out`);
  return out;
}

interface Range {
  first: number;
  last: number;
  rank: number;
}

function mergeRanges(rs: Range[]): Range[] {
  const sorted = [...rs].sort((a, b) => a.first - b.first);
  const out: Range[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1) {
      prev.last = Math.max(prev.last, r.last);
      prev.rank = Math.max(prev.rank, r.rank);
    } else out.push({ ...r });
  }
  return out;
}

const KIND_ORDER: Record<Excerpt['kind'], number> = { failure: 0, patch: 1, review: 2 };

/**
 * The order in which excerpts claim the token budget (src/llm/messages.ts
 * takes them as given): failures first (those the patch answers, then the
 * earliest), then the patch mail, then thread mail (cited by evidence first,
 * then newest first).
 */
function budgetOrder(excerpts: Excerpt[]): Excerpt[] {
  return [...excerpts].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.rank - a.rank);
}

function fromOf(m: Message): string {
  return m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address;
}

/**
 * What a message's sender wrote, for a review excerpt: its depth-0 lines as
 * src/extract/lines.ts reads them (so a robot's '>> file.c:12: error' and
 * ld.lld's '>>> referenced by' lines are content, not quotes), each run of
 * quoted lines as one marker, the signature and the given line ranges
 * (failure lines shown in their own excerpt) left out. Empty text when
 * nothing of the sender's own is left.
 */
export function replyOwnText(m: Message, elide: { first: number; last: number }[] = []): { text: string; lines: number } {
  const lines = bodyLines(m.body, isRobotReport(fromOf(m), m.body));
  const out: string[] = [];
  let quoted = 0;
  const flush = () => {
    if (quoted) out.push(`[${quoted} quoted line${quoted === 1 ? '' : 's'}]`);
    quoted = 0;
  };
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (l.depth === 0 && l.raw === '-- ') break; // signature separator (RFC 3676 §4.3)
    const range = elide.find((r) => r.first <= l.n && l.n <= r.last);
    if (range) {
      flush();
      out.push(`[lines ${range.first}-${range.last}: the failure excerpt above]`);
      k = range.last - 1;
      continue;
    }
    if (l.depth > 0) {
      quoted++;
      continue;
    }
    flush();
    if (!l.raw.trim() && !out[out.length - 1]?.trim()) continue; // collapse blank runs
    out.push(l.raw);
  }
  flush();
  while (out.length && !out[out.length - 1]!.trim()) out.pop();
  const hasOwn = out.some((l) => l.trim() && !/^\[(\d+ quoted lines?|lines \d+-\d+: the failure excerpt above)\]$/.test(l));
  return { text: hasOwn ? out.join('\n') : '', lines: lines.length };
}

const QUOTED_DIFF = /^(?:>[ \t]?)+(?:diff --git |@@ -\d|--- a\/)/m;

/** The mail that quotes a diff, preferring replies to `patchId`. */
function quotingMail(messages: Message[], patchId: string): Message | undefined {
  const quoting = messages.filter((m) => QUOTED_DIFF.test(m.body));
  return quoting.find((m) => m.inReplyTo === patchId || m.references.includes(patchId)) ?? quoting[0];
}

/**
 * The case for one patch (or for the thread when no patch is there).
 * `messages` are the thread's messages in any order; with a --blind verdict,
 * those after its cut are left out here too.
 */
export function buildCase(verdict: Verdict, messages: Message[], opts: CaseOptions = {}): LlmCase {
  const notes: string[] = [];
  let ordered = buildThread(messages).messages;
  if (verdict.blindCutAfter) {
    const cut = ordered.findIndex((m) => m.messageId === verdict.blindCutAfter);
    if (cut >= 0) ordered = ordered.slice(0, cut + 1);
  }
  const byId = new Map(ordered.map((m) => [m.messageId, m]));
  const position = new Map(ordered.map((m, i) => [m.messageId, i]));
  const target = pickTarget(verdict, opts.patchId);
  if (opts.patchId && !target) notes.push(`patch ${JSON.stringify(opts.patchId)} is not among the verdict's patches; judging the thread`);

  // evidence: the target's, the thread's, the failures it answers, its effects
  const answered = target ? target.answers.map((k) => verdict.failures[k]).filter((f): f is BuildFailure => !!f) : verdict.failures;
  const xrefs = (verdict.xrefs ?? []).filter((x) => !target || target.answers.includes(x.failure));
  const evidence = numberEvidence(
    [...(target?.evidence ?? []), ...verdict.evidence, ...xrefs.flatMap((x) => x.evidence), ...answered.map(failureEvidence), ...(target?.effects ?? []).map(effectEvidence)],
    notes,
  );
  const citedIds = new Set(evidence.map((e) => citedMessage(e.cite)).filter((x): x is string => !!x));

  const excerpts: Excerpt[] = [];

  // failures: the cited line and a few after it, merged per message
  const answeredSet = new Set(answered);
  const perMessage = new Map<string, Range[]>();
  for (const f of verdict.failures) {
    const m = byId.get(f.cite.messageId);
    if (!m) continue;
    const line = Math.max(0, f.cite.line);
    const first = line === 0 ? 0 : Math.max(1, line - LLM_LIMITS.failureContextBefore);
    const last = line === 0 ? 0 : line + LLM_LIMITS.failureContextAfter;
    const rank = answeredSet.has(f) ? 2 : 1;
    const list = perMessage.get(m.messageId) ?? [];
    list.push({ first, last, rank });
    perMessage.set(m.messageId, list);
  }
  const shownRanges = new Map<string, Range[]>();
  for (const [id, ranges] of perMessage) {
    const m = byId.get(id)!;
    const lines = m.body.split('\n');
    const merged = mergeRanges(ranges);
    const shownHere: Range[] = [];
    shownRanges.set(id, shownHere);
    for (const r of merged) {
      const shown: string[] = [];
      if (r.first === 0) shown.push(`Subject: ${m.subject}`);
      let from = Math.max(1, r.first);
      if (r.first > 0) while (from < r.last && !lines[from - 1]?.trim()) from++; // no leading blank lines
      let to = Math.min(lines.length, r.last);
      while (to > from && !lines[to - 1]!.trim()) to--; // no trailing blank lines
      for (let k = from; k <= to; k++) shown.push(lines[k - 1] ?? '');
      const text = clip(cleanText(shown.join('\n')), LLM_LIMITS.maxExcerptChars);
      if (!text.trim()) continue;
      if (to >= from) shownHere.push({ first: from, last: to, rank: r.rank });
      excerpts.push({
        kind: 'failure',
        messageId: id,
        from: fromOf(m),
        date: m.date,
        firstLine: r.first === 0 ? 0 : from,
        lastLine: Math.max(r.first, to),
        text,
        rank: r.rank * 1e6 - (position.get(id) ?? 0),
      });
    }
  }

  // the patch: the whole mail body (commit message and diff), capped; a patch
  // known only as quoted in a reply is shown from that reply, quotes and all
  let patchMail = target ? byId.get(target.messageId) : undefined;
  if (target && !patchMail) {
    patchMail = quotingMail(ordered, target.messageId);
    notes.push(
      patchMail
        ? `the patch mail ${JSON.stringify(target.messageId)} is not in the thread; its diff is shown as quoted in ${JSON.stringify(patchMail.messageId)}`
        : `the patch mail ${JSON.stringify(target.messageId)} is not in the thread; no patch excerpt`,
    );
  }
  if (patchMail) {
    const lines = patchMail.body.split('\n');
    let text = cleanText(patchMail.body.replace(/(?<!\n)\n+$/, ''));
    let last = lines.length;
    if (text.length > LLM_LIMITS.maxPatchExcerptChars) {
      const kept = text.slice(0, LLM_LIMITS.maxPatchExcerptChars).split('\n');
      kept.pop(); // the cut line is partial
      last = kept.length;
      text = kept.join('\n');
      notes.push(`patch mail ${JSON.stringify(patchMail.messageId)} cut to its first ${last} of ${lines.length} lines (excerpt cap)`);
    }
    excerpts.push({ kind: 'patch', messageId: patchMail.messageId, from: fromOf(patchMail), date: patchMail.date, firstLine: 1, lastLine: last, text, rank: 0 });
  }

  // reviews: every other message's own text; cited ones first, then newest first
  for (const m of ordered) {
    if (m.messageId === patchMail?.messageId) continue;
    const own = replyOwnText(m, shownRanges.get(m.messageId));
    if (!own.text) continue;
    let text = cleanText(own.text);
    if (text.length > LLM_LIMITS.maxExcerptChars) text = `${clip(text, LLM_LIMITS.maxExcerptChars)}\n[rest of the message cut]`;
    const pos = position.get(m.messageId) ?? 0;
    excerpts.push({ kind: 'review', messageId: m.messageId, from: fromOf(m), date: m.date, firstLine: 1, lastLine: own.lines, text, rank: (citedIds.has(m.messageId) ? 1e6 : 0) + pos });
  }
  // the cap keeps the most important: failures, the patch, then reviews by rank
  const capped = budgetOrder(excerpts).slice(0, LLM_LIMITS.maxExcerpts);
  if (excerpts.length > capped.length) notes.push(`${excerpts.length - capped.length} thread mail excerpt(s) past the first ${LLM_LIMITS.maxExcerpts} left out (the oldest, uncited ones)`);

  const rules = target
    ? { verdict: target.verdict, confidence: target.confidence, reason: clip(cleanText(target.reason), 1000) }
    : { verdict: verdict.verdict, confidence: verdict.confidence, reason: clip(cleanText(verdict.summary), 1000) };
  // what the kernel index says, in the engine's words (no mail text in these)
  const indexFacts: string[] = [];
  if (verdict.index) indexFacts.push(`index consulted: tree ${verdict.index.tree}${verdict.index.version ? ` (${verdict.index.version})` : ''}`);
  for (const x of xrefs.slice(0, 20)) {
    const pre = x.reproducesPrePatch === null ? '' : `, fails before the patch in the tree: ${x.reproducesPrePatch}`;
    indexFacts.push(`${x.symbol}: declared ${x.declared}, defined ${x.defined}, exported ${x.exported}, failure reproduces in the tree: ${x.reproduces}${pre}`);
  }
  for (const t of (target?.inTree ?? []).slice(0, 10)) indexFacts.push(`already in the indexed tree: ${clip(cleanText(t), 300)}`);

  return {
    threadSubject: clip(cleanText(verdict.subject), 300),
    rootId: verdict.rootId,
    ...(target ? { patch: { messageId: target.messageId, subject: clip(cleanText(target.subject), 300), author: clip(cleanText(target.author), 200), files: target.files.slice(0, 50) } } : {}),
    rules,
    evidence,
    indexFacts,
    excerpts: capped,
    notes,
  };
}
