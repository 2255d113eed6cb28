// The model's answer: parsed, validated against the schema (zod), and weighed
// against the engine's evidence. The model's verdict is accepted only when it
// cites at least one evidence id the engine gave it; ids it made up do not
// count. Otherwise the rules' verdict stands and the disagreement is reported.

import { z } from 'zod';
import type { VerdictKind } from '../core/types.js';
import { LLM_LIMITS } from './limits.js';
import { VERDICT_KINDS, type ModelAnswer, type NumberedEvidence } from './types.js';

export const AnswerSchema = z.object({
  verdict: z.enum(VERDICT_KINDS),
  confidence: z.number().min(0).max(1),
  summary: z.string().trim().min(1).max(LLM_LIMITS.maxSummaryChars),
  cites: z.array(z.string().max(64)).max(LLM_LIMITS.maxCites),
});

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; code: 'E_LLM_BAD_JSON' | 'E_LLM_SCHEMA'; message: string };

/**
 * One ```json fence around the whole content is tolerated (some servers ignore
 * response_format). What `/^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/` took,
 * found by searches (the pattern split blank lines every way between its parts,
 * quadratic on an answer of blank lines): the content starts after a line break
 * among the blanks after the opening fence, the last one first, and ends at the
 * first line break among the blanks before the closing fence.
 */
function unfence(s: string): string {
  const open = s.length - s.trimStart().length;
  if (!s.startsWith('```', open)) return s;
  let from = open + 3;
  if (s.startsWith('json', from)) from += 4;
  let blanks = from;
  while (blanks < s.length && /\s/.test(s[blanks]!)) blanks++;
  const end = s.trimEnd().length;
  const fence = end - 3;
  if (fence < 0 || s.slice(fence, end) !== '```') return s;
  let before = fence;
  while (before > 0 && /\s/.test(s[before - 1]!)) before--;
  const closeFrom = (at: number) => {
    const k = s.indexOf('\n', at);
    return k >= 0 && k < fence ? k : -1;
  };
  // from anywhere up to the blanks before the fence, the first line break there closes
  const closeAfterBlanks = closeFrom(before);
  for (let nl = s.lastIndexOf('\n', blanks - 1); nl >= from; nl = s.lastIndexOf('\n', nl - 1)) {
    const start = nl + 1;
    const close = start <= before ? closeAfterBlanks : closeFrom(start);
    if (close >= 0) return s.slice(start, close);
    if (start <= before) break;
  }
  return s;
}

export function parseAnswer(content: string, finishReason?: string): ParsedAnswer {
  let value: unknown;
  try {
    value = JSON.parse(unfence(content));
  } catch (e) {
    const why = finishReason === 'length' ? ' (the answer was cut at the output token limit)' : '';
    return { ok: false, code: 'E_LLM_BAD_JSON', message: `the model's content is not JSON${why}: ${(e as Error).message}` };
  }
  const r = AnswerSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, code: 'E_LLM_SCHEMA', message: `the model's answer does not match the schema: ${issues.join('; ')}` };
  }
  return { ok: true, answer: r.data };
}

/** 'E3', ' e3 ', '[E3]' all name E3; anything else is kept as written. */
export function normaliseCite(c: string): string {
  const t = c
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .trim();
  return /^e\d+$/i.test(t) ? t.toUpperCase() : t;
}

export interface Weighed {
  accepted: boolean;
  verdict: VerdictKind;
  confidence: number;
  cites: string[];
  citedEvidence: NumberedEvidence[];
  unknownCites: string[];
  disagreement?: string;
}

export function weighAnswer(answer: ModelAnswer, evidence: NumberedEvidence[], rules: { verdict: VerdictKind; confidence: number }): Weighed {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const cites: string[] = [];
  const unknownCites: string[] = [];
  for (const raw of answer.cites) {
    const c = normaliseCite(raw);
    if (byId.has(c)) {
      if (!cites.includes(c)) cites.push(c);
    } else if (!unknownCites.includes(c)) unknownCites.push(c);
  }
  const accepted = cites.length > 0;
  const citedEvidence = cites.map((c) => byId.get(c)!);
  const m = answer.verdict;
  const r = rules.verdict;
  let disagreement: string | undefined;
  if (!accepted) {
    const said = unknownCites.length ? `cited only ids the engine did not produce (${unknownCites.join(', ')})` : 'cited no evidence';
    disagreement = m === r ? `the model agreed (${m}) but ${said}; its answer is not used` : `the model answered '${m}' but ${said}; the rules' '${r}' stands`;
  } else if (m !== r) {
    disagreement = `the model answered '${m}' citing ${cites.join(', ')}, the rules said '${r}'; the model's verdict is used`;
  }
  return {
    accepted,
    verdict: accepted ? m : r,
    confidence: accepted ? answer.confidence : rules.confidence,
    cites,
    citedEvidence,
    unknownCites,
    ...(disagreement ? { disagreement } : {}),
  };
}
