// Which tree answers for a thread: the release table (a kernel fact), the
// pure choice (--tree, base-commit, nearest release, subsets last), and the
// choice made through an opened index holding two fixture trees.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex } from '../../src/index/build.js';
import { MAINLINE_RELEASES, mainlineOf, releaseDateOf } from '../../src/index/releases.js';
import { chooseTree, type TreeCandidate } from '../../src/index/tree-choice.js';
import { threadTreeHints } from '../../src/cli/index-choice.js';
import { openIndex } from '../../src/store/index-db.js';
import { openIndexPort, type OpenedIndex } from '../../src/store/index-port.js';
import { ALPHA, ALPHA_VERSION, BETA, BETA_VERSION, copyTree, gitCommitAll, tempDir } from '../helpers/index-fixtures.js';
import { messages } from '../helpers/mail.js';

describe('mainline release dates', () => {
  it('run from v4.19 to v6.18 in version order, each after the one before', () => {
    assert.equal(MAINLINE_RELEASES[0]!.version, '4.19');
    assert.equal(MAINLINE_RELEASES.at(-1)!.version, '6.18');
    for (let k = 1; k < MAINLINE_RELEASES.length; k++) {
      const [a, b] = [MAINLINE_RELEASES[k - 1]!, MAINLINE_RELEASES[k]!];
      const days = (Date.parse(b.date) - Date.parse(a.date)) / 86400e3;
      // a cycle is a two-week merge window and rc1..rc7 or rc8: 9 to 11 weeks
      assert.ok(days >= 56 && days <= 84, `${a.version} (${a.date}) to ${b.version} (${b.date}): ${days} days`);
    }
  });

  it('the LTS releases kernel.org lists', () => {
    const date = (v: string) => MAINLINE_RELEASES.find((r) => r.version === v)?.date;
    assert.equal(date('5.4'), '2019-11-24');
    assert.equal(date('5.10'), '2020-12-13');
    assert.equal(date('5.15'), '2021-10-31');
    assert.equal(date('6.1'), '2022-12-11');
    assert.equal(date('6.6'), '2023-10-29');
    assert.equal(date('6.12'), '2024-11-17');
  });

  it('a stable or distribution version dates from its mainline; a release candidate is estimated from the one before', () => {
    assert.equal(mainlineOf('6.1.192'), '6.1');
    assert.equal(mainlineOf('v6.12'), '6.12');
    assert.equal(mainlineOf('6.1-subset'), '6.1');
    assert.equal(mainlineOf('linux-next'), undefined);
    assert.deepEqual(releaseDateOf('6.1.192'), { date: '2022-12-11', estimated: false });
    // 6.4-rc2: 6.3 on 2023-04-23, rc1 two weeks later, rc2 a week after that
    assert.deepEqual(releaseDateOf('6.4.0-rc2'), { date: '2023-05-14', estimated: true });
    assert.equal(releaseDateOf('3.10.108'), undefined);
  });
});

const tarball = (name: string, version: string, subset = false): TreeCandidate => ({ name, version, kind: 'tarball', commit: null, commitDate: null, subset });

describe('chooseTree', () => {
  const trees = [tarball('6.12', '6.12.118'), tarball('6.1', '6.1.192')];

  it('a thread from 2023-05 is answered by 6.1 (5 months away), not 6.12 (18 months)', () => {
    const c = chooseTree(trees, { date: new Date('2023-05-12T10:00:00Z') })!;
    assert.equal(c.name, '6.1');
    assert.equal(c.threadDate, '2023-05-12');
    assert.equal(c.released, '2022-12-11');
    assert.equal(c.because, 'the thread is from 2023-05-12; the tree was released 2022-12-11, 5 months before, the nearest of the trees (also 6.12 2024-11-17)');
  });

  it('a thread from 2025 by 6.12; one from 2019, older than both, by the nearer, 6.1', () => {
    assert.equal(chooseTree(trees, { date: new Date('2025-03-01') })!.name, '6.12');
    assert.equal(chooseTree(trees, { date: new Date('2019-06-05') })!.name, '6.1');
    // 2024-06: 6.12 is 5 months after, 6.1 18 months before
    assert.equal(chooseTree(trees, { date: new Date('2024-06-20') })!.name, '6.12');
  });

  it('--tree wins over every hint; a name the index lacks chooses nothing', () => {
    const c = chooseTree(trees, { date: new Date('2025-03-01') }, { named: '6.1' })!;
    assert.deepEqual([c.name, c.because], ['6.1', 'named with --tree']);
    assert.equal(chooseTree(trees, {}, { named: '5.10' }), undefined);
  });

  it('a git tree holding the base-commit wins over the date; a tree that does not hold it is not chosen for it', () => {
    const git: TreeCandidate = { name: 'next', version: '6.8.0-rc1', kind: 'git', commit: 'f'.repeat(40), commitDate: '2024-01-21T10:00:00+01:00', subset: false };
    const all = [...trees, git];
    const holds = (t: TreeCandidate, sha: string) => t.name === 'next' && sha === 'abcdef123456';
    const c = chooseTree(all, { date: new Date('2022-12-01'), baseCommit: 'abcdef123456' }, { hasCommit: holds })!;
    assert.equal(c.name, 'next');
    assert.equal(c.because, "the thread's base-commit abcdef123456 is in this git tree");
    // a base-commit no tree holds: the date decides, and a git tree is dated by its commit
    assert.equal(chooseTree(all, { date: new Date('2022-12-01'), baseCommit: '0123456789ab' }, { hasCommit: holds })!.name, '6.1');
    assert.equal(chooseTree(all, { date: new Date('2024-02-01'), baseCommit: '0123456789ab' }, { hasCommit: holds })!.name, 'next');
    assert.equal(chooseTree(all, { baseCommit: 'ffffffffffff' }, { hasCommit: () => false })!.because, "the thread's base-commit ffffffffffff is this git tree's commit");
  });

  it('a subset answers only when no whole tree is there', () => {
    const subset = tarball('6.1-subset', '6.1.176', true);
    assert.equal(chooseTree([subset, tarball('6.12', '6.12.118')], { date: new Date('2023-01-01') })!.name, '6.12');
    assert.equal(chooseTree([subset], { date: new Date('2025-01-01') })!.name, '6.1-subset');
  });

  it('without a date: the newest tree, and it says why', () => {
    const c = chooseTree(trees, {})!;
    assert.deepEqual([c.name, c.because], ['6.12', 'the thread has no date: the newest tree']);
  });
});

describe('threadTreeHints', () => {
  it('the first message date, and a base-commit line that starts a line (not a quoted one)', async () => {
    const ms = await messages([
      {
        id: '<a@example.org>',
        subject: '[PATCH] foo: fix the build',
        date: 'Sat, 02 Mar 2024 10:00:00 +0000',
        body: 'Patch text\n\nbase-commit: 0123456789abcdef0123456789abcdef01234567\n-- \n2.43.0\n',
      },
      { id: '<b@example.org>', subject: 'Re: [PATCH] foo: fix the build', date: 'Fri, 01 Mar 2024 09:00:00 +0000', body: '> base-commit: ffffffffffffffffffffffffffffffffffffffff\n' },
    ]);
    assert.deepEqual(threadTreeHints(ms), { date: new Date('2024-03-01T09:00:00Z'), baseCommit: '0123456789abcdef0123456789abcdef01234567' });
    const none = await messages([{ id: '<c@example.org>', subject: 'build failure', body: 'no hints\n' }]);
    assert.equal(threadTreeHints(none).baseCommit, undefined);
  });
});

describe('an opened index with two trees picks one per thread', () => {
  let idx: OpenedIndex;
  let gitSha: string;
  before(async () => {
    const dbPath = join(tempDir(), 'two.sqlite');
    const db = openIndex(dbPath);
    await buildIndex(db, ALPHA, { jobs: 0 });
    const beta = copyTree(BETA);
    gitSha = gitCommitAll(beta);
    await buildIndex(db, beta, { jobs: 0 });
    db.close();
    idx = openIndexPort(dbPath);
  });
  after(() => idx.close());

  it('by date: alpha (6.3.7) for a thread of 2023-05, and says so', () => {
    const p = idx.portFor({ date: new Date('2023-05-01') });
    assert.equal(p.tree.name, ALPHA_VERSION);
    assert.match(p.tree.chosenBecause!, /^the thread is from 2023-05-01; the tree was released 2023-04-23/);
    assert.equal(p.tree.threadDate, '2023-05-01');
  });

  it('by base-commit: the git tree holding it, whatever the date', () => {
    const p = idx.portFor({ date: new Date('2019-01-01'), baseCommit: gitSha.slice(0, 12) });
    assert.equal(p.tree.name, BETA_VERSION);
    assert.equal(p.tree.kind, 'git');
    assert.equal(p.tree.chosenBecause, `the thread's base-commit ${gitSha.slice(0, 12)} is this git tree's commit`);
  });

  it('the ports answer from their own tree (one open index, two trees)', () => {
    const a = idx.portFor({ date: new Date('2023-05-01') });
    const b = idx.portFor({ baseCommit: gitSha });
    assert.equal(a.lookup('gizmo_beta_only').length, 0);
    assert.equal(b.lookup('gizmo_beta_only').length, 2);
  });
});
