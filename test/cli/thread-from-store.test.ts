// `ktriage thread --db STORE <msgid>`: a thread ingested into the store is judged
// from it, by any of its Message-IDs, with no network, exactly as from the file.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDist, runCli } from '../helpers/index-cli.js';

const FIX = join(import.meta.dirname, '../fixtures/store/corvid-adc.mbox');
const UNRELATED = '<20240307081500.33120-1-avarga@example.net>';
const dir = mkdtempSync(join(tmpdir(), 'ktriage-thread-db-'));
const db = join(dir, 'store.sqlite');
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => {
  ensureDist();
  const r = runCli(['ingest', FIX, '--db', db, '--no-index']);
  assert.equal(r.code, 0, r.stderr);
});

const verdictOf = (out: string) => {
  const j = JSON.parse(out) as { verdict: string; rootId: string; messages: number; patches: { messageId: string; verdict: string }[] };
  return { verdict: j.verdict, rootId: j.rootId, messages: j.messages, patches: j.patches.map((p) => [p.messageId, p.verdict]) };
};

describe('thread --db', () => {
  it('judges the stored thread as the file run does, from the root or from a reply', () => {
    // the file holds the thread and, after it, an unrelated posting: the file run takes the
    // file as one thread, the store threads by headers
    const fromFile = runCli(['thread', FIX, '--no-index', '--format', 'json']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const file = verdictOf(fromFile.stdout);
    const want = { ...file, messages: 3, patches: file.patches.filter((p) => p[0] !== UNRELATED) };
    for (const id of [want.rootId, '20240305093109.220417-1-ibrandt@example.org', 'https://lore.kernel.org/r/20240306180251.5d1e2f3a@jic-laptop.example.com']) {
      const r = runCli(['thread', '--db', db, id, '--no-index', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(verdictOf(r.stdout), want, id);
    }
    const alone = runCli(['thread', '--db', db, UNRELATED, '--no-index', '--format', 'json']);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(verdictOf(alone.stdout).messages, 1);
  });

  it('an id the store lacks, or a file name, is one line and a nonzero exit', () => {
    const missing = runCli(['thread', '--db', db, '<nothing-here@example.org>', '--no-index']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /^ktriage: no such message in the store .*: <nothing-here@example\.org>\n$/);
    const file = runCli(['thread', '--db', db, 'some-file.mbox', '--no-index']);
    assert.notEqual(file.code, 0);
    assert.equal(file.stderr.trim().split('\n').length, 1, file.stderr);
  });
});
