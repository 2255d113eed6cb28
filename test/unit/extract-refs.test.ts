// src/extract/refs.ts: commit references and trailers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRefs, findTrailers, revertedTitle } from '../../src/extract/refs.js';
import { linesOf } from '../helpers/unit.js';

const refs = (text: string[], diff: number[] = []) => findRefs('<m@x>', linesOf(text), new Set(diff)).map((r) => ({ sha: r.sha, title: r.title, kind: r.kind, line: r.cite.line }));

describe('findRefs', () => {
  it('sha ("title") in prose', () => {
    assert.deepEqual(refs(['The culprit is 4ad0ae8c64ac ("mm/vmalloc: remove unmap_kernel_range"), more precisely its NOMMU part.']), [
      { sha: '4ad0ae8c64ac', title: 'mm/vmalloc: remove unmap_kernel_range', kind: 'mention', line: 1 },
    ]);
  });

  it('sha ("title") wrapped over two lines, cited at the first', () => {
    assert.deepEqual(refs(['First candidate is 93274f1dd6b0 ("percpu: flush tlb in', 'pcpu_reclaim_populated()") which added a user.']), [
      { sha: '93274f1dd6b0', title: 'percpu: flush tlb in pcpu_reclaim_populated()', kind: 'mention', line: 1 },
    ]);
  });

  it('the same, quoted: the wrap is joined at the same depth only', () => {
    assert.deepEqual(
      refs(['> since b0c9778b1d07 ("percpu: implement', '> kernel memory based chunk allocation") it is broken']).map((r) => r.title),
      ['percpu: implement kernel memory based chunk allocation'],
    );
    assert.deepEqual(
      refs(['> since b0c9778b1d07 ("percpu: implement', 'kernel memory based chunk allocation") it is broken']).map((r) => r.title),
      [],
    );
  });

  it('Fixes: with and without a title; case-insensitive; once per sha', () => {
    assert.deepEqual(refs(['Fixes: b554cb426a95 ("mm: percpu: split chunk")', 'fixes: deadbeef1234', 'Fixes: b554cb426a95ab ("mm: percpu: split chunk")']), [
      { sha: 'b554cb426a95', title: 'mm: percpu: split chunk', kind: 'fixes', line: 1 },
      { sha: 'deadbeef1234', title: undefined, kind: 'fixes', line: 2 },
    ]);
  });

  it('This reverts commit <sha>', () => {
    const r = refs(['This reverts commit 0123456789abcdef0123456789abcdef01234567.']);
    assert.deepEqual(r[0], { sha: '0123456789abcdef0123456789abcdef01234567', title: undefined, kind: 'reverts', line: 1 });
  });

  it('"commit <sha>" mentions; short hex words and diff lines are not refs', () => {
    assert.deepEqual(
      refs(['See commit abcdefabcdef12 for details.', 'The value 0xdeadbeef and cafe1234 are not commits.', '+\tFixes: 111111111111 ("inside a diff")'], [3]).map((r) => r.sha),
      ['abcdefabcdef12'],
    );
  });
});

describe('findTrailers', () => {
  const trailers = (text: string[]) => findTrailers('<m@x>', linesOf(text), new Set()).map((t) => [t.key, t.value, t.quoteDepth]);

  it('canonical keys whatever the case or NAK spelling', () => {
    assert.deepEqual(
      trailers([
        'Signed-off-by: Ada Hacker <ada@example.org>',
        'acked-by: Bob Reviewer <bob@example.org>',
        'NACKed-by: Carol Maintainer <carol@example.org>',
        'NAKed-by: Carol Maintainer <carol@example.org>',
        'REVIEWED-BY: Dan <dan@example.org>',
        'Reported-by: kernel test robot <lkp@intel.com>',
        'Link: https://lore.kernel.org/r/20220301.1-1-ada@example.org',
        'Closes: https://lore.kernel.org/oe-kbuild-all/202203011234.abcd@intel.com/',
        'Fixes: b554cb426a95 ("mm: percpu: split chunk")',
      ]),
      [
        ['Signed-off-by', 'Ada Hacker <ada@example.org>', 0],
        ['Acked-by', 'Bob Reviewer <bob@example.org>', 0],
        ['Nacked-by', 'Carol Maintainer <carol@example.org>', 0],
        ['Nacked-by', 'Carol Maintainer <carol@example.org>', 0],
        ['Reviewed-by', 'Dan <dan@example.org>', 0],
        ['Reported-by', 'kernel test robot <lkp@intel.com>', 0],
        ['Link', 'https://lore.kernel.org/r/20220301.1-1-ada@example.org', 0],
        ['Closes', 'https://lore.kernel.org/oe-kbuild-all/202203011234.abcd@intel.com/', 0],
        ['Fixes', 'b554cb426a95 ("mm: percpu: split chunk")', 0],
      ],
    );
  });

  it('keeps the quote depth; ignores unknown keys and prose', () => {
    assert.deepEqual(trailers(['> Reviewed-by: Dan <dan@example.org>', 'Not-a-trailer: foo', 'Signed off by me, sort of.']), [['Reviewed-by', 'Dan <dan@example.org>', 1]]);
  });
});

describe('revertedTitle', () => {
  it('the title inside Revert "..."', () => {
    assert.equal(revertedTitle('Revert "percpu: km: use for SMP+NOMMU"'), 'percpu: km: use for SMP+NOMMU');
    assert.equal(revertedTitle('Revert "Revert "x""'), 'Revert "x"');
    assert.equal(revertedTitle('percpu: revert the NOMMU change'), undefined);
  });
});
