// updateIndex: only files whose content changed are re-read; entries follow
// the files; build conditions survive a .c-only update and move with a
// Makefile change; the result equals a fresh build of the changed tree.

import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex, updateIndex } from '../../src/index/build.js';
import { openIndex, pickTree, type DB } from '../../src/store/index-db.js';
import { lookupRows } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_VERSION, allBuildConds, allEntries, brief, buildCondOf, copyTree, lineOf, tempDir } from '../helpers/index-fixtures.js';

describe('updateIndex on a copy of alpha', () => {
  let tree: string;
  let db: DB;
  let id: number;
  before(async () => {
    tree = copyTree(ALPHA);
    db = openIndex(join(tempDir(), 'index.sqlite'));
    await buildIndex(db, tree, { jobs: 0 });
    id = pickTree(db).id;
  });
  after(() => db.close());

  const names = (sym: string) => brief(lookupRows(db, id, sym));
  /** a fresh index of the tree as it is now, to compare an updated one with */
  const fresh = async () => {
    const f = openIndex(join(tempDir(), 'fresh.sqlite'));
    await buildIndex(f, tree, { jobs: 0 });
    const t = pickTree(f);
    const out = { entries: allEntries(f, t.id), conds: allBuildConds(f, t.id), files: t.files, count: t.entries };
    f.close();
    return out;
  };

  it('modify 2 files, add 1, delete 1, touch 1: 3 changed (the new one included), 1 removed; entries follow', async () => {
    const before = pickTree(db);
    const panic = join(tree, 'kernel/panic.c');
    writeFileSync(panic, readFileSync(panic, 'utf8').replace(/#ifdef CONFIG_SMP[\s\S]*?#endif\n/, '') + '\nvoid panic_extra(void)\n{\n}\nEXPORT_SYMBOL(panic_extra);\n');
    const h = join(tree, 'include/linux/gizmo.h');
    writeFileSync(h, readFileSync(h, 'utf8').replace('#ifdef CONFIG_GIZMO_DEBUG\nvoid gizmo_dump_regs', '#if IS_ENABLED(CONFIG_GIZMO_DEBUG) && defined(CONFIG_DEBUG_FS)\nvoid gizmo_dump_regs'));
    writeFileSync(join(tree, 'kernel/newcomer.c'), '// SPDX-License-Identifier: GPL-2.0\n\nint newcomer_hello(void)\n{\n\treturn 1;\n}\n');
    rmSync(join(tree, 'drivers/orphan/orphan.c'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(tree, 'kernel/fork.c'), later, later);

    const s = await updateIndex(db, tree, { jobs: 0 });
    assert.equal(s.tree, ALPHA_VERSION);
    assert.equal(s.changed, 3);
    assert.equal(s.removed, 1);
    assert.equal(s.files, before.files);
    assert.deepEqual(s.errors, []);

    assert.deepEqual(names('crash_smp_send_stop'), []);
    assert.deepEqual(names('panic_extra'), [
      `kernel/panic.c:${lineOf(tree, 'kernel/panic.c', 'void panic_extra(void)')} func global | 1`,
      `kernel/panic.c:${lineOf(tree, 'kernel/panic.c', 'EXPORT_SYMBOL(panic_extra)')} export EXPORT_SYMBOL | 1`,
    ]);
    assert.deepEqual(
      names('gizmo_dump_regs').filter((r) => r.startsWith('include/')),
      [`include/linux/gizmo.h:${lineOf(tree, 'include/linux/gizmo.h', 'void gizmo_dump_regs(')} proto global | IS_ENABLED(CONFIG_GIZMO_DEBUG) && defined(CONFIG_DEBUG_FS)`],
    );
    assert.deepEqual(names('newcomer_hello'), ['kernel/newcomer.c:3 func global | 1']);
    assert.deepEqual(names('orphan_probe'), []);
    assert.deepEqual(names('nr_processes'), [`kernel/fork.c:${lineOf(tree, 'kernel/fork.c', '=nr_processes(void)')} func global | 1`]);
    // the new file is not in any Makefile; the removed one is gone from the files
    assert.equal(buildCondOf(db, id, 'kernel/newcomer.c').cond, null);
    assert.throws(() => buildCondOf(db, id, 'drivers/orphan/orphan.c'), /not a file/);

    const f = await fresh();
    assert.deepEqual(allEntries(db, id), f.entries);
    assert.deepEqual(allBuildConds(db, id), f.conds);
    const now = pickTree(db);
    assert.equal(now.files, f.files);
    assert.equal(now.entries, f.count);
  });

  it('a touched but identical file is not counted again, and nothing changed is nothing to do', async () => {
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(tree, 'mm/memory.c'), later, later);
    const s = await updateIndex(db, tree, { jobs: 0 });
    assert.equal(s.changed, 0);
    assert.equal(s.removed, 0);
    const again = await updateIndex(db, tree, { jobs: 0 });
    assert.equal(again.changed, 0);
  });

  it('an update that changes only a .c file keeps every build condition', async () => {
    const conds = allBuildConds(db, id);
    appendFileSync(join(tree, 'kernel/gizctl.c'), '\nint gizctl_extra;\n');
    const s = await updateIndex(db, tree, { jobs: 0 });
    assert.equal(s.changed, 1);
    assert.deepEqual(allBuildConds(db, id), conds);
    assert.equal(buildCondOf(db, id, 'kernel/gizctl.c').cond, 'defined(CONFIG_GIZMO_SYSCALL)');
    assert.deepEqual(names('gizctl_extra'), [`kernel/gizctl.c:${lineOf(tree, 'kernel/gizctl.c', 'int gizctl_extra;')} var global | 1`]);
  });

  it('a Makefile change re-resolves the build conditions', async () => {
    const mk = join(tree, 'kernel/Makefile');
    writeFileSync(mk, readFileSync(mk, 'utf8').replace('obj-$(CONFIG_GIZMO_SYSCALL)	+= gizctl.o', 'obj-$(CONFIG_GIZMO_CTL)	+= gizctl.o\nobj-y		+= newcomer.o'));
    const s = await updateIndex(db, tree, { jobs: 0 });
    assert.equal(s.changed, 1);
    assert.equal(buildCondOf(db, id, 'kernel/gizctl.c').cond, 'defined(CONFIG_GIZMO_CTL)');
    assert.deepEqual(buildCondOf(db, id, 'kernel/newcomer.c'), {
      cond: '1',
      via: [
        { makefile: 'kernel/Makefile', line: lineOf(tree, 'kernel/Makefile', 'newcomer.o') },
        { makefile: 'Kbuild', line: lineOf(tree, 'Kbuild', 'kernel/') },
      ],
      moduleOnly: false,
    });
    const f = await fresh();
    assert.deepEqual(allBuildConds(db, id), f.conds);
    assert.deepEqual(allEntries(db, id), f.entries);
  });

  it("a .c file that starts #including another .c file moves that file's condition", async () => {
    writeFileSync(join(tree, 'kernel/helper-inc.c'), 'int helper_inc_fn(void)\n{\n\treturn 0;\n}\n');
    await updateIndex(db, tree, { jobs: 0 });
    assert.equal(buildCondOf(db, id, 'kernel/helper-inc.c').cond, null);
    appendFileSync(join(tree, 'kernel/gizctl.c'), '\n#ifdef CONFIG_GIZMO_HELPERS\n#include "helper-inc.c"\n#endif\n');
    await updateIndex(db, tree, { jobs: 0 });
    assert.equal(buildCondOf(db, id, 'kernel/helper-inc.c').cond, 'defined(CONFIG_GIZMO_CTL) && defined(CONFIG_GIZMO_HELPERS)');
  });

  it('a tree the index does not have is an error that says so', async () => {
    await assert.rejects(updateIndex(db, copyTree(ALPHA, 'other'), { jobs: 0 }), { name: 'KtriageError', message: /^no tree in the index was built from .*other \(build it first\)$/ });
  });
});
