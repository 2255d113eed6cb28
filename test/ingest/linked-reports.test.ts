// Following a fix's report links (src/ingest/linked-reports.ts): which links are
// followed, and every bad input of issue 14 as one note, never a failure: a
// non-http scheme, a foreign host, a thousand Link: lines, a redirect loop, a
// gzip bomb, a 404, a refused host, an unrelated patch as the "report", a
// report that links back to the patch. The archive is a node:http server on
// loopback, scripted per inbox name, counting its requests.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import type { Message } from '../../src/core/types.js';
import { MAX_REPORT_LINKS } from '../../src/extract/report-refs.js';
import { linkReports, planReportLinks, storedLinkedReports } from '../../src/ingest/linked-reports.js';
import { loadMessages } from '../../src/cli/load.js';
import { addBatch, openStoreDb, rethreadPending, storedThread } from '../../src/store/store.js';
import { REPO } from '../helpers/index-fixtures.js';
import { messages, patchBody } from '../helpers/mail.js';

const DIR = join(REPO, 'test', 'fixtures', 'linked');
const REPORT_ID = '<202403121530.Kq7Hx2Lm-lkp@intel.com>';
const FIX_ID = '<20240313091122.40817-1-ilse.marchetti@tilia-gfx.example>';
const DIFF = `---
 drivers/misc/alder/alder.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/drivers/misc/alder/alder.c b/drivers/misc/alder/alder.c
index 1111111..2222222 100644
--- a/drivers/misc/alder/alder.c
+++ b/drivers/misc/alder/alder.c
@@ -1,3 +1,4 @@
 #include <linux/module.h>
+#include <linux/slab.h>
 
 static int alder_probe(void)
`;

/** A patch posting whose trailers are `trailers` (lines), with a one-line diff. */
async function patchWith(id: string, trailers: string[]): Promise<Message[]> {
  return messages([
    { id, subject: '[PATCH] misc: alder: fix build error', body: `Include the header alder.c uses.\n\n${trailers.join('\n')}\nSigned-off-by: Dev Eloper <dev@example.org>\n${DIFF}-- \n2.43.0\n` },
  ]);
}

describe('which report links are followed (planReportLinks)', () => {
  it('a Closes: on lore, its redirectors, or a bare Message-ID is followed; asked by Message-ID', async () => {
    const ms = await patchWith('<p1@example.org>', [
      'Reported-by: kernel test robot <lkp@intel.com>',
      'Closes: https://lore.kernel.org/oe-kbuild-all/r1@intel.com/',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Link: https://lkml.kernel.org/r/r2@example.org',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: https://patch.msgid.link/r3@example.org',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: <r4@example.org>',
    ]);
    const plan = planReportLinks(ms, 'mirror.example');
    assert.deepEqual(
      plan.wanted.map((w) => w.messageId),
      ['<r1@intel.com>', '<r2@example.org>', '<r3@example.org>', '<r4@example.org>'],
    );
    assert.deepEqual([...plan.refused], []);
    assert.deepEqual(plan.notes, []);
  });

  it('the configured archive is followed; another host or a non-http(s) scheme is not, with one note each', async () => {
    const ms = await patchWith('<p2@example.org>', [
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: http://mirror.example/linux-mm/r5@example.org/',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: https://evil.example/all/r6@example.org/',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: ftp://lore.kernel.org/all/r7@example.org/',
      'Reported-by: Ana Sousa <ana@example.org>',
      'Closes: file:///etc/r8@example.org',
    ]);
    const plan = planReportLinks(ms, 'mirror.example');
    assert.deepEqual(
      plan.wanted.map((w) => w.messageId),
      ['<r5@example.org>'],
    );
    assert.match(plan.refused.get('<r6@example.org>') ?? '', /evil\.example is neither lore\.kernel\.org nor the configured archive; not followed/);
    assert.equal(plan.notes.length, 2);
    assert.match(plan.notes[0]!, /a ftp: link is not followed \(only http and https\)/);
    assert.match(plan.notes[1]!, /a file: link is not followed/);
  });

  it('a thousand Link: lines: the first MAX_REPORT_LINKS followed, the rest counted in one note', async () => {
    const links = Array.from({ length: 1000 }, (_, i) => `Link: https://lore.kernel.org/oe-kbuild-all/many-${i}@intel.com/`);
    const ms = await patchWith('<p3@example.org>', ['Reported-by: kernel test robot <lkp@intel.com>', ...links]);
    const plan = planReportLinks(ms, undefined);
    assert.equal(plan.wanted.length, MAX_REPORT_LINKS);
    assert.equal(plan.notes.length, 1);
    assert.match(plan.notes[0]!, new RegExp(`${1000 - MAX_REPORT_LINKS} more report link\\(s\\) beyond the first ${MAX_REPORT_LINKS} not followed`));
  });

  it('a Closes: quoted in a reply, or one in a mail with no patch of its own, is not followed', async () => {
    const ms = await messages([
      {
        id: '<q1@example.org>',
        subject: 'Re: [PATCH] misc: alder: fix build error',
        inReplyTo: '<x@example.org>',
        body: '> Reported-by: kernel test robot <lkp@intel.com>\n> Closes: https://lore.kernel.org/oe-kbuild-all/q-r1@intel.com/\n\nLooks fine.\n',
      },
      {
        id: '<q2@example.org>',
        subject: 'alder build error',
        body: 'Reported-by: kernel test robot <lkp@intel.com>\nCloses: https://lore.kernel.org/oe-kbuild-all/q-r2@intel.com/\n\nAnyone looking at this?\n',
      },
    ]);
    assert.deepEqual(planReportLinks(ms, undefined).wanted, []);
  });

  it('a report already in the thread is not looked up', async () => {
    const thread = [...(await loadMessages(join(DIR, 'robot-report.mbox'))), ...(await loadMessages(join(DIR, 'robot-fix.mbox')))];
    assert.deepEqual(planReportLinks(thread, undefined).wanted, []);
    assert.deepEqual(
      planReportLinks(await loadMessages(join(DIR, 'robot-fix.mbox')), undefined).wanted.map((w) => w.messageId),
      [REPORT_ID],
    );
  });

  it('a patch to a file holding the text "Closes:" is not a trailer', async () => {
    const ms = await messages([
      {
        id: '<d1@example.org>',
        subject: '[PATCH] docs: trailers',
        body: patchBody(
          'Document the Closes: trailer.',
          `---
 Documentation/trailers.rst | 1 +
 1 file changed, 1 insertion(+)

diff --git a/Documentation/trailers.rst b/Documentation/trailers.rst
index 1111111..2222222 100644
--- a/Documentation/trailers.rst
+++ b/Documentation/trailers.rst
@@ -1,1 +1,2 @@
 Trailers
+Closes: https://lore.kernel.org/all/doc-r1@example.org/
`,
        ),
      },
    ]);
    assert.deepEqual(planReportLinks(ms, undefined).wanted, []);
  });
});

/** 300 MiB of mbox text in a few MB of gzip: past LIMITS.maxArchiveThreadBytes. */
function gzipBomb(id: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const g = createGzip({ level: 1 });
    const parts: Buffer[] = [];
    g.on('data', (c: Buffer) => parts.push(c));
    g.on('end', () => resolve(Buffer.concat(parts)));
    g.on('error', reject);
    const mib = Buffer.alloc(1024 * 1024, 'a'.repeat(1023) + '\n');
    g.write(`From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: x\nMessage-ID: ${id}\n\n`);
    for (let i = 0; i < 300; i++) g.write(mib);
    g.end();
  });
}

describe('fetching linked reports from an archive that misbehaves (linkReports)', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const requests: string[] = [];
  const REPORT_GZ = gzipSync(readFileSync(join(DIR, 'robot-report.mbox')));
  let fix: Message[];

  before(async () => {
    fix = await loadMessages(join(DIR, 'robot-fix.mbox'));
    const bomb = await gzipBomb(REPORT_ID);
    // the report's archive thread holds a reply that links back to the fix, and the fix itself (posted as a reply)
    const back = `${readFileSync(join(DIR, 'robot-report.mbox'), 'utf8')}${readFileSync(join(DIR, 'robot-fix.mbox'), 'utf8').split('\nFrom mboxrd@z')[0]}\n\nFrom mboxrd@z Thu Jan  1 00:00:00 1970
From: Ilse Marchetti <ilse.marchetti@tilia-gfx.example>
Subject: Re: drivers/gpu/drm/tilia/tilia_fence.c:88:9: error: implicit declaration of function 'tilia_dma_fence_put'
Date: Wed, 13 Mar 2024 10:15:00 +0100
Message-ID: <backlink-1@tilia-gfx.example>
In-Reply-To: ${REPORT_ID}

Fix posted, see
Link: https://lore.kernel.org/all/${FIX_ID.slice(1, -1)}/

`;
    const unrelated = `From mboxrd@z Thu Jan  1 00:00:00 1970
From: Otto Brenner <otto@example.org>
Subject: [PATCH] misc: alder: tidy whitespace
Date: Wed, 13 Mar 2024 08:00:00 +0100
Message-ID: ${REPORT_ID}

Whitespace only.

Signed-off-by: Otto Brenner <otto@example.org>
${DIFF}-- \n2.43.0
`;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const h = routes.get((req.url ?? '').split('/')[1] ?? '');
      if (h) h(req, res);
      else res.writeHead(404).end('not found');
    });
    server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gz = (body: Buffer) => (_: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    routes.set('good', gz(REPORT_GZ));
    routes.set('loop', (req, res) => res.writeHead(301, { location: req.url ?? '/' }).end());
    routes.set('bomb', gz(bomb));
    routes.set('back', gz(gzipSync(back)));
    routes.set('unrelated', gz(gzipSync(unrelated)));
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const fetchFrom = (list: string) => linkReports(fix, { inbox: { base, list } });

  it('a lore Closes: is asked of the configured archive by Message-ID: one request, the report read', async () => {
    requests.length = 0;
    const r = await fetchFrom('good');
    assert.deepEqual(requests, [`/good/${REPORT_ID.slice(1, -1)}/t.mbox.gz`]);
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'messages' in got, JSON.stringify(got));
    assert.equal(got.from, 'archive');
    assert.deepEqual(
      got.messages.map((m) => m.messageId),
      [REPORT_ID],
    );
    assert.deepEqual(r.notes, []);
  });

  for (const [list, why] of [
    ['loop', /more than \d+ redirects \(a loop\?\)/],
    ['bomb', /expands to more than \d+ MiB; refusing to read further/],
    ['missing', /no such message on that archive: <202403121530\.Kq7Hx2Lm-lkp@intel\.com>/],
  ] as const) {
    it(`${list}: one note in the report's place, the triage goes on`, async () => {
      const t0 = Date.now();
      const r = await fetchFrom(list);
      const got = r.linked.get(REPORT_ID);
      assert.ok(got && 'note' in got, JSON.stringify(got));
      assert.match(got.note, why);
      assert.doesNotMatch(got.note, /\n/);
      assert.ok(Date.now() - t0 < 20_000, 'quickly');
    });
  }

  it('a refused host: one note', async () => {
    const r = await linkReports(fix, { inbox: { base: 'http://127.0.0.1:9', list: 'all' } });
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'note' in got);
    assert.match(got.note, /connection refused/);
  });

  it('a report that links back to the patch: one request, no loop; the fix in its archive thread is left out', async () => {
    requests.length = 0;
    const r = await fetchFrom('back');
    assert.equal(requests.length, 1, requests.join(' '));
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'messages' in got);
    assert.deepEqual(got.messages.map((m) => m.messageId).sort(), [REPORT_ID, '<backlink-1@tilia-gfx.example>'].sort());
    assert.equal(r.linked.size, 1);
  });

  it('a linked "report" that is an unrelated patch: kept for the analysis, and noted', async () => {
    const r = await fetchFrom('unrelated');
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'messages' in got);
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0]!, /is a patch with no diagnostic, not a report/);
  });

  it('--offline: nothing fetched, a note saying so', async () => {
    requests.length = 0;
    const r = await linkReports(fix, { inbox: { base, list: 'good' }, offline: true });
    assert.deepEqual(requests, []);
    const got = r.linked.get(REPORT_ID);
    assert.ok(got && 'note' in got);
    assert.match(got.note, /not in the store and --offline: not fetched/);
  });

  it('with a store: the fetched report is kept, and then answered from the store without a request', async () => {
    const db = openStoreDb(':memory:');
    try {
      requests.length = 0;
      const first = await linkReports(fix, { inbox: { base, list: 'good' }, store: db });
      assert.equal(requests.length, 1);
      assert.equal(first.fetched, 1);
      assert.deepEqual(
        storedThread(db, REPORT_ID)?.map((m) => m.messageId),
        [REPORT_ID],
      );
      const second = await linkReports(fix, { inbox: { base, list: 'good' }, store: db, offline: true });
      assert.equal(requests.length, 1, 'no second request');
      const got = second.linked.get(REPORT_ID);
      assert.ok(got && 'messages' in got);
      assert.equal(got.from, 'store');
      assert.equal(storedLinkedReports(db, fix).get(REPORT_ID) !== undefined, true);
    } finally {
      db.close();
    }
  });

  it('the store-only lookup leaves out what the store lacks', async () => {
    const db = openStoreDb(':memory:');
    try {
      assert.equal(storedLinkedReports(db, fix).size, 0);
      const report = await loadMessages(join(DIR, 'robot-report.mbox'));
      addBatch(
        db,
        report.map((message) => ({ raw: readFileSync(join(DIR, 'robot-report.mbox')), message })),
      );
      rethreadPending(db);
      assert.equal(storedLinkedReports(db, fix).size, 1);
    } finally {
      db.close();
    }
  });
});
