// A fix whose report is only linked, against a real public-inbox-httpd on
// loopback: the robot's report served by the archive while the fix is read
// from a file (its lore Closes: asked of the configured mirror by Message-ID),
// and the reverse (the fix fetched by Message-ID, its report in the store);
// --offline reads only the store.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMessages } from '../../src/cli/load.js';
import { linkReports } from '../../src/ingest/linked-reports.js';
import { openStoreDb, storedThread } from '../../src/store/store.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';
import { ensureDebianPackage, startPublicInbox, type PublicInbox } from '../helpers/public-inbox.js';

const DIR = join(REPO, 'test', 'fixtures', 'linked');
const REPORT = join(DIR, 'robot-report.mbox');
const FIX = join(DIR, 'robot-fix.mbox');
const REPORT_ID = '<202403121530.Kq7Hx2Lm-lkp@intel.com>';
const FIX_ID = '20240313091122.40817-1-ilse.marchetti@tilia-gfx.example';
const CLEAN_ENV = { KTRIAGE_ARCHIVE: '', KTRIAGE_OFFLINE: '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_COUNT: '0' };

const skipPi = ensureDebianPackage('public-inbox', 'public-inbox-httpd');
if (skipPi) process.stderr.write(`# skipping the public-inbox tests: ${skipPi}\n`);

describe('a fix whose report is only linked, with a public-inbox archive', { skip: skipPi }, () => {
  let reports: PublicInbox;
  let fixes: PublicInbox;
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-linked-'));
  before(async () => {
    ensureDist();
    reports = await startPublicInbox([REPORT], 'oe-kbuild-all', 'oe-kbuild-all@lists.linux.dev');
    fixes = await startPublicInbox([FIX], 'dri-devel', 'dri-devel@lists.freedesktop.org');
  });
  after(async () => {
    await reports?.stop();
    await fixes?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the fix read from a file: its lore Closes: is asked of the configured archive, the report comes back', async () => {
    const fix = await loadMessages(FIX);
    const r = await linkReports(fix, { inbox: { base: reports.server, list: reports.name } });
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'messages' in got, JSON.stringify(got));
    assert.equal(got.from, 'archive');
    assert.deepEqual(
      got.messages.map((m) => m.messageId),
      [REPORT_ID],
    );
    assert.match(got.messages[0]!.body, /^>> drivers\/gpu\/drm\/tilia\/tilia_fence\.c:88:9: error: implicit declaration/m);
  });

  it('thread FILE --archive MIRROR --db STORE: no "not available" note, the report kept in the store; --offline then reads it there', () => {
    const db = join(dir, 'a.sqlite');
    assert.equal(runCli(['ingest', FIX, '--db', db, '--no-index']).code, 0);
    const r = runCli(['thread', FIX, '--archive', reports.inboxUrl, '--db', db, '--no-index', '--format', 'json'], { env: CLEAN_ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    // the fix is judged against the fetched report's own diagnostic, cited in the report
    const v = JSON.parse(r.stdout) as { verdict: string; patches: { answers: number[] }[]; failures: { cite: string; message: string; linked: boolean }[] };
    assert.notEqual(v.verdict, 'no-failure');
    const answered = v.failures[v.patches[0]!.answers[0]!]!;
    assert.equal(answered.linked, true);
    assert.ok(answered.cite.startsWith(`${REPORT_ID}:L`), answered.cite);
    assert.match(answered.message, /implicit declaration/);
    const store = openStoreDb(db);
    try {
      assert.deepEqual(
        storedThread(store, REPORT_ID)?.map((m) => m.messageId),
        [REPORT_ID],
      );
    } finally {
      store.close();
    }
    // the archive is gone from the picture: a refused --archive and --offline still find the report
    const offline = runCli(['thread', `<${FIX_ID}>`, '--db', db, '--offline', '--archive', 'http://127.0.0.1:9/x', '--no-index', '--format', 'json'], { env: CLEAN_ENV });
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(offline.stderr, '');
  });

  it('the reverse: the fix fetched by Message-ID from the archive, its report read from the store', () => {
    const db = join(dir, 'b.sqlite');
    assert.equal(runCli(['ingest', REPORT, '--db', db, '--no-index']).code, 0);
    const r = runCli(['thread', FIX_ID, '--archive', fixes.inboxUrl, '--db', db, '--no-index', '--format', 'json'], { env: CLEAN_ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'the report came from the store: nothing to note');
    assert.equal(JSON.parse(r.stdout).rootId, `<${FIX_ID}>`);
  });

  it('--offline without the report anywhere: one note, the verdict still given', () => {
    const r = runCli(['thread', FIX, '--offline', '--no-index', '--format', 'json'], { env: CLEAN_ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `ktriage: note: linked report ${REPORT_ID} not available: ${REPORT_ID} is not in the store and --offline: not fetched\n`);
    assert.ok(JSON.parse(r.stdout).verdict);
    const byId = runCli(['thread', FIX_ID, '--offline', '--no-index'], { env: CLEAN_ENV });
    assert.equal(byId.code, 2);
    assert.match(byId.stderr, /^ktriage: --offline: <20240313091122\.40817-1-ilse\.marchetti@tilia-gfx\.example> would be fetched from an archive/);
  });

  it("a configured archive that refuses: one note in the report's place, the verdict still given", () => {
    const r = runCli(['thread', FIX, '--archive', 'http://127.0.0.1:9/x', '--no-index', '--format', 'json'], { env: CLEAN_ENV });
    assert.equal(r.code, 0, r.stderr);
    // the lore link is asked of the (refused) configured archive: one line in the report's place
    assert.match(r.stderr, /^ktriage: note: linked report <202403121530\.Kq7Hx2Lm-lkp@intel\.com> not available: .*connection refused.*\n$/);
  });
});
