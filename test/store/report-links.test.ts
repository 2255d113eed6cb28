// Reports and fixes linked across threads in the store (issue 14 item 3): a
// fix's Closes: names the robot's report; a fix's Fixes: names the commit a
// linux-next report blamed ("Caused by commit …"). `ktriage threads` shows
// "answers <report>" on the fix and "answered by <patch>" on the report, in
// text and JSON, whichever thread was ingested first.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';

const DIR = join(REPO, 'test', 'fixtures', 'linked');
const ROBOT_REPORT = '<202403121530.Kq7Hx2Lm-lkp@intel.com>';
const ROBOT_FIX = '<20240313091122.40817-1-ilse.marchetti@tilia-gfx.example>';
const NEXT_REPORT = '<20240404132041.5a7e91c3@canb.example.org>';
const NEXT_FIX = '<20240404074805.118342-1-rtennant@kestrel-net.example>';

interface Row {
  rootId: string;
  answers: { messageId: string; how: string; root: string | null; subject: string | null }[];
  answeredBy: { messageId: string; how: string; root: string | null }[];
}

const dir = mkdtempSync(join(tmpdir(), 'ktriage-links-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureDist());

function storeOf(name: string, files: string[]): string {
  const db = join(dir, `${name}.sqlite`);
  for (const f of files) {
    const r = runCli(['ingest', join(DIR, f), '--db', db, '--no-index']);
    assert.equal(r.code, 0, r.stderr);
  }
  return db;
}

function rows(db: string): Map<string, Row> {
  const r = runCli(['threads', '--db', db, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return new Map((JSON.parse(r.stdout) as Row[]).map((row) => [row.rootId, row]));
}

describe('report links in the store', () => {
  for (const order of ['report first', 'fix first']) {
    it(`Closes: links the fix and the robot's report both ways (${order})`, () => {
      const files = ['robot-report.mbox', 'robot-fix.mbox'];
      const db = storeOf(`closes-${order.split(' ')[0]}`, order === 'report first' ? files : files.reverse());
      const byRoot = rows(db);
      assert.deepEqual(byRoot.get(ROBOT_FIX)!.answers, [{ messageId: ROBOT_REPORT, how: 'closes', root: ROBOT_REPORT, subject: byRoot.get(ROBOT_FIX)!.answers[0]!.subject }]);
      assert.match(byRoot.get(ROBOT_FIX)!.answers[0]!.subject ?? '', /implicit declaration of function 'tilia_dma_fence_put'/);
      assert.deepEqual(
        byRoot.get(ROBOT_REPORT)!.answeredBy.map((l) => [l.messageId, l.how, l.root]),
        [[ROBOT_FIX, 'closes', ROBOT_FIX]],
      );
      assert.deepEqual(byRoot.get(ROBOT_REPORT)!.answers, []);
      const text = runCli(['threads', '--db', db]).stdout;
      assert.match(text, new RegExp(`answers ${ROBOT_REPORT} \\(closes\\) "drivers/gpu/drm/tilia/`));
      assert.match(text, new RegExp(`answered by ${ROBOT_FIX} \\(closes\\) "\\[PATCH\\] drm/tilia: fix build error`));
    });

    it(`Fixes: naming the commit a linux-next report blamed links them (${order})`, () => {
      const files = ['next-report.mbox', 'next-fix.mbox'];
      const db = storeOf(`fixes-${order.split(' ')[0]}`, order === 'report first' ? files : files.reverse());
      const byRoot = rows(db);
      assert.deepEqual(
        byRoot.get(NEXT_FIX)!.answers.map((l) => [l.messageId, l.how]),
        [[NEXT_REPORT, 'fixes-commit']],
      );
      assert.deepEqual(
        byRoot.get(NEXT_REPORT)!.answeredBy.map((l) => [l.messageId, l.how]),
        [[NEXT_FIX, 'fixes-commit']],
      );
    });
  }

  it('unrelated threads stay unlinked; a reply quoting a Fixes: is not a fix', () => {
    const db = storeOf('mixed', ['robot-report.mbox', 'next-fix.mbox', 'robot-fix.mbox']);
    const byRoot = rows(db);
    assert.deepEqual(byRoot.get(NEXT_FIX)!.answers, []);
    assert.deepEqual(
      byRoot.get(ROBOT_REPORT)!.answeredBy.map((l) => l.messageId),
      [ROBOT_FIX],
      'the review reply quoting the trailers adds no second link',
    );
  });
});
