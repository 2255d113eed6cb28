// src/extract/context.ts: arch and CONFIG_ polarity of the configuration that fails.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigSetting } from '../../src/core/types.js';
import { archOfTool, findContext, mergeContexts, normaliseArch, sentences } from '../../src/extract/context.js';
import { extractMessage } from '../../src/extract/message.js';
import { makeMessage } from '../helpers/unit.js';

const configs = (...texts: string[]) =>
  findContext(texts)
    .configs.map((c: ConfigSetting) => `${c.name}=${c.value}`)
    .sort();

describe('arch', () => {
  const triplets: [string, string][] = [
    ["arm-none-linux-gnueabihf-ld: mm/percpu.o: in function `f':", 'arm'],
    ['aarch64-linux-gnu-gcc: error: unrecognized command-line option', 'arm64'],
    ['powerpc64le-linux-gnu-ld: warning: orphan section', 'powerpc'],
    ['x86_64-linux-gnu-gcc -O2 -c foo.c', 'x86'],
    ['mips64el-linux-gnuabi64-ld: vmlinux.o: in function', 'mips'],
    ['riscv64-linux-gnu-objdump -d vmlinux', 'riscv'],
  ];
  for (const [text, arch] of triplets) {
    it(`${text.split(' ')[0]} → ${arch}`, () => {
      assert.deepEqual(findContext([text]).arches, [arch]);
    });
  }

  it('archOfTool reads the triplet of a tool name', () => {
    assert.equal(archOfTool('arm-none-linux-gnueabihf-ld'), 'arm');
    assert.equal(archOfTool('aarch64-linux-gnu-ld'), 'arm64');
    assert.equal(archOfTool('powerpc64le-linux-gnu-ld'), 'powerpc');
    assert.equal(archOfTool('ld'), undefined);
    assert.equal(archOfTool(undefined), undefined);
  });

  it('normaliseArch folds aliases and refuses non-arches', () => {
    assert.equal(normaliseArch('i686'), 'x86');
    assert.equal(normaliseArch('ppc64le'), 'powerpc');
    assert.equal(normaliseArch('s390x'), 's390');
    assert.equal(normaliseArch('m68k'), 'm68k');
    assert.equal(normaliseArch('banana'), undefined);
  });

  it('robot config names give the arch and the config name', () => {
    const c = findContext([
      'tree:   https://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git master',
      'config: arm-randconfig-r002-20211130 (https://download.01.org/0day-ci/archive/20211130/config)',
      'compiler: arm-linux-gnueabi-gcc (GCC) 11.2.0',
    ]);
    assert.deepEqual(c.arches, ['arm']);
    assert.deepEqual(c.configNames, ['arm-randconfig-r002-20211130']);
    assert.deepEqual(c.compilers, ['arm-linux-gnueabi-gcc (GCC) 11.2.0']);
    assert.deepEqual(findContext(['config: x86_64-allyesconfig']).configNames, ['x86_64-allyesconfig']);
  });

  it('ARCH=mips and "sparc defconfig" in prose', () => {
    assert.deepEqual(findContext(['Reproduce with: make W=1 ARCH=mips olddefconfig']).arches, ['mips']);
    const c = findContext(['This breaks sparc defconfig and arm64 allmodconfig.']);
    assert.deepEqual(c.arches, ['sparc', 'arm64']);
    assert.deepEqual(c.configNames, ['sparc defconfig', 'arm64 allmodconfig']);
  });

  it('"on ARM" in prose, but not ordinary words', () => {
    assert.deepEqual(findContext(['It fails to link on ARM.']).arches, ['arm']);
    assert.deepEqual(findContext(['I will arm the trap and sparc no joy; the x86 people']).arches, []);
  });
});

describe('CONFIG_ polarity', () => {
  it('!SMP, !CONFIG_SMP, "without CONFIG_SMP", CONFIG_SMP=n, "# CONFIG_SMP is not set"', () => {
    assert.deepEqual(configs('Compilation problem with zsmalloc when !SMP on ARM'), ['SMP=n']);
    assert.deepEqual(configs('The link fails with !CONFIG_SMP.'), ['SMP=n']);
    assert.deepEqual(configs('Without CONFIG_SMP we have a FTBFS.'), ['SMP=n']);
    assert.deepEqual(configs('It fails with CONFIG_SMP=n in my .config.'), ['SMP=n']);
    assert.deepEqual(configs('# CONFIG_SMP is not set'), ['SMP=n']);
  });

  it('"SMP+NOMMU" is SMP=y and MMU=n; "UP" is SMP=n', () => {
    assert.deepEqual(configs('I see a build failure on R-class (SMP+NOMMU).'), ['MMU=n', 'SMP=y']);
    assert.deepEqual(configs('The build fails on UP.'), ['SMP=n']);
    assert.deepEqual(configs('UP+NOMMU build fails as well.'), ['MMU=n', 'SMP=n']);
  });

  it('"when GPIOLIB is disabled", "with CONFIG_MMU enabled", =y and =m', () => {
    assert.deepEqual(configs('The driver fails to build when GPIOLIB is disabled.'), ['GPIOLIB=n']);
    assert.deepEqual(configs('It breaks with CONFIG_MMU enabled.'), ['MMU=y']);
    assert.deepEqual(configs('Broken with CONFIG_PREEMPT_RT=y and CONFIG_FOO=m.'), ['FOO=m', 'PREEMPT_RT=y']);
  });

  it('a sentence about a working config does not make it the failing one', () => {
    assert.deepEqual(configs('With CONFIG_SMP=y it builds fine.'), []);
    assert.deepEqual(configs('It builds fine on UP.', 'But it fails with CONFIG_MMU=n.'), ['MMU=n']);
  });

  it('Kconfig and preprocessor lines state dependencies, not the failing config', () => {
    assert.deepEqual(configs('config NEED_PER_CPU_KM', '\tdepends on !SMP || !MMU', '#ifndef CONFIG_SMP', 'obj-$(CONFIG_FOO) += foo.o'), []);
  });

  it('words that must not become configs', () => {
    assert.deepEqual(configs('Thanks! I will test it.'), []);
    assert.deepEqual(configs('NAK'), []);
    assert.deepEqual(configs('NAK! I will not take it.'), []);
    assert.deepEqual(configs('TODO: fix this properly.'), []);
    assert.deepEqual(configs('Without ACK from the maintainer this cannot go in.'), []);
    assert.deepEqual(configs('Hmm! A question.'), []);
    assert.deepEqual(configs('if (!IS_ENABLED(CONFIG_FOO)) return;'), []);
  });
});

describe('CONFIG_ polarity in changelog prose', () => {
  it('"X is a module", "built as a module": m; "X is built-in": y; near miss: "it is a module"', () => {
    assert.deepEqual(configs('It fails to link when CONFIG_FOO_BUS is a module.'), ['FOO_BUS=m']);
    assert.deepEqual(configs('The link fails when FOO_BUS is built as a module.'), ['FOO_BUS=m']);
    assert.deepEqual(configs('It breaks when CONFIG_FOO_BUS is built-in.'), ['FOO_BUS=y']);
    assert.deepEqual(configs('The build fails since it is a module now.'), []);
  });

  it('"If CONFIG_X is n", "X is set to m"; near miss: "X is not what I meant"', () => {
    assert.deepEqual(configs('If CONFIG_FOO_BUS is n, the build fails.'), ['FOO_BUS=n']);
    assert.deepEqual(configs('The build fails when FOO_BUS is set to m.'), ['FOO_BUS=m']);
    assert.deepEqual(configs('FOO_BUS is nice but the build fails.'), []);
  });

  it('a Kconfig name without its prefix, assigned: "FOO=y and BAR=m"; near miss: W=1, ARCH=arm', () => {
    assert.deepEqual(configs('With NET_FOO=y and NET_BAR=m the link fails.'), ['NET_BAR=m', 'NET_FOO=y']);
    assert.deepEqual(configs('It fails with W=1 ARCH=arm LLVM=1.'), []);
  });

  it('"only defined when CONFIG_X is set" means the failure is with X=n; "...is not set" with X=y', () => {
    assert.deepEqual(configs('bar_get() is only defined when CONFIG_FOO_BUS is set.'), ['FOO_BUS=n']);
    assert.deepEqual(configs('That file is compiled only when CONFIG_FOO_BUS is enabled.'), ['FOO_BUS=n']);
    assert.deepEqual(configs('bar_get() is only defined when CONFIG_FOO_BUS is not set.'), ['FOO_BUS=y']);
    assert.deepEqual(configs('The fast path is only taken when the cache is warm.'), []);
  });

  it('"the CONFIG_X option has been disabled", "has NUMA disabled and FOO_BUS enabled"', () => {
    assert.deepEqual(configs('It fails where the CONFIG_FOO_FPU configuration option has been disabled.'), ['FOO_FPU=n']);
    assert.deepEqual(configs('When a configuration has NUMA disabled and FOO_BUS enabled, the build fails.'), ['FOO_BUS=y', 'NUMA=n']);
  });

  it('compilers named in prose, once; near miss: a gcc flag', () => {
    assert.deepEqual(findContext(['gcc-13 warns about this, and so does clang 17.0.1.']).compilers, ['gcc-13', 'clang-17']);
    assert.deepEqual(findContext(['compiler: gcc-12 (Debian 12.2.0-14) 12.2.0']).compilers, ['gcc-12 (Debian 12.2.0-14) 12.2.0']);
    assert.deepEqual(findContext(['Pass -fno-strict-aliasing to gcc as usual.']).compilers, []);
  });
});

describe('sentences / mergeContexts', () => {
  it('splits sentences across wrapped lines and at blank lines', () => {
    assert.deepEqual(sentences(['It fails without', 'CONFIG_SMP. With it,', 'all is well.', '', 'Next paragraph']), ['It fails without CONFIG_SMP.', 'With it, all is well.', 'Next paragraph']);
  });

  it('merges without duplicates', () => {
    const a = findContext(['config: arm-randconfig-r001-20220301', 'It fails with CONFIG_SMP=n.']);
    const b = findContext(['arm-linux-gnueabi-ld: x', 'Without CONFIG_SMP and without CONFIG_MMU it fails.']);
    const m = mergeContexts(a, b);
    assert.deepEqual(m.arches, ['arm']);
    assert.deepEqual(m.configs.map((c) => c.name).sort(), ['MMU', 'SMP']);
  });
});

describe('extractMessage gives each failure its config', () => {
  it('arch from the tool, configs from the sentence around it', () => {
    const body = [
      'Building an SMP+NOMMU kernel fails:',
      '',
      "arm-none-linux-gnueabihf-ld: mm/percpu.o: in function `pcpu_post_unmap_tlb_flush':",
      "mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range'",
      '',
      'Thanks! I will look at it later.',
    ].join('\n');
    const x = extractMessage(makeMessage({ subject: 'percpu: build failure on SMP+NOMMU', body: body + '\n' }));
    const f = x.failures.find((k) => k.kind === 'undefined-reference');
    assert.ok(f);
    assert.equal(f.arch, 'arm');
    assert.deepEqual(f.configs.map((c) => `${c.name}=${c.value}`).sort(), ['MMU=n', 'SMP=y']);
  });

  it('the sentence introducing an indented log states its config; sentences before it may describe others', () => {
    const body = [
      'The dma pool uses the coherent backend, but FOO_POOL_KM picks',
      'that backend on UP kernels only. A riscv build with CONFIG_ZONE_DMA=n',
      'therefore fails:',
      '',
      "  riscv64-linux-gnu-ld: drivers/foo/pool.o: in function `pool_get':",
      "  pool.c:(.text+0x1c): undefined reference to `dma_pool_zone'",
      '',
    ].join('\n');
    const x = extractMessage(makeMessage({ subject: '[PATCH] foo: pool: use the km backend without ZONE_DMA', body: body + '\n' }));
    const f = x.failures.find((k) => k.kind === 'undefined-reference');
    assert.ok(f);
    assert.equal(f.arch, 'riscv');
    assert.deepEqual(
      f.configs.map((c) => `${c.name}=${c.value}`),
      ['ZONE_DMA=n'],
    );
  });

  it('without configs in the introducing sentence, the neighbourhood still gives them', () => {
    const body = ['This is a CONFIG_SMP=n build.', 'It fails like this:', '', "  ld: kernel/foo.o: in function `f':", "  foo.c:(.text+0x4): undefined reference to `bar'", ''].join('\n');
    const x = extractMessage(makeMessage({ subject: 'foo: link failure', body: body + '\n' }));
    const f = x.failures.find((k) => k.kind === 'undefined-reference');
    assert.ok(f);
    assert.deepEqual(
      f.configs.map((c) => `${c.name}=${c.value}`),
      ['SMP=n'],
    );
  });

  it('a question is cited at the line it starts on, not the first line of its paragraph', () => {
    const body = ['I had a look at the flush path.', 'It seems fine on UP. But is the local flush', 'safe on SMP? And what about the', 'other CPUs, is a stale TLB entry a problem?', ''].join('\n');
    const x = extractMessage(makeMessage({ subject: 'Re: tlb flushing', body }));
    assert.deepEqual(
      x.problemStatements.map((q) => [q.text.slice(0, 20), q.cite.line]),
      [
        ['But is the local flu', 2],
        ['And what about the o', 3],
      ],
    );
  });
});
