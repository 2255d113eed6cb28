// src/extract/failures.ts: build failures as toolchains, robots and people write them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildFailure } from '../../src/core/types.js';
import { failureKey, findFailures, findProseFailures, findRuntimeProblems } from '../../src/extract/failures.js';
import { ownText } from '../../src/extract/lines.js';
import { extractMessage } from '../../src/extract/message.js';
import { linesOf, makeMessage } from '../helpers/unit.js';

const scan = (text: string[], robot = false) => findFailures({ messageId: '<m@x>', lines: linesOf(text, robot), diffLines: new Set(), robot });
const only = (fs: BuildFailure[]): BuildFailure => {
  assert.equal(fs.length, 1, JSON.stringify(fs.map((f) => f.message)));
  return fs[0]!;
};
const pick = (f: BuildFailure, ...keys: (keyof BuildFailure)[]) => Object.fromEntries(keys.map((k) => [k, f[k]]));

describe('GNU ld', () => {
  it('"in function" on the previous line', () => {
    const f = only(scan(["arm-none-linux-gnueabihf-ld: mm/percpu.o: in function `pcpu_post_unmap_tlb_flush':", "mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range'"]));
    assert.deepEqual(pick(f, 'kind', 'symbol', 'file', 'line', 'inFunction', 'tool'), {
      kind: 'undefined-reference',
      symbol: 'flush_tlb_kernel_range',
      file: 'mm/percpu-vm.c',
      line: 188,
      inFunction: 'pcpu_post_unmap_tlb_flush',
      tool: 'arm-none-linux-gnueabihf-ld',
    });
    assert.equal(f.cite.line, 2);
    assert.equal(f.cite.messageId, '<m@x>');
  });

  it('"in function" on the same line, and typographic quotes', () => {
    const f = only(scan(['ld: drivers/gpu/drm/foo/foo_drv.o: in function ‘foo_probe’: foo_drv.c:(.text+0x1c4): undefined reference to ‘bar_register’']));
    assert.deepEqual(pick(f, 'symbol', 'file', 'inFunction', 'tool'), { symbol: 'bar_register', file: 'drivers/gpu/drm/foo/foo_drv.c', inFunction: 'foo_probe', tool: 'ld' });
  });

  // the source name lacks its directory; the object named by "in function" supplies it
  it('old binutils: "In function" and "(.text+0x..)"', () => {
    const f = only(scan(["drivers/staging/zsmalloc/zsmalloc-main.o: In function `zs_unmap_object':", "zsmalloc-main.c:(.text+0x4a8): undefined reference to `local_flush_tlb_kernel_range'"]));
    assert.deepEqual(pick(f, 'symbol', 'file', 'line', 'inFunction'), {
      symbol: 'local_flush_tlb_kernel_range',
      file: 'drivers/staging/zsmalloc/zsmalloc-main.c',
      line: undefined,
      inFunction: 'zs_unmap_object',
    });
  });

  it('an "in function" too far above is not borrowed', () => {
    const f = only(scan(["a.o: in function `far_away':", 'one', 'two', 'three', 'four', "b.c:1: undefined reference to `sym'"]));
    assert.equal(f.inFunction, undefined);
  });

  it('several references in one function give one failure each', () => {
    const fs = scan(["ld: x.o: in function `f':", "x.c:1: undefined reference to `a_sym'", "x.c:2: undefined reference to `b_sym'"]);
    assert.deepEqual(
      fs.map((f) => [f.symbol, f.inFunction]),
      [
        ['a_sym', 'f'],
        ['b_sym', 'f'],
      ],
    );
  });
});

describe('ld.lld', () => {
  it('"undefined symbol" with ">>> referenced by" lines', () => {
    const f = only(
      scan([
        'ld.lld: error: undefined symbol: devm_clk_get_optional',
        '>>> referenced by clk-foo.c:123 (drivers/clk/clk-foo.c:123)',
        '>>>               drivers/clk/clk-foo.o:(foo_clk_probe) in archive drivers/built-in.a',
        '',
      ]),
    );
    assert.deepEqual(pick(f, 'kind', 'symbol', 'file', 'line', 'inFunction', 'tool'), {
      kind: 'undefined-reference',
      symbol: 'devm_clk_get_optional',
      file: 'drivers/clk/clk-foo.c',
      line: 123,
      inFunction: 'foo_clk_probe',
      tool: 'ld.lld',
    });
  });

  it('the same, quoted in a reply', () => {
    const f = only(
      scan(['> ld.lld: error: undefined symbol: flush_tlb_kernel_range', '> >>> referenced by percpu-vm.c', '> >>>               mm/percpu.o:(pcpu_post_unmap_tlb_flush) in archive vmlinux.a']),
    );
    assert.equal(f.quoteDepth, 1);
    assert.equal(f.file, 'mm/percpu-vm.c');
    assert.equal(f.inFunction, 'pcpu_post_unmap_tlb_flush');
  });
});

describe('modpost', () => {
  it('ERROR with and without "modpost:", and WARNING', () => {
    const fs = scan([
      'ERROR: modpost: "local_flush_tlb_kernel_range" [drivers/staging/zsmalloc/zsmalloc.ko] undefined!',
      'ERROR: "v7wbi_flush_kern_tlb_range" [drivers/staging/zsmalloc/zsmalloc.ko] undefined!',
      'WARNING: modpost: "__udivdi3" [drivers/iio/adc/foo.ko] undefined!',
      'ERROR: modpost: "early_sym" [vmlinux] undefined!',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.symbol, f.module, f.file, f.tool]),
      [
        ['modpost-undefined', 'local_flush_tlb_kernel_range', 'drivers/staging/zsmalloc/zsmalloc.ko', 'drivers/staging/zsmalloc/zsmalloc.c', 'modpost'],
        ['modpost-undefined', 'v7wbi_flush_kern_tlb_range', 'drivers/staging/zsmalloc/zsmalloc.ko', 'drivers/staging/zsmalloc/zsmalloc.c', 'modpost'],
        ['modpost-undefined', '__udivdi3', 'drivers/iio/adc/foo.ko', 'drivers/iio/adc/foo.c', 'modpost'],
        ['modpost-undefined', 'early_sym', 'vmlinux', undefined, 'modpost'],
      ],
    );
  });
});

describe('compiler diagnostics', () => {
  it('gcc error with [-Werror=...]: symbol, file, line, flag', () => {
    const f = only(scan(["drivers/net/foo.c:120:9: error: implicit declaration of function 'of_get_mac_address_nvmem' [-Werror=implicit-function-declaration]"]));
    assert.deepEqual(pick(f, 'kind', 'symbol', 'file', 'line', 'flag'), {
      kind: 'compile-error',
      symbol: 'of_get_mac_address_nvmem',
      file: 'drivers/net/foo.c',
      line: 120,
      flag: '-Wimplicit-function-declaration',
    });
  });

  it('undeclared, no member named (gcc and clang), clang undeclared function/identifier', () => {
    const fs = scan([
      "drivers/net/foo.c:130:17: error: 'FOO_MAX' undeclared (first use in this function)",
      "drivers/net/foo.c:140:20: error: no member named 'pm' in 'struct device_driver'",
      "drivers/net/foo.c:150:20: error: 'struct device' has no member named 'of_node_reused'",
      "drivers/net/foo.c:45:3: error: call to undeclared function 'bar_fn'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]",
      "drivers/net/foo.c:46:3: error: use of undeclared identifier 'BAZ_VAL'",
      'include/linux/foo.h:10:10: fatal error: linux/missing.h: No such file or directory',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.symbol, f.line]),
      [
        ['compile-error', 'FOO_MAX', 130],
        ['compile-error', 'pm', 140],
        ['compile-error', 'of_node_reused', 150],
        ['compile-error', 'bar_fn', 45],
        ['compile-error', 'BAZ_VAL', 46],
        ['compile-error', 'linux/missing.h', 10],
      ],
    );
  });

  it('a warning is a warning, with its flag and symbol; notes are not failures', () => {
    const fs = scan(["drivers/net/foo.c:33:27: warning: 'foo_ids' defined but not used [-Wunused-const-variable=]", 'drivers/net/foo.c:20:1: note: in expansion of macro ‘FOO’']);
    const f = only(fs);
    assert.equal(f.kind, 'warning');
    assert.equal(f.symbol, 'foo_ids');
    assert.match(f.flag ?? '', /^-Wunused-const-variable/);
  });

  it('cc1: error is a compile error; "all warnings being treated as errors" is not', () => {
    const f = only(scan(["cc1: error: '-mfloat-abi=hard': selected processor lacks an FPU", 'cc1: all warnings being treated as errors', 'cc1: error: all warnings being treated as errors']));
    assert.equal(f.kind, 'compile-error');
    assert.equal(f.tool, 'cc1');
  });
});

describe('static checkers', () => {
  it("sparse in the robot's format", () => {
    const f = only(scan(['>> drivers/gpu/foo.c:12:22: sparse: sparse: incorrect type in assignment (different address spaces) @@     expected void [noderef] __iomem *base @@'], true));
    assert.deepEqual(pick(f, 'kind', 'tool', 'file', 'line', 'fromRobot', 'quoteDepth'), { kind: 'static-check', tool: 'sparse', file: 'drivers/gpu/foo.c', line: 12, fromRobot: true, quoteDepth: 0 });
  });

  it('smatch: function and symbol', () => {
    const fs = scan(["drivers/gpu/foo.c:587 foo_read() error: uninitialized symbol 'data'.", 'drivers/gpu/foo.c:600 foo_write() warn: inconsistent indenting']);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.tool, f.inFunction, f.symbol, f.line]),
      [
        ['static-check', 'smatch', 'foo_read', 'data', 587],
        ['static-check', 'smatch', 'foo_write', undefined, 600],
      ],
    );
  });
});

describe('Kconfig', () => {
  it('unmet direct dependencies: symbol, dependsOn, and both Selected by sections', () => {
    const f = only(
      scan([
        'WARNING: unmet direct dependencies detected for NEED_PER_CPU_KM',
        '  Depends on [n]: !SMP [=y] || !MMU [=n]',
        '  Selected by [y]:',
        '  - ARM_FOO [=y] && ARM [=y]',
        '  Selected by [m]:',
        '  - BAR_DRIVER [=m] && PCI [=y]',
      ]),
    );
    assert.deepEqual(pick(f, 'kind', 'symbol', 'dependsOn', 'selectedBy', 'tool'), {
      kind: 'kconfig-unmet',
      symbol: 'NEED_PER_CPU_KM',
      dependsOn: '!SMP [=y] || !MMU [=n]',
      selectedBy: ['ARM_FOO', 'BAR_DRIVER'],
      tool: 'kconfig',
    });
  });

  it("the robot's indented block, two warnings kept apart", () => {
    const fs = scan([
      'Kconfig warnings: (for reference only)',
      '   WARNING: unmet direct dependencies detected for FOO',
      '     Depends on [n]: BAR [=n]',
      '     Selected by [y]:',
      '     - BAZ [=y]',
      '   WARNING: unmet direct dependencies detected for QUX',
      '     Depends on [n]: QUUX [=n]',
      '     Selected by [m]:',
      '     - CORGE [=m]',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.symbol, f.dependsOn, f.selectedBy]),
      [
        ['FOO', 'BAR [=n]', ['BAZ']],
        ['QUX', 'QUUX [=n]', ['CORGE']],
      ],
    );
  });
});

describe('prose and runtime', () => {
  const own = (text: string[]) => ownText(linesOf(text));

  it('FTBFS, "fails to link without CONFIG_SMP", "breaks the build"; the subject counts as line 0', () => {
    const fs = findProseFailures(
      '<m@x>',
      own(['Hi,', 'this gives a FTBFS on UP.', 'It fails to link without CONFIG_SMP.', 'Nothing to see here.', 'Commit abc breaks the build for me.']),
      new Set(),
      'staging: zsmalloc: fix the !SMP build failure',
    );
    assert.deepEqual(
      fs.map((f) => [f.kind, f.cite.line]),
      [
        ['build-prose', 0],
        ['build-prose', 2],
        ['build-prose', 3],
        ['build-prose', 5],
      ],
    );
  });

  it("fixing a warning in words is a warning; quoted prose is not the sender's", () => {
    const fs = findProseFailures('<m@x>', own(['> It fails to build on arm.', 'This patch silences a gcc warning about an unused variable.']), new Set());
    assert.deepEqual(
      fs.map((f) => [f.kind, f.cite.line]),
      [['warning', 2]],
    );
  });

  it('runtime: Oops, BUG:, WARNING: CPU:, Unable to handle, KASAN', () => {
    const text = [
      'Unable to handle kernel NULL pointer dereference at virtual address 00000000',
      'Internal error: Oops: 817 [#1] PREEMPT SMP ARM',
      'Oops - undefined instruction: 0 [#1] SMP ARM',
      'BUG: sleeping function called from invalid context at mm/slab.h:494',
      'WARNING: CPU: 1 PID: 42 at mm/percpu.c:1234 pcpu_alloc+0x1a4/0x5c0',
      'BUG: KASAN: use-after-free in zs_map_object+0x40/0x120',
      'Oopsie, I forgot the attachment.',
      'It works fine for me.',
    ];
    const fs = findRuntimeProblems('<m@x>', linesOf(text), new Set());
    assert.deepEqual(
      fs.map((f) => f.cite.line),
      [1, 2, 3, 4, 5, 6],
    );
    assert.ok(fs.every((f) => f.kind === 'runtime'));
  });

  it('runtime: a boot failure told in words counts; one said to be absent does not', () => {
    const text = [
      'is no longer positioned at the start of the image, which causes a boot failure.',
      'Since the merge the board fails to boot.',
      'With this applied the machine no longer boots.',
      'Tested 3/10 boots; the fourth has never seen a boot failure.',
      'I see no boot failure with it.',
      'The boot time drops by a second.',
      'If the kernel fails to boot, try earlyprintk.',
      'This could fail to boot on older boards.',
      'Add support for the boot failure counter.',
      'Document how to debug boot hangs.',
      "brisa_rproc can't boot or kick the DSP without the mailbox.",
      'The remoteproc fails to boot the firmware.',
      'Otherwise the board would fail to boot.',
    ];
    const fs = findRuntimeProblems('<m@x>', linesOf(text), new Set());
    assert.deepEqual(
      fs.map((f) => f.cite.line),
      [1, 2, 3, 13],
    );
  });

  it("runtime: each boot-only exception's example is blocked, its counterpart is a report", async () => {
    const { BOOT_NOT_A_REPORT } = await import('../../src/extract/failures.js');
    for (const e of BOOT_NOT_A_REPORT.filter((x) => x.name === 'condition' || x.name === 'feature')) {
      assert.equal(findRuntimeProblems('<m@x>', linesOf([e.example[0]]), new Set()).length, 0, e.example[0]);
      assert.equal(findRuntimeProblems('<m@x>', linesOf([e.example[1]]), new Set()).length, 1, e.example[1]);
    }
  });

  it('runtime: a negation before an older phrase is still a report ("does not fix the use-after-free")', () => {
    const fs = findRuntimeProblems('<m@x>', linesOf(['v2 does not fix the use-after-free I reported.', 'Your patch does not fix the soft lockup.']), new Set());
    assert.deepEqual(
      fs.map((f) => f.cite.line),
      [1, 2],
    );
  });

  it('failureKey: the same failure quoted again has the same key', () => {
    const a = only(scan(['ERROR: modpost: "sym" [drivers/a/b.ko] undefined!']));
    const b = only(scan(['> ERROR: modpost: "sym" [drivers/a/b.ko] undefined!']));
    const c = only(scan(['ERROR: modpost: "sym" [drivers/a/c.ko] undefined!']));
    assert.equal(failureKey(a), failureKey(b));
    assert.notEqual(failureKey(a), failureKey(c));
  });
});

describe('where failures are not', () => {
  it('a failure string inside a diff is code, not a report', () => {
    const body = [
      'Building with CONFIG_SMP=n fails:',
      '',
      "mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range'",
      '',
      'Signed-off-by: Ada Hacker <ada@example.org>',
      '---',
      'diff --git a/Documentation/kbuild/errors.rst b/Documentation/kbuild/errors.rst',
      '--- a/Documentation/kbuild/errors.rst',
      '+++ b/Documentation/kbuild/errors.rst',
      '@@ -1,1 +1,4 @@',
      ' Common errors',
      "+  lib/x.c:12: undefined reference to `other_symbol'",
      '+  ERROR: modpost: "doc_sym" [drivers/doc.ko] undefined!',
      "+  lib/y.c:3:4: error: 'DOC_CONST' undeclared",
    ].join('\n');
    const x = extractMessage(makeMessage({ body: body + '\n', subject: '[PATCH] mm: percpu: fix the NOMMU link' }));
    assert.equal(x.patches.length, 1);
    const symbols = x.failures.map((f) => f.symbol).filter(Boolean);
    assert.deepEqual(symbols, ['flush_tlb_kernel_range']);
  });

  it('plain prose mentioning linkers and errors is not a toolchain failure', () => {
    assert.deepEqual(scan(['The ld: man page says nothing about this error: nothing at all.', 'Error handling in foo.c is odd.', 'I read foo.c:12 and bar.h yesterday.']), []);
  });
});

describe('flat text (every newline lost)', () => {
  it('finds every failure on one long line', () => {
    const flat =
      "Hi, I see this: arm-none-linux-gnueabihf-ld: mm/percpu.o: in function `pcpu_post_unmap_tlb_flush': mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range' " +
      'and also ERROR: modpost: "foo_sym" [drivers/x/y.ko] undefined! then drivers/a.c:1:2: error: \'XVAL\' undeclared (first use in this function) ' +
      "drivers/b.c:3:4: error: implicit declaration of function 'yfunc' [-Werror=implicit-function-declaration] " +
      'WARNING: unmet direct dependencies detected for FOO   Depends on [n]: BAR [=n]   Selected by [y]:   - BAZ [=y]';
    const fs = scan([flat]);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.symbol]),
      [
        ['undefined-reference', 'flush_tlb_kernel_range'],
        ['modpost-undefined', 'foo_sym'],
        ['compile-error', 'XVAL'],
        ['compile-error', 'yfunc'],
        ['kconfig-unmet', 'FOO'],
      ],
    );
    assert.equal(fs[0]!.inFunction, 'pcpu_post_unmap_tlb_flush');
    assert.equal(fs[2]!.message, "drivers/a.c:1:2: error: 'XVAL' undeclared (first use in this function)");
    assert.equal(fs[3]!.file, 'drivers/b.c');
    assert.equal(fs[3]!.flag, '-Wimplicit-function-declaration');
    assert.deepEqual(fs[4]!.selectedBy, ['BAZ']);
    assert.equal(fs[4]!.dependsOn, 'BAR [=n]');
  });

  it('a long line of junk is scanned quickly', () => {
    const t0 = Date.now();
    scan(['a.c:1: '.repeat(5000) + 'undefined reference to ' + 'x'.repeat(20000)]);
    scan([' in function `'.repeat(4000)]);
    scan(['drivers/'.repeat(8000) + 'x.c:1:2: error: ' + 'y '.repeat(3000)]);
    scan(['a/'.repeat(30000)]); // one 60 KB word: unbounded \S* runs made this quadratic
    assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  });
});
