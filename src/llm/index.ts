// The optional LLM second opinion, as the CLI and the daemon use it.
//
//   let cache;
//   const llm = openLlm({ env: process.env, openCache: () => (cache = openLlmCache(defaultLlmCachePath(process.env))) });
//   if (llm.enabled) {
//     const r = await llm.judge(verdict, messages);   // never throws
//     applyLlm(verdict, r);                            // verdict.llm, and the model's verdict when accepted
//     for (const w of r.warnings) warn(w);
//     await llm.close();
//     cache?.close();
//   } else if (llm.status === 'error') warn(llm.reason);
//
// With nothing configured (no KTRIAGE_LLM_BASE_URL) the session is disabled
// and the rules engine stands alone, as it always can.

import type { Agent } from 'undici';
import { JUDGED_KINDS, type JudgedKind, type LlmVerdictNote, type Message, type PatchVerdict, type Verdict } from '../core/types.js';
import { buildCase, pickTarget, type CaseOptions } from './case.js';
import { createDispatcher, type ClientDeps } from './client.js';
import { resolveLlmConfig, type LlmConfig } from './config.js';
import { judgeCase } from './judge.js';
import { DEFAULT_PROMPT, DEFAULT_PROMPTS_DIR, loadPrompt, PromptError, type PromptTemplate } from './prompt.js';
import type { LlmCacheLike, LlmResult } from './types.js';

export type * from './types.js';

export interface OpenLlmOptions {
  /** explicit settings; each field wins over the environment */
  config?: Partial<LlmConfig>;
  /** where KTRIAGE_LLM_* are read from (pass process.env; default: nothing) */
  env?: Record<string, string | undefined>;
  /** answers cache (src/store/llm-cache.ts); without one every call asks the server */
  cache?: LlmCacheLike;
  /** opens the answers cache instead of `cache`: called once, and only when the
   *  session is enabled (configuration and prompt usable), so a disabled or
   *  misconfigured LLM creates no cache file; undefined means none */
  openCache?: () => LlmCacheLike | undefined;
  /** prompt file name in prompts/ without .md (default 'triage-v1') */
  prompt?: string;
  promptsDir?: string;
  /** for tests: waits, jitter and clock */
  deps?: Omit<ClientDeps, 'dispatcher'>;
}

export interface LlmSession {
  enabled: true;
  config: LlmConfig;
  prompt: PromptTemplate;
  /** Judge the patch the thread verdict rests on (or `opts.patchId`; the thread when no patch answers a failure). Never throws. */
  judge(verdict: Verdict, messages: Message[], opts?: CaseOptions): Promise<LlmResult>;
  /** Close the HTTP connections (the cache is the caller's to close). */
  close(): Promise<void>;
}

export interface LlmDisabled {
  enabled: false;
  /** 'off': nothing configured (normal); 'error': configured but unusable (say so once) */
  status: 'off' | 'error';
  code?: 'E_LLM_CONFIG' | 'E_LLM_PROMPT';
  reason: string;
}

export function openLlm(opts: OpenLlmOptions = {}): LlmSession | LlmDisabled {
  const resolved = resolveLlmConfig(opts.config, opts.env ?? {});
  if (resolved.status === 'off') return { enabled: false, status: 'off', reason: resolved.reason };
  if (resolved.status === 'error') return { enabled: false, status: 'error', code: resolved.code, reason: resolved.message };
  let prompt: PromptTemplate;
  try {
    prompt = loadPrompt(opts.prompt ?? DEFAULT_PROMPT, opts.promptsDir ?? DEFAULT_PROMPTS_DIR);
  } catch (e) {
    return { enabled: false, status: 'error', code: 'E_LLM_PROMPT', reason: e instanceof PromptError ? e.message : String(e) };
  }
  const config = resolved.config;
  const cache = opts.cache ?? opts.openCache?.();
  let agent: Agent | undefined;
  const deps = () => {
    agent ??= createDispatcher(config);
    return { ...opts.deps, dispatcher: agent, config, prompt, ...(cache ? { cache } : {}) };
  };
  return {
    enabled: true,
    config,
    prompt,
    async judge(verdict, messages, caseOpts) {
      try {
        return await judgeCase(buildCase(verdict, messages, caseOpts), deps());
      } catch (e) {
        return { ok: false, code: 'E_LLM_INTERNAL', message: `LLM step failed: ${(e as Error)?.message ?? String(e)}`, attempts: 0, promptId: prompt.id, promptVersion: prompt.version, warnings: [] };
      }
    },
    async close() {
      const a = agent;
      agent = undefined;
      if (a) await a.close().catch(() => undefined);
    },
  };
}

/** What a verdict records of the LLM step (core/types.ts LlmVerdictNote): plain data for the report and JSON output. */
export function noteOf(r: LlmResult): LlmVerdictNote {
  if (!r.ok) {
    return {
      ...(r.promptId ? { promptId: r.promptId, promptVersion: r.promptVersion } : {}),
      accepted: false,
      error: { code: r.code, message: r.message },
    };
  }
  return {
    promptId: r.promptId,
    promptVersion: r.promptVersion,
    model: r.modelName,
    accepted: r.accepted,
    ...(r.patchId ? { patchId: r.patchId } : {}),
    verdict: r.verdict,
    rulesVerdict: r.rulesVerdict,
    confidence: r.confidence,
    ...(r.prose ? { prose: r.prose } : {}),
    cites: r.citedEvidence.map((e) => ({ id: e.id, cite: e.cite, text: e.text })),
    ...(r.disagreement ? { disagreement: r.disagreement } : {}),
    cached: r.cached,
    ...(r.budget.cut.length ? { cut: r.budget.cut } : {}),
  };
}

/**
 * Record the LLM step on the verdict (verdict.llm) and, when the model's
 * answer was accepted, make the verdict say what the model concluded: the
 * judged patch takes the model's verdict and confidence (its reason says the
 * rules thought otherwise), and when that patch is the one the thread verdict
 * rests on (or the case was about the thread), so does the thread, with a
 * closing line in the summary saying so. A failed or unaccepted step changes
 * nothing but verdict.llm: the rules' verdict stands. Returns the verdict.
 */
export function applyLlm(verdict: Verdict, r: LlmResult): Verdict {
  verdict.llm = noteOf(r);
  if (!r.ok || !r.accepted) return verdict;
  const deciding = pickTarget(verdict)?.messageId; // before the judged patch's verdict changes
  const cites = r.cites.join(', ');
  const patch = r.patchId ? verdict.patches.find((p) => p.messageId === r.patchId) : undefined;
  if (patch) {
    // fixes, hides and partial only against a failure the rules attributed to the patch
    const [first, ...rest] = patch.answers;
    if (JUDGED_KINDS.includes(r.verdict as JudgedKind) && first === undefined) {
      verdict.llm = { ...verdict.llm, accepted: false, disagreement: `the model said ${r.verdict}, but no failure is attributed to the patch` };
      return verdict;
    }
    if (patch.verdict !== r.verdict) patch.reason = `the LLM's verdict ${r.verdict}, citing ${cites}, replaces the rules' ${patch.verdict}, whose reason was: ${patch.reason}`;
    const judged: PatchVerdict =
      first !== undefined && JUDGED_KINDS.includes(r.verdict as JudgedKind)
        ? { ...patch, verdict: r.verdict as JudgedKind, answers: [first, ...rest], confidence: r.confidence }
        : { ...patch, verdict: r.verdict as Exclude<typeof r.verdict, JudgedKind>, confidence: r.confidence };
    verdict.patches[verdict.patches.indexOf(patch)] = judged;
  }
  if (deciding !== r.patchId) return verdict; // another patch than the thread verdict's
  const before = { verdict: verdict.verdict, confidence: verdict.confidence };
  verdict.verdict = r.verdict;
  verdict.confidence = r.confidence;
  if (before.verdict !== r.verdict) {
    verdict.summary += `\n\nVerdict after the LLM's second opinion: ${r.verdict} (confidence ${r.confidence.toFixed(2)}), citing ${cites}; it replaces the rules' ${before.verdict} (confidence ${before.confidence.toFixed(2)}).`;
  } else if (before.confidence.toFixed(2) !== r.confidence.toFixed(2)) {
    verdict.summary += `\n\nVerdict after the LLM's second opinion: ${r.verdict} (confidence ${r.confidence.toFixed(2)}), citing ${cites}; the rules said the same with confidence ${before.confidence.toFixed(2)}.`;
  }
  return verdict;
}
