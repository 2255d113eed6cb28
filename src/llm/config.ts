// LLM configuration: an object from the caller, else the environment
// (KTRIAGE_LLM_BASE_URL, KTRIAGE_LLM_MODEL, KTRIAGE_LLM_API_KEY,
// KTRIAGE_LLM_TIMEOUT_MS). Nothing configured means the LLM is off; that is
// the normal state, not an error. A half-done configuration (a URL without a
// model) is an error the caller should show once.

import { LLM_LIMITS } from './limits.js';

export interface LlmConfig {
  /** server root, e.g. http://127.0.0.1:8080; a trailing /v1 is accepted and dropped */
  baseURL: string;
  model: string;
  apiKey?: string;
  /** per-request timeout (default LLM_LIMITS.requestTimeoutMs) */
  timeoutMs?: number;
  /** attempts per call, first one included (default LLM_LIMITS.maxAttempts) */
  maxAttempts?: number;
  /** first backoff step (default LLM_LIMITS.backoffBaseMs) */
  backoffBaseMs?: number;
  /** input token budget (default LLM_LIMITS.maxInputTokens) */
  maxInputTokens?: number;
}

export type ConfigResult = { status: 'on'; config: LlmConfig } | { status: 'off'; reason: string } | { status: 'error'; code: 'E_LLM_CONFIG'; message: string };

function positiveInt(v: string | number | undefined, name: string): number | undefined | Error {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) return new Error(`${name} must be a positive integer, not ${JSON.stringify(v)}`);
  return n;
}

/**
 * The configuration to use: fields of `given` win over the environment.
 * Returns 'off' when neither names a base URL.
 */
export function resolveLlmConfig(given: Partial<LlmConfig> = {}, env: Record<string, string | undefined> = {}): ConfigResult {
  const baseURL = (given.baseURL ?? env.KTRIAGE_LLM_BASE_URL ?? '').trim();
  const model = (given.model ?? env.KTRIAGE_LLM_MODEL ?? '').trim();
  const apiKey = (given.apiKey ?? env.KTRIAGE_LLM_API_KEY ?? '').trim() || undefined;
  if (!baseURL) {
    return { status: 'off', reason: model ? 'KTRIAGE_LLM_MODEL is set but no KTRIAGE_LLM_BASE_URL; the LLM is off' : 'no LLM configured (KTRIAGE_LLM_BASE_URL unset)' };
  }
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return { status: 'error', code: 'E_LLM_CONFIG', message: `LLM base URL ${JSON.stringify(baseURL)} is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { status: 'error', code: 'E_LLM_CONFIG', message: `LLM base URL must be http or https, not ${url.protocol}` };
  }
  if (!model) return { status: 'error', code: 'E_LLM_CONFIG', message: 'LLM base URL is set but no model (set KTRIAGE_LLM_MODEL)' };
  const config: LlmConfig = { baseURL: normaliseBase(url), model };
  if (apiKey) config.apiKey = apiKey;
  const numbers = {
    timeoutMs: positiveInt(given.timeoutMs ?? env.KTRIAGE_LLM_TIMEOUT_MS, 'KTRIAGE_LLM_TIMEOUT_MS'),
    maxAttempts: positiveInt(given.maxAttempts, 'maxAttempts'),
    backoffBaseMs: positiveInt(given.backoffBaseMs, 'backoffBaseMs'),
    maxInputTokens: positiveInt(given.maxInputTokens, 'maxInputTokens'),
  };
  for (const [key, n] of Object.entries(numbers) as [keyof typeof numbers, number | undefined | Error][]) {
    if (n instanceof Error) return { status: 'error', code: 'E_LLM_CONFIG', message: n.message };
    if (n !== undefined) config[key] = n;
  }
  return { status: 'on', config };
}

/** 'http://h:1/v1/' and 'http://h:1' both become 'http://h:1' (we append /v1/chat/completions). */
function normaliseBase(url: URL): string {
  const path = url.pathname.replace(/(?<!\/)\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}

/** The effective numbers for one config. */
export function effectiveLimits(config: LlmConfig) {
  return {
    timeoutMs: config.timeoutMs ?? LLM_LIMITS.requestTimeoutMs,
    maxAttempts: config.maxAttempts ?? LLM_LIMITS.maxAttempts,
    backoffBaseMs: config.backoffBaseMs ?? LLM_LIMITS.backoffBaseMs,
    maxInputTokens: config.maxInputTokens ?? LLM_LIMITS.maxInputTokens,
  };
}
