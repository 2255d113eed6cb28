// The optional LLM second opinion, as the CLI and the daemon use it.
//
//   const llm = openLlm({ env: process.env, cache: openLlmCache(defaultLlmCachePath(process.env)) });
//   if (llm.enabled) {
//     const r = await llm.judge(verdict, messages);   // never throws
//     if (r.ok && r.accepted) ...use r.verdict, r.prose, r.citedEvidence...
//     await llm.close();
//   } else if (llm.status === 'error') warn(llm.reason);
//
// With nothing configured (no KTRIAGE_LLM_BASE_URL) the session is disabled
// and the rules engine stands alone, as it always can.

import type { Agent } from 'undici';
import type { Message, Verdict } from '../core/types.js';
import { buildCase, type CaseOptions } from './case.js';
import { createDispatcher, type ClientDeps } from './client.js';
import { resolveLlmConfig, type LlmConfig } from './config.js';
import { judgeCase } from './judge.js';
import { DEFAULT_PROMPT, DEFAULT_PROMPTS_DIR, loadPrompt, PromptError, type PromptTemplate } from './prompt.js';
import type { LlmCacheLike, LlmCase, LlmResult } from './types.js';

export { buildCase, pickTarget, type CaseOptions } from './case.js';
export { resolveLlmConfig, type LlmConfig, type ConfigResult } from './config.js';
export { judgeCase, type JudgeDeps } from './judge.js';
export { LLM_LIMITS } from './limits.js';
export { loadPrompt, type PromptTemplate } from './prompt.js';
export { parseRetryAfter } from './client.js';
export type * from './types.js';

export interface OpenLlmOptions {
  /** explicit settings; each field wins over the environment */
  config?: Partial<LlmConfig>;
  /** where KTRIAGE_LLM_* are read from (pass process.env; default: nothing) */
  env?: Record<string, string | undefined>;
  /** answers cache (src/store/llm-cache.ts); without one every call asks the server */
  cache?: LlmCacheLike;
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
  /** Judge the patch the thread verdict rests on (or `opts.patchId`). Never throws. */
  judge(verdict: Verdict, messages: Message[], opts?: CaseOptions): Promise<LlmResult>;
  /** Judge a case built by hand (or by buildCase). Never throws. */
  judgeCase(c: LlmCase): Promise<LlmResult>;
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
  let agent: Agent | undefined;
  const deps = () => {
    agent ??= createDispatcher(config);
    return { ...opts.deps, dispatcher: agent, config, prompt, ...(opts.cache ? { cache: opts.cache } : {}) };
  };
  return {
    enabled: true,
    config,
    prompt,
    judgeCase: (c) => judgeCase(c, deps()),
    async judge(verdict, messages, caseOpts) {
      try {
        return await judgeCase(buildCase(verdict, messages, caseOpts), deps());
      } catch (e) {
        return { ok: false, code: 'E_LLM_INTERNAL', message: `LLM step failed: ${(e as Error)?.message ?? String(e)}`, attempts: 0, promptId: prompt.id, promptVersion: prompt.version };
      }
    },
    async close() {
      const a = agent;
      agent = undefined;
      if (a) await a.close().catch(() => undefined);
    },
  };
}

/** What a verdict should record about the LLM step: plain data for the report and JSON output. */
export interface LlmNote {
  promptId?: string;
  promptVersion?: number;
  model?: string;
  /** true when the model's verdict and prose were used */
  accepted: boolean;
  verdict?: Verdict['verdict'];
  rulesVerdict?: Verdict['verdict'];
  confidence?: number;
  prose?: string;
  cites?: { id: string; cite: string; text: string }[];
  disagreement?: string;
  cached?: boolean;
  cut?: string[];
  error?: { code: string; message: string };
}

export function noteOf(r: LlmResult): LlmNote {
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
