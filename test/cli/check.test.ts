// `ktriage check`: a patch mail (or a series mbox) on stdin → b4's check
// protocol, one result per patch; bad stdin → one line and a nonzero exit.
// Fixtures in test/fixtures/check/: <name>.expected.json holds the statuses a
// maintainer expects (hand-written), <name>.golden.json the whole output
// (regenerated only with UPDATE_GOLDEN=1).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { checkpatchLines, checkResults, type CheckResult } from '../../src/cli/check.js';
import type { PatchVerdict, Verdict, VerdictKind } from '../../src/core/types.js';
import { ensureDist } from '../helpers/index-cli.js';
import { makeMessage } from '../helpers/unit.js';

const REPO = join(import.meta.dirname, '../..');
const FIX = join(REPO, 'test/fixtures/check');

function check(input: string | Buffer, ...args: string[]) {
  const env = { ...process.env };
  delete env.KTRIAGE_INDEX;
  delete env.KTRIAGE_DEBUG;
  const r = spawnSync(process.execPath, [join(REPO, 'bin/ktriage.js'), 'check', ...args], { input, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => ensureDist());

describe('ktriage check on fixture mails', () => {
  const inputs = readdirSync(FIX).filter((f) => /\.(eml|mbox)$/.test(f));
  it('has fixtures', () => assert.ok(inputs.length >= 4));
  for (const file of inputs) {
    const name = file.replace(/\.(eml|mbox)$/, '');
    it(name, () => {
      const r = check(readFileSync(join(FIX, file)), '--no-index');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const got = JSON.parse(r.stdout) as CheckResult[];
      const want = JSON.parse(readFileSync(join(FIX, `${name}.expected.json`), 'utf8')) as { status: string; verdict: string }[];
      assert.deepEqual(
        got.map((g) => ({ status: g.status, verdict: g.summary.split(' ')[0] })),
        want.map((w) => ({ status: w.status, verdict: w.verdict })),
      );
      for (const g of got) {
        assert.equal(g.tool, 'ktriage');
        assert.ok(['pass', 'warn', 'fail'].includes(g.status), 'b4 turns any other status into fail');
        assert.doesNotMatch(g.summary, /\n/);
      }
      const golden = join(FIX, `${name}.golden.json`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, r.stdout);
      assert.equal(r.stdout, readFileSync(golden, 'utf8'));
    });
  }

  it('--format checkpatch: an ERROR line for a failing patch, nothing for a passing one', () => {
    const series = check(readFileSync(join(FIX, 'series-fix-and-silence.mbox')), '--no-index', '--format', 'checkpatch');
    assert.equal(series.code, 0, series.stderr);
    assert.match(series.stdout, /^ERROR: ktriage: hides \(confidence [\d.]+\): .+\n$/);
    const clean = check(readFileSync(join(FIX, 'fixes-missing-include.eml')), '--no-index', '--format', 'checkpatch');
    assert.equal(clean.stdout, '');
  });
});

describe('ktriage check on bad stdin', () => {
  const cases: [string, string | Buffer][] = [
    ['empty', ''],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff])],
    ['plain text', 'just some words\nand more words\n'],
  ];
  for (const [what, input] of cases) {
    it(what, () => {
      const r = check(input, '--no-index');
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^ktriage: [^\n]+\n$/);
    });
  }
  it('a file argument instead of stdin is a usage error', () => {
    const r = check('', 'patch.eml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ktriage: check reads the patch mail on stdin/);
  });
});

describe('check status from the verdict', () => {
  const mail = makeMessage({ messageId: '<s1@example.org>', subject: '[PATCH] foo: bar', body: 'x\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n' });
  const base = triageMessages([mail]);
  const patch = base.patches[0]!;
  const withKind = (kind: VerdictKind, failures: boolean): Verdict => ({
    ...base,
    failures: failures ? [{ kind: 'compile', message: 'error: x', configs: [], cite: { messageId: '<s1@example.org>', line: 1 }, quoteDepth: 0 } as unknown as Verdict['failures'][number]] : [],
    patches: [{ ...patch, verdict: kind, answers: failures ? [0] : [] } as unknown as PatchVerdict],
  });
  const statusOf = (kind: VerdictKind, failures: boolean) => checkResults(withKind(kind, failures))[0]!.status;
  it('hides and breaks fail', () => {
    assert.equal(statusOf('hides', true), 'fail');
    assert.equal(statusOf('breaks', true), 'fail');
  });
  it('partial warns; unclear warns only when the mail shows a failure', () => {
    assert.equal(statusOf('partial', true), 'warn');
    assert.equal(statusOf('unclear', true), 'warn');
    assert.equal(statusOf('unclear', false), 'pass');
  });
  it('fixes and no-failure pass', () => {
    assert.equal(statusOf('fixes', true), 'pass');
    assert.equal(statusOf('no-failure', false), 'pass');
  });
  it('checkpatch lines: WARNING for warn, none for pass', () => {
    assert.equal(
      checkpatchLines([
        { tool: 'ktriage', status: 'warn', summary: 's' },
        { tool: 'ktriage', status: 'pass', summary: 'p' },
      ]),
      'WARNING: ktriage: s\n',
    );
  });
});

describe('ktriage check on a cover letter alone', () => {
  it('is [] (nothing to report): its diffstat is not a patch', () => {
    const mbox = readFileSync(join(FIX, 'series-fix-and-silence.mbox'), 'utf8');
    const cover = mbox.slice(0, mbox.indexOf('\nFrom mboxrd@z', 1) + 1);
    assert.match(cover, /Subject: \[PATCH v2 0\/2\]/);
    const r = check(cover, '--no-index');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });
});
