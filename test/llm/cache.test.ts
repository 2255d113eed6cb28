// The LLM answers cache in SQLite: schema version, persistence across opens,
// and a cache that fails does not fail the judgement.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openLlm, type LlmSession } from '../../src/llm/index.js';
import { defaultLlmCachePath, LLM_CACHE_SCHEMA_VERSION, openLlmCache } from '../../src/store/llm-cache.js';
import { sampleMessages, sampleVerdict, startLlmServer, type LlmServer } from '../helpers/llm-server.js';

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ktriage-llm-cache-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function server(): Promise<LlmServer> {
  const s = await startLlmServer([{ content: { verdict: 'hides', confidence: 0.7, summary: 'hides [E1]', cites: ['E1'] } }]);
  cleanup.push(() => s.close());
  return s;
}

function session(url: string, cache?: Parameters<typeof openLlm>[0] extends infer O ? (O extends { cache?: infer C } ? C : never) : never): LlmSession {
  const llm = openLlm({ config: { baseURL: url, model: 'm' }, ...(cache ? { cache } : {}) }) as LlmSession;
  cleanup.push(() => llm.close());
  return llm;
}

test('a file cache survives a reopen: the next process makes no request', async () => {
  const dir = await tempDir();
  const path = join(dir, 'sub', 'llm-cache.sqlite');
  const s = await server();
  const c1 = openLlmCache(path);
  const r1 = await session(s.url, c1).judge(sampleVerdict(), sampleMessages());
  assert.equal(r1.ok && r1.cached, false);
  c1.close();

  const c2 = openLlmCache(path);
  const r2 = await session(s.url, c2).judge(sampleVerdict(), sampleMessages());
  assert.equal(r2.ok && r2.cached, true);
  assert.equal(s.requests.length, 1);
  assert.equal(c2.size(), 1);
  c2.close();

  const db = new Database(path, { readonly: true });
  assert.equal((db.prepare('SELECT version FROM llm_cache_schema').get() as { version: number }).version, LLM_CACHE_SCHEMA_VERSION);
  const row = db.prepare('SELECT model, prompt_id, prompt_version, hits FROM llm_cache').get() as Record<string, unknown>;
  // a hit is only a read: the schema-1 `hits` column stays, and stays 0
  assert.deepEqual(row, { model: 'm', prompt_id: 'triage', prompt_version: 1, hits: 0 });
  db.close();
});

test('dropOtherVersions clears answers of older prompt versions', () => {
  const c = openLlmCache(':memory:');
  c.put('a', { content: '{}', model: 'm', promptId: 'triage', promptVersion: 1 });
  c.put('b', { content: '{}', model: 'm', promptId: 'triage', promptVersion: 2 });
  assert.equal(c.dropOtherVersions('triage', 2), 1);
  assert.equal(c.get('a'), undefined);
  assert.deepEqual(c.get('b'), { content: '{}' });
  c.close();
});

test('a newer schema or a file that is not SQLite is an E_IO error at open', async () => {
  const dir = await tempDir();
  const newer = join(dir, 'newer.sqlite');
  const db = new Database(newer);
  db.exec('CREATE TABLE llm_cache_schema(version INTEGER NOT NULL); INSERT INTO llm_cache_schema VALUES (99)');
  db.close();
  assert.throws(
    () => openLlmCache(newer),
    (e: { code?: string; message: string }) => e.code === 'E_IO' && /newer/.test(e.message),
  );
  const junk = join(dir, 'junk.sqlite');
  await writeFile(junk, 'this is not a database, just text that is long enough to be read as a header...');
  assert.throws(
    () => openLlmCache(junk),
    (e: { code?: string }) => e.code === 'E_IO',
  );
});

test('a cache that throws does not fail the judgement: a warning, and the answer', async () => {
  const s = await server();
  const broken = {
    get(): never {
      throw new Error('disk I/O error');
    },
    put(): never {
      throw new Error('database is locked');
    },
  };
  const r = await session(s.url, broken).judge(sampleVerdict(), sampleMessages());
  assert.equal(r.ok, true);
  if (r.ok) {
    assert.equal(r.accepted, true);
    assert.match(r.warnings.join('\n'), /not readable: disk I\/O error/);
    assert.match(r.warnings.join('\n'), /not writable: database is locked/);
  }
});

test('default cache path: KTRIAGE_LLM_CACHE, else XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(defaultLlmCachePath({ KTRIAGE_LLM_CACHE: '/x/c.sqlite' }), '/x/c.sqlite');
  assert.equal(defaultLlmCachePath({ XDG_CACHE_HOME: '/xdg' }), '/xdg/ktriage/llm-cache.sqlite');
  assert.equal(defaultLlmCachePath({ HOME: '/home/u' }), '/home/u/.cache/ktriage/llm-cache.sqlite');
});
