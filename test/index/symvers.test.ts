// Module.symvers: parsed (TAB-separated crc, symbol, module, type, namespace),
// recorded under a tree name, shown by lookup, counted as exported by explain.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import { runIndex } from '../../src/cli/index-cmd.js';
import { parseSymvers } from '../../src/index/scan/symvers.js';
import { listTrees, openIndex, pickTree } from '../../src/store/index-db.js';
import { symversRows } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_SYMVERS, ALPHA_VERSION, buildInto, explainIn, lineOf, tempDir } from '../helpers/index-fixtures.js';

async function cli(args: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  assert.equal(await runIndex(args, out), 0);
  return text;
}

describe('parseSymvers', () => {
  it('reads the fixture: every well-formed line, namespaces, and nothing else', () => {
    assert.deepEqual(parseSymvers(readFileSync(ALPHA_SYMVERS, 'utf8')), [
      { crc: '0x7a1b2c3d', symbol: 'panic', module: 'vmlinux', exportType: 'EXPORT_SYMBOL', namespace: null },
      { crc: '0x00c0ffee', symbol: 'gizmo_register', module: 'drivers/gizmo/gizmo', exportType: 'EXPORT_SYMBOL_GPL', namespace: null },
      { crc: '0x1badd00d', symbol: 'gizmo_unregister', module: 'drivers/gizmo/gizmo', exportType: 'EXPORT_SYMBOL_GPL', namespace: 'GIZMO_CORE' },
      { crc: '0x0000abcd', symbol: 'gizmo_dump_state', module: 'drivers/gizmo/gizmo', exportType: 'EXPORT_SYMBOL_GPL', namespace: null },
      { crc: '0x12345678', symbol: 'crash_smp_send_stop', module: 'vmlinux', exportType: 'EXPORT_SYMBOL_GPL', namespace: null },
    ]);
  });

  it('a line without a hex CRC keeps its symbol with crc null; four columns are enough', () => {
    assert.deepEqual(parseSymvers('\tfoo\tvmlinux\tEXPORT_SYMBOL\n'), [{ crc: null, symbol: 'foo', module: 'vmlinux', exportType: 'EXPORT_SYMBOL', namespace: null }]);
    assert.deepEqual(parseSymvers('0x1\tbar\tm\tEXPORT_SYMBOL_NS_GPL\tNS1\n0x2 baz vmlinux EXPORT_SYMBOL\n'), [
      { crc: '0x1', symbol: 'bar', module: 'm', exportType: 'EXPORT_SYMBOL_NS_GPL', namespace: 'NS1' },
    ]);
  });
});

describe('index symvers, then lookup and explain', () => {
  let dbPath: string;
  before(async () => {
    const b = await buildInto(ALPHA);
    dbPath = b.dbPath;
    b.db.close();
    assert.equal(await cli(['symvers', ALPHA_SYMVERS, '--name', ALPHA_VERSION, '--db', dbPath]), `5 exports from ${ALPHA_SYMVERS} recorded for ${ALPHA_VERSION}\n`);
  });

  it('records the exports under the tree; recording again replaces them', async () => {
    await cli(['symvers', ALPHA_SYMVERS, '--name', ALPHA_VERSION, '--db', dbPath]);
    const db = openIndex(dbPath, { readonly: true });
    try {
      const t = pickTree(db, ALPHA_VERSION);
      assert.deepEqual(symversRows(db, t.id, 'gizmo_unregister'), [{ crc: '0x1badd00d', module: 'drivers/gizmo/gizmo', exportType: 'EXPORT_SYMBOL_GPL', namespace: 'GIZMO_CORE' }]);
      assert.equal(db.prepare('SELECT count(*) FROM symvers').pluck().get(), 5);
      assert.deepEqual(
        listTrees(db).map((x) => x.name),
        [ALPHA_VERSION],
      );
    } finally {
      db.close();
    }
  });

  it('lookup shows the Module.symvers line after the source rows', async () => {
    const text = await cli(['lookup', 'gizmo_unregister', '--db', dbPath]);
    assert.equal(text.trimEnd().split('\n').pop(), 'Module.symvers: EXPORT_SYMBOL_GPL from drivers/gizmo/gizmo, namespace GIZMO_CORE');
    const j = JSON.parse(await cli(['lookup', 'gizmo_unregister', '--db', dbPath, '--format', 'json'])) as { symvers: unknown[]; rows: unknown[] };
    assert.deepEqual(j.symvers, [{ crc: '0x1badd00d', module: 'drivers/gizmo/gizmo', exportType: 'EXPORT_SYMBOL_GPL', namespace: 'GIZMO_CORE' }]);
    assert.equal(j.rows.length, 3);
  });

  it('explain counts a Module.symvers export as exported, when the source export is switched off', () => {
    const db = openIndex(dbPath, { readonly: true });
    try {
      const t = pickTree(db, ALPHA_VERSION);
      const e = explainIn(db, t, 'gizmo_dump_state', null, 'GIZMO=y,GIZMO_DEBUG=n,GIZMO_TRACE=y,GIZMO_SAFE=n');
      assert.equal(e.exported, 'true');
      assert.deepEqual(e.moduleUse, { answer: 'true', why: 'Module.symvers lists it (EXPORT_SYMBOL_GPL from drivers/gizmo/gizmo)' });
      assert.equal(e.symvers.length, 1);
      // no EXPORT_SYMBOL in the source at all, only in Module.symvers
      const c = explainIn(db, t, 'crash_smp_send_stop', null, 'SMP=y');
      assert.equal(c.defined, 'true');
      assert.deepEqual(c.moduleUse, { answer: 'true', why: 'Module.symvers lists it (EXPORT_SYMBOL_GPL from vmlinux)' });
      // without it, the answer is the source's
      const no = explainIn(db, t, 'panic_timeout', null, 'SMP=y');
      assert.deepEqual(no.moduleUse, { answer: 'true', why: `exported at kernel/panic.c:${lineOf(ALPHA, 'kernel/panic.c', 'EXPORT_SYMBOL_GPL(panic_timeout)')} (EXPORT_SYMBOL_GPL)` });
    } finally {
      db.close();
    }
  });

  it('explain text output lists the Module.symvers line', async () => {
    const text = await cli(['explain', 'gizmo_dump_state', '--config', 'GIZMO=y,GIZMO_DEBUG=n,GIZMO_TRACE=y', '--db', dbPath]);
    assert.match(text, /\n {2}Module\.symvers: EXPORT_SYMBOL_GPL from drivers\/gizmo\/gizmo\n$/);
    assert.match(text, /^ {2}exported: {4}yes$/m);
  });

  it('a file that is not a Module.symvers, and a missing --name, are refused', async () => {
    const bogus = join(tempDir(), 'Module.symvers');
    writeFileSync(bogus, 'hello\nworld\n');
    await assert.rejects(runIndex(['symvers', bogus, '--name', ALPHA_VERSION, '--db', dbPath], new PassThrough()), {
      name: 'KtriageError',
      message: `${bogus}: not a Module.symvers (no "crc<TAB>symbol<TAB>module<TAB>type" lines)`,
    });
    await assert.rejects(runIndex(['symvers', ALPHA_SYMVERS, '--db', dbPath], new PassThrough()), { name: 'KtriageError', message: 'index symvers needs --name NAME (the tree it belongs to)' });
  });
});
