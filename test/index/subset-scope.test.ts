// A subset says what it holds in every statement made from it: how many
// Kconfig files, whether MAINTAINERS, how many others; what it lacks stays
// unknown. Checked on the wording, on a fixture subset, and on the bundled
// index through `index explain` and a `thread` report.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unpackBundledIndex } from '../../src/cli/bundled-index.js';
import { absenceWhy, scopeIntro, scopeLabel, subsetCovers, type TreeScope } from '../../src/index/scope.js';
import { indexPort } from '../../src/store/index-port.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { buildInto, REPO, TREES, tempDir } from '../helpers/index-fixtures.js';

const s = (subset: TreeScope['subset'], name = '6.1-subset'): TreeScope => ({ name, version: '6.1.192', subset });

describe('subset wording', () => {
  it('Kconfig files, MAINTAINERS and the rest, counted', () => {
    assert.equal(subsetCovers({ files: 1721, kconfig: 1704, maintainers: true }), '1,704 Kconfig files, MAINTAINERS and 16 other files');
    assert.equal(subsetCovers({ files: 1813, kconfig: 1812, maintainers: true }), '1,812 Kconfig files and MAINTAINERS');
    assert.equal(subsetCovers({ files: 3, kconfig: 1, maintainers: false }), '1 Kconfig file and 2 other files');
    assert.equal(subsetCovers({ files: 1, kconfig: 0, maintainers: true }), 'MAINTAINERS');
  });

  it('a subset of source files only, or of unknown kinds, keeps the file count', () => {
    assert.equal(subsetCovers({ files: 18, kconfig: 0, maintainers: false }), undefined);
    assert.equal(scopeLabel(s({ files: 18, kconfig: 0, maintainers: false })), 'the 18-file 6.1 subset (tree 6.1-subset)');
    assert.equal(scopeLabel(s({ files: 18 })), 'the 18-file 6.1 subset (tree 6.1-subset)');
  });

  it('the label and the why of an absence', () => {
    const cover = s({ files: 1721, kconfig: 1704, maintainers: true });
    // what the subset holds is said once, where a report first names the tree; later statements are short
    assert.equal(scopeIntro(cover), 'the 6.1 subset (tree 6.1-subset: 1,704 Kconfig files, MAINTAINERS and 16 other files)');
    assert.equal(scopeLabel(cover), 'the 6.1 subset');
    assert.equal(absenceWhy(cover), 'only these 1,721 files of the tree are indexed');
    assert.equal(absenceWhy(s({ files: 18 })), 'only 18 files of the tree are indexed');
  });
});

describe('a fixture tree indexed as a subset', () => {
  it('its port counts the Kconfig files and sees MAINTAINERS; the same tree whole is no subset', async () => {
    const sub = await buildInto(join(TREES, 'delta'), { subset: true, name: 'delta-subset' });
    const t = indexPort(sub.db, 'delta-subset').tree;
    assert.ok(t.subset);
    assert.equal(t.subset.files, sub.stats.files);
    assert.equal(t.subset.maintainers, true);
    assert.equal(t.subset.kconfig, 0);
    assert.match(scopeIntro(t), /^the \d+\.\d+ subset \(tree delta-subset: MAINTAINERS and \d+ other files\)$/);
    sub.db.close();
    const whole = await buildInto(join(TREES, 'delta'));
    assert.equal(indexPort(whole.db).tree.subset, null);
    whole.db.close();
  });
});

describe('the bundled index says what each subset holds', () => {
  const cache = tempDir('ktriage-cache-');
  const env = { XDG_CACHE_HOME: cache, XDG_DATA_HOME: tempDir() };
  const unpacked = unpackBundledIndex({ env });
  assert.ok(unpacked.ok);
  const db = unpacked.path;
  const cover61 = /the 6\.1 subset \(tree 6\.1-subset: 1,[0-9]{3} Kconfig files, MAINTAINERS and 16 other files\)/;
  const cover612 = /the 6\.12 subset \(tree 6\.12-subset: 1,[0-9]{3} Kconfig files and MAINTAINERS\)/;

  it('index explain: a symbol the subset lacks is unknown there, with what the subset holds', () => {
    ensureDist();
    const r = runCli(['index', 'explain', 'crc_itu_t', '--arch', 'arm', '--config', 'CONFIG_CRC_ITU_T=n', '--db', db, '--tree', '6.12-subset']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /built-in code can use it: unknown: crc_itu_t is unknown in /);
    assert.match(r.stdout, cover612);
    assert.doesNotMatch(r.stdout, /not defined|exported nowhere/);
  });

  it('index kconfig: what the subset holds stands (a Kconfig symbol of lib/Kconfig), what it lacks is unknown', () => {
    const known = runCli(['index', 'kconfig', 'CRC_ITU_T', '--db', db, '--tree', '6.1-subset']);
    assert.match(known.stdout, /^CONFIG_CRC_ITU_T in tree 6\.1-subset\nlib\/Kconfig:\d+: tristate "CRC ITU-T V\.41 functions"/);
    const unknown = runCli(['index', 'kconfig', 'LUMISENSE', '--db', db, '--tree', '6.1-subset']);
    assert.match(unknown.stdout, cover61);
    assert.match(unknown.stdout, /CONFIG_LUMISENSE is unknown in .*: the index has no entry for it \(only these 1,[0-9]{3} files of the tree are indexed\)/);
  });

  it("a thread report names the subset chosen by the thread's date and what it holds", () => {
    const fixture = join(REPO, 'test', 'fixtures', 'bundled', 'select-crc-provider.mbox');
    const r = runCli(['thread', fixture, '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const j = JSON.parse(r.stdout) as { index: { tree: string }; evidence: { cite: string; text: string }[] };
    assert.equal(j.index.tree, '6.1-subset');
    const index = j.evidence.filter((e) => e.cite.startsWith('6.1-subset:'));
    assert.ok(index.length >= 2);
    // the tree is introduced with what it holds once; every other statement names it briefly
    assert.equal(index.filter((e) => cover61.test(e.text)).length, 1, JSON.stringify(index.map((e) => e.text)));
    for (const e of index) assert.match(e.text, /the 6\.1 subset|tree 6\.1-subset/);
    assert.ok(index.some((e) => /crc_itu_t is unknown in .*only these 1,[0-9]{3} files of the tree are indexed/.test(e.text)));
    // the same thread a year after 6.12: the 6.12 subset answers
    const later = join(tempDir(), 'later.mbox');
    writeFileSync(later, readFileSync(fixture, 'utf8').replace(/^Date: .*$/m, 'Date: Wed, 12 Mar 2025 09:14:33 +0100'));
    const j2 = JSON.parse(runCli(['thread', later, '--format', 'json'], { env }).stdout) as typeof j;
    assert.equal(j2.index.tree, '6.12-subset');
    assert.ok(j2.evidence.some((e) => cover612.test(e.text)));
  });
});
