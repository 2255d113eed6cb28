// POST {baseURL}/v1/chat/completions through undici, with a timeout per
// request, retries on 429 and 5xx (exponential backoff with jitter, honouring
// Retry-After), and every failure returned as data with a stable code. Nothing
// here throws to the caller.
//
// What is retried and why:
//   429, 500-599     yes: rate limits and overloaded or restarting servers pass
//                    (RFC 9110 §15.6; OpenAI documents 429/500/503 as retryable)
//   other 4xx        no: the request itself is wrong (bad key, unknown model)
//   connection reset yes: a keep-alive socket closed under us is transient
//   refused, DNS     no: nothing is listening; retrying only delays the rules
//   timeout          no: a model that took 30 s will take 30 s again; the
//                    verdict must not wait attempts x timeout

import { Agent, request, type Dispatcher } from 'undici';
import { effectiveLimits, type LlmConfig } from './config.js';
import { LLM_LIMITS } from './limits.js';
import type { ChatMessage } from './messages.js';
import type { LlmErrorCode, LlmUsage } from './types.js';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: 0;
  response_format: { type: 'json_object' };
  max_tokens: number;
}

export interface ClientDeps {
  /** undici dispatcher (an Agent the session owns); default undici's global one */
  dispatcher?: Dispatcher;
  /** waits between attempts; tests may pass a fake */
  sleep?: (ms: number) => Promise<void>;
  /** jitter source in [0, 1) */
  random?: () => number;
  /** clock in ms (Retry-After dates, the total deadline) */
  now?: () => number;
}

export type ChatOutcome =
  { ok: true; content: string; finishReason?: string; usage?: LlmUsage; attempts: number; status: number } | { ok: false; code: LlmErrorCode; message: string; status?: number; attempts: number };

/** An Agent for one session: short keep-alive, connect bounded by the request timeout. */
export function createDispatcher(config: LlmConfig): Agent {
  return new Agent({ keepAliveTimeout: 4_000, connect: { timeout: effectiveLimits(config).timeoutMs } });
}

export function chatURL(config: LlmConfig): string {
  return `${config.baseURL}/v1/chat/completions`;
}

/**
 * Retry-After (RFC 9110 §10.2.3) in ms from `nowMs`: delay-seconds or an
 * HTTP-date; a date in the past is 0. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

/** Wait before retry `n` (1-based): base * 2^(n-1), capped, half of it random ("equal jitter"). */
export function backoffMs(n: number, baseMs: number, random: () => number): number {
  const exp = Math.min(LLM_LIMITS.backoffCapMs, baseMs * 2 ** (n - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

type Attempt =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: 'too-big'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; message: string };

const TRANSIENT_NET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

async function attemptOnce(url: string, headers: Record<string, string>, body: string, timeoutMs: number, dispatcher?: Dispatcher): Promise<Attempt> {
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort(new Error(`no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      signal: ac.signal,
      ...(dispatcher ? { dispatcher } : {}),
      // our own timer covers the whole exchange; these only must not fire first
      headersTimeout: timeoutMs + 1_000,
      bodyTimeout: timeoutMs + 1_000,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > LLM_LIMITS.maxResponseBytes) {
        res.body.destroy();
        return { kind: 'too-big', status: res.statusCode };
      }
      chunks.push(chunk as Buffer);
    }
    return { kind: 'response', status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    if (timedOut) return { kind: 'timeout' };
    const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = err.cause?.code ?? err.code ?? 'UNKNOWN';
    return { kind: 'network', code, message: err.cause?.message ?? err.message ?? String(e) };
  } finally {
    clearTimeout(timer);
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > LLM_LIMITS.maxErrorBodyChars ? `${flat.slice(0, LLM_LIMITS.maxErrorBodyChars)}…` : flat;
}

/** The content of choices[0] of a chat completion, or why there is none. */
export function readCompletion(text: string): { ok: true; content: string; finishReason?: string; usage?: LlmUsage } | { ok: false; message: string } {
  let env: unknown;
  try {
    env = JSON.parse(text);
  } catch {
    return { ok: false, message: `the server's answer is not JSON: ${snippet(text)}` };
  }
  const choice = (env as { choices?: unknown })?.choices;
  const first = Array.isArray(choice) ? (choice[0] as { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown } | undefined) : undefined;
  const content = first?.message?.content;
  if (typeof content !== 'string') {
    const refusal = first?.message?.refusal;
    return { ok: false, message: typeof refusal === 'string' ? `the model refused: ${snippet(refusal)}` : 'the answer has no choices[0].message.content' };
  }
  const u = (env as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown } }).usage;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const usage: LlmUsage | undefined = u ? { promptTokens: num(u.prompt_tokens), completionTokens: num(u.completion_tokens), totalTokens: num(u.total_tokens) } : undefined;
  return { ok: true, content, finishReason: typeof first?.finish_reason === 'string' ? first.finish_reason : undefined, usage };
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One chat completion, retried as described at the top of this file. */
export async function postChat(config: LlmConfig, req: ChatRequest, extraHeaders: Record<string, string>, deps: ClientDeps = {}): Promise<ChatOutcome> {
  const lim = effectiveLimits(config);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? sleepReal;
  const random = deps.random ?? Math.random;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'ktriage',
    ...extraHeaders,
  };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const body = JSON.stringify(req);
  const url = chatURL(config);
  const start = now();

  let attempts = 0;
  let last: Extract<ChatOutcome, { ok: false }> = { ok: false, code: 'E_LLM_INTERNAL', message: 'no attempt made', attempts: 0 };
  while (attempts < lim.maxAttempts) {
    attempts++;
    const a = await attemptOnce(url, headers, body, lim.timeoutMs, deps.dispatcher);
    let wait: number | undefined; // set when this failure may be retried
    if (a.kind === 'timeout') {
      return { ok: false, code: 'E_LLM_TIMEOUT', message: `${url}: no complete answer within ${lim.timeoutMs} ms (request aborted)`, attempts };
    } else if (a.kind === 'network') {
      last = { ok: false, code: 'E_LLM_NETWORK', message: `${url}: ${a.code}: ${a.message}`, attempts };
      if (!TRANSIENT_NET.has(a.code)) return last;
      wait = backoffMs(attempts, lim.backoffBaseMs, random);
    } else if (a.kind === 'too-big') {
      return { ok: false, code: 'E_LLM_BAD_RESPONSE', message: `${url}: answer larger than ${LLM_LIMITS.maxResponseBytes} bytes`, status: a.status, attempts };
    } else if (a.status >= 200 && a.status < 300) {
      const c = readCompletion(a.text);
      if (!c.ok) return { ok: false, code: 'E_LLM_BAD_RESPONSE', message: `${url}: ${c.message}`, status: a.status, attempts };
      return { ok: true, content: c.content, finishReason: c.finishReason, usage: c.usage, attempts, status: a.status };
    } else {
      last = { ok: false, code: 'E_LLM_HTTP', message: `${url}: HTTP ${a.status}${a.text ? `: ${snippet(a.text)}` : ''}`, status: a.status, attempts };
      if (a.status !== 429 && a.status < 500) return last;
      const asked = parseRetryAfter(a.headers['retry-after'], now());
      if (asked !== undefined && asked > LLM_LIMITS.maxRetryAfterMs) {
        return { ...last, message: `${last.message} (the server asks to retry after ${Math.ceil(asked / 1000)} s, more than the ${LLM_LIMITS.maxRetryAfterMs / 1000} s we wait)` };
      }
      wait = asked !== undefined ? Math.round(asked * (1 + random() * LLM_LIMITS.retryAfterJitter)) : backoffMs(attempts, lim.backoffBaseMs, random);
    }
    if (attempts >= lim.maxAttempts) break;
    if (now() - start + wait > LLM_LIMITS.maxTotalMs) {
      return { ...last, message: `${last.message} (gave up: the next retry would pass the ${LLM_LIMITS.maxTotalMs / 1000} s budget of one call)` };
    }
    await sleep(wait);
  }
  return { ...last, message: `${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`, attempts };
}
