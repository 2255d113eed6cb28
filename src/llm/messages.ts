// The chat messages for one case, fitted to the token budget.
//
// Budget: tokens are estimated as characters / 4 (LLM_LIMITS.charsPerToken),
// over the whole system and user message. What is kept, in this order (the
// order of the case's excerpts, which buildCase sorts):
//   1. the facts (rules' verdict, reason) and the numbered evidence: always
//      (evidence is trimmed from the end only if it alone overflows);
//   2. the failure excerpts, those the patch answers first;
//   3. the patch mail (commit message and diff);
//   4. review replies: those the evidence cites first, then newest first.
// An excerpt that does not fit is cut to its head when at least
// LLM_LIMITS.minExcerptTokens of room is left, else dropped; later, smaller
// excerpts may still fit. Every cut is listed in the prompt itself (so the
// model knows the thread is incomplete) and in the result's budget report.
//
// Safety: mail text only appears inside the MAIL-DATA block, every line
// prefixed with "| ", between markers that carry a hash of the block's own
// content (a mail cannot forge the end marker without knowing the hash of the
// text that contains it). Mail-derived strings in the facts are JSON-quoted.

import { createHash } from 'node:crypto';
import { LLM_LIMITS } from './limits.js';
import { fillTemplate, type PromptTemplate } from './prompt.js';
import type { BudgetReport, Excerpt, LlmCase, NumberedEvidence } from './types.js';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export function estimateTokens(s: string): number {
  return Math.ceil(s.length / LLM_LIMITS.charsPerToken);
}

const q = (s: string) => JSON.stringify(s);

function renderFacts(c: LlmCase): string {
  const out = [`Thread: ${q(c.threadSubject)} (root ${q(c.rootId)})`];
  if (c.patch) {
    out.push(`Patch under judgement: ${q(c.patch.subject)} by ${q(c.patch.author)}, message ${q(c.patch.messageId)}`);
    if (c.patch.files.length) out.push(`Files it changes: ${c.patch.files.map(q).join(', ')}`);
  } else out.push('Patch under judgement: none (judge the thread as a whole)');
  out.push(`Rules engine verdict: ${c.rules.verdict} (confidence ${c.rules.confidence})`);
  out.push(`Rules engine reason: ${q(c.rules.reason)}`);
  for (const f of c.indexFacts) out.push(`Kernel index: ${q(f)}`);
  return out.join('\n');
}

function renderEvidenceLine(e: LlmCase['evidence'][number]): string {
  return `${e.id} | ${e.source} | ${q(e.cite)} | ${q(e.text)}`;
}

const KIND_LABEL: Record<Excerpt['kind'], string> = { failure: 'failure report', patch: 'patch mail', review: 'thread mail' };

function excerptHeader(x: Excerpt, n: number): string {
  const where = x.firstLine === x.lastLine ? `line ${x.firstLine}` : `lines ${x.firstLine}-${x.lastLine}`;
  const who = x.from ? `, from ${q(x.from)}` : '';
  const when = x.date ? `, ${x.date}` : '';
  return `--- excerpt X${n}: ${KIND_LABEL[x.kind]}, message ${q(x.messageId)} ${where}${who}${when}`;
}

function renderExcerpt(x: Excerpt, n: number, lines = x.text.split('\n')): string {
  return [excerptHeader(x, n), ...lines.map((l) => `| ${l}`)].join('\n');
}

interface Placed {
  x: Excerpt;
  lines: string[];
  /** set when only the head fits */
  note?: string;
}

function describe(x: Excerpt): string {
  return `${KIND_LABEL[x.kind]} ${q(x.messageId)}${x.from ? ` from ${q(x.from)}` : ''}`;
}

/** The longest head of `lines` whose rendering fits in `tokens`, with a cut marker. */
function headThatFits(x: Excerpt, lines: string[], tokens: number): string[] | undefined {
  const marker = (k: number) => `[... ${lines.length - k} more line(s) cut to fit the input budget]`;
  let lo = 0;
  let hi = lines.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cost = estimateTokens(renderExcerpt(x, 0, [...lines.slice(0, mid), marker(mid)])) + 1;
    if (cost <= tokens) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best > 0 ? [...lines.slice(0, best), marker(best)] : undefined;
}

export interface BuiltMessages {
  messages: ChatMessage[];
  /** the evidence actually sent (only these ids can make an answer accepted) */
  evidence: NumberedEvidence[];
  budget: BudgetReport;
}

/** cut notes listed one by one; past this, one summary line */
const MAX_CUT_LINES = 12;

export function buildMessages(prompt: PromptTemplate, c: LlmCase, maxInputTokens: number): BuiltMessages {
  const system = fillTemplate(prompt.system, { promptId: prompt.id, promptVersion: String(prompt.version) }, prompt.path);
  const cut: string[] = [...c.notes];
  const facts = renderFacts(c);

  // evidence always goes in; only a pathological list is trimmed from the end
  let evidence = c.evidence;
  const fixedCost = (ev: typeof evidence) =>
    estimateTokens(system) +
    estimateTokens(fillTemplate(prompt.user, { facts, evidence: ev.map(renderEvidenceLine).join('\n') || '(none)', boundary: 'MAIL-DATA-0000000000000000', data: '', cut: '' }, prompt.path));
  // Room for the block markers and, when something will have to go, the list
  // of what went (at most MAX_CUT_LINES + 1 lines of ~30 tokens).
  const allExcerpts = c.excerpts.reduce((a, x, i) => a + estimateTokens(renderExcerpt(x, i + 1)) + 1, 0);
  const willCut = c.notes.length > 0 || fixedCost(c.evidence) + 60 + allExcerpts > maxInputTokens;
  const reserve = 60 + (willCut ? estimateTokens(c.notes.join('\n')) + (MAX_CUT_LINES + 1) * 30 : 0);
  while (evidence.length > 1 && fixedCost(evidence) + reserve > maxInputTokens) evidence = evidence.slice(0, -1);
  if (evidence.length < c.evidence.length) cut.push(`evidence ${c.evidence[evidence.length]!.id}-${c.evidence[c.evidence.length - 1]!.id} left out (the facts alone exceed the budget)`);

  const evidenceText = evidence.map(renderEvidenceLine).join('\n') || '(none)';
  let room = maxInputTokens - fixedCost(evidence) - reserve;
  const placed: Placed[] = [];
  const dropped: Excerpt[] = [];
  for (const x of c.excerpts) {
    const lines = x.text.split('\n');
    const cost = estimateTokens(renderExcerpt(x, placed.length + 1, lines)) + 1;
    if (cost <= room) {
      placed.push({ x, lines });
      room -= cost;
      continue;
    }
    const head = room >= LLM_LIMITS.minExcerptTokens ? headThatFits(x, lines, room) : undefined;
    if (head) {
      placed.push({ x, lines: head, note: `${describe(x)} cut to its first ${head.length - 1} of ${lines.length} lines (~${cost} tokens in full)` });
      room -= estimateTokens(renderExcerpt(x, placed.length, head)) + 1;
    } else dropped.push(x);
  }
  const render = () => {
    const lines = [...cut, ...placed.flatMap((p) => (p.note ? [p.note] : []))];
    const shown = dropped.slice(0, MAX_CUT_LINES);
    for (const x of shown) lines.push(`${describe(x)} dropped (~${estimateTokens(x.text)} tokens)`);
    if (dropped.length > shown.length) {
      const rest = dropped.slice(shown.length);
      lines.push(`${rest.length} more excerpt(s) dropped (~${rest.reduce((a, x) => a + estimateTokens(x.text), 0)} tokens)`);
    }
    const data = placed.map((p, i) => renderExcerpt(p.x, i + 1, p.lines)).join('\n') || '| (no mail excerpts)';
    const boundary = `MAIL-DATA-${createHash('sha256').update(data).digest('hex').slice(0, 16)}`;
    const cutText = lines.length
      ? `LEFT OUT by ktriage (the thread above is incomplete):\n${lines.map((l) => `- ${l}`).join('\n')}`
      : 'Nothing was left out: the excerpts above are the whole relevant thread.';
    const user = fillTemplate(prompt.user, { facts, evidence: evidenceText, boundary, data, cut: cutText }, prompt.path);
    return { user, lines };
  };
  // The reserve is an estimate: if the notes made it overflow, shorten the
  // least important excerpt (a review goes; the failure or the patch is cut
  // shorter) until it fits.
  let out = render();
  for (let over = estimateTokens(system) + estimateTokens(out.user) - maxInputTokens; over > 0 && placed.length; over = estimateTokens(system) + estimateTokens(out.user) - maxInputTokens) {
    const p = placed[placed.length - 1]!;
    const full = p.x.text.split('\n');
    const now = estimateTokens(renderExcerpt(p.x, placed.length, p.lines)) + 1;
    const head = p.x.kind === 'review' ? undefined : headThatFits(p.x, full, now - over - 8);
    if (head && head.length > 1) {
      placed[placed.length - 1] = { x: p.x, lines: head, note: `${describe(p.x)} cut to its first ${head.length - 1} of ${full.length} lines (~${estimateTokens(p.x.text)} tokens in full)` };
    } else {
      placed.pop();
      dropped.push(p.x);
    }
    out = render();
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: out.user },
  ];
  return { messages, evidence, budget: { limitTokens: maxInputTokens, usedTokens: estimateTokens(system) + estimateTokens(out.user), cut: out.lines } };
}
