// The IndexPort over SQLite: each statement prepared once per connection, a
// Kconfig symbol's rows read once for both kconfig() and selectedBy(), and the
// answers the same as the free query functions give.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { openIndex, type DB } from '../../src/store/index-db.js';
import { indexPort } from '../../src/store/index-port.js';
import { kconfigRows, lookupRows, symversRows } from '../../src/store/index-queries.js';
import { ALPHA, buildInto, type Built } from '../helpers/index-fixtures.js';

/** db.prepare counted per SQL text, and each statement's runs */
function spy(db: DB): { prepared: Map<string, number>; ran: Map<string, number> } {
  const prepared = new Map<string, number>();
  const ran = new Map<string, number>();
  const prepare = db.prepare.bind(db);
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  (db as { prepare: (sql: string) => Database.Statement }).prepare = (sql: string) => {
    bump(prepared, sql);
    const st = prepare(sql);
    for (const m of ['all', 'get', 'run'] as const) {
      const f = (st[m] as (...a: unknown[]) => unknown).bind(st);
      (st as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        bump(ran, sql);
        return f(...a);
      };
    }
    return st;
  };
  return { prepared, ran };
}

describe('indexPort', () => {
  let b: Built;
  before(async () => {
    b = await buildInto(ALPHA);
  });
  after(() => b.db.close());

  it('prepares each statement once, however many names it is asked about', () => {
    const db = openIndex(b.dbPath, { readonly: true });
    try {
      const s = spy(db);
      const port = indexPort(db);
      for (const sym of ['panic', 'gizmo_register', 'flush_tlb_kernel_span', 'no_such_symbol']) {
        port.lookup(sym);
        port.symvers(sym);
      }
      for (const k of ['CONFIG_GIZMO', 'CONFIG_SMP', 'CONFIG_NOPE']) port.kconfig(k);
      for (const p of ['kernel/panic.c', 'mm/memory.c', 'nowhere.c']) port.exists(p);
      port.filesBuiltUnder('defined(CONFIG_SMP)');
      port.filesBuiltUnder('defined(CONFIG_MMU)');
      assert.ok(s.prepared.size > 0);
      assert.deepEqual(
        [...s.prepared].filter(([, n]) => n > 1),
        [],
      );
    } finally {
      db.close();
    }
  });

  it('kconfig() and selectedBy() of a name read the index once between them', () => {
    const db = openIndex(b.dbPath, { readonly: true });
    try {
      const s = spy(db);
      const port = indexPort(db);
      const defs = port.kconfig('CONFIG_GIZMO_AREA');
      const sel = port.selectedBy('CONFIG_GIZMO_AREA');
      port.kconfig('CONFIG_GIZMO_AREA');
      assert.ok(defs.length > 0 && sel.length > 0);
      const kconfigQueries = [...s.ran].filter(([sql]) => /\bkconfig(_selects)?\b/.test(sql));
      assert.equal(kconfigQueries.length, 2);
      for (const [sql, n] of kconfigQueries) assert.equal(n, 1, sql);
    } finally {
      db.close();
    }
  });

  it('answers as the query functions do', () => {
    const port = indexPort(b.db);
    for (const sym of ['panic', 'gizmo_register', 'flush_tlb_kernel_span']) {
      assert.deepEqual(port.lookup(sym), lookupRows(b.db, b.tree.id, sym));
      assert.deepEqual(port.symvers(sym), symversRows(b.db, b.tree.id, sym));
    }
    const k = kconfigRows(b.db, b.tree.id, 'CONFIG_GIZMO_AREA');
    assert.deepEqual([port.kconfig('CONFIG_GIZMO_AREA'), port.selectedBy('CONFIG_GIZMO_AREA')], [k.defs, k.selectedBy]);
    assert.equal(port.exists('kernel/panic.c'), true);
    assert.equal(port.exists('kernel/nowhere.c'), false);
  });
});
