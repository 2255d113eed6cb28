// Tree choice when the index holds subsets (the bundled index: a 6.1 and a
// 6.12 subset): whole trees first; among subsets, the nearest release by the
// thread's date; a thread with no date goes to the tree holding most of the
// source files it names, else to the newest.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourcePathsIn, chooseTree, type TreeCandidate } from '../../src/index/tree-choice.js';

const tree = (name: string, version: string, subset: boolean): TreeCandidate => ({ name, version, kind: 'tarball', commit: null, commitDate: null, subset });
const s61 = tree('6.1-subset', '6.1.192', true);
const s612 = tree('6.12-subset', '6.12.118', true);
const whole66 = tree('6.6', '6.6.60', false);

describe('chooseTree among subsets', () => {
  it('the nearest release by date, as for whole trees', () => {
    const early = chooseTree([s61, s612], { date: new Date('2023-03-01') })!;
    assert.equal(early.name, '6.1-subset');
    assert.equal(early.because, 'the thread is from 2023-03-01; the tree was released 2022-12-11, 3 months before, the nearest of the trees (also 6.12-subset 2024-11-17)');
    assert.equal(chooseTree([s61, s612], { date: new Date('2024-09-01') })!.name, '6.12-subset');
    assert.equal(chooseTree([s612, s61], { date: new Date('2026-01-01') })!.name, '6.12-subset');
    assert.equal(chooseTree([s612, s61], { date: new Date('2019-01-01') })!.name, '6.1-subset');
  });

  it('a whole tree answers before any subset, even one nearer in time', () => {
    const c = chooseTree([s61, s612, whole66], { date: new Date('2025-01-01') })!;
    assert.equal(c.name, '6.6');
    assert.match(c.because, /^the thread is from 2025-01-01; the tree was released 2023-10-29/);
  });
});

describe('a thread with no date', () => {
  const holdsC = (t: TreeCandidate, p: string) => t.name === '6.1-subset' && p.startsWith('mm/');

  it('goes to the tree holding most of the files it names', () => {
    const c = chooseTree([s612, s61], { paths: ['mm/percpu-vm.c', 'include/linux/frob.h'] }, { holds: holdsC })!;
    assert.equal(c.name, '6.1-subset');
    assert.equal(c.because, 'the thread has no date; this tree holds 1 of the 2 source files it names, the most of the trees');
  });

  it('to the newest when no tree holds them, when all hold as many, or when it names none', () => {
    assert.equal(chooseTree([s61, s612], { paths: ['drivers/x/y.c'] }, { holds: holdsC })!.because, 'the thread has no date: the newest tree');
    assert.equal(chooseTree([s61, s612], { paths: ['mm/a.c'] }, { holds: () => true })!.name, '6.12-subset');
    assert.equal(chooseTree([s61, s612], {}, { holds: holdsC })!.name, '6.12-subset');
  });

  it('a dated thread goes by its date, whatever files it names', () => {
    assert.equal(chooseTree([s61, s612], { date: new Date('2025-02-01'), paths: ['mm/percpu-vm.c'] }, { holds: holdsC })!.name, '6.12-subset');
  });
});

describe('sourcePathsIn: the source files a thread names', () => {
  it('linker and compiler output, diff headers (without a/ b/), sentence ends', () => {
    const text = [
      "ld: mm/percpu.o: in function `f': mm/percpu-vm.c:188: undefined reference to `g'",
      'diff --git a/arch/arm/mm/tlb-v7.S b/arch/arm/mm/tlb-v7.S',
      '+++ b/include/linux/frob.h',
      'The stub lives in lib/frob.c.',
    ].join('\n');
    assert.deepEqual(sourcePathsIn([text]), ['mm/percpu-vm.c', 'arch/arm/mm/tlb-v7.S', 'include/linux/frob.h', 'lib/frob.c']);
  });

  it("not: object files, Kconfig and Makefiles, paths outside the kernel's top-level directories, URLs' tails", () => {
    const text = 'mm/percpu.o, mm/Kconfig, drivers/Makefile, src/main.c, home/user/x.c, see example.com/mm/x.cgi, mm/x.cc';
    assert.deepEqual(sourcePathsIn([text]), []);
  });

  it('at most 64 names, and a long path-like token does not stall it', () => {
    const many = Array.from({ length: 100 }, (_, k) => `drivers/f${k}.c`).join(' ');
    assert.equal(sourcePathsIn([many]).length, 64);
    const t0 = performance.now();
    sourcePathsIn(['mm/'.repeat(50_000)]);
    assert.ok(performance.now() - t0 < 500, 'linear enough');
  });
});
