// MAINTAINERS in the index: sections parsed (titles, M/R/L/S/F/X/N/K), stored
// when a tree is built, and matched against paths the way
// scripts/get_maintainer.pl orders them (the deepest F: match first, X:
// exclusions, N: regexes, a directory pattern without its trailing slash).
// The fixture is test/fixtures/trees/delta/MAINTAINERS.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { updateIndex } from '../../src/index/build.js';
import { maintainerAddresses, markDirectories, matchMaintainers, parseMaintainers, parsePerson } from '../../src/index/maintainers.js';
import { indexPort } from '../../src/store/index-port.js';
import { ALPHA, buildInto, copyTree, makeTarball, tempDir, TREES, type Built } from '../helpers/index-fixtures.js';

const DELTA = join(TREES, 'delta');
const TEXT = readFileSync(join(DELTA, 'MAINTAINERS'), 'utf8');
const titles = (ms: { title: string }[]) => ms.map((m) => m.title);

describe('parseMaintainers', () => {
  const sections = parseMaintainers(TEXT);

  it('reads the sections after "Maintainers List", not the indented examples of the preamble', () => {
    assert.deepEqual(titles(sections), ['CORVID ARCHITECTURE', 'GIZMO BUS DRIVER', 'GIZMO SUBSYSTEM', 'GIZMO TRACE HELPERS', 'THE REST']);
    assert.equal(sections[0]!.line, TEXT.split('\n').indexOf('CORVID ARCHITECTURE') + 1);
  });

  it('persons with their role, lists by address, status, patterns in order, keywords', () => {
    const bus = sections[1]!;
    assert.deepEqual(bus.persons, [
      { name: 'Bram Holt', email: 'bram@example.net', role: 'maintainer' },
      { name: 'Cleo Vance', email: 'cleo.vance@example.com', role: 'reviewer' },
    ]);
    assert.deepEqual(bus.lists, ['gizmo-devel@lists.example.org']);
    assert.equal(bus.status, 'Supported');
    assert.deepEqual(sections[0]!.lists, ['linux-corvid@lists.example.org']);
    assert.deepEqual(sections[0]!.patterns, [
      { type: 'F', value: 'arch/corvid/', dir: true },
      { type: 'N', value: 'corvid' },
    ]);
    assert.deepEqual(sections[3]!.keywords, ['gizmo_trace_']);
    // a quoted name and a bare address
    assert.deepEqual(
      sections[2]!.persons.map((p) => `${p.name}|${p.email}`),
      ['Dora Pike|dora@example.org', '|gizmo-team@example.org'],
    );
  });

  it('a line that is not "Name <address>" or an address is no person', () => {
    assert.equal(parsePerson('see the web page', 'maintainer'), undefined);
    assert.deepEqual(parsePerson('Ada Quill <ada@example.org> (odd fixes)', 'reviewer'), { name: 'Ada Quill', email: 'ada@example.org', role: 'reviewer' });
  });
});

describe('matchMaintainers (get_maintainer.pl order)', () => {
  const sections = markDirectories(parseMaintainers(TEXT), (p) => ['Documentation/gizmo', 'drivers/gizmo', 'arch/corvid'].includes(p));
  const match = (...paths: string[]) => titles(matchMaintainers(sections, paths));

  it('the deepest F: pattern first, the catch-all last', () => {
    assert.deepEqual(match('drivers/gizmo/bus/core.c'), ['GIZMO BUS DRIVER', 'GIZMO SUBSYSTEM', 'THE REST']);
    const m = matchMaintainers(sections, ['drivers/gizmo/bus/core.c']);
    assert.deepEqual(
      m.map((x) => x.matched[0]!.depth),
      [3, 2, -1],
    );
  });

  it('X: excludes a file from a section that would cover it', () => {
    assert.deepEqual(match('drivers/gizmo/bus/legacy.c'), ['GIZMO BUS DRIVER', 'THE REST']);
  });

  it("`?` is one character and `*` a run within the pattern's depth; a file pattern matches only at its own depth", () => {
    assert.deepEqual(match('drivers/gizmo/gizmo-trace.c'), ['GIZMO TRACE HELPERS', 'GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(match('drivers/gizmo/gizmo-traace.c'), ['GIZMO SUBSYSTEM', 'THE REST']);
    // include/linux/gizmo*.h covers gizmo-bus.h too: equal depth, so the file's order decides
    assert.deepEqual(match('include/linux/gizmo-bus.h'), ['GIZMO BUS DRIVER', 'GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(match('include/linux/gizmo/extra.h'), ['THE REST']);
  });

  it("N: matches the path anywhere; as the later line of its section it sets that section's depth (0)", () => {
    assert.deepEqual(match('drivers/net/corvid-eth.c'), ['CORVID ARCHITECTURE', 'THE REST']);
    const arch = matchMaintainers(sections, ['arch/corvid/kernel/setup.c'])[0]!;
    assert.deepEqual(arch.matched, [{ path: 'arch/corvid/kernel/setup.c', pattern: 'N: corvid', depth: 0 }]);
  });

  it('`*` covers top-level files only, `*/` everything below', () => {
    assert.deepEqual(match('Makefile'), ['THE REST']);
    assert.deepEqual(match('net/core/dev.c'), ['THE REST']);
  });

  it('a directory named without its trailing slash covers what is below it only when it is a directory of the tree', () => {
    assert.deepEqual(match('Documentation/gizmo/intro.rst'), ['GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(titles(matchMaintainers(parseMaintainers(TEXT), ['Documentation/gizmo/intro.rst'])), ['THE REST']);
  });

  it('several paths: each section once, by its deepest match', () => {
    const m = matchMaintainers(sections, ['drivers/gizmo/gizmo-core.c', 'drivers/gizmo/bus/core.c']);
    assert.deepEqual(titles(m), ['GIZMO BUS DRIVER', 'GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(
      m[1]!.matched.map((x) => x.path),
      ['drivers/gizmo/gizmo-core.c', 'drivers/gizmo/bus/core.c'],
    );
  });
});

describe('MAINTAINERS in a built index', () => {
  let dir: Built;
  before(async () => {
    dir = await buildInto(DELTA);
  });
  after(() => dir.db.close());

  it('the port answers with persons and lists, the directory of non-indexed files known from the walk', () => {
    const port = indexPort(dir.db);
    const m = port.maintainers!(['Documentation/gizmo/intro.rst', 'drivers/gizmo/gizmo-core.c']);
    assert.deepEqual(titles(m), ['GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(
      m[0]!.persons.map((p) => p.role),
      ['maintainer', 'maintainer'],
    );
    assert.deepEqual(m[0]!.lists, ['gizmo-devel@lists.example.org']);
  });

  it('from a tarball too', async () => {
    const tar = makeTarball(DELTA, join(tempDir(), 'delta.tar.gz'), 'linux-delta');
    const b = await buildInto(tar);
    try {
      assert.deepEqual(titles(indexPort(b.db).maintainers!(['Documentation/gizmo/intro.rst'])), ['GIZMO SUBSYSTEM', 'THE REST']);
    } finally {
      b.db.close();
    }
  });

  it('an update that changes MAINTAINERS replaces its sections', async () => {
    const tree = copyTree(DELTA);
    const b = await buildInto(tree);
    try {
      writeFileSync(join(tree, 'MAINTAINERS'), TEXT.replace('GIZMO TRACE HELPERS', 'GIZMO TRACING'));
      const s = await updateIndex(b.db, tree, { jobs: 0 });
      assert.equal(s.changed, 1);
      assert.deepEqual(titles(indexPort(b.db).maintainers!(['drivers/gizmo/gizmo-trace.c'])), ['GIZMO TRACING', 'GIZMO SUBSYSTEM', 'THE REST']);
      assert.equal(b.db.prepare('SELECT count(*) FROM maintainers').pluck().get(), 5);
    } finally {
      b.db.close();
    }
  });

  it('a tree without MAINTAINERS has no sections (an empty answer, not an error)', async () => {
    const b = await buildInto(ALPHA);
    try {
      assert.deepEqual(indexPort(b.db).maintainers!(['kernel/panic.c']), []);
    } finally {
      b.db.close();
    }
  });
});

describe('maintainerAddresses (get_maintainer.pl: each person once, lists once, no subscribers-only)', () => {
  const text = [
    'Maintainers List',
    '----------------',
    '',
    'WIDGET CORE',
    'M:\tIvo Stern <ivo@example.org>',
    'M:\tIvo Stern <ivo.stern@corp.example.com>',
    'L:\twidget@lists.example.org',
    'L:\twidget-security@lists.example.org (subscribers-only)',
    'F:\tdrivers/widget/',
    '',
    'WIDGET FROB DRIVER',
    'M:\tJuno Park <juno@example.org>',
    'R:\tIvo Stern <ivo.stern@corp.example.com>',
    'L:\twidget@lists.example.org (moderated for non-subscribers)',
    'F:\tdrivers/widget/frob.c',
    '',
  ].join('\n');
  const sections = parseMaintainers(text);

  it('the subscribers-only mark is kept, the address stays among the lists', () => {
    assert.deepEqual(sections[0]!.lists, ['widget@lists.example.org', 'widget-security@lists.example.org']);
    assert.deepEqual(sections[0]!.subscribersOnly, ['widget-security@lists.example.org']);
    assert.equal(sections[1]!.subscribersOnly, undefined);
  });

  it('a second address under a name already listed is dropped; a moderated list counts, a subscribers-only one does not', () => {
    const a = maintainerAddresses(matchMaintainers(sections, ['drivers/widget/frob.c']));
    assert.deepEqual(
      a.persons.map((p) => p.email),
      ['juno@example.org', 'ivo.stern@corp.example.com'],
    );
    assert.deepEqual(a.lists, ['widget@lists.example.org']);
  });

  it('the most specific section decides which address a person keeps', () => {
    const a = maintainerAddresses(matchMaintainers(sections, ['drivers/widget/core.c']));
    assert.deepEqual(
      a.persons.map((p) => p.email),
      ['ivo@example.org'],
    );
  });
});
