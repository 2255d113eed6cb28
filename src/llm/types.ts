// Plain data of the LLM step: what goes in (an LlmCase: the engine's facts and
// mail excerpts), what comes out (an LlmResult: accepted or not, with the
// prompt id/version that produced it, or a typed failure), and the small
// capability interfaces (cache) the caller passes in. Everything serialises to
// JSON unchanged.

import type { Evidence, VerdictKind } from '../core/types.js';

export const VERDICT_KINDS = ['fixes', 'hides', 'partial', 'no-patch', 'no-failure', 'unclear'] as const satisfies readonly VerdictKind[];

/** Stable codes of every way the LLM step can fail. None is thrown to the caller. */
export type LlmErrorCode =
  | 'E_LLM_OFF' // nothing configured: the LLM is simply not used
  | 'E_LLM_CONFIG' // configured, but not usable (bad URL, no model)
  | 'E_LLM_PROMPT' // the prompt file is missing or malformed
  | 'E_LLM_TIMEOUT' // one request took longer than the timeout (aborted)
  | 'E_LLM_NETWORK' // connection refused/reset, DNS, TLS, after the retries
  | 'E_LLM_HTTP' // a non-2xx status (after the retries for 429/5xx)
  | 'E_LLM_BAD_RESPONSE' // 2xx, but not a chat completion (no choices, too big, not JSON)
  | 'E_LLM_BAD_JSON' // the model's content is not JSON
  | 'E_LLM_SCHEMA' // JSON, but not the answer schema (an array or a string included)
  | 'E_LLM_INTERNAL'; // a bug of ours, caught so the rules' verdict still stands

/** An evidence item as the model sees it: the engine's Evidence with an id. */
export interface NumberedEvidence extends Evidence {
  /** 'E1', 'E2', ... in the order the engine listed them */
  id: string;
}

export type ExcerptKind = 'failure' | 'patch' | 'review';

/** Mail text given to the model as data. */
export interface Excerpt {
  kind: ExcerptKind;
  messageId: string;
  /** who wrote it and when, for the header line */
  from?: string;
  date?: string;
  /** first and last 1-based body line shown (0 = the subject line) */
  firstLine: number;
  lastLine: number;
  text: string;
  /** higher goes first within its kind (reviews: cited by evidence, then newest); buildCase sorts by it */
  rank: number;
}

/** What the model is asked to judge: one patch (or the thread when no patch answers). */
export interface LlmCase {
  threadSubject: string;
  rootId: string;
  /** the patch under judgement, absent for a thread-level question (no-patch, unclear) */
  patch?: { messageId: string; subject: string; author: string; files: string[] };
  rules: { verdict: VerdictKind; confidence: number; reason: string };
  evidence: NumberedEvidence[];
  /** what the kernel index says about the failing symbols, as one-line facts (may be empty) */
  indexFacts: string[];
  /** in the order they claim the token budget: failures, the patch, then thread mail by rank */
  excerpts: Excerpt[];
  /** what the case builder already left out (caps), reported with the budget's cuts */
  notes: string[];
}

/** The model's answer after schema validation. */
export interface ModelAnswer {
  verdict: VerdictKind;
  confidence: number;
  summary: string;
  cites: string[];
}

export interface LlmUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface BudgetReport {
  /** the limit and the estimate of what was sent, in approximate tokens (chars / 4) */
  limitTokens: number;
  usedTokens: number;
  /** what was cut or dropped to fit, in words ("review <id> (2,400 tokens) dropped") */
  cut: string[];
}

export interface LlmJudgement {
  ok: true;
  /** true when the model cited at least one evidence id the engine produced */
  accepted: boolean;
  /** the verdict that stands: the model's when accepted, else the rules' */
  verdict: VerdictKind;
  confidence: number;
  rulesVerdict: VerdictKind;
  /** Message-ID of the patch judged; absent when the case was about the thread */
  patchId?: string;
  /** the model's answer as given (cites included, known or not) */
  model: ModelAnswer;
  /** the model's prose for the maintainer: only when accepted */
  prose?: string;
  /** cited ids the engine produced, and the evidence they name */
  cites: string[];
  citedEvidence: NumberedEvidence[];
  /** cited ids the engine did not produce */
  unknownCites: string[];
  /** set when the model and the rules differ, or the model's answer was not accepted */
  disagreement?: string;
  promptId: string;
  promptVersion: number;
  /** sha256 of model + prompt id/version + messages: the cache key */
  promptHash: string;
  modelName: string;
  cached: boolean;
  attempts: number;
  usage?: LlmUsage;
  budget: BudgetReport;
  /** non-fatal trouble (the cache could not be read or written, a stale cached answer, unknown cites) */
  warnings: string[];
}

export interface LlmFailure {
  ok: false;
  code: LlmErrorCode;
  message: string;
  /** HTTP status of the last response, when there was one */
  status?: number;
  attempts: number;
  promptId?: string;
  promptVersion?: number;
  budget?: BudgetReport;
  /** non-fatal trouble met before the failure (the cache could not be read) */
  warnings: string[];
}

export type LlmResult = LlmJudgement | LlmFailure;

/** A cached model answer: the raw content (validated again on read) and its usage. */
export interface CachedAnswer {
  content: string;
  usage?: LlmUsage;
}

/** What the judge needs of a cache (src/store/llm-cache.ts implements it). */
export interface LlmCacheLike {
  get(key: string): CachedAnswer | undefined;
  put(key: string, value: CachedAnswer & { model: string; promptId: string; promptVersion: number }): void;
}
