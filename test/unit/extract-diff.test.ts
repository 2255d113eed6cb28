// src/extract/diff.ts: diffs posted inline, quoted at any depth, and damaged on the way.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileDiff } from '../../src/core/types.js';
import { findDiffs, findDiffstat } from '../../src/extract/diff.js';
import { extractMessage } from '../../src/extract/message.js';
import { linesOf, makeMessage } from '../helpers/unit.js';

// Lines 1..30 of a clean git format-patch body.
const CLEAN = [
  'NOMMU declares flush_tlb_kernel_range() but nothing defines it, so', // 1
  'an SMP+NOMMU build fails to link. Use the km allocator there.', // 2
  '', // 3
  'Signed-off-by: Ada Hacker <ada@example.org>', // 4
  '---', // 5
  ' mm/Kconfig     | 2 +-', // 6
  ' mm/percpu-km.c | 1 +', // 7
  ' 2 files changed, 2 insertions(+), 1 deletion(-)', // 8
  '', // 9
  'diff --git a/mm/Kconfig b/mm/Kconfig', // 10
  'index 0123456..789abcd 100644', // 11
  '--- a/mm/Kconfig', // 12
  '+++ b/mm/Kconfig', // 13
  '@@ -430,6 +430,6 @@ config NEED_PER_CPU_EMBED_FIRST_CHUNK', // 14
  ' ', // 15
  ' config NEED_PER_CPU_KM', // 16
  ' \tdepends on !SMP || !MMU', // 17
  ' \tbool', // 18
  '-\tdefault y', // 19
  '+\tdefault y if !MMU', // 20
  ' ', // 21
  'diff --git a/mm/percpu-km.c b/mm/percpu-km.c', // 22
  'index 1111111..2222222 100644', // 23
  '--- a/mm/percpu-km.c', // 24
  '+++ b/mm/percpu-km.c', // 25
  '@@ -30,4 +30,5 @@', // 26
  ' #include <linux/log2.h>', // 27
  '+#include <linux/tlbflush.h>', // 28
  ' ', // 29
  ' static void pcpu_post_unmap_tlb_flush(struct pcpu_chunk *chunk,', // 30
  ' \t\t\t\t      int page_start, int page_end)', // 31
  '-- ', // 32
  '2.34.1', // 33
];

const diffPart = CLEAN.slice(9, 31);
const quote = (ls: string[], prefix: string) => ls.map((l) => (l === '' ? prefix.trimEnd() : prefix + l));
const only = <T>(xs: T[]): T => {
  assert.equal(xs.length, 1, `expected exactly one, got ${xs.length}`);
  return xs[0]!;
};
const summary = (f: FileDiff) => ({
  oldPath: f.oldPath,
  newPath: f.newPath,
  status: f.status,
  hunks: f.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.lines.length, h.truncated]),
});

describe('findDiffs: clean patches', () => {
  it('a git format-patch: files, statuses, hunk counts, sections, mail line numbers', () => {
    const b = only(findDiffs(linesOf(CLEAN)));
    assert.equal(b.depth, 0);
    assert.equal(b.firstLine, 10);
    assert.equal(b.lastLine, 31);
    assert.deepEqual(b.damage, []);
    assert.deepEqual(b.files.map(summary), [
      { oldPath: 'mm/Kconfig', newPath: 'mm/Kconfig', status: 'modified', hunks: [[430, 6, 430, 6, 7, false]] },
      { oldPath: 'mm/percpu-km.c', newPath: 'mm/percpu-km.c', status: 'modified', hunks: [[30, 4, 30, 5, 5, false]] },
    ]);
    const h = b.files[0]!.hunks[0]!;
    assert.equal(h.header, '@@ -430,6 +430,6 @@');
    assert.equal(h.section, 'config NEED_PER_CPU_EMBED_FIRST_CHUNK');
    assert.deepEqual(
      h.lines.filter((l) => l.kind !== 'ctx'),
      [
        { kind: 'del', text: '\tdefault y', mailLine: 19 },
        { kind: 'add', text: '\tdefault y if !MMU', mailLine: 20 },
      ],
    );
    assert.deepEqual(b.files[1]!.hunks[0]!.lines[1], { kind: 'add', text: '#include <linux/tlbflush.h>', mailLine: 28 });
    assert.deepEqual(b.files[1]!.hunks[0]!.lines[0], { kind: 'ctx', text: '#include <linux/log2.h>', mailLine: 27 });
  });

  it("a vendored import past the cross-check's size reads the same as a small one", async () => {
    const { CROSS_CHECK_MAX_LINES } = await import('../../src/extract/diff.js');
    const newFile = (n: number) => [
      'diff --git a/vendor/big.rs b/vendor/big.rs',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/vendor/big.rs',
      `@@ -0,0 +1,${n} @@`,
      ...Array.from({ length: n }, (_, i) => `+let x${i} = ${i};`),
    ];
    for (const n of [10, CROSS_CHECK_MAX_LINES + 10]) {
      const b = only(findDiffs(linesOf(['Import the crate.', '---', ...newFile(n), '-- ', '2.47.0'])));
      assert.deepEqual(b.damage, []);
      const lines = b.files[0]!.hunks[0]!.lines;
      assert.equal(lines.length, n);
      assert.deepEqual(lines[n - 1], { kind: 'add', text: `let x${n - 1} = ${n - 1};`, mailLine: n + 7 });
      assert.equal(b.files[0]!.status, 'added');
    }
  });

  it('stops at the signature and does not take "-- " for a deleted line', () => {
    const b = only(findDiffs(linesOf(CLEAN)));
    const all = b.files.flatMap((f) => f.hunks.flatMap((h) => h.lines));
    assert.ok(all.every((l) => l.mailLine <= 31));
  });

  it('new, deleted, renamed and pure-rename files; "\\ No newline" is skipped', () => {
    const text = [
      'diff --git a/arch/arm/mm/tlb-nommu.c b/arch/arm/mm/tlb-nommu.c',
      'new file mode 100644',
      'index 0000000..3333333',
      '--- /dev/null',
      '+++ b/arch/arm/mm/tlb-nommu.c',
      '@@ -0,0 +1,3 @@',
      '+void flush_tlb_kernel_range(unsigned long start, unsigned long end)',
      '+{',
      '+}',
      '\\ No newline at end of file',
      'diff --git a/drivers/staging/foo/old.c b/drivers/staging/foo/old.c',
      'deleted file mode 100644',
      'index 4444444..0000000',
      '--- a/drivers/staging/foo/old.c',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-int old;',
      '-int older;',
      'diff --git a/drivers/staging/foo/a.c b/drivers/staging/foo/b.c',
      'similarity index 90%',
      'rename from drivers/staging/foo/a.c',
      'rename to drivers/staging/foo/b.c',
      'index 5555555..6666666 100644',
      '--- a/drivers/staging/foo/a.c',
      '+++ b/drivers/staging/foo/b.c',
      '@@ -1,2 +1,2 @@',
      '-#include "a.h"',
      '+#include "b.h"',
      ' int x;',
      'diff --git a/drivers/staging/foo/c.c b/drivers/staging/foo/d.c',
      'similarity index 100%',
      'rename from drivers/staging/foo/c.c',
      'rename to drivers/staging/foo/d.c',
      'diff --git a/scripts/checkpatch.pl b/scripts/checkpatch.pl',
      'old mode 100644',
      'new mode 100755',
    ];
    const b = only(findDiffs(linesOf(text)));
    assert.deepEqual(b.files.map(summary), [
      { oldPath: 'arch/arm/mm/tlb-nommu.c', newPath: 'arch/arm/mm/tlb-nommu.c', status: 'added', hunks: [[0, 0, 1, 3, 3, false]] },
      { oldPath: 'drivers/staging/foo/old.c', newPath: 'drivers/staging/foo/old.c', status: 'deleted', hunks: [[1, 2, 0, 0, 2, false]] },
      { oldPath: 'drivers/staging/foo/a.c', newPath: 'drivers/staging/foo/b.c', status: 'renamed', hunks: [[1, 2, 1, 2, 3, false]] },
      { oldPath: 'drivers/staging/foo/c.c', newPath: 'drivers/staging/foo/d.c', status: 'renamed', hunks: [] },
      { oldPath: 'scripts/checkpatch.pl', newPath: 'scripts/checkpatch.pl', status: 'mode', hunks: [] },
    ]);
  });

  it('a plain "diff -u" (---/+++ without diff --git)', () => {
    const b = only(findDiffs(linesOf(['Try this:', '', '--- a/lib/x.c\t2022-03-01 10:00:00', '+++ b/lib/x.c\t2022-03-01 10:05:00', '@@ -5 +5 @@', '-\told();', '+\tnew();', '', 'Ada'])));
    assert.deepEqual(b.files.map(summary), [{ oldPath: 'lib/x.c', newPath: 'lib/x.c', status: 'modified', hunks: [[5, 1, 5, 1, 2, false]] }]);
  });

  it('a bare hunk without a file header: file unknown, said so', () => {
    const b = only(findDiffs(linesOf(['Something like', '@@ -1,2 +1,2 @@', ' a();', '-b();', '+c();', '', 'maybe?'])));
    assert.equal(b.files[0]!.newPath, '?');
    assert.ok(
      b.damage.some((d) => /file unknown/.test(d)),
      b.damage.join('; '),
    );
  });

  it('prose without any diff gives nothing', () => {
    assert.deepEqual(findDiffs(linesOf(['--- ', 'not a diff', '@@ no hunk', '+1 for this idea', '-1 from me'])), []);
  });
});

describe('findDiffs: quoted diffs', () => {
  for (const [prefix, depth] of [
    ['> ', 1],
    ['> > ', 2],
    ['>> ', 2],
  ] as const) {
    it(`quoted with "${prefix}" is found at depth ${depth}, with the same structure`, () => {
      const text = ['On Tue, Mar 01, 2022, Ada Hacker wrote:', ...quote(diffPart, prefix), '', 'Looks wrong to me.'];
      const b = only(findDiffs(linesOf(text)));
      assert.equal(b.depth, depth);
      assert.equal(b.firstLine, 2);
      const clean = only(findDiffs(linesOf(CLEAN)));
      assert.deepEqual(b.files.map(summary), clean.files.map(summary));
      assert.equal(b.files[0]!.hunks[0]!.lines.find((l) => l.kind === 'add')!.mailLine, 12);
    });
  }

  it("a reviewer's comments between quoted hunk lines are skipped, not taken as the end", () => {
    const text = [
      'On Tue, Ada Hacker wrote:', // 1
      '> diff --git a/mm/Kconfig b/mm/Kconfig', // 2
      '> index 0123456..789abcd 100644', // 3
      '> --- a/mm/Kconfig', // 4
      '> +++ b/mm/Kconfig', // 5
      '> @@ -430,6 +430,6 @@ config NEED_PER_CPU_EMBED_FIRST_CHUNK', // 6
      '>  ', // 7
      '>  config NEED_PER_CPU_KM', // 8
      '>  \tdepends on !SMP || !MMU', // 9
      '', // 10
      'This dependency is exactly what hides the real problem.', // 11
      '', // 12
      '>  \tbool', // 13
      '> -\tdefault y', // 14
      '> +\tdefault y if !MMU', // 15
      '', // 16
      'NAK.', // 17
      '', // 18
      '>  ', // 19
    ];
    const b = only(findDiffs(linesOf(text)));
    assert.equal(b.depth, 1);
    const h = b.files[0]!.hunks[0]!;
    assert.equal(h.truncated, false);
    assert.deepEqual(
      h.lines.map((l) => l.mailLine),
      [7, 8, 9, 13, 14, 15, 19],
    );
    assert.ok(!h.lines.some((l) => /hides|NAK/.test(l.text)));
  });

  it('a quoted hunk cut short by the reviewer is truncated (without a damage note: quoting trims)', () => {
    const text = ['> @@ -10,6 +10,6 @@ int foo(void)', '>  \ta();', '> -\tb();', '> +\tc();', '', 'Why do you change this?'];
    const b = only(findDiffs(linesOf(text)));
    assert.equal(b.files[0]!.hunks[0]!.truncated, true);
    assert.equal(b.files[0]!.hunks[0]!.lines.length, 3);
  });
});

describe('findDiffs: damaged diffs', () => {
  const hunk = [
    '--- a/drivers/staging/zsmalloc/zsmalloc-main.c',
    '+++ b/drivers/staging/zsmalloc/zsmalloc-main.c',
    '@@ -228,3 +228,3 @@ struct zs_pool {',
    ' ',
    '-#if defined(CONFIG_ARM)',
    '+#if defined(CONFIG_ARM) && defined(CONFIG_SMP)',
    ' #define USE_PGTABLE_MAPPING',
  ];
  const path = 'drivers/staging/zsmalloc/zsmalloc-main.c';

  it('a "diff --git" line that lost its b/ path: paths from ---/+++, damage said', () => {
    const b = only(findDiffs(linesOf([`diff --git a/${path}`, 'index 09a9d35..ecf75fb 100644', ...hunk])));
    assert.equal(b.files[0]!.oldPath, path);
    assert.equal(b.files[0]!.newPath, path);
    assert.equal(b.files[0]!.hunks[0]!.lines.length, 4);
    assert.ok(
      b.damage.some((d) => /lost its b\/ path/.test(d)),
      b.damage.join('; '),
    );
  });

  it('a "diff --git" line wrapped onto the next line is joined', () => {
    const b = only(findDiffs(linesOf(['>> diff --git a/' + path, '>> b/' + path, '>> index 09a9d35..ecf75fb 100644', ...quote(hunk, '>> ')])));
    assert.equal(b.depth, 2);
    assert.equal(b.files.length, 1);
    assert.equal(b.files[0]!.newPath, path);
    assert.ok(
      b.damage.some((d) => /wrapped; joined with line 2/.test(d)),
      b.damage.join('; '),
    );
  });

  it('a quoted "---" line moved to another depth by an archive still belongs to the header', () => {
    const b = only(findDiffs(linesOf(['>> diff --git a/' + path, '>> b/' + path, '>> index 09a9d35..ecf75fb 100644', '>         > ' + hunk[0], ...quote(hunk.slice(1), '>> ')])));
    assert.equal(b.files.length, 1);
    assert.equal(b.files[0]!.hunks.length, 1);
    assert.equal(b.files[0]!.hunks[0]!.truncated, false);
  });

  it('context lines that lost their leading space are taken as context, with a note', () => {
    const b = only(findDiffs(linesOf(['diff --git a/lib/x.c b/lib/x.c', '--- a/lib/x.c', '+++ b/lib/x.c', '@@ -10,4 +10,4 @@', 'static int foo(void)', '{', '-\treturn 1;', '+\treturn 2;', '}'])));
    const h = b.files[0]!.hunks[0]!;
    assert.deepEqual(
      h.lines.map((l) => l.kind),
      ['ctx', 'ctx', 'del', 'add', 'ctx'],
    );
    assert.equal(h.truncated, false);
    assert.equal(b.damage.filter((d) => /lost its leading space/.test(d)).length, 3);
  });

  it('a long + line re-wrapped by the mailer is joined back', () => {
    const b = only(
      findDiffs(
        linesOf([
          'diff --git a/lib/x.c b/lib/x.c',
          '--- a/lib/x.c',
          '+++ b/lib/x.c',
          '@@ -1,2 +1,3 @@',
          ' void f(void)',
          '+\tpr_warn("zsmalloc: this mapping cannot be flushed on this configuration, falling',
          'back to copying\\n");',
          ' {',
        ]),
      ),
    );
    const h = b.files[0]!.hunks[0]!;
    assert.equal(h.lines.length, 3);
    assert.equal(h.lines[1]!.text, '\tpr_warn("zsmalloc: this mapping cannot be flushed on this configuration, falling back to copying\\n");');
    assert.equal(h.lines[1]!.mailLine, 6);
    assert.equal(h.truncated, false);
    assert.ok(
      b.damage.some((d) => /re-wrapped diff line joined to line 6/.test(d)),
      b.damage.join('; '),
    );
  });

  it('an inline hunk cut short by prose is truncated, and the damage says how much is missing', () => {
    const b = only(
      findDiffs(
        linesOf([
          'diff --git a/x.c b/x.c',
          '--- a/x.c',
          '+++ b/x.c',
          '@@ -10,6 +10,6 @@ int foo(void)',
          ' \ta();',
          '-\tb();',
          '+\tc();',
          'Sorry, the rest of the patch got lost when I pasted it here.',
        ]),
      ),
    );
    const h = b.files[0]!.hunks[0]!;
    assert.equal(h.truncated, true);
    assert.equal(h.lines.length, 3);
    assert.ok(
      b.damage.some((d) => /stops after 2\/6 old and 2\/6 new lines/.test(d)),
      b.damage.join('; '),
    );
    assert.equal(b.lastLine, 7);
  });
});

describe('findDiffstat', () => {
  const cover = [
    'This series makes NOMMU use the km percpu allocator.',
    '',
    'Ada Hacker (2):',
    '  percpu: km: use for SMP+NOMMU',
    '  arm: nommu: drop flush_tlb_kernel_range',
    '',
    ' arch/arm/include/asm/tlbflush.h | 2 --',
    ' mm/Kconfig                      | 2 +-',
    ' 2 files changed, 1 insertion(+), 3 deletions(-)',
    '',
    '-- ',
    '2.34.1',
  ];

  it('a cover letter diffstat: files, counts and the line', () => {
    const s = findDiffstat(linesOf(cover));
    assert.deepEqual(s, {
      files: [
        { path: 'arch/arm/include/asm/tlbflush.h', changes: 2 },
        { path: 'mm/Kconfig', changes: 2 },
      ],
      filesChanged: 2,
      insertions: 1,
      deletions: 3,
      line: 9,
    });
  });

  it('the same diffstat flattened onto one line', () => {
    const s = findDiffstat(linesOf([cover.join(' ')]));
    assert.ok(s);
    assert.deepEqual(
      s.files.map((f) => f.path),
      ['arch/arm/include/asm/tlbflush.h', 'mm/Kconfig'],
    );
    assert.equal(s.deletions, 3);
    assert.equal(s.line, 1);
  });

  it('a quoted diffstat does not count', () => {
    assert.equal(findDiffstat(linesOf(quote(cover, '> '))), null);
  });

  it('extractMessage turns a diffstat-only cover letter into a statOnly patch', () => {
    const x = extractMessage(makeMessage({ subject: '[PATCH 0/2] percpu: NOMMU fixes', body: cover.join('\n') + '\n' }));
    const p = only(x.patches);
    assert.equal(p.source, 'diffstat');
    assert.equal(p.subject, '[PATCH 0/2] percpu: NOMMU fixes', 'two patches: the cover subject names them');
    assert.deepEqual(
      p.files.map((f) => [f.newPath, f.statOnly, f.hunks.length]),
      [
        ['arch/arm/include/asm/tlbflush.h', true, 0],
        ['mm/Kconfig', true, 0],
      ],
    );
    assert.ok(p.damage.some((d) => /only a diffstat/.test(d)));
  });

  it('a one-patch cover letter, flattened: the shortlog title names the patch', () => {
    const flat = 'Hi, this fixes the NOMMU link. Ada Hacker (1): percpu: km: use for SMP+NOMMU  mm/Kconfig | 2 +-  1 file changed, 1 insertion(+), 1 deletion(-)';
    const x = extractMessage(makeMessage({ subject: '[PATCH 0/1] percpu: NOMMU', body: flat + '\n' }));
    const p = only(x.patches);
    assert.equal(p.source, 'diffstat');
    assert.equal(p.subject, 'percpu: km: use for SMP+NOMMU');
    assert.deepEqual(
      p.files.map((f) => f.newPath),
      ['mm/Kconfig'],
    );
  });

  it('a reply quoting a diffstat is no patch', () => {
    const x = extractMessage(makeMessage({ subject: 'Re: [PATCH 0/2] percpu: NOMMU fixes', body: quote(cover, '> ').join('\n') + '\nThanks\n' }));
    assert.deepEqual(x.patches, []);
  });
});

describe('extractMessage: patches', () => {
  it('an inline patch: commit message before "---", author, lines', () => {
    const x = extractMessage(makeMessage({ messageId: '<p@x>', subject: '[PATCH] percpu: km: use for SMP+NOMMU', body: CLEAN.join('\n') + '\n' }));
    const p = only(x.patches);
    assert.equal(p.source, 'inline');
    assert.equal(p.messageId, '<p@x>');
    assert.equal(p.quoteDepth, 0);
    assert.equal(p.author, 'Ada Hacker');
    assert.match(p.description, /^NOMMU declares flush_tlb_kernel_range\(\)/);
    assert.match(p.description, /Signed-off-by: Ada Hacker/);
    assert.doesNotMatch(p.description, /files changed/);
    assert.equal(p.firstLine, 10);
    assert.equal(p.files.length, 2);
  });

  it('a quoted patch is attributed to the mail it answers', () => {
    const body = ['On Tue, Ada Hacker wrote:', ...quote(diffPart, '> '), '', 'NAK'].join('\n') + '\n';
    const x = extractMessage(makeMessage({ messageId: '<r@x>', inReplyTo: '<p@x>', subject: 'Re: [PATCH] percpu: km: use for SMP+NOMMU', body }));
    const p = only(x.patches);
    assert.equal(p.source, 'quoted');
    assert.equal(p.messageId, '<p@x>');
    assert.equal(p.foundIn, '<r@x>');
    assert.equal(p.quoteDepth, 1);
  });
});
