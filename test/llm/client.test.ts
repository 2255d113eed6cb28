// The LLM client against a real HTTP server in this process: retries on 429
// and 5xx (Retry-After honoured), no retry on other 4xx, timeouts that abort
// the request, and every failure as a typed result.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseAnswer } from '../../src/llm/answer.js';
import { backoffMs, parseRetryAfter, postChat, readCompletion } from '../../src/llm/client.js';
import { resolveLlmConfig } from '../../src/llm/config.js';
import { openLlm, type LlmResult, type LlmSession } from '../../src/llm/index.js';
import { completion, sampleMessages, sampleVerdict, startLlmServer, type LlmServer, type Script } from '../helpers/llm-server.js';

const GOOD = { verdict: 'hides', confidence: 0.8, summary: 'The guard only stops !SMP from building the code [E3]; RMK refused it [E2].', cites: ['E2', 'E3'] };

const sessions: LlmSession[] = [];
const servers: LlmServer[] = [];

async function setup(script: Script, over: { timeoutMs?: number; maxAttempts?: number; backoffBaseMs?: number } = {}) {
  const server = await startLlmServer(script);
  servers.push(server);
  const llm = openLlm({ config: { baseURL: server.url, model: 'test-model', apiKey: 'sk-test', backoffBaseMs: 20, ...over } });
  assert.equal(llm.enabled, true);
  const session = llm as LlmSession;
  sessions.push(session);
  return { server, llm: session };
}

async function judge(llm: LlmSession): Promise<LlmResult> {
  return llm.judge(sampleVerdict(), sampleMessages());
}

after(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.close()));
});

describe('retries', () => {
  test('429 with Retry-After: 1, then success: waits about a second, then answers', async () => {
    const { server, llm } = await setup([{ status: 429, headers: { 'retry-after': '1' } }, { content: GOOD }]);
    const t0 = Date.now();
    const r = await judge(llm);
    const took = Date.now() - t0;
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(server.requests.length, 2);
    const gap = server.requests[1]!.receivedAt - server.requests[0]!.receivedAt;
    assert.ok(gap >= 990, `retried after ${gap} ms, Retry-After asked 1000`);
    assert.ok(gap < 1600, `retried after ${gap} ms, more than Retry-After + jitter`);
    assert.ok(took < 3000);
    if (r.ok) assert.equal(r.attempts, 2);
  });

  test('500, 500, then success: three attempts with backoff', async () => {
    const { server, llm } = await setup([{ status: 500 }, { status: 500 }, { content: GOOD }]);
    const r = await judge(llm);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(server.requests.length, 3);
    if (r.ok) {
      assert.equal(r.attempts, 3);
      assert.equal(r.accepted, true);
    }
  });

  test('persistent 503: gives up after maxAttempts with E_LLM_HTTP', async () => {
    const { server, llm } = await setup([{ status: 503, body: '<html>Service Unavailable</html>' }], { maxAttempts: 3 });
    const r = await judge(llm);
    assert.equal(r.ok, false);
    assert.equal(server.requests.length, 3);
    if (!r.ok) {
      assert.equal(r.code, 'E_LLM_HTTP');
      assert.equal(r.status, 503);
      assert.equal(r.attempts, 3);
      assert.match(r.message, /HTTP 503.*Service Unavailable.*gave up after 3 attempts/);
      assert.equal(r.promptId, 'triage');
      assert.equal(r.promptVersion, 1);
    }
  });

  test('401: no retry, E_LLM_HTTP at once', async () => {
    const { server, llm } = await setup([{ status: 401, body: { error: { message: 'invalid api key' } } }, { content: GOOD }]);
    const r = await judge(llm);
    assert.equal(server.requests.length, 1);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, 'E_LLM_HTTP');
      assert.equal(r.status, 401);
      assert.match(r.message, /invalid api key/);
    }
  });

  test('a Retry-After longer than the cap: gives up rather than retry early', async () => {
    const { server, llm } = await setup([{ status: 429, headers: { 'retry-after': '3600' } }, { content: GOOD }]);
    const r = await judge(llm);
    assert.equal(server.requests.length, 1);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, 'E_LLM_HTTP');
      assert.match(r.message, /retry after 3600 s/);
    }
  });
});

describe('timeouts and bad answers', () => {
  test('the server answers after the client timeout: E_LLM_TIMEOUT, request aborted, not retried', async () => {
    const { server, llm } = await setup([{ content: GOOD, delayMs: 3000 }], { timeoutMs: 300 });
    const t0 = Date.now();
    const r = await judge(llm);
    const took = Date.now() - t0;
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'E_LLM_TIMEOUT');
    assert.ok(took >= 290 && took < 1500, `took ${took} ms`);
    assert.equal(server.requests.length, 1);
    // the server sees the client go away
    for (let k = 0; k < 50 && !server.requests[0]!.aborted; k++) await new Promise((res) => setTimeout(res, 10));
    assert.equal(server.requests[0]!.aborted, true);
  });

  test('malformed JSON in choices[0].message.content: E_LLM_BAD_JSON', async () => {
    const { llm } = await setup([{ content: '{"verdict": "fixes", "confidence": 0.9, "summary": "ok", "cites": ["E1"' }]);
    const r = await judge(llm);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, 'E_LLM_BAD_JSON');
      assert.equal(r.attempts, 1);
    }
  });

  test('valid JSON that fails the schema: E_LLM_SCHEMA naming the fields', async () => {
    const { llm } = await setup([{ content: { verdict: 'probably-fine', confidence: 3, summary: '', cites: 'E1' } }]);
    const r = await judge(llm);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, 'E_LLM_SCHEMA');
      assert.match(r.message, /verdict/);
      assert.match(r.message, /confidence/);
      assert.match(r.message, /cites/);
    }
  });

  test('JSON that is not an object (an array, a string) fails the schema at its root: E_LLM_SCHEMA', () => {
    for (const content of ['["fixes"]', '"fixes"', 'null']) {
      const r = parseAnswer(content);
      assert.equal(r.ok, false, content);
      if (!r.ok) {
        assert.equal(r.code, 'E_LLM_SCHEMA', content);
        assert.match(r.message, /\(root\): Expected object/, content);
      }
    }
  });

  test('a 200 that is not a chat completion: E_LLM_BAD_RESPONSE', async () => {
    const { llm } = await setup([{ body: { object: 'list', data: [] } }]);
    const r = await judge(llm);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'E_LLM_BAD_RESPONSE');
  });

  test('nothing listening: E_LLM_NETWORK, no crash', async () => {
    const server = await startLlmServer([{ content: GOOD }]);
    const url = server.url;
    await server.close();
    const llm = openLlm({ config: { baseURL: url, model: 'm', timeoutMs: 2000 } }) as LlmSession;
    sessions.push(llm);
    const r = await judge(llm);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'E_LLM_NETWORK');
  });
});

describe('pieces', () => {
  test('Retry-After: seconds, HTTP-date, past date, garbage', () => {
    const now = Date.parse('2024-03-01T10:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter('Fri, 01 Mar 2024 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Fri, 01 Mar 2024 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  test('backoff doubles, is capped, and keeps half of it fixed', () => {
    assert.equal(
      backoffMs(1, 500, () => 0),
      250,
    );
    assert.equal(
      backoffMs(1, 500, () => 1),
      500,
    );
    assert.equal(
      backoffMs(3, 500, () => 1),
      2000,
    );
    assert.equal(
      backoffMs(20, 500, () => 1),
      8000,
    );
  });

  test('a 429 with an HTTP-date Retry-After is honoured (fake clock and sleep)', async () => {
    const server = await startLlmServer([{ status: 429, headers: { 'retry-after': new Date(Date.now() + 7000).toUTCString() } }, { content: GOOD }]);
    servers.push(server);
    const waits: number[] = [];
    const cfg = resolveLlmConfig({ baseURL: server.url, model: 'm' });
    assert.equal(cfg.status, 'on');
    if (cfg.status !== 'on') return;
    const r = await postChat(
      cfg.config,
      { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0, response_format: { type: 'json_object' }, max_tokens: 10 },
      {},
      {
        sleep: async (ms) => void waits.push(ms),
        random: () => 0,
      },
    );
    assert.equal(r.ok, true);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! > 5000 && waits[0]! <= 7000, `waited ${waits[0]}`);
  });

  test('readCompletion: content, usage, refusal', () => {
    const ok = readCompletion(JSON.stringify(completion('{"a":1}')));
    assert.deepEqual(ok.ok && ok.usage, { promptTokens: 100, completionTokens: 20, totalTokens: 120 });
    const refused = readCompletion(JSON.stringify({ choices: [{ message: { content: null, refusal: 'no' } }] }));
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.message : '', /refused/);
  });
});

describe('configuration', () => {
  test('nothing configured: off, not an error', () => {
    const llm = openLlm({ env: {} });
    assert.equal(llm.enabled, false);
    if (!llm.enabled) assert.equal(llm.status, 'off');
  });

  test('environment: base URL (a trailing /v1 dropped), model, key, timeout', () => {
    const r = resolveLlmConfig({}, { KTRIAGE_LLM_BASE_URL: 'http://127.0.0.1:8080/v1/', KTRIAGE_LLM_MODEL: 'qwen', KTRIAGE_LLM_API_KEY: 'k', KTRIAGE_LLM_TIMEOUT_MS: '5000' });
    assert.deepEqual(r, { status: 'on', config: { baseURL: 'http://127.0.0.1:8080', model: 'qwen', apiKey: 'k', timeoutMs: 5000 } });
  });

  test('half a configuration is an error the caller can show', () => {
    const noModel = openLlm({ env: { KTRIAGE_LLM_BASE_URL: 'http://127.0.0.1:1' } });
    assert.equal(noModel.enabled, false);
    if (!noModel.enabled) {
      assert.equal(noModel.status, 'error');
      assert.equal(noModel.code, 'E_LLM_CONFIG');
    }
    assert.equal(resolveLlmConfig({ baseURL: 'ftp://x', model: 'm' }).status, 'error');
    assert.equal(resolveLlmConfig({ baseURL: 'http://x', model: 'm' }, { KTRIAGE_LLM_TIMEOUT_MS: 'soon' }).status, 'error');
  });
});
