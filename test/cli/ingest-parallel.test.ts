// The parse pool: a backfill big enough to start the worker threads stores
// exactly what parsing in the main thread stores (same rows, same threads), and
// the pool itself answers like parseMail, in order, errors included.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ParsePool } from '../../src/ingest/parse-pool.js';
import { parseMail } from '../../src/mail/parse.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ktriage-parallel-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Series with replies and robot reports, over the 200 messages the CLI parses before starting workers. */
function mail(i: number): string {
  const thread = Math.floor(i / 3);
  const id = `<20250311${String(i).padStart(5, '0')}.4411-${i % 3}-wren@example.org>`;
  const root = `<20250311${String(thread * 3).padStart(5, '0')}.4411-0-wren@example.org>`;
  const reply = i % 3 !== 0;
  const body = reply
    ? `On Tue, Mar 11, 2025, Wren Halloway wrote:\n> +\tbar = baz;\n\nReviewed-by: Ivo Petrak <ivo@example.net>\n`
    : `The helper leaks a reference on the error path.\n\nSigned-off-by: Wren Halloway <wren@example.org>\n---\n drivers/misc/quill.c | 2 +-\n\ndiff --git a/drivers/misc/quill.c b/drivers/misc/quill.c\n--- a/drivers/misc/quill.c\n+++ b/drivers/misc/quill.c\n@@ -${i + 10},3 +${i + 10},3 @@\n \tfoo();\n-\tbar = qux;\n+\tbar = baz;\n \treturn 0;\n`;
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    `From: ${reply ? 'Ivo Petrak <ivo@example.net>' : 'Wren Halloway <wren@example.org>'}`,
    'To: linux-kernel@vger.example.org',
    `Subject: ${reply ? 'Re: ' : ''}[PATCH] misc: quill: fix leak number ${thread}`,
    `Date: Tue, 11 Mar 2025 ${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0100`,
    `Message-ID: ${id}`,
    ...(reply ? [`In-Reply-To: ${root}`, `References: ${root}`] : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\n');
}

const dump = (db: string): unknown => {
  const d = new Database(db, { readonly: true });
  try {
    return {
      messages: d.prepare('SELECT * FROM messages ORDER BY id').all(),
      refs: d.prepare('SELECT * FROM message_refs ORDER BY message, ref_id').all(),
      threads: d.prepare('SELECT t.root_id, tm.message FROM thread_messages tm JOIN threads t ON t.id = tm.thread ORDER BY tm.message').all(),
      checkpoints: d.prepare('SELECT source, value FROM checkpoints').all(),
    };
  } finally {
    d.close();
  }
};

describe('parsing in worker threads', () => {
  before(() => ensureDist());

  test('a 600-message backfill stores the same rows with the pool as without it', () => {
    const mbox = join(dir, 'list.mbox');
    writeFileSync(mbox, Array.from({ length: 600 }, (_, i) => mail(i)).join('\n'));
    const run = (db: string, workers?: string) => {
      const r = runCli(['ingest', mbox, '--db', db, '--no-judge', '--batch', '50'], { env: workers ? { KTRIAGE_PARSE_WORKERS: workers } : {} });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /: 600 read, 600 new, 0 already stored, 0 skipped;/);
    };
    const pooled = join(dir, 'pooled.db');
    const single = join(dir, 'single.db');
    run(pooled);
    run(single, '0');
    const a = dump(pooled) as { messages: Record<string, unknown>[] };
    const b = dump(single) as { messages: Record<string, unknown>[] };
    // when a row was written differs between the runs, nothing else may
    const strip = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/_at$/.test(k))));
    assert.deepEqual({ ...a, messages: strip(a.messages) }, { ...b, messages: strip(b.messages) });
  });

  test('the pool answers like parseMail, in order, and passes a parse error on', async () => {
    const pool = new ParsePool(2);
    try {
      const raws = Array.from({ length: 20 }, (_, i) => ({ bytes: Buffer.from(mail(i).replace(/^From mboxrd.*\n/, '')), origin: { kind: 'mbox' as const, path: 'list.mbox', index: i } }));
      const got = (await Promise.all(raws.map((r) => pool.parse(r)))).map((p) => p.message);
      const want = await Promise.all(raws.map((r) => parseMail(r)));
      assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(want)));
      const bad = { bytes: Buffer.alloc(0), origin: { kind: 'mbox' as const, path: 'list.mbox', index: 20 } };
      const local = await parseMail(bad).then(
        () => 'parsed',
        (e: Error) => e.message,
      );
      const pooled = await pool.parse(bad).then(
        () => 'parsed',
        (e: Error) => e.message,
      );
      assert.equal(pooled, local);
    } finally {
      await pool.close();
    }
  });

  test('a worker that dies leaves its messages to this thread: none is lost', async () => {
    const pool = new ParsePool(1);
    try {
      const raws = Array.from({ length: 10 }, (_, i) => ({ bytes: Buffer.from(mail(i).replace(/^From mboxrd.*\n/, '')), origin: { kind: 'mbox' as const, path: 'list.mbox', index: i } }));
      const answers = raws.map((r) => pool.parse(r));
      await (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0]!.worker.terminate();
      const got = (await Promise.all(answers)).map((p) => p.message);
      assert.deepEqual(
        got.map((m) => m.messageId),
        raws.map((_, i) => `<20250311${String(i).padStart(5, '0')}.4411-${i % 3}-wren@example.org>`),
      );
      assert.equal((await pool.parse(raws[0]!)).message.messageId, got[0]!.messageId);
    } finally {
      await pool.close();
    }
  });
});
