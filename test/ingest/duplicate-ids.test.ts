// One Message-ID, several messages: a re-delivery is dropped, another message
// under a reused id is kept under a well-formed id of its own (it used to
// become `<id>#2`, which no reader takes as a Message-ID), and thousands of
// copies cost no more than a handful.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadInput } from '../../src/cli/load.js';
import { LIMITS } from '../../src/core/limits.js';
import { renamedId, settleDuplicateIds } from '../../src/mail/duplicate-ids.js';
import { buildThread } from '../../src/mail/thread.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { makeMessage, makeTempDir } from '../helpers/unit.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail', 'ingest', 'duplicate-message-id.mbox');
const PATCH_ID = '<20240606073002.41822-1-mira@tamarack.example>';
// RFC 5322 msg-id with a dot-atom on both sides
const WELL_FORMED = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>$/;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

before(async () => {
  ensureDist();
  tmp = await makeTempDir('ktriage-dup-');
});

after(async () => {
  await tmp?.cleanup();
});

describe('duplicate-message-id.mbox', () => {
  it('the patch delivered through two lists is read once; the reply that reused its id is kept, renamed, with a note', async () => {
    const r = await loadInput(FIXTURE);
    assert.equal(r.redelivered, 1);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(
      r.messages.map((m) => m.messageId),
      [PATCH_ID, '<20240606073002.41822-1-mira=tamarack.example.dup2@ktriage.invalid>'],
    );
    const reply = r.messages[1]!;
    assert.match(reply.messageId, WELL_FORMED);
    assert.equal(reply.from.address, 'brgl@example.org');
    assert.equal(reply.messageIdInferred, true);
    assert.ok(
      reply.notes.some((n) => n.includes(PATCH_ID) && n.includes(reply.messageId)),
      reply.notes.join('\n'),
    );
  });

  it('the renamed reply still threads under the patch it answers', async () => {
    const { messages } = await loadInput(FIXTURE);
    const thread = buildThread(messages);
    const node = thread.nodes.find((n) => n.messageId === messages[1]!.messageId);
    assert.equal(node?.parentId, PATCH_ID);
  });

  it('the renamed id is stable: the same input gives the same ids', async () => {
    const a = await loadInput(FIXTURE);
    const b = await loadInput(FIXTURE);
    assert.deepEqual(
      a.messages.map((m) => m.messageId),
      b.messages.map((m) => m.messageId),
    );
  });
});

describe('renamedId', () => {
  it('is a well-formed id that shows the one it replaces', () => {
    assert.equal(renamedId('<5>', 2), '<5.dup2@ktriage.invalid>');
    assert.equal(renamedId('<CAHk-=wg7x@mail.gmail.com>', 3), '<CAHk-=wg7x=mail.gmail.com.dup3@ktriage.invalid>');
    for (const id of ['<5>', '<a..b@x.org>', '<"quoted local"@x.org>', '<[1.2.3.4]@host>', '<.dot@x.>', '<()>']) {
      assert.match(renamedId(id, 2), WELL_FORMED, id);
    }
  });
});

describe('settleDuplicateIds', () => {
  const msg = (id: string, body: string, over = {}) => makeMessage({ messageId: id, body, ...over });

  it('drops exact re-deliveries, keeps and renames different content, leaves unique ids alone', () => {
    const out = settleDuplicateIds([msg('<a@x>', 'one'), msg('<b@x>', 'two'), msg('<a@x>', 'one', { origin: { kind: 'mbox', path: 'other.mbox', index: 7 } }), msg('<a@x>', 'three')]);
    assert.equal(out.redelivered, 1);
    assert.deepEqual(
      out.messages.map((m) => [m.messageId, m.body]),
      [
        ['<a@x>', 'one'],
        ['<b@x>', 'two'],
        ['<a=x.dup2@ktriage.invalid>', 'three'],
      ],
    );
  });

  it('a message that already carries the renamed id is not shadowed', () => {
    const out = settleDuplicateIds([msg('<a@x>', 'one'), msg('<a=x.dup2@ktriage.invalid>', 'crafted'), msg('<a@x>', 'two')]);
    assert.deepEqual(
      out.messages.map((m) => m.messageId),
      ['<a@x>', '<a=x.dup2@ktriage.invalid>', '<a=x.dup3@ktriage.invalid>'],
    );
  });

  it(`keeps at most ${LIMITS.maxCopiesPerMessageId} distinct messages under one id; the rest overflow`, () => {
    const input = Array.from({ length: 100 }, (_, i) => msg('<5@x>', `copy ${i}`));
    const out = settleDuplicateIds(input);
    assert.equal(out.messages.length, LIMITS.maxCopiesPerMessageId);
    assert.equal(out.overflow.length, 100 - LIMITS.maxCopiesPerMessageId);
    assert.equal(new Set(out.messages.map((m) => m.messageId)).size, out.messages.length);
  });
});

describe('thousands of messages sharing one Message-ID', () => {
  it('get a verdict in seconds (4,900 copies took 25 s), the copies past the bound counted in one warning line', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 4900; i++) {
      parts.push(
        `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Dev ${i} <dev${i}@example.org>\nSubject: [PATCH] gpio: kestrel: fix bank ${i}\n` +
          `Date: Thu, 6 Jun 2024 10:${String(i % 60).padStart(2, '0')}:00 +0200\nMessage-ID: <5@example.org>\n\n` +
          `drivers/gpio/gpio-kestrel.c:12: undefined reference to \`kestrel_bank_${i}'\n---\n` +
          `diff --git a/drivers/gpio/gpio-kestrel.c b/drivers/gpio/gpio-kestrel.c\n--- a/drivers/gpio/gpio-kestrel.c\n+++ b/drivers/gpio/gpio-kestrel.c\n@@ -1 +1 @@\n-a${i}\n+b${i}\n\n`,
      );
    }
    const path = tmp.path('same-id.mbox');
    await writeFile(path, parts.join(''));
    const t0 = Date.now();
    const r = runCli(['thread', path, '--no-index', '--format', 'json']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(JSON.parse(r.stdout).messages, LIMITS.maxCopiesPerMessageId);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`${4900 - LIMITS.maxCopiesPerMessageId} of 4900 messages skipped, the rest read \\(message ${LIMITS.maxCopiesPerMessageId + 1} repeats <5@example.org>`));
  });
});
