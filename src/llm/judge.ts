// One LLM judgement: case → messages (budgeted) → cache or HTTP → validated
// answer → accepted or not. Always resolves to an LlmResult; whatever goes
// wrong (prompt file, server, model, a bug of ours) becomes { ok: false, code }
// and the rules' verdict stands.

import { createHash } from 'node:crypto';
import { parseAnswer, weighAnswer } from './answer.js';
import { postChat, type ChatRequest, type ClientDeps } from './client.js';
import { effectiveLimits, type LlmConfig } from './config.js';
import { LLM_LIMITS } from './limits.js';
import { buildMessages, type ChatMessage } from './messages.js';
import { PromptError, type PromptTemplate } from './prompt.js';
import type { BudgetReport, LlmCacheLike, LlmCase, LlmFailure, LlmResult, LlmUsage, ModelAnswer } from './types.js';

export interface JudgeDeps extends ClientDeps {
  config: LlmConfig;
  cache?: LlmCacheLike;
  /** the loaded prompt (openLlm loads it) */
  prompt: PromptTemplate;
}

/** The cache key: sha256 over everything that decides the answer. */
export function promptHash(model: string, prompt: PromptTemplate, req: Omit<ChatRequest, 'model'>): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      model,
      promptId: prompt.id,
      promptVersion: prompt.version,
      messages: req.messages,
      temperature: req.temperature,
      response_format: req.response_format,
      max_tokens: req.max_tokens,
    }),
  );
  return h.digest('hex');
}

export function chatRequest(model: string, messages: ChatMessage[]): ChatRequest {
  return { model, messages, temperature: 0, response_format: { type: 'json_object' }, max_tokens: LLM_LIMITS.maxOutputTokens };
}

export async function judgeCase(c: LlmCase, deps: JudgeDeps): Promise<LlmResult> {
  const { prompt, config } = deps;
  let budget: BudgetReport | undefined;
  const warnings: string[] = [];
  const fail = (code: LlmFailure['code'], message: string, extra: Partial<LlmFailure> = {}): LlmFailure => ({
    ok: false,
    code,
    message,
    attempts: 0,
    promptId: prompt.id,
    promptVersion: prompt.version,
    ...(budget ? { budget } : {}),
    warnings,
    ...extra,
  });
  try {
    const built = buildMessages(prompt, c, effectiveLimits(config).maxInputTokens);
    budget = built.budget;
    const req = chatRequest(config.model, built.messages);
    const key = promptHash(config.model, prompt, req);

    let answer: ModelAnswer | undefined;
    let usage: LlmUsage | undefined;
    let cached = false;
    let attempts = 0;
    if (deps.cache) {
      try {
        const hit = deps.cache.get(key);
        if (hit) {
          const parsed = parseAnswer(hit.content);
          if (parsed.ok) {
            answer = parsed.answer;
            usage = hit.usage;
            cached = true;
          } else warnings.push(`cached answer ${key.slice(0, 12)} no longer valid (${parsed.message}); asked again`);
        }
      } catch (e) {
        warnings.push(`LLM cache not readable: ${(e as Error).message}`);
      }
    }
    if (!answer) {
      const out = await postChat(config, req, { 'x-ktriage-prompt': `${prompt.id}/v${prompt.version}` }, deps);
      if (!out.ok) return fail(out.code, out.message, { attempts: out.attempts, ...(out.status !== undefined ? { status: out.status } : {}) });
      attempts = out.attempts;
      usage = out.usage;
      const parsed = parseAnswer(out.content, out.finishReason);
      if (!parsed.ok) return fail(parsed.code, parsed.message, { attempts, status: out.status });
      answer = parsed.answer;
      if (deps.cache) {
        try {
          deps.cache.put(key, { content: out.content, ...(usage ? { usage } : {}), model: config.model, promptId: prompt.id, promptVersion: prompt.version });
        } catch (e) {
          warnings.push(`LLM cache not writable: ${(e as Error).message}`);
        }
      }
    }
    const w = weighAnswer(answer, built.evidence, c.rules);
    if (w.accepted && w.unknownCites.length) warnings.push(`the model also cited ids the engine did not produce: ${w.unknownCites.join(', ')}`);
    return {
      ok: true,
      accepted: w.accepted,
      verdict: w.verdict,
      confidence: w.confidence,
      rulesVerdict: c.rules.verdict,
      ...(c.patch ? { patchId: c.patch.messageId } : {}),
      model: answer,
      ...(w.accepted ? { prose: answer.summary } : {}),
      cites: w.cites,
      citedEvidence: w.citedEvidence,
      unknownCites: w.unknownCites,
      ...(w.disagreement ? { disagreement: w.disagreement } : {}),
      promptId: prompt.id,
      promptVersion: prompt.version,
      promptHash: key,
      modelName: config.model,
      cached,
      attempts,
      ...(usage ? { usage } : {}),
      budget: built.budget,
      warnings,
    };
  } catch (e) {
    if (e instanceof PromptError) return fail('E_LLM_PROMPT', e.message);
    return fail('E_LLM_INTERNAL', `LLM step failed: ${(e as Error)?.message ?? String(e)}`);
  }
}
