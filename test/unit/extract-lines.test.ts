// src/extract/lines.ts: quote depth of body lines, and the '>' look-alikes that are content.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyLines, isRobotReport, ownLines, ownText, splitQuote } from '../../src/extract/lines.js';

describe('splitQuote', () => {
  const cases: [string, number, string][] = [
    ['plain text', 0, 'plain text'],
    ['> one level', 1, 'one level'],
    ['> > two levels', 2, 'two levels'],
    ['>> two levels tight', 2, 'two levels tight'],
    ['>>> three', 3, 'three'],
    ['> >> three mixed', 3, 'three mixed'],
    ['>', 1, ''],
    ['>    indented code after the marker', 1, '   indented code after the marker'],
    ['        > indented by an archive', 1, 'indented by an archive'],
    ['\t> tab-indented', 1, 'tab-indented'],
    ['>         > padded nested marker', 2, 'padded nested marker'],
    ['a > b is not a quote', 0, 'a > b is not a quote'],
    ['-> arrow', 0, '-> arrow'],
  ];
  for (const [raw, depth, text] of cases) {
    it(`${JSON.stringify(raw)} → depth ${depth}`, () => {
      assert.deepEqual(splitQuote(raw), { depth, text });
    });
  }

  it("ld.lld's '>>> referenced by' lines are content, also when quoted", () => {
    assert.deepEqual(splitQuote('>>> referenced by percpu-vm.c:188 (mm/percpu-vm.c:188)'), { depth: 0, text: '>>> referenced by percpu-vm.c:188 (mm/percpu-vm.c:188)' });
    assert.deepEqual(splitQuote('>>>               mm/percpu.o:(pcpu_post_unmap_tlb_flush) in archive vmlinux.a'), {
      depth: 0,
      text: '>>>               mm/percpu.o:(pcpu_post_unmap_tlb_flush) in archive vmlinux.a',
    });
    assert.deepEqual(splitQuote('> >>> referenced by foo.c:12'), { depth: 1, text: '>>> referenced by foo.c:12' });
    assert.deepEqual(splitQuote('>> >>> defined at bar.c:3'), { depth: 2, text: '>>> defined at bar.c:3' });
  });

  it('caps absurd nesting', () => {
    const { depth } = splitQuote('>'.repeat(10_000) + ' x');
    assert.ok(depth <= 32, String(depth));
  });
});

describe('bodyLines', () => {
  it('numbers lines from 1 and ignores the final newline', () => {
    const ls = bodyLines('a\n> b\n\n>> c\n');
    assert.deepEqual(
      ls.map((l) => [l.n, l.depth, l.text]),
      [
        [1, 0, 'a'],
        [2, 1, 'b'],
        [3, 0, ''],
        [4, 2, 'c'],
      ],
    );
    assert.equal(ls[1]!.raw, '> b');
  });

  it("robot reports: '>> ' error lines are new errors at depth 0, other quotes stay quotes", () => {
    const body = [
      'All errors (new ones prefixed by >>):',
      '',
      ">> drivers/foo/foo.c:12:3: error: implicit declaration of function 'bar' [-Werror=implicit-function-declaration]",
      '   drivers/foo/foo.c:20:1: note: in expansion of macro',
      '>> ERROR: modpost: "bar" [drivers/foo/foo.ko] undefined!',
      ">> arm-linux-gnueabi-ld: drivers/foo/foo.o: in function `baz':",
      '> quoted text stays quoted',
      '>> plain words after two markers',
    ].join('\n');
    const ls = bodyLines(body + '\n', true);
    assert.equal(ls[2]!.robotNew, true);
    assert.equal(ls[2]!.depth, 0);
    assert.match(ls[2]!.text, /^drivers\/foo\/foo\.c:12:3: error:/);
    assert.equal(ls[4]!.robotNew, true);
    assert.match(ls[4]!.text, /^ERROR: modpost:/);
    assert.equal(ls[5]!.robotNew, true);
    assert.equal(ls[6]!.depth, 1);
    assert.equal(ls[6]!.robotNew, undefined);
    assert.equal(ls[7]!.depth, 2, 'not an error line: an ordinary quote');
    // the same text in a non-robot mail is a quote at depth 2
    const human = bodyLines(body + '\n', false);
    assert.equal(human[2]!.depth, 2);
    assert.equal(human[2]!.robotNew, undefined);
  });
});

describe('isRobotReport / ownLines / ownText', () => {
  it('knows the robots by sender or by the report header', () => {
    assert.equal(isRobotReport('kernel test robot <lkp@intel.com>', ''), true);
    assert.equal(isRobotReport('Hulk Robot <hulkci@huawei.com>', ''), true);
    assert.equal(isRobotReport('Ada Hacker <ada@example.org>', 'All warnings (new ones prefixed by >>):\n'), true);
    assert.equal(isRobotReport('Ada Hacker <ada@example.org>', 'the kernel test robot found this\n'), false);
  });

  it("own lines are depth 0; own text stops at the '-- ' signature", () => {
    const ls = bodyLines('On Tue, Ada wrote:\n> quoted\nmine\n-- \nAda\n> after sig\n');
    assert.deepEqual(
      ownLines(ls).map((l) => l.text),
      ['On Tue, Ada wrote:', 'mine', '-- ', 'Ada'],
    );
    assert.deepEqual(
      ownText(ls).map((l) => l.text),
      ['On Tue, Ada wrote:', 'mine'],
    );
  });
});
