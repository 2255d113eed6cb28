// The LLM step inside `ktriage thread`, end to end: the built CLI against a
// chat-completions server in this process.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLlmServer, type LlmServer } from '../helpers/llm-server.js';
import { ensureDist } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';

const EXAMPLE = join(REPO, 'data', 'examples', 'arm-up-local-tlb-flush.mbox');

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin', 'ktriage.js'), ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('ktriage thread with an LLM configured', () => {
  let tmp: string;
  const servers: LlmServer[] = [];
  before(() => {
    ensureDist();
    tmp = mkdtempSync(join(tmpdir(), 'ktriage-llm-cli-'));
  });
  after(async () => {
    for (const s of servers) await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("a model answer citing the engine's evidence is recorded with its prompt id and version, and its prose printed", async () => {
    const server = await startLlmServer(() => ({ content: { verdict: 'hides', confidence: 0.9, summary: 'The guard only moves the failure out of the UP build.', cites: ['E1'] } }));
    servers.push(server);
    const env = { KTRIAGE_LLM_BASE_URL: server.url, KTRIAGE_LLM_MODEL: 'test-model', KTRIAGE_LLM_CACHE: join(tmp, 'cache.sqlite') };
    const r = await run(['thread', EXAMPLE, '--format', 'json', '--no-index'], env);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.llm.accepted, true);
    assert.equal(j.llm.promptId, 'triage');
    assert.equal(typeof j.llm.promptVersion, 'number');
    assert.equal(j.verdict, 'hides');
    assert.equal(server.requests.length, 1);
    const text = await run(['thread', EXAMPLE, '--no-index'], env);
    assert.match(text.stdout.replace(/\s+/g, ' '), /LLM \(test-model, prompt triage-v\d+, verdict accepted\): The guard only moves/);
    assert.equal(server.requests.length, 1, 'the second run is answered from the cache');
  });

  it("a failing server leaves the rules' verdict and says so on stderr; --no-llm never asks", async () => {
    const server = await startLlmServer(() => ({ status: 500, body: { error: 'boom' } }));
    servers.push(server);
    const env = { KTRIAGE_LLM_BASE_URL: server.url, KTRIAGE_LLM_MODEL: 'test-model', KTRIAGE_LLM_CACHE: join(tmp, 'cache2.sqlite') };
    const r = await run(['thread', EXAMPLE, '--format', 'json', '--no-index'], env);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).verdict, 'hides');
    assert.match(r.stderr, /^ktriage: LLM step failed, the rules' verdict stands \(E_LLM_HTTP/);
    const before = server.requests.length;
    const off = await run(['thread', EXAMPLE, '--format', 'json', '--no-index', '--no-llm'], env);
    assert.equal(off.code, 0);
    assert.equal(JSON.parse(off.stdout).llm, undefined);
    assert.equal(server.requests.length, before);
  });

  it('the judgement\'s warnings go to stderr, one "ktriage: warning:" line each', async () => {
    const server = await startLlmServer(() => ({ content: { verdict: 'hides', confidence: 0.9, summary: 'Hides it [E1].', cites: ['E1', 'E99'] } }));
    servers.push(server);
    const env = { KTRIAGE_LLM_BASE_URL: server.url, KTRIAGE_LLM_MODEL: 'test-model', KTRIAGE_LLM_CACHE: join(tmp, 'cache3.sqlite') };
    const r = await run(['thread', EXAMPLE, '--format', 'json', '--no-index'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).llm.accepted, true);
    assert.equal(r.stderr, 'ktriage: warning: the model also cited ids the engine did not produce: E99\n');
  });

  it('--llm without a configured endpoint is a usage error, and creates no cache', async () => {
    const cache = join(tmp, 'unconfigured', 'cache.sqlite');
    const r = await run(['thread', EXAMPLE, '--llm', '--no-index'], { KTRIAGE_LLM_BASE_URL: '', KTRIAGE_LLM_MODEL: '', KTRIAGE_LLM_CACHE: cache });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ktriage: --llm: /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(join(tmp, 'unconfigured')), false);
  });

  it('a half-done configuration (no model) is one warning; the rules answer and no cache is created', async () => {
    const cache = join(tmp, 'no-model', 'cache.sqlite');
    const r = await run(['thread', EXAMPLE, '--format', 'json', '--no-index'], { KTRIAGE_LLM_BASE_URL: 'http://127.0.0.1:9', KTRIAGE_LLM_MODEL: '', KTRIAGE_LLM_CACHE: cache });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).llm, undefined);
    assert.match(r.stderr, /^ktriage: warning: LLM off: LLM base URL is set but no model/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(join(tmp, 'no-model')), false);
  });
});
