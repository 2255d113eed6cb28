// src/daemon/jsonl.ts: one JSON line per verdict, to a stream or appended to a file.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { createJsonlWriter } from '../../src/daemon/jsonl.js';
import { toJson } from '../../src/report/render.js';
import { makeMessage } from '../helpers/unit.js';

const verdict = triageMessages([makeMessage({ messageId: '<j1@example.org>', subject: '[PATCH] foo: tidy', body: 'tidy\n---\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-x\n+y\n' })]);
const at = new Date('2026-04-01T12:00:00Z');

describe('JSON lines', () => {
  it('a line per verdict on a stream: toJson plus thread root, list and judged-at', () => {
    const s = new PassThrough();
    const w = createJsonlWriter(s);
    w.write({ threadRoot: '<j1@example.org>', list: 'foo.lists.example.org', judgedAt: at, verdict, verdictId: 7 });
    w.write({ threadRoot: '<j1@example.org>', judgedAt: at, verdict });
    w.close();
    const lines = (s.read() as Buffer).toString('utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(first, { threadRoot: '<j1@example.org>', list: 'foo.lists.example.org', judgedAt: at.toISOString(), verdictId: 7, ...JSON.parse(JSON.stringify(toJson(verdict))) });
    assert.equal((JSON.parse(lines[1]!) as { list: unknown }).list, null);
  });

  it('appended to a file that already has lines, one write per line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-jsonl-'));
    try {
      const path = join(dir, 'verdicts.jsonl');
      writeFileSync(path, '{"earlier":true}\n');
      const w = createJsonlWriter(path);
      w.write({ threadRoot: '<j1@example.org>', judgedAt: at, verdict });
      w.close();
      assert.throws(() => w.write({ threadRoot: '<j1@example.org>', judgedAt: at, verdict }), /closed/);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.equal((JSON.parse(lines[1]!) as { verdict: string }).verdict, verdict.verdict);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
