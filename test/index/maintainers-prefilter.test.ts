// The port matches MAINTAINERS only against the sections that may match
// (sectionsThatMayMatch): the answer must be the one matching every section
// gives, on the fixture MAINTAINERS and on the 6.1 one of the bundled index.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unpackBundledIndex } from '../../src/cli/bundled-index.js';
import { matchMaintainers, parseMaintainers, sectionsThatMayMatch, type MaintainerSection } from '../../src/index/maintainers.js';
import { openIndex } from '../../src/store/index-db.js';
import { maintainerSections } from '../../src/store/index-port.js';
import { tempDir, TREES } from '../helpers/index-fixtures.js';

const same = (sections: MaintainerSection[], paths: string[]) => assert.deepEqual(matchMaintainers(sectionsThatMayMatch(sections, paths), paths), matchMaintainers(sections, paths), paths.join(' '));

describe('sectionsThatMayMatch', () => {
  const delta = parseMaintainers(readFileSync(join(TREES, 'delta', 'MAINTAINERS'), 'utf8'));

  it('keeps a section whose F: prefix starts the path, and every section with an N: regex', () => {
    const kept = sectionsThatMayMatch(delta, ['drivers/gizmo/bus/core.c']).map((s) => s.title);
    assert.ok(kept.includes('GIZMO BUS DRIVER'));
    assert.ok(kept.includes('CORVID ARCHITECTURE'), 'its N: corvid may match anywhere');
  });

  it('drops a section whose F: patterns cannot start the path', () => {
    const custom: MaintainerSection[] = [
      { title: 'A', line: 1, status: null, persons: [], lists: [], keywords: [], patterns: [{ type: 'F', value: 'sound/soc/' }] },
      { title: 'B', line: 2, status: null, persons: [], lists: [], keywords: [], patterns: [{ type: 'F', value: '*/frob*.c' }] },
      { title: 'C', line: 3, status: null, persons: [], lists: [], keywords: [], patterns: [{ type: 'F', value: 'drivers/[a-z]*/frob.c' }] },
    ];
    assert.deepEqual(
      sectionsThatMayMatch(custom, ['drivers/misc/frob.c']).map((s) => s.title),
      ['B', 'C'],
      'a leading wildcard or a bracket keeps a section; sound/soc/ cannot start the path',
    );
  });

  it('the same matches as over every section: the fixture', () => {
    for (const paths of [['drivers/gizmo/bus/core.c'], ['drivers/gizmo/bus/legacy.c', 'arch/corvid/kernel/setup.c'], ['Makefile'], ['./include/linux/gizmo.h'], ['nowhere/x.c']]) same(delta, paths);
  });

  it('the same matches as over every section: the kernel 6.1 MAINTAINERS of the bundled index', () => {
    const u = unpackBundledIndex({ env: { XDG_CACHE_HOME: tempDir('ktriage-cache-') } });
    assert.ok(u.ok);
    const db = openIndex(u.path, { readonly: true });
    const id = db.prepare("SELECT id FROM trees WHERE name = '6.1-subset'").pluck().get() as number;
    const sections = maintainerSections(db, id);
    db.close();
    assert.ok(sections.length > 2000);
    for (const paths of [
      ['mm/percpu.c'],
      ['arch/arm/mm/tlb-v7.S', 'arch/arm/include/asm/tlbflush.h'],
      ['drivers/net/ethernet/intel/e1000e/netdev.c'],
      ['sound/soc/codecs/wm8994.c', 'include/sound/soc.h'],
      ['Documentation/process/submitting-patches.rst'],
      ['MAINTAINERS'],
      ['drivers/iio/light/Kconfig'],
    ]) {
      same(sections, paths);
    }
    assert.ok(matchMaintainers(sections, ['mm/percpu.c']).length > 0);
  });
});
