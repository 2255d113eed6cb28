// Deterministic generator of a synthetic kernel mailing-list archive, written
// as one mboxrd file (what lore's mbox.gz serves): `From mboxrd@z ...` lines,
// body lines matching /^>*From / get one more '>'.
//
// Everything here is made up from small vocabularies and templates written for
// this benchmark (no archive text is copied); a seeded PRNG makes the output
// byte-identical for the same parameters and GENERATOR_VERSION. The mix follows
// the shape of a busy kernel list:
//   - git format-patch postings (single patches and series with cover letters,
//     v1..v4), diffs over C, headers, Kconfig and Makefiles, diffstats;
//   - replies quoting the patch at one level and earlier replies at two, review
//     comments, trailers, "applied" notes, author answers;
//   - kernel test robot reports (config:, compiler:, '>>' error lines), some
//     with the .config attached as a base64 part of a multipart/mixed mail;
//   - linux-next build failure reports, pull requests and their tracker replies,
//     plain questions about build breakage;
//   - quoted-printable and base64 text parts, 8bit UTF-8, PGP multipart/signed,
//     RFC 2047 encoded names and subjects, full delivery headers (Received,
//     ARC, DKIM) so header sizes look like a real list's;
//   - proper Message-ID / In-Reply-To / References so threads form, with a few
//     clients that drop References.
//
// Run directly: node --import tsx bench/gen-mbox.ts [--messages N] [--seed S] [--out FILE | --cache-dir DIR]
// (without --out it fills the cache, .bench-cache/ by default, and reuses what is there)

import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump whenever the output for the same parameters changes: the cache key uses it. */
export const GENERATOR_VERSION = 3;

export interface GenParams {
  messages: number;
  seed: number;
}

export interface GenStats {
  messages: number;
  bytes: number;
  threads: number;
  kinds: Record<string, number>;
  encodings: Record<string, number>;
  sizes: { median: number; p90: number; p99: number; max: number; over50k: number; over200k: number };
}

// ---------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32 (small, fast, good enough for test data)

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 16; i++) this.next();
  }
  /** uniform in [0, 1) */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)]!;
  }
  /** pick by weights: [[value, weight], ...] */
  weighted<T>(a: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of a) total += w;
    let r = this.next() * total;
    for (const [v, w] of a) {
      r -= w;
      if (r < 0) return v;
    }
    return a[a.length - 1]![0];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
  alnum(n: number): string {
    const cs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += cs[this.int(0, cs.length - 1)];
    return s;
  }
  b64(n: number): string {
    const cs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += cs[this.int(0, 63)];
    return s;
  }
  /** heavy-tailed positive integer: mostly near lo, sometimes far */
  tail(lo: number, median: number, hi: number): number {
    const u = this.next();
    const v = lo + (median - lo) * (u / (1 - u + 1e-9)) ** 0.9;
    return Math.max(lo, Math.min(hi, Math.round(v)));
  }
}

// ---------------------------------------------------------------------------
// Vocabularies (invented for this benchmark)

const FIRST = [
  'Alice',
  'Bogdan',
  'Chen',
  'Dmitri',
  'Elena',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Luca',
  'Marta',
  'Nikhil',
  'Olga',
  'Pavel',
  'Quentin',
  'Rosa',
  'Sanjay',
  'Tomasz',
  'Ulrike',
  'Viktor',
  'Wen',
  'Xavier',
  'Yusuf',
  'Zofia',
  'Anders',
  'Beatriz',
  'Caleb',
  'Dara',
  'Emil',
  'Fiona',
  'Gustav',
  'Hana',
  'Ivo',
  'Jae',
  'Kirsten',
  'Leon',
  'Mei',
  'Nora',
];
const LAST = [
  'Abbott',
  'Brandt',
  'Castillo',
  'Dunmore',
  'Eriksen',
  'Fairley',
  'Gruber',
  'Hale',
  'Ishikawa',
  'Jansen',
  'Kowal',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinlan',
  'Rasmussen',
  'Sato',
  'Tanaka',
  'Underwood',
  'Varga',
  'Whitfield',
  'Xu',
  'Yamamoto',
  'Zeller',
  'Arnaud',
  'Becker',
  'Cardoso',
  'Dalton',
];
// names that need RFC 2047 in headers
const FIRST_INTL = ['Jürgen', 'Søren', 'Zoë', 'Łukasz', 'François', 'José', 'Björn', 'Ånund', 'Dušan', 'Çağrı', 'Jiří', 'Mikuláš', 'Ramón', 'Gökhan'];
const LAST_INTL = ['Müller', 'Dvořák', 'Kleinschmidt-Höfer', 'Ørsted', 'Nuñez', 'Wróbel', 'Szabó', 'Ekström', 'Öztürk', 'Lefèvre', 'Čapek', 'Gärtner'];
const CJK = [
  ['王', '伟'],
  ['李', '静'],
  ['张', '磊'],
  ['刘', '洋'],
  ['陈', '杰'],
  ['杨', '帆'],
] as const;
const PINYIN: Record<string, string> = { 王: 'Wang', 伟: 'Wei', 李: 'Li', 静: 'Jing', 张: 'Zhang', 磊: 'Lei', 刘: 'Liu', 洋: 'Yang', 陈: 'Chen', 杰: 'Jie', 杨: 'Yang', 帆: 'Fan' };
const DOMAINS = [
  'kernel.org',
  'gmail.com',
  'example-silicon.com',
  'corp-linux.org',
  'opensys.dev',
  'embedded-works.de',
  'cloudhost.io',
  'chipmaker.cn',
  'distro-labs.net',
  'university.edu',
  'fastmail.example',
  'posteo.example',
];

interface Area {
  name: string;
  list: string;
  listId: string;
  prefix: string;
  dirs: string[];
  tree: string;
  /** CONFIG_ stems typical for the area */
  configs: string[];
}

const AREAS: Area[] = [
  {
    name: 'kbuild',
    list: 'linux-kbuild@vger.kernel.org',
    listId: 'linux-kbuild.vger.kernel.org',
    prefix: 'kbuild',
    dirs: ['scripts', 'scripts/kconfig', 'scripts/mod', 'scripts/basic', 'scripts/package'],
    tree: 'kbuild',
    configs: ['MODVERSIONS', 'LTO_CLANG', 'DEBUG_INFO_BTF', 'CC_OPTIMIZE_FOR_SIZE', 'MODULE_SIG', 'TRIM_UNUSED_KSYMS'],
  },
  {
    name: 'kconfig',
    list: 'linux-kbuild@vger.kernel.org',
    listId: 'linux-kbuild.vger.kernel.org',
    prefix: 'kconfig',
    dirs: ['scripts/kconfig', 'scripts/kconfig/lxdialog'],
    tree: 'kbuild',
    configs: ['EXPERT', 'COMPILE_TEST', 'MODULES', 'WERROR'],
  },
  {
    name: 'modpost',
    list: 'linux-kbuild@vger.kernel.org',
    listId: 'linux-kbuild.vger.kernel.org',
    prefix: 'modpost',
    dirs: ['scripts/mod'],
    tree: 'kbuild',
    configs: ['MODULES', 'MODVERSIONS', 'MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS'],
  },
  {
    name: 'mm',
    list: 'linux-mm@kvack.org',
    listId: 'linux-mm.kvack.org',
    prefix: 'mm',
    dirs: ['mm', 'include/linux'],
    tree: 'mm',
    configs: ['SMP', 'MMU', 'NEED_PER_CPU_KM', 'TRANSPARENT_HUGEPAGE', 'MEMCG', 'NUMA'],
  },
  {
    name: 'arm',
    list: 'linux-arm-kernel@lists.infradead.org',
    listId: 'linux-arm-kernel.lists.infradead.org',
    prefix: 'ARM',
    dirs: ['arch/arm/mm', 'arch/arm/kernel', 'arch/arm/include/asm'],
    tree: 'arm-soc',
    configs: ['SMP', 'MMU', 'CPU_V7', 'ARM_LPAE', 'THUMB2_KERNEL'],
  },
  {
    name: 'arm64',
    list: 'linux-arm-kernel@lists.infradead.org',
    listId: 'linux-arm-kernel.lists.infradead.org',
    prefix: 'arm64',
    dirs: ['arch/arm64/kernel', 'arch/arm64/mm', 'arch/arm64/include/asm'],
    tree: 'arm64',
    configs: ['ARM64_SVE', 'ARM64_64K_PAGES', 'KVM', 'ARM64_MTE'],
  },
  {
    name: 'drm',
    list: 'dri-devel@lists.freedesktop.org',
    listId: 'dri-devel.lists.freedesktop.org',
    prefix: 'drm/vsync',
    dirs: ['drivers/gpu/drm/vsync', 'drivers/gpu/drm/panel', 'include/drm'],
    tree: 'drm-misc',
    configs: ['DRM', 'DRM_KMS_HELPER', 'BACKLIGHT_CLASS_DEVICE', 'DRM_FBDEV_EMULATION'],
  },
  {
    name: 'net',
    list: 'netdev@vger.kernel.org',
    listId: 'netdev.vger.kernel.org',
    prefix: 'net: fastlink',
    dirs: ['drivers/net/ethernet/fastlink', 'net/core', 'include/net'],
    tree: 'net-next',
    configs: ['NET', 'PHYLINK', 'PTP_1588_CLOCK', 'PAGE_POOL'],
  },
  {
    name: 'usb',
    list: 'linux-usb@vger.kernel.org',
    listId: 'linux-usb.vger.kernel.org',
    prefix: 'usb: gadget',
    dirs: ['drivers/usb/gadget', 'drivers/usb/host', 'include/linux/usb'],
    tree: 'usb',
    configs: ['USB', 'USB_GADGET', 'USB_XHCI_HCD', 'PM'],
  },
  {
    name: 'rust',
    list: 'rust-for-linux@vger.kernel.org',
    listId: 'rust-for-linux.vger.kernel.org',
    prefix: 'rust',
    dirs: ['rust/kernel', 'rust', 'scripts'],
    tree: 'rust',
    configs: ['RUST', 'RUST_OVERFLOW_CHECKS', 'MODVERSIONS'],
  },
  {
    name: 'i2c',
    list: 'linux-i2c@vger.kernel.org',
    listId: 'linux-i2c.vger.kernel.org',
    prefix: 'i2c: tiny',
    dirs: ['drivers/i2c/busses', 'drivers/i2c'],
    tree: 'i2c',
    configs: ['I2C', 'OF', 'ACPI', 'COMMON_CLK'],
  },
  {
    name: 'ext',
    list: 'linux-fsdevel@vger.kernel.org',
    listId: 'linux-fsdevel.vger.kernel.org',
    prefix: 'fs/blkfs',
    dirs: ['fs/blkfs', 'fs', 'include/linux'],
    tree: 'vfs',
    configs: ['BLOCK', 'FS_ENCRYPTION', 'QUOTA', 'FS_DAX'],
  },
];
const LKML = 'linux-kernel@vger.kernel.org';

const NOUNS = [
  'buf',
  'ctx',
  'dev',
  'entry',
  'node',
  'map',
  'range',
  'page',
  'sym',
  'attr',
  'req',
  'queue',
  'cfg',
  'reg',
  'irq',
  'desc',
  'state',
  'slot',
  'table',
  'chan',
  'port',
  'obj',
  'sect',
  'elem',
  'info',
  'priv',
  'work',
  'timer',
  'pool',
  'ring',
];
const VERBS = [
  'init',
  'alloc',
  'free',
  'flush',
  'lookup',
  'get',
  'put',
  'update',
  'read',
  'write',
  'parse',
  'check',
  'validate',
  'setup',
  'release',
  'register',
  'unregister',
  'handle',
  'reset',
  'sync',
  'map',
  'unmap',
  'probe',
  'remove',
  'resolve',
  'emit',
  'scan',
];
const FIELDS = ['flags', 'count', 'len', 'size', 'lock', 'list', 'next', 'head', 'base', 'mask', 'id', 'index', 'owner', 'refcnt', 'data', 'offset', 'start', 'end', 'type', 'mode'];
const KAPI = [
  'kfree',
  'kzalloc',
  'kmalloc_array',
  'memcpy',
  'memset',
  'strscpy',
  'spin_lock',
  'spin_unlock',
  'mutex_lock',
  'mutex_unlock',
  'list_del',
  'list_add_tail',
  'WARN_ON_ONCE',
  'pr_err',
  'pr_debug',
  'dev_err',
  'dev_dbg',
  'flush_tlb_kernel_range',
  'local_flush_tlb_kernel_range',
  'rcu_read_lock',
  'rcu_read_unlock',
  'atomic_inc',
  'atomic_dec_and_test',
  'READ_ONCE',
  'WRITE_ONCE',
  'smp_wmb',
  'bitmap_zero',
  'ioremap',
  'iounmap',
  'devm_kzalloc',
  'of_property_read_u32',
  'platform_get_irq',
];
const ERRNO = ['ENOMEM', 'EINVAL', 'ENODEV', 'EBUSY', 'EIO', 'ENOENT', 'EAGAIN', 'EOPNOTSUPP', 'ETIMEDOUT', 'EPROBE_DEFER'];
const TYPES = ['int', 'unsigned int', 'unsigned long', 'u32', 'u64', 'size_t', 'bool', 'long', 'u8', 'loff_t'];
const ARCHS = [
  ['arm', 'arm-linux-gnueabi'],
  ['arm64', 'aarch64-linux'],
  ['x86_64', 'x86_64-linux'],
  ['i386', 'i386-linux'],
  ['riscv', 'riscv64-linux'],
  ['powerpc', 'powerpc64-linux'],
  ['mips', 'mips-linux'],
  ['s390', 's390-linux'],
  ['loongarch', 'loongarch64-linux'],
  ['sparc', 'sparc64-linux'],
  ['m68k', 'm68k-linux'],
  ['parisc', 'hppa-linux'],
] as const;
const CONFIG_KINDS = ['randconfig', 'allmodconfig', 'allyesconfig', 'allnoconfig', 'defconfig', 'tinyconfig', 'nommu_k210_defconfig', 'multi_v7_defconfig', 'omap2plus_defconfig'];
const COMPILERS = [
  'gcc-14 (Debian 14.2.0-8) 14.2.0',
  'clang version 20.0.0git (https://github.com/llvm/llvm-project 1e2d3f4a5b6c)',
  'gcc-13 (GCC) 13.3.0',
  'clang version 19.1.3',
  'gcc-12 (GCC) 12.4.0',
  'clang version 18.1.8',
];

const WORDS = [
  'the',
  'helper',
  'path',
  'when',
  'is',
  'not',
  'a',
  'module',
  'this',
  'config',
  'we',
  'only',
  'need',
  'to',
  'call',
  'it',
  'from',
  'early',
  'boot',
  'code',
  'so',
  'lock',
  'can',
  'be',
  'dropped',
  'before',
  'after',
  'returns',
  'value',
  'of',
  'each',
  'entry',
  'build',
  'time',
  'kernel',
  'and',
  'that',
  'makes',
  'sense',
  'for',
  'all',
  'users',
  'without',
  'changing',
  'behaviour',
  'on',
  'other',
  'architectures',
  'which',
  'still',
  'rely',
  'old',
  'interface',
  'table',
  'in',
  'case',
  'error',
  'handling',
  'may',
  'leak',
  'memory',
  'fix',
  'by',
  'moving',
  'check',
  'up',
  'output',
  'file',
  'directory',
  'tree',
  'symbol',
  'export',
  'namespace',
  'object',
  'dependency',
  'target',
  'rule',
  'variable',
  'flag',
  'compiler',
  'warning',
  'option',
  'default',
  'since',
  'commit',
  'introduced',
  'regression',
  'users',
  'reported',
];

// Review comments, answers, status notes: written for this benchmark.
const REVIEW = [
  'Why is {fn}() needed here at all? As far as I can see it is only reached from {fn2}().',
  'This breaks the build when CONFIG_{C} is disabled, {fn}() has no stub in that case.',
  'Please use {api}() instead of open-coding it, it already handles the corner case.',
  'Nit: the subject prefix for this file is usually "{area}: ".',
  'I am not sure this is the right fix. It makes the warning go away, but the caller still passes an unchecked length.',
  'This only papers over the problem; the object is still built for configs that cannot link it.',
  'The error path leaks {v}, you need to free it before returning.',
  'Can you add a Fixes: tag so this gets picked up for stable?',
  'Looks reasonable to me.',
  "I don't think we want another config option for this. Can it be derived from CONFIG_{C} instead?",
  'Is there a reason not to do this in {file} where the other users live?',
  'The commit message says this fixes a race, but I do not see what protects {v}->{f} after the unlock.',
  'This needs to be READ_ONCE(), the field is updated without the lock held.',
  "Please don't mix the rename with the functional change, it makes the diff hard to review.",
  'With this applied, `make {cfgkind}` for ARCH={arch} still fails for me, see below.',
  'What happens for the !CONFIG_{C} case? The stub returns 0 but callers treat 0 as success.',
  'I would rather export {fn} than move the whole thing into the core, but let us hear what others think.',
  'NAK. Exporting {fn} to modules is not something we want, it is an internal helper.',
  'Thanks, this is much simpler than v{n}.',
  'This hunk looks unrelated to the rest of the patch.',
  'Please run scripts/checkpatch.pl, there are a few style issues.',
  'The Kconfig dependency looks wrong, {C} can be =m while this is built in.',
  'Good catch. I wonder how long this has been broken.',
  'Does this still build with W=1? I remember an unused variable warning in this area.',
];
const FOLLOWUP = [
  'Thanks for the review. You are right, I will fix it in the next version.',
  'Good point, I had missed the !CONFIG_{C} case. v{n} will add a proper stub.',
  'The caller holds {v}->lock here, so I think the access is fine. I can add a lockdep assertion to make that explicit.',
  'I tried that first, but {fn2}() is also called from atomic context, so it cannot sleep.',
  'Fair enough, I will split the rename into a separate patch.',
  'It was introduced by the conversion to {fn}(), I will add the Fixes: tag.',
  'I could not reproduce this with {compiler}; which config did you use?',
];
const STATUS = ['Applied to {tree}/for-next. Thanks!', 'Applied, thanks.', 'Queued for the next merge window.', 'Applied to {tree}-fixes, thanks.', 'This is now in linux-next, thank you.'];
const COMMIT_INTRO = [
  'When CONFIG_{C} is disabled, {fn}() is not built, but {fn2}() still calls it unconditionally.',
  'The {v} table is walked without holding {v}->lock, which races with {fn}() removing entries.',
  '{fn}() returns -{errno} on failure, but the caller only checks for NULL.',
  'Since the conversion to {api}(), the length passed here can exceed the buffer.',
  'Building with {compiler} and W=1 reports an unused variable in {fn}().',
  'Move the {v} initialisation out of {fn}() so the error path does not have to undo it.',
  'Several drivers open-code the same lookup; add a common helper and convert them.',
  'The Makefile rule for {file} does not list its generated header as a prerequisite, so parallel builds fail randomly.',
  'Kconfig allows {C}=y with {C2}=m, which leaves the built-in code with an undefined reference.',
  'Rework the {v} handling so the fast path does not take the lock.',
];
const COMMIT_MORE = [
  'This has been the case since the code was added, nobody seems to have hit it because most configs enable both options.',
  'No functional change intended for configurations that already built.',
  'The new helper is marked static inline so that it compiles away when unused.',
  'Tested on an {arch} board and with {cfgkind} builds for x86_64 and arm64.',
  'The generated code is identical for the common case; bloat-o-meter reports no change.',
  'While at it, drop the redundant cast and fix the kernel-doc comment.',
  'A follow-up patch converts the remaining users.',
];

// ---------------------------------------------------------------------------
// People

interface Person {
  name: string;
  address: string;
  /** '>>' style nests markers without a space, '> >' with */
  nest: '>>' | '> >';
  client: 'git' | 'gmail' | 'mutt' | 'thunderbird' | 'robot' | 'bot';
  /** preferred transfer encoding for text */
  cte: 'qp' | '8bit' | '7bit' | 'base64';
  pgp: boolean;
}

function makePeople(rng: Rng): Person[] {
  const out: Person[] = [];
  const seen = new Set<string>();
  while (out.length < 420) {
    let name: string;
    let local: string;
    const r = rng.next();
    if (r < 0.14) {
      const f = rng.pick(FIRST_INTL);
      const l = rng.pick(LAST_INTL);
      name = `${f} ${l}`;
      local = `${f}.${l}`
        .normalize('NFD')
        .replace(/[^\x20-\x7e]/g, '')
        .replace(/[^A-Za-z.-]/g, '')
        .toLowerCase();
    } else if (r < 0.2) {
      const [fam, giv] = rng.pick(CJK);
      name = rng.chance(0.5) ? `${fam}${giv}` : `${PINYIN[giv]} ${PINYIN[fam]} (${fam}${giv})`;
      local = `${PINYIN[fam]}${PINYIN[giv]}${rng.int(1, 99)}`.toLowerCase();
    } else {
      const f = rng.pick(FIRST);
      const l = rng.pick(LAST);
      name = `${f} ${l}`;
      local = rng.chance(0.7) ? `${f}.${l}`.toLowerCase() : `${f[0]}${l}`.toLowerCase();
    }
    const address = `${local}@${rng.pick(DOMAINS)}`;
    if (seen.has(address)) continue;
    seen.add(address);
    const client = rng.weighted([
      ['git', 5],
      ['gmail', 2],
      ['mutt', 2],
      ['thunderbird', 2],
    ] as const);
    const nonAscii = /[^\x00-\x7f]/.test(name);
    const cte =
      client === 'gmail'
        ? nonAscii || rng.chance(0.4)
          ? 'qp'
          : '7bit'
        : client === 'thunderbird'
          ? rng.chance(0.35)
            ? 'qp'
            : '8bit'
          : rng.weighted([
              ['8bit', 5],
              ['7bit', 3],
              ['qp', 2],
              ['base64', 0.25],
            ] as const);
    out.push({ name, address, nest: client === 'mutt' ? '>>' : rng.chance(0.6) ? '>>' : '> >', client, cte, pgp: client === 'mutt' && rng.chance(0.25) });
  }
  return out;
}

const ROBOT: Person = { name: 'kernel test robot', address: 'lkp@intel.com', nest: '>>', client: 'robot', cte: '7bit', pgp: false };
const NEXT_BOT: Person = { name: 'Nils Nextmerge', address: 'nils@next-integration.example', nest: '>>', client: 'mutt', cte: '7bit', pgp: true };
const PR_BOT: Person = { name: 'pr-tracker-bot', address: 'pr-tracker-bot@kernel.org', nest: '>>', client: 'bot', cte: '7bit', pgp: false };

// ---------------------------------------------------------------------------
// Text helpers

function wrap(text: string, width = 72): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (!w) continue;
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

function sentence(rng: Rng, min = 8, max = 20): string {
  const n = rng.int(min, max);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(rng.pick(WORDS));
  const s = ws.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}

interface Vocab {
  prefix: string;
  fn: string;
  fn2: string;
  v: string;
  f: string;
  api: string;
  C: string;
  C2: string;
  file: string;
  arch: string;
  cfgkind: string;
  compiler: string;
  errno: string;
  area: string;
  tree: string;
  n: string;
}

function fill(t: string, v: Vocab): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => (v as unknown as Record<string, string>)[k] ?? k);
}

function ident(rng: Rng, prefix: string): string {
  return `${prefix}_${rng.pick(VERBS)}_${rng.pick(NOUNS)}`;
}

function cPrefix(path: string): string {
  const base = path
    .split('/')
    .pop()!
    .replace(/\.[a-z]+$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  return base.length > 2 ? base : `k${base}`;
}

// ---------------------------------------------------------------------------
// Source text for diffs: C, Kconfig, Makefile

function cStatements(rng: Rng, prefix: string, n: number): string[] {
  const out: string[] = [];
  const s = () => `${prefix}_${rng.pick(NOUNS)}`;
  const v = () => rng.pick(NOUNS);
  const f = () => rng.pick(FIELDS);
  const gens: (() => string[])[] = [
    () => [`\t${rng.pick(TYPES)} ${v()};`],
    () => [`\tstruct ${s()} *${v()} = ${v()}->${f()};`],
    () => [`\t${v()}->${f()} = ${rng.int(0, 64)};`],
    () => [`\tret = ${ident(rng, prefix)}(${v()}, ${v()}->${f()});`, '\tif (ret)', `\t\tgoto ${rng.pick(['out', 'err_free', 'out_unlock', 'err_put'])};`],
    () => [`\tif (!${v()})`, `\t\treturn -${rng.pick(ERRNO)};`],
    () => [`\t${rng.pick(KAPI)}(&${v()}->${f()});`],
    () => [`\t${v()} = ${rng.pick(['kzalloc', 'kmalloc', 'kvzalloc'])}(sizeof(*${v()}), GFP_KERNEL);`],
    () => [`\tlist_for_each_entry(${v()}, &${v()}->${f()}, ${f()}) {`, `\t\tif (${v()}->${f()} == ${v()})`, '\t\t\tbreak;', '\t}'],
    () => [`\t/* ${sentence(rng, 5, 11).slice(0, -1).toLowerCase()} */`],
    () => ['\t/*', ` * ${sentence(rng, 6, 12)}`, ` * ${sentence(rng, 6, 12)}`, ' */'],
    () => [`#ifdef CONFIG_${rng.pick(['SMP', 'MMU', 'DEBUG_FS', 'PM_SLEEP', 'OF', 'MODULES', 'NUMA'])}`, `\t${ident(rng, prefix)}(${v()});`, '#endif'],
    () => [`\tspin_lock_irqsave(&${v()}->lock, flags);`, `\t${v()}->${f()} |= BIT(${rng.int(0, 31)});`, `\tspin_unlock_irqrestore(&${v()}->lock, flags);`],
    () => [`\tpr_${rng.pick(['err', 'warn', 'debug', 'info'])}("%s: ${rng.pick(VERBS)} failed for %u\\n", __func__, ${v()}->${f()});`],
    () => [''],
    () => [`\tfor (i = 0; i < ${v()}->${f()}; i++)`, `\t\t${v()}[i] = ${ident(rng, prefix)}(${v()}, i);`],
    () => [`\tWRITE_ONCE(${v()}->${f()}, ${v()});`],
    () => [`\tflush_tlb_kernel_range(${v()}, ${v()} + PAGE_SIZE);`],
  ];
  while (out.length < n) out.push(...rng.pick(gens)());
  return out;
}

function cFunctionHeader(rng: Rng, prefix: string): string[] {
  const fn = ident(rng, prefix);
  const ret = rng.pick(['static int', 'int', 'static void', 'void', 'static bool', 'static inline unsigned long', 'static long']);
  return [`${ret} ${fn}(struct ${prefix}_${rng.pick(NOUNS)} *${rng.pick(NOUNS)}, ${rng.pick(TYPES)} ${rng.pick(NOUNS)})`, '{'];
}

/** One whole function: header, locals, statements, an error label sometimes, return. */
function cFunction(rng: Rng, prefix: string): string[] {
  const out = cFunctionHeader(rng, prefix);
  for (let i = rng.int(1, 3); i > 0; i--) {
    out.push(rng.chance(0.5) ? `	struct ${prefix}_${rng.pick(NOUNS)} *${rng.pick(NOUNS)} = ${rng.pick(NOUNS)}->${rng.pick(FIELDS)};` : `	${rng.pick(TYPES)} ${rng.pick(NOUNS)};`);
  }
  out.push('	int ret;', '');
  out.push(...cStatements(rng, prefix, rng.tail(3, 9, 60)));
  if (rng.chance(0.3)) out.push('', `${rng.pick(['out', 'err_free', 'out_unlock'])}:`, `	${rng.pick(['kfree', 'mutex_unlock', 'spin_unlock', 'put_device'])}(${rng.pick(NOUNS)});`);
  out.push(`	return ${rng.chance(0.6) ? 'ret' : '0'};`, '}', '');
  return out;
}

function cMisc(rng: Rng, prefix: string): string[] {
  const r = rng.next();
  if (r < 0.3) return [`EXPORT_SYMBOL${rng.chance(0.6) ? '_GPL' : ''}(${ident(rng, prefix)});`, ''];
  if (r < 0.5) return [`#define ${prefix.toUpperCase()}_${rng.pick(FIELDS).toUpperCase()}_MAX\t${rng.int(2, 4096)}`];
  if (r < 0.8) {
    const out = [`struct ${prefix}_${rng.pick(NOUNS)} {`];
    for (let i = rng.int(2, 8); i > 0; i--) out.push(`\t${rng.pick(TYPES)}\t\t${rng.pick(FIELDS)};`);
    out.push('};', '');
    return out;
  }
  const cfg = rng.pick(['SMP', 'MMU', 'DEBUG_FS', 'PM_SLEEP', 'OF', 'MODULES', 'NUMA']);
  const fn = ident(rng, prefix);
  return [
    `#ifdef CONFIG_${cfg}`,
    `void ${fn}(unsigned long start, unsigned long end);`,
    '#else',
    `static inline void ${fn}(unsigned long start, unsigned long end) { }`,
    `#endif /* CONFIG_${cfg} */`,
    '',
  ];
}

/** n consecutive lines of a plausible C file, starting at a random point. */
function cRegion(rng: Rng, prefix: string, n: number): string[] {
  if (n <= 0) return [];
  const out: string[] = [];
  const skip = rng.int(0, 12);
  if (rng.chance(0.1)) out.push(...['slab', 'module', 'mm', 'spinlock', 'export'].slice(0, rng.int(2, 5)).map((h) => `#include <linux/${h}.h>`), '');
  while (out.length < n + skip) out.push(...(rng.chance(0.8) ? cFunction(rng, prefix) : cMisc(rng, prefix)));
  return out.slice(skip, skip + n);
}

function kconfigRegion(rng: Rng, area: Area, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const name = `${area.prefix.replace(/[^a-z0-9]+/gi, '_').toUpperCase()}_${rng.pick(NOUNS).toUpperCase()}${rng.chance(0.3) ? '_' + rng.pick(VERBS).toUpperCase() : ''}`;
    out.push(
      `config ${name}`,
      `\t${rng.pick(['tristate', 'bool'])} "${rng.pick(['Support for', 'Enable', 'Debugging for'])} ${rng.pick(NOUNS)} ${rng.pick(['handling', 'offload', 'tracking', 'helpers'])}"`,
    );
    if (rng.chance(0.7)) out.push(`\tdepends on ${rng.pick(area.configs)}${rng.chance(0.4) ? ' || COMPILE_TEST' : ''}`);
    if (rng.chance(0.4)) out.push(`\tselect ${rng.pick(area.configs)}`);
    if (rng.chance(0.3)) out.push(`\tdefault ${rng.pick(['y', 'm', 'n', `y if ${rng.pick(area.configs)}`])}`);
    out.push('\thelp', ...wrap(sentence(rng, 12, 30), 62).map((l) => `\t  ${l}`), '');
  }
  return out.slice(0, n);
}

function makefileRegion(rng: Rng, area: Area, n: number): string[] {
  const out: string[] = [];
  const p = () => rng.pick(NOUNS);
  while (out.length < n) {
    const r = rng.next();
    if (r < 0.35) out.push(`obj-$(CONFIG_${rng.pick(area.configs)})\t+= ${p()}_${p()}.o`);
    else if (r < 0.5) out.push(`${p()}-y\t\t:= ${p()}.o ${p()}_${rng.pick(VERBS)}.o`);
    else if (r < 0.6) out.push(`ccflags-$(CONFIG_${rng.pick(area.configs)}) += -D${p().toUpperCase()}_DEBUG`);
    else if (r < 0.72) {
      const x = `${rng.pick(VERBS)}_${p()}`;
      out.push(`quiet_cmd_${x} = GEN     $@`, `      cmd_${x} = $(PYTHON3) $(srctree)/scripts/${x}.py $< > $@`, '');
    } else if (r < 0.82) out.push(`$(obj)/${p()}.o: $(obj)/${p()}.h FORCE`, `\t$(call if_changed_rule,cc_o_c)`);
    else if (r < 0.9) out.push(`targets += ${p()}.h ${p()}.lds`);
    else if (r < 0.95)
      out.push(`ifdef CONFIG_${rng.pick(area.configs)}`, `KBUILD_CFLAGS += -f${rng.pick(['no-strict-aliasing', 'zero-init-padding-bits=all', 'no-delete-null-pointer-checks'])}`, 'endif');
    else out.push(`# ${sentence(rng, 5, 12)}`);
  }
  return out.slice(0, n);
}

interface FileChange {
  path: string;
  kind: 'c' | 'h' | 'kconfig' | 'make' | 'rst';
  lines: string[]; // diff lines: 'diff --git' ... hunks
  added: number;
  removed: number;
  fns: string[];
  newFile: boolean;
}

function regionFor(rng: Rng, kind: FileChange['kind'], area: Area, prefix: string, n: number): string[] {
  if (kind === 'kconfig') return kconfigRegion(rng, area, n);
  if (kind === 'make') return makefileRegion(rng, area, n);
  if (kind === 'rst') {
    const out: string[] = [];
    while (out.length < n) out.push(...wrap(sentence(rng, 10, 30), 78), '');
    return out.slice(0, n);
  }
  return cRegion(rng, prefix, n);
}

function fileChange(rng: Rng, area: Area, opts: { big?: boolean } = {}): FileChange {
  const kind = rng.weighted([
    ['c', 55],
    ['h', 14],
    ['kconfig', 11],
    ['make', 14],
    ['rst', 4],
  ] as const);
  const dir = rng.pick(area.dirs);
  const base = `${rng.pick(NOUNS)}${rng.chance(0.5) ? '_' + rng.pick(NOUNS) : ''}`;
  const path = kind === 'kconfig' ? `${dir}/Kconfig` : kind === 'make' ? `${dir}/Makefile` : kind === 'rst' ? `Documentation/${area.name}/${base}.rst` : `${dir}/${base}.${kind}`;
  const prefix = cPrefix(path);
  const fns: string[] = [];
  const newFile = !!opts.big || (kind !== 'kconfig' && kind !== 'make' && rng.chance(0.03));
  const lines = [`diff --git a/${path} b/${path}`];
  let added = 0;
  let removed = 0;
  if (newFile) {
    const n = opts.big ? rng.int(1200, 5000) : rng.int(20, 200);
    const body = regionFor(rng, kind, area, prefix, n);
    lines.push('new file mode 100644', `index 000000000000..${rng.hex(12)}`, '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${body.length} @@`);
    for (const l of body) lines.push('+' + l);
    added = body.length;
    for (const m of body.join('\n').matchAll(/^\w[\w ]+?\b(\w+)\(/gm)) if (fns.length < 4) fns.push(m[1]!);
    return { path, kind, lines, added, removed, fns, newFile };
  }
  lines.push(`index ${rng.hex(12)}..${rng.hex(12)} 100644`, `--- a/${path}`, `+++ b/${path}`);
  const hunks = rng.tail(1, 1.6, 9);
  let oldLine = rng.int(1, 120);
  let delta = 0;
  for (let h = 0; h < hunks; h++) {
    const before = regionFor(rng, kind, area, prefix, 3);
    const after = regionFor(rng, kind, area, prefix, 3);
    const rem = rng.chance(0.25) ? 0 : rng.tail(0, 2, 40);
    let add = rng.tail(0, 3, 80);
    if (rem === 0 && add === 0) add = 1;
    const old = regionFor(rng, kind, area, prefix, rem);
    const neu = regionFor(rng, kind, area, prefix, add);
    const section = kind === 'c' || kind === 'h' ? ` ${ident(rng, prefix)}(${rng.chance(0.5) ? 'struct ' + prefix + '_' + rng.pick(NOUNS) + ' *' + rng.pick(NOUNS) : 'void'})` : '';
    if (section) fns.push(section.slice(1, section.indexOf('(')));
    const oldCount = before.length + old.length + after.length;
    const newCount = before.length + neu.length + after.length;
    lines.push(`@@ -${oldLine},${oldCount} +${oldLine + delta},${newCount} @@${section}`);
    for (const l of before) lines.push(' ' + l);
    for (const l of old) lines.push('-' + l);
    for (const l of neu) lines.push('+' + l);
    for (const l of after) lines.push(' ' + l);
    added += neu.length;
    removed += old.length;
    delta += neu.length - old.length;
    oldLine += oldCount + rng.int(5, 300);
  }
  return { path, kind, lines, added, removed, fns, newFile };
}

function diffstat(files: FileChange[]): string[] {
  const w = Math.max(...files.map((f) => f.path.length));
  const cw = Math.max(...files.map((f) => String(f.added + f.removed).length));
  const out = files.map((f) => {
    const t = f.added + f.removed;
    const scale = t > 60 ? 60 / t : 1;
    const bar = '+'.repeat(Math.round(f.added * scale)) + '-'.repeat(Math.round(f.removed * scale));
    return ` ${f.path.padEnd(w)} | ${String(t).padStart(cw)} ${bar}`;
  });
  const ins = files.reduce((a, f) => a + f.added, 0);
  const del = files.reduce((a, f) => a + f.removed, 0);
  const newOnes = files.filter((f) => f.newFile);
  for (const f of newOnes) out.push(` create mode 100644 ${f.path}`);
  const parts = [`${files.length} file${files.length > 1 ? 's' : ''} changed`];
  if (ins) parts.push(`${ins} insertion${ins > 1 ? 's' : ''}(+)`);
  if (del) parts.push(`${del} deletion${del > 1 ? 's' : ''}(-)`);
  out.splice(files.length, 0, ` ${parts.join(', ')}`);
  return out;
}

// ---------------------------------------------------------------------------
// Build failures as tools print them

interface Failure {
  lines: string[]; // as the tool prints them
  file: string;
  sym: string;
  tool: string;
}

function makeFailure(rng: Rng, area: Area, v: Vocab, triplet: string): Failure {
  const file = v.file.endsWith('.c') ? v.file : `${rng.pick(area.dirs)}/${rng.pick(NOUNS)}.c`;
  const line = rng.int(20, 2400);
  const col = rng.int(2, 40);
  const sym = v.fn;
  const obj = file.replace(/\.c$/, '.o');
  const kind = rng.weighted([
    ['implicit', 3],
    ['undef-ld', 2],
    ['undef-lld', 2],
    ['modpost', 2],
    ['unused', 2],
    ['undeclared', 1],
    ['kconfig', 1],
  ] as const);
  switch (kind) {
    case 'implicit':
      return {
        file,
        sym,
        tool: 'gcc',
        lines: [
          `${file}: In function '${v.fn2}':`,
          `${file}:${line}:${col}: error: implicit declaration of function '${sym}' [-Werror=implicit-function-declaration]`,
          `  ${line} |         ${sym}(${v.v}, ${v.v}->${v.f});`,
          `      |         ${' '.repeat(0)}^~~~~~~~~~~~~~~~`,
          'cc1: some warnings being treated as errors',
        ],
      };
    case 'undef-ld':
      return { file, sym, tool: `${triplet}-ld`, lines: [`${triplet}-ld: ${obj}: in function \`${v.fn2}':`, `${file}:${line}:(.text+0x${rng.hex(3)}): undefined reference to \`${sym}'`] };
    case 'undef-lld':
      return {
        file,
        sym,
        tool: 'ld.lld',
        lines: [`ld.lld: error: undefined symbol: ${sym}`, `>>> referenced by ${file.split('/').pop()}:${line} (${file}:${line})`, `>>>               ${obj}:(${v.fn2}) in archive vmlinux.a`],
      };
    case 'modpost':
      return { file, sym, tool: 'modpost', lines: [`ERROR: modpost: "${sym}" [${file.replace(/\.c$/, '.ko')}] undefined!`] };
    case 'unused':
      return {
        file,
        sym: v.v,
        tool: 'gcc',
        lines: [`${file}: In function '${v.fn2}':`, `${file}:${line}:${col}: warning: unused variable '${v.v}' [-Wunused-variable]`, `  ${line} |         int ${v.v};`, '      |             ^'],
      };
    case 'undeclared':
      return {
        file,
        sym: v.v,
        tool: 'clang',
        lines: [`${file}:${line}:${col}: error: use of undeclared identifier '${v.v}'`, `  ${line} |         return ${v.v}->${v.f};`, '      |                ^', '1 error generated.'],
      };
    case 'kconfig':
      return {
        file: 'Kconfig',
        sym: v.C,
        tool: 'kconfig',
        lines: [
          `WARNING: unmet direct dependencies detected for ${v.C}`,
          `  Depends on [n]: ${v.C2} [=n]`,
          '  Selected by [y]:',
          `  - ${area.configs[0]} [=y] && ${v.C2 === 'MMU' ? 'SMP' : 'MMU'} [=y]`,
        ],
      };
  }
}

// ---------------------------------------------------------------------------
// Messages

interface Part {
  contentType: string; // full value
  cte: '7bit' | '8bit' | 'quoted-printable' | 'base64';
  disposition?: string;
  body: string; // decoded
}

interface Msg {
  id: string;
  from: Person;
  to: string[];
  cc: string[];
  subject: string;
  date: number; // unix seconds
  tz: number; // minutes
  inReplyTo?: string;
  references: string[];
  /** decoded text of the main part, for quoting */
  text: string[];
  kind: string;
  area: Area;
  attachments?: Part[];
  patchFns?: string[];
  files?: string[];
}

interface ThreadState {
  area: Area;
  msgs: Msg[];
  root: Msg;
  patches: Msg[];
  author: Person;
  kind: 'patch' | 'series' | 'robot' | 'next' | 'pull' | 'question';
  revision: number;
  replies: number;
}

const TZS = [0, 60, 120, -240, -300, -420, 330, 480, 540, 600, -180];

function rfc2822Date(t: number, tzMin: number): string {
  const d = new Date((t + tzMin * 60) * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const sign = tzMin < 0 ? '-' : '+';
  const a = Math.abs(tzMin);
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${sign}${p(Math.floor(a / 60))}${p(a % 60)}`;
}

function compactStamp(t: number): string {
  return new Date(t * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** RFC 2047 encoded-words for a display name or subject with non-ASCII text. */
function encodeWords(s: string, useQ: boolean): string {
  if (!/[^\x20-\x7e]/.test(s)) return s;
  const chunks: string[] = [];
  // split by code points so no encoded word cuts a UTF-8 sequence
  let cur = '';
  for (const ch of s) {
    if (Buffer.byteLength(cur + ch) > 30) {
      chunks.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) chunks.push(cur);
  return chunks
    .map((c) => {
      if (!useQ) return `=?UTF-8?B?${Buffer.from(c).toString('base64')}?=`;
      const q = [...Buffer.from(c)]
        .map((b) =>
          b === 0x20 ? '_' : (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ? String.fromCharCode(b) : '=' + b.toString(16).toUpperCase().padStart(2, '0'),
        )
        .join('');
      return `=?utf-8?q?${q}?=`;
    })
    .join(' ');
}

function addr(p: Person, useQ: boolean): string {
  const needsQuote = /[(),.:;<>@[\]"]/.test(p.name);
  if (/[^\x20-\x7e]/.test(p.name)) return `${encodeWords(p.name, useQ)} <${p.address}>`;
  return `${needsQuote ? `"${p.name}"` : p.name} <${p.address}>`;
}

/** Fold a structured header at commas, like mail clients do. */
function foldList(name: string, items: string[]): string {
  let out = `${name}: `;
  let lineLen = out.length;
  items.forEach((it, i) => {
    const piece = it + (i < items.length - 1 ? ',' : '');
    if (i > 0 && lineLen + 1 + piece.length > 78) {
      out += '\n\t' + piece;
      lineLen = 8 + piece.length;
    } else {
      out += (i > 0 ? ' ' : '') + piece;
      lineLen += (i > 0 ? 1 : 0) + piece.length;
    }
  });
  return out;
}

function foldWords(name: string, value: string): string {
  const words = value.split(' ');
  let out = `${name}:`;
  let lineLen = out.length;
  for (const w of words) {
    if (lineLen + 1 + w.length > 78 && lineLen > name.length + 1) {
      out += '\n ' + w;
      lineLen = 1 + w.length;
    } else {
      out += ' ' + w;
      lineLen += 1 + w.length;
    }
  }
  return out;
}

function foldBlob(name: string, prefix: string, blob: string): string {
  const lines = [`${name}: ${prefix}`];
  for (let i = 0; i < blob.length; i += 70) lines.push(`\t ${blob.slice(i, i + 70)}`);
  return lines.join('\n');
}

function qpEncode(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const bytes = Buffer.from(line);
    let cur = '';
    const toks: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      if ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)) toks.push(String.fromCharCode(b));
      else toks.push('=' + b.toString(16).toUpperCase().padStart(2, '0'));
    }
    for (const t of toks) {
      if (cur.length + t.length > 75) {
        out.push(cur + '=');
        cur = '';
      }
      cur += t;
    }
    out.push(cur);
  }
  return out.join('\n');
}

function b64Lines(buf: Buffer): string {
  const s = buf.toString('base64');
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 76) out.push(s.slice(i, i + 76));
  return out.join('\n');
}

function encodePart(body: string, cte: Part['cte']): string {
  if (cte === 'quoted-printable') return qpEncode(body);
  if (cte === 'base64') return b64Lines(Buffer.from(body));
  return body;
}

function charsetFor(body: string): string {
  return /[^\x00-\x7f]/.test(body) ? 'utf-8' : 'us-ascii';
}

class MailGenerator {
  private readonly rng: Rng;
  private readonly people: Person[];
  private readonly maintainers = new Map<string, Person>();
  private t = Date.UTC(2024, 9, 1, 6, 0, 0) / 1000;
  private seq = 0;
  private readonly threads: ThreadState[] = [];
  private readonly recentPatches: Msg[] = [];
  stats = { messages: 0, threads: 0, kinds: {} as Record<string, number>, encodings: {} as Record<string, number> };

  constructor(private readonly params: GenParams) {
    this.rng = new Rng(params.seed);
    this.people = makePeople(this.rng);
    for (const a of AREAS) this.maintainers.set(a.name, this.rng.pick(this.people));
  }

  private vocab(area: Area, files?: string[], fns?: string[]): Vocab {
    const r = this.rng;
    const prefix = files && files.length ? cPrefix(r.pick(files)) : r.pick(NOUNS);
    const triplet = r.pick(ARCHS);
    return {
      prefix,
      fn: fns && fns.length ? r.pick(fns) : ident(r, prefix),
      fn2: ident(r, prefix),
      v: r.pick(NOUNS),
      f: r.pick(FIELDS),
      api: r.pick(KAPI),
      C: r.pick(area.configs),
      C2: r.pick(['SMP', 'MMU', 'MODULES', 'OF', 'PM', 'NUMA']),
      file: files && files.length ? r.pick(files) : `${r.pick(area.dirs)}/${r.pick(NOUNS)}.c`,
      arch: triplet[0],
      cfgkind: r.pick(CONFIG_KINDS),
      compiler: r.pick(COMPILERS),
      errno: r.pick(ERRNO),
      area: area.prefix,
      tree: area.tree,
      n: String(r.int(1, 4)),
    };
  }

  private tick(min: number, max: number): number {
    this.t += this.rng.int(min, max);
    return this.t;
  }

  private msgId(from: Person, t: number, k = 1, series?: string): string {
    this.seq++;
    const dom = from.address.split('@')[1]!;
    switch (from.client) {
      case 'robot':
        return `<${compactStamp(t).slice(0, 12)}.${this.rng.alnum(8)}-lkp@intel.com>`;
      case 'gmail':
        return `<CA${this.rng.b64(3).replace(/[+/]/g, 'x')}${this.rng.alnum(40)}${this.seq.toString(36)}@mail.gmail.com>`;
      case 'thunderbird':
        return `<${this.rng.hex(8)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(8)}${this.seq.toString(16).padStart(4, '0')}@${dom}>`;
      case 'mutt':
        return `<${compactStamp(t)}.${this.rng.alnum(6)}${this.seq.toString(36)}@${from.address.split('@')[0]}-desk>`;
      case 'bot':
        return `<${this.rng.hex(24)}.${this.seq}@${dom}>`;
      default:
        return series ? `<${series}-${k}-${from.address}>` : `<${compactStamp(t)}.${this.rng.int(1000, 99999)}-${k}-${from.address}>`;
    }
  }

  private recipients(area: Area, author: Person, extra: Person[] = []): { to: string[]; cc: string[] } {
    const r = this.rng;
    const maint = this.maintainers.get(area.name)!;
    const to = [addr(maint, r.chance(0.5))];
    const cc: string[] = [];
    const n = r.tail(1, 4, 18);
    for (let i = 0; i < n; i++) {
      const p = r.pick(this.people);
      if (p !== author && p !== maint) cc.push(addr(p, r.chance(0.5)));
    }
    for (const p of extra) if (p !== author) cc.push(addr(p, r.chance(0.5)));
    cc.push(area.list);
    if (area.list !== 'linux-kbuild@vger.kernel.org' && r.chance(0.35)) cc.push('linux-kbuild@vger.kernel.org');
    if (r.chance(0.8)) cc.push(LKML);
    return { to, cc: [...new Set(cc)] };
  }

  private deliveryHeaders(m: Msg): string[] {
    const r = this.rng;
    const list = m.area.listId;
    const bounce = `${list.split('.')[0]}+bounces-${r.int(1000, 99999)}-archive=lists.example.org@${list.split('.').slice(1).join('.')}`;
    const date = rfc2822Date(m.date + r.int(2, 90), 0);
    const ip = `${r.int(10, 220)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    const relay = `relay${r.int(1, 9)}.lists.example.org`;
    const dom = m.from.address.split('@')[1]!;
    const h = [
      `Return-Path: <${bounce}>`,
      'X-Original-To: archive@lists.example.org',
      'Delivered-To: archive@lists.example.org',
      `Received: from ${relay} (${relay} [${ip}])\n\tby archive.lists.example.org (Postfix) with ESMTPS id ${r.hex(10).toUpperCase()}\n\tfor <archive@lists.example.org>; ${date}`,
      `Received: from localhost (localhost.localdomain [127.0.0.1])\n\tby ${relay} (Postfix) with ESMTP id ${r.hex(11).toUpperCase()}\n\tfor <archive@lists.example.org>; ${date}`,
    ];
    if (r.chance(0.85)) {
      h.push(
        foldBlob('ARC-Seal', `i=1; a=rsa-sha256; d=lists.example.org; s=arc-${r.int(2022, 2024)}; t=${m.date}; cv=none;\n\t b=`, r.b64(344)),
        foldBlob(
          'ARC-Message-Signature',
          `i=1; a=rsa-sha256; d=lists.example.org;\n\ts=arc-${r.int(2022, 2024)}; t=${m.date}; c=relaxed/simple;\n\tbh=${r.b64(43)}=;\n\th=From:Date:Subject:To:Cc:Message-ID:In-Reply-To:References:\n\t MIME-Version:Content-Type; b=`,
          r.b64(344),
        ),
        `ARC-Authentication-Results: i=1; lists.example.org; dmarc=pass (p=none dis=none) header.from=${dom};\n\tdkim=pass (2048-bit key) header.d=${dom} header.i=@${dom} header.b=${r.b64(8)};\n\tspf=pass smtp.client-ip=${ip}`,
      );
    }
    if (m.from.client !== 'robot' && r.chance(0.75)) {
      h.push(
        foldBlob(
          'DKIM-Signature',
          `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${dom};\n\ts=${r.pick(['20230601', 'k20201202', 'mail', 'selector1'])}; t=${m.date};\n\tbh=${r.b64(43)}=;\n\th=From:Date:Subject:To:Cc:Message-ID:MIME-Version:Content-Type; b=`,
          r.b64(344),
        ),
      );
    }
    h.push(
      `Received: from ${dom.split('.')[0]}-out.${dom} (${dom.split('.')[0]}-out.${dom} [${ip}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n\tby ${relay} (Postfix) with ESMTPS id ${r.hex(10).toUpperCase()};\n\t${rfc2822Date(m.date + 1, m.tz)}`,
    );
    return h;
  }

  private headerBlock(m: Msg, content: string[]): string {
    const r = this.rng;
    const useQ = r.chance(0.5);
    const h = this.deliveryHeaders(m);
    h.push(`From: ${addr(m.from, useQ)}`);
    h.push(`Date: ${rfc2822Date(m.date, m.tz)}`);
    const subj = /[^\x20-\x7e]/.test(m.subject) ? `Subject: ${encodeWords(m.subject, useQ)}` : foldWords('Subject', m.subject);
    h.push(subj);
    h.push(foldList('To', m.to));
    if (m.cc.length) h.push(foldList('Cc', m.cc));
    h.push(`Message-ID: ${m.id}`);
    if (m.inReplyTo) h.push(`In-Reply-To: ${m.inReplyTo}`);
    if (m.references.length) h.push(foldList('References', m.references).replace(/,/g, ''));
    if (m.from.client === 'git') h.push(`X-Mailer: git-send-email 2.${r.int(39, 47)}.${r.int(0, 2)}`);
    else if (m.from.client === 'mutt') h.push('User-Agent: NeoMutt/20231103');
    else if (m.from.client === 'thunderbird') h.push('User-Agent: Mozilla Thunderbird');
    h.push(
      `X-Mailing-List: ${m.area.list}`,
      `List-Id: <${m.area.listId}>`,
      `List-Subscribe: <mailto:${m.area.listId.split('.')[0]}+subscribe@lists.example.org>`,
      `List-Unsubscribe: <mailto:${m.area.listId.split('.')[0]}+unsubscribe@lists.example.org>`,
      'Precedence: bulk',
    );
    h.push('MIME-Version: 1.0', ...content);
    return h.join('\n');
  }

  /** Serialise one message (RFC 822, LF line ends). */
  private render(m: Msg): string {
    const r = this.rng;
    const text = m.text.join('\n') + '\n';
    const enc = m.from.client === 'robot' || m.from.client === 'bot' ? 'ascii' : m.from.cte;
    let cte: Part['cte'] = enc === 'qp' ? 'quoted-printable' : enc === 'base64' ? 'base64' : enc === '8bit' ? '8bit' : '7bit';
    if (cte === '7bit' && /[^\x00-\x7f]/.test(text)) cte = r.chance(0.5) ? '8bit' : 'quoted-printable';
    if (m.attachments && m.attachments.length) {
      const boundary = `${r.alnum(24)}`;
      this.count(this.stats.encodings, 'multipart/mixed');
      const head = this.headerBlock(m, [`Content-Type: multipart/mixed; boundary="${boundary}"`]);
      const parts = [{ contentType: `text/plain; charset=${charsetFor(text)}`, cte, disposition: 'inline', body: text } as Part, ...m.attachments];
      let body = '';
      for (const p of parts) {
        this.count(this.stats.encodings, p.cte);
        body += `--${boundary}\nContent-Type: ${p.contentType}\n${p.disposition ? `Content-Disposition: ${p.disposition}\n` : ''}Content-Transfer-Encoding: ${p.cte}\n\n${encodePart(p.body, p.cte).replace(/\n$/, '')}\n\n`;
      }
      return `${head}\n\n${body}--${boundary}--\n`;
    }
    if (m.from.pgp) {
      const boundary = `${r.alnum(16)}`;
      this.count(this.stats.encodings, 'multipart/signed');
      this.count(this.stats.encodings, cte);
      const head = this.headerBlock(m, [`Content-Type: multipart/signed; micalg=pgp-sha512;\n\tprotocol="application/pgp-signature"; boundary="${boundary}"`, 'Content-Disposition: inline']);
      const sig = [
        '-----BEGIN PGP SIGNATURE-----',
        '',
        ...b64Lines(Buffer.from(r.b64(680)))
          .split('\n')
          .map((l) => l.slice(0, 64)),
        `=${r.b64(4)}`,
        '-----END PGP SIGNATURE-----',
      ].join('\n');
      return `${head}\n\n--${boundary}\nContent-Type: text/plain; charset=${charsetFor(text)}\nContent-Disposition: inline\nContent-Transfer-Encoding: ${cte}\n\n${encodePart(text, cte).replace(/\n$/, '')}\n\n--${boundary}\nContent-Type: application/pgp-signature; name="signature.asc"\n\n${sig}\n\n--${boundary}--\n`;
    }
    this.count(this.stats.encodings, cte);
    const head = this.headerBlock(m, [
      `Content-Type: text/plain; charset=${charsetFor(text)}${cte === '7bit' || r.chance(0.5) ? '' : '; format=flowed'}`.replace(
        '; format=flowed',
        cte === '8bit' && m.from.client === 'thunderbird' ? '; format=flowed' : '',
      ),
      `Content-Transfer-Encoding: ${cte}`,
    ]);
    return `${head}\n\n${encodePart(text, cte).replace(/\n$/, '')}\n`;
  }

  private count(rec: Record<string, number>, k: string): void {
    rec[k] = (rec[k] ?? 0) + 1;
  }

  private signature(p: Person): string[] {
    if (p.client === 'git') return ['-- ', `2.${this.rng.int(39, 47)}.${this.rng.int(0, 2)}`];
    if (this.rng.chance(0.4)) return ['', '-- ', p.name, ...(this.rng.chance(0.5) ? [`${p.address.split('@')[1]} kernel team`] : [])];
    return [];
  }

  // ---- thread starters ----------------------------------------------------

  private commitMessage(v: Vocab): string[] {
    const r = this.rng;
    const out = [...wrap(fill(r.pick(COMMIT_INTRO), v))];
    const paras = r.tail(0, 1, 5);
    for (let i = 0; i < paras; i++) out.push('', ...wrap(fill(r.pick(COMMIT_MORE), v) + ' ' + (r.chance(0.6) ? sentence(r, 10, 30) : '')));
    if (r.chance(0.15)) out.push('', 'From the build log:', '', `  ${v.file}:${r.int(10, 900)}: warning: '${v.fn}' defined but not used [-Wunused-function]`);
    return out;
  }

  private patchBody(author: Person, area: Area, files: FileChange[], v: Vocab, revision: number, extraTrailers: string[] = []): string[] {
    const r = this.rng;
    const out = this.commitMessage(v);
    out.push('');
    if (r.chance(0.25)) out.push(`Fixes: ${r.hex(12)} ("${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.pick(['handling', 'lookup', 'accounting'])}")`);
    out.push(...extraTrailers);
    if (r.chance(0.2)) out.push(`Suggested-by: ${addr(r.pick(this.people), false).replace(/=\?[^?]+\?[bq]\?[^?]*\?=/gi, 'A. Reviewer')}`);
    out.push(`Signed-off-by: ${author.name} <${author.address}>`);
    out.push('---');
    if (revision > 1) {
      out.push(`v${revision}:`, ...wrap(`- ${fill(r.pick(FOLLOWUP), v)}`, 70).map((l, i) => (i ? `  ${l}` : l)));
      if (r.chance(0.5)) out.push(`v${revision - 1}: https://lore.example.org/r/${compactStamp(this.t - 86400 * 7)}.${r.int(100, 9999)}-1-${author.address}`);
      out.push('');
    }
    out.push(...diffstat(files), '');
    for (const f of files) out.push(...f.lines);
    out.push('', `base-commit: ${r.hex(40)}`);
    out.push(...this.signature(author));
    return out;
  }

  private startPatchThread(series: boolean): Msg[] {
    const r = this.rng;
    const area = r.pick(AREAS);
    const author = r.pick(this.people);
    const revision = r.weighted([
      [1, 6],
      [2, 3],
      [3, 1.5],
      [4, 0.5],
    ] as const);
    const n = series ? r.tail(2, 4, 24) : 1;
    const withCover = series && r.chance(0.8);
    const t0 = this.tick(60, 1800);
    const tz = r.pick(TZS);
    const { to, cc } = this.recipients(area, author);
    const vs = revision > 1 ? ` v${revision}` : '';
    const rfc = r.chance(0.06) ? 'RFC ' : '';
    const seriesTag = `${compactStamp(t0)}.${r.int(1000, 99999)}`;
    const out: Msg[] = [];
    const width = n >= 10 ? 2 : 1;
    const topic = `${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.pick(['handling', 'for !SMP builds', 'without CONFIG_MODULES', 'in the error path', 'lookup', 'on 32-bit', 'with clang', 'helpers', 'accounting', 'documentation'])}`;
    const state: ThreadState = { area, msgs: [], root: undefined as unknown as Msg, patches: [], author, kind: series ? 'series' : 'patch', revision, replies: 0 };
    let cover: Msg | undefined;
    if (withCover) {
      const v = this.vocab(area);
      const titles: string[] = [];
      for (let k = 1; k <= n; k++) titles.push(`${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)}${r.chance(0.4) ? ' ' + r.pick(['handling', 'checks', 'helpers']) : ''}`);
      const text = [
        ...wrap(`This series ${fill(r.pick(COMMIT_INTRO), v).replace(/^./, (c) => c.toLowerCase())}`),
        '',
        ...wrap(sentence(r, 15, 40) + ' ' + sentence(r, 10, 30)),
        '',
        ...(revision > 1
          ? [`Changes in v${revision}:`, ...wrap(`- ${fill(r.pick(FOLLOWUP), v)}`), `- rebased on ${r.pick(['v6.13-rc1', 'next-20241120', 'kbuild/for-next', 'mm-unstable'])}`, '']
          : []),
        `${author.name} (${n}):`,
        ...titles.map((t) => `  ${t}`),
        '',
        ` ${r.tail(1, n + 1, 200)} files changed, ${r.int(10, 3000)} insertions(+), ${r.int(0, 900)} deletions(-)`,
        '',
        `base-commit: ${r.hex(40)}`,
        ...this.signature(author),
      ];
      cover = {
        id: this.msgId(author, t0, 0, seriesTag),
        from: author,
        to,
        cc,
        subject: `[${rfc}PATCH${vs} ${'0'.padStart(width, '0')}/${n}] ${area.prefix}: ${topic}`,
        date: t0,
        tz,
        references: [],
        text,
        kind: 'cover',
        area,
      };
      out.push(cover);
    }
    let first: Msg | undefined;
    for (let k = 1; k <= n; k++) {
      const big = r.chance(0.006);
      const nfiles = big ? 1 : r.tail(1, 1.5, 12);
      const files: FileChange[] = [];
      for (let i = 0; i < nfiles; i++) files.push(fileChange(r, area, { big }));
      const fns = files.flatMap((f) => f.fns);
      const v = this.vocab(
        area,
        files.map((f) => f.path),
        fns,
      );
      const extra: string[] = [];
      if (r.chance(0.08))
        extra.push('Reported-by: kernel test robot <lkp@intel.com>', `Closes: https://lore.example.org/oe-kbuild-all/${compactStamp(t0 - 86400).slice(0, 12)}.${r.alnum(8)}-lkp@intel.com/`);
      const parent = cover ?? first;
      const title = n > 1 ? `${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.pick(['handling', 'checks', 'helpers', 'users', 'state'])}` : `${area.prefix}: ${topic}`;
      const m: Msg = {
        id: this.msgId(author, t0 + k, k, series ? seriesTag : undefined),
        from: author,
        to,
        cc,
        subject: `[${rfc}PATCH${vs}${n > 1 ? ` ${String(k).padStart(width, '0')}/${n}` : ''}] ${title}`,
        date: t0 + k,
        tz,
        inReplyTo: parent?.id,
        references: parent ? [parent.id] : [],
        text: this.patchBody(author, area, files, v, revision, extra),
        kind: 'patch',
        area,
        patchFns: fns,
        files: files.map((f) => f.path),
      };
      if (!first) first = m;
      out.push(m);
      state.patches.push(m);
    }
    state.root = out[0]!;
    state.msgs.push(...out);
    this.addThread(state);
    for (const p of state.patches) this.recentPatches.push(p);
    if (this.recentPatches.length > 400) this.recentPatches.splice(0, this.recentPatches.length - 400);
    return out;
  }

  private configAttachment(arch: string, kind: string): Part {
    const r = this.rng;
    const lines = [
      '#',
      '# Automatically generated file; DO NOT EDIT.',
      `# Linux/${arch} 6.${r.int(12, 15)}.0-rc${r.int(1, 7)} Kernel Configuration`,
      '#',
      `CONFIG_CC_VERSION_TEXT="${r.pick(COMPILERS)}"`,
      'CONFIG_CC_IS_GCC=y',
    ];
    const n = r.tail(400, 1500, 7000);
    let section = 0;
    while (lines.length < n) {
      if (r.chance(0.03)) {
        section++;
        lines.push('', '#', `# ${r.pick(NOUNS)} ${r.pick(['support', 'options', 'drivers', 'features'])}`, '#');
      }
      const name = `${r.pick(AREAS).configs[0]}_${r.pick(NOUNS).toUpperCase()}_${r.pick(VERBS).toUpperCase()}${section}`;
      const x = r.next();
      if (x < 0.45) lines.push(`CONFIG_${name}=y`);
      else if (x < 0.6) lines.push(`CONFIG_${name}=m`);
      else if (x < 0.7) lines.push(`CONFIG_${name}=${r.int(0, 4096)}`);
      else lines.push(`# CONFIG_${name} is not set`);
    }
    lines.push(`# end of ${kind}`);
    return { contentType: 'text/plain; charset="us-ascii"', cte: 'base64', disposition: 'attachment; filename="config"', body: lines.join('\n') + '\n' };
  }

  /** A kernel test robot report: a reply to a patch, or a new thread on a branch. */
  private robotReport(patch: Msg | undefined): Msg {
    const r = this.rng;
    const area = patch?.area ?? r.pick(AREAS);
    const t = this.tick(120, 3600);
    const v = this.vocab(area, patch?.files, patch?.patchFns);
    const [arch, triplet] = r.pick(ARCHS);
    const kind = r.pick(CONFIG_KINDS);
    const day = compactStamp(t).slice(0, 8);
    const cfgName = `${arch}-${kind === 'randconfig' ? `randconfig-${String(r.int(1, 4)).padStart(3, '0')}-${day}` : kind}`;
    const compiler = r.pick(COMPILERS);
    const fails: Failure[] = [];
    for (let i = r.tail(1, 1, 6); i > 0; i--) fails.push(makeFailure(r, area, v, triplet));
    const who = patch ? patch.from.name.split(' ')[0]! : 'all';
    const id = `${day}${r.int(1000, 2359)}.${r.alnum(8)}-lkp@intel.com`;
    const warn = fails.every((f) => f.lines.some((l) => /warning:/.test(l)));
    const what = warn ? 'warnings' : 'errors';
    const text = [
      `Hi ${who},`,
      '',
      `kernel test robot noticed the following build ${what}:`,
      '',
      `[auto build test ${warn ? 'WARNING' : 'ERROR'} on ${area.tree}/for-next]`,
      `[also build test ${warn ? 'WARNING' : 'ERROR'} on linus/master v6.${r.int(12, 15)}-rc${r.int(1, 7)} next-${day}]`,
      '[Our bot guessed the base; if that is wrong, tell us and use --base for format-patch]',
      '',
      `url:    https://git.example.org/lkp/linux/commits/${who}/${area.name}-${r.alnum(6)}/${day}-${r.int(100000, 999999)}`,
      `base:   https://git.example.org/pub/scm/linux/kernel/git/${area.tree}.git for-next`,
      ...(patch ? [`patch link:    https://lore.example.org/r/${patch.id.slice(1, -1)}`, `patch subject: ${patch.subject}`] : []),
      `config: ${cfgName} (https://download.example.org/0day/archive/${day}/${id}/config)`,
      `compiler: ${compiler}`,
      `reproduce (this is a W=1 build): (https://download.example.org/0day/archive/${day}/${id}/reproduce)`,
      '',
      'If you fix the issue in a separate patch, please add these tags:',
      '| Reported-by: kernel test robot <lkp@intel.com>',
      `| Closes: https://lore.example.org/oe-kbuild-all/${id}/`,
      '',
      `All ${what} (new ones prefixed by >>):`,
      '',
    ];
    for (const f of fails) {
      for (const l of f.lines) text.push(/(error|warning|undefined)/.test(l) && !l.startsWith('>>>') ? `>> ${l}` : `   ${l}`);
      text.push('');
    }
    const f0 = fails[0]!;
    if (f0.file.endsWith('.c')) {
      const ln = r.int(30, 900);
      text.push(`vim +/${f0.sym} +${ln} ${f0.file}`, '');
      const code = cRegion(r, cPrefix(f0.file), 13);
      for (let k = ln - 8; k <= ln + 4; k++) text.push(`${k === ln ? '> ' : '  '}${String(k).padStart(4)}  ${code[k - ln + 8] ?? ''}`);
      text.push('');
    }
    if (r.chance(0.4)) {
      text.push(
        'Kconfig warnings: (for reference only)',
        `   WARNING: unmet direct dependencies detected for ${v.C}`,
        `   Depends on [n]: ${v.C2} [=n]`,
        '   Selected by [y]:',
        `   - ${area.configs[0]} [=y]`,
        '',
      );
    }
    text.push('-- ', '0-DAY CI Kernel Test Service', 'https://github.example.org/lkp-tests/wiki');
    const attach = r.chance(0.45) ? [this.configAttachment(arch, kind)] : undefined;
    const tgt = patch ?? undefined;
    const { to, cc } = this.recipients(area, ROBOT, tgt ? [tgt.from] : []);
    const m: Msg = {
      id: `<${id}>`,
      from: ROBOT,
      to: tgt ? [addr(tgt.from, false)] : to,
      cc: tgt ? ['oe-kbuild-all@lists.example.org', ...cc.slice(-3)] : ['oe-kbuild-all@lists.example.org', ...cc],
      subject: tgt
        ? `Re: ${tgt.subject}`
        : `[${area.tree}:for-next ${r.int(1, 9)}/${r.int(10, 40)}] ${f0.file}:${r.int(10, 999)}:${r.int(2, 30)}: ${warn ? 'warning' : 'error'}: ${f0.tool === 'modpost' ? `"${f0.sym}" undefined` : `'${f0.sym}' ${warn ? 'defined but not used' : 'undeclared'}`}`,
      date: t,
      tz: 480,
      inReplyTo: tgt?.id,
      references: tgt ? [...tgt.references, tgt.id] : [],
      text,
      kind: 'robot',
      area,
      attachments: attach,
      patchFns: patch?.patchFns,
      files: patch?.files,
    };
    return m;
  }

  private nextReport(): Msg {
    const r = this.rng;
    const area = r.pick(AREAS);
    const t = this.tick(600, 7200);
    const v = this.vocab(area);
    const [arch, triplet] = r.pick(ARCHS);
    const kind = r.pick(['allmodconfig', 'allyesconfig', 'defconfig', 'htmldocs']);
    const fails: Failure[] = [];
    for (let i = r.tail(1, 1, 4); i > 0; i--) fails.push(makeFailure(r, area, v, triplet));
    const culprit = `${r.hex(12)} ("${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.pick(['handling', 'helpers', 'lookup'])}")`;
    const text = [
      'Hi all,',
      '',
      ...wrap(`After merging the ${area.tree} tree, today's linux-next build (${arch} ${kind}) failed like this:`),
      '',
      ...fails.flatMap((f) => [...f.lines, '']),
      'Caused by commit',
      '',
      `  ${culprit}`,
      '',
      ...wrap(
        r.pick(['I have used the tree from next-' + compactStamp(t - 86400).slice(0, 8) + ' for today.', 'I have reverted that commit for today.', 'I have applied the following patch for today:']),
      ),
      '',
      '-- ',
      'Cheers,',
      'Nils.',
    ];
    const { to, cc } = this.recipients(area, NEXT_BOT);
    const m: Msg = {
      id: `<${compactStamp(t).slice(0, 8)}${r.int(100000, 999999)}.${r.hex(8)}@canb.example.org>`,
      from: NEXT_BOT,
      to,
      cc: ['Linux Next Mailing List <linux-next@vger.kernel.org>', ...cc],
      subject: `linux-next: build ${r.pick(['failure', 'failure', 'warning'])} after merge of the ${area.tree} tree`,
      date: t,
      tz: r.pick([600, 660]),
      references: [],
      text,
      kind: 'next',
      area,
      patchFns: [v.fn],
      files: [v.file],
    };
    const state: ThreadState = { area, msgs: [m], root: m, patches: [], author: NEXT_BOT, kind: 'next', revision: 1, replies: 0 };
    this.addThread(state);
    return m;
  }

  private pullRequest(): Msg {
    const r = this.rng;
    const area = r.pick(AREAS);
    const maint = this.maintainers.get(area.name)!;
    const t = this.tick(600, 7200);
    const ver = `6.${r.int(13, 16)}`;
    const authors = r.tail(1, 5, 40);
    const shortlog: string[] = [];
    for (let i = 0; i < authors; i++) {
      const p = r.pick(this.people);
      const k = r.tail(1, 2, 25);
      shortlog.push(`${p.name} (${k}):`);
      for (let j = 0; j < k; j++) shortlog.push(`      ${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.pick(['handling', 'checks', 'helpers', 'users', 'documentation', 'for clang'])}`);
      shortlog.push('');
    }
    const files: FileChange[] = [];
    const nf = Math.min(120, r.tail(2, 12, 120));
    for (let i = 0; i < nf; i++) {
      const path = `${r.pick(area.dirs)}/${r.pick(NOUNS)}_${r.pick(NOUNS)}.c`;
      files.push({ path, kind: 'c', lines: [], added: r.tail(0, 8, 400), removed: r.tail(0, 4, 300), fns: [], newFile: false });
    }
    const text = [
      `Hi Linus,`,
      '',
      ...wrap(`Please pull ${area.name} updates for v${ver}. ${sentence(r, 8, 20)}`),
      '',
      `The following changes since commit ${r.hex(40)}:`,
      '',
      `  Linux ${ver}-rc${r.int(1, 7)} (${rfc2822Date(t - 86400 * 14, 0).slice(0, 16)})`,
      '',
      'are available in the Git repository at:',
      '',
      `  git://git.example.org/pub/scm/linux/kernel/git/${area.tree}.git tags/${area.name}-v${ver}`,
      '',
      `for you to fetch changes up to ${r.hex(40)}:`,
      '',
      `  ${area.prefix}: ${r.pick(VERBS)} ${r.pick(NOUNS)} (${rfc2822Date(t - 86400, 0).slice(0, 16)})`,
      '',
      '----------------------------------------------------------------',
      `${area.name} updates for v${ver}`,
      '',
      ...Array.from({ length: r.int(3, 12) }, () => wrap(`- ${sentence(r, 6, 18)}`, 70).map((l, i) => (i ? `  ${l}` : l))).flat(),
      '',
      '----------------------------------------------------------------',
      ...shortlog,
      ...diffstat(files),
      ...this.signature(maint),
    ];
    const { cc } = this.recipients(area, maint);
    const m: Msg = {
      id: this.msgId(maint, t),
      from: maint,
      to: ['Linus Torvalds <torvalds@linux-foundation.org>'],
      cc,
      subject: `[GIT PULL] ${area.name} updates for v${ver}`,
      date: t,
      tz: r.pick(TZS),
      references: [],
      text,
      kind: 'pull',
      area,
    };
    const state: ThreadState = { area, msgs: [m], root: m, patches: [], author: maint, kind: 'pull', revision: 1, replies: 0 };
    this.addThread(state);
    return m;
  }

  private question(): Msg {
    const r = this.rng;
    const area = r.pick(AREAS);
    const author = r.pick(this.people);
    const t = this.tick(300, 5400);
    const v = this.vocab(area);
    const [, triplet] = r.pick(ARCHS);
    const f = makeFailure(r, area, v, triplet);
    const text = [
      'Hello,',
      '',
      ...wrap(
        `Since ${r.pick(['v6.13-rc1', 'next-20241115', 'the last merge window', 'commit ' + r.hex(12)])}, building with ${v.compiler} and ${v.cfgkind} ${r.pick(['fails to link', 'fails to build', 'prints a new warning', 'breaks'])} for me when CONFIG_${v.C} is not set:`,
      ),
      '',
      ...f.lines.map((l) => `  ${l}`),
      '',
      ...wrap(`${sentence(r, 8, 20)} Is this known? I can test patches.`),
      '',
      ...(r.chance(0.3) ? ['From what I can tell the symbol is only built for SMP configurations.', ''] : []),
      'Thanks,',
      author.name.split(' ')[0]!,
    ];
    const { to, cc } = this.recipients(area, author);
    const m: Msg = {
      id: this.msgId(author, t),
      from: author,
      to,
      cc,
      subject: `${r.pick(['Build failure', 'Link error', 'New warning', 'Regression'])}: ${f.sym} ${r.pick(['undefined', 'with clang', 'on arm without SMP', 'in ' + v.file])}`,
      date: t,
      tz: r.pick(TZS),
      references: [],
      text,
      kind: 'question',
      area,
      patchFns: [v.fn],
      files: [v.file],
    };
    const state: ThreadState = { area, msgs: [m], root: m, patches: [], author, kind: 'question', revision: 1, replies: 0 };
    this.addThread(state);
    return m;
  }

  private addThread(s: ThreadState): void {
    this.threads.push(s);
    this.stats.threads++;
    if (this.threads.length > 320) {
      // forget old threads' bodies: they will not be quoted again
      this.threads.splice(0, this.threads.length - 320);
    }
  }

  // ---- replies --------------------------------------------------------------

  /** Quote a parent's text, keeping chunks and interleaving comments. */
  private quoteInterleaved(parent: Msg, who: Person, comments: () => string[]): string[] {
    const r = this.rng;
    const src = parent.text.slice();
    // drop the parent's signature
    const sig = src.lastIndexOf('-- ');
    if (sig > 0) src.length = sig;
    const out: string[] = [];
    const q = (l: string): string => {
      if (l === '') return '>';
      if (l.startsWith('>')) return (who.nest === '>>' ? '>' : '> ') + l;
      return '> ' + l;
    };
    const style = r.weighted([
      ['inline', 5],
      ['top', 1],
      ['trim', 2],
    ] as const);
    if (style === 'top') {
      out.push(...comments(), '');
      out.push(...src.slice(0, r.int(10, 80)).map(q));
      return out;
    }
    let i = 0;
    // interleaved review: quote a chunk, comment, skip a bit, repeat
    const rounds = style === 'trim' ? 1 : r.tail(1, 2, 6);
    for (let k = 0; k < rounds && i < src.length; k++) {
      const skip = k === 0 ? r.int(0, 3) : r.int(0, 40);
      i = Math.min(src.length, i + skip);
      if (k > 0 && skip > 0) out.push('>', '[...]', '');
      const n = r.tail(2, 8, 60);
      out.push(...src.slice(i, i + n).map(q));
      i += n;
      out.push('', ...comments(), '');
    }
    return out;
  }

  private reply(): Msg | undefined {
    const r = this.rng;
    if (!this.threads.length) return undefined;
    // recent threads get most replies
    const idx = this.threads.length - 1 - Math.min(this.threads.length - 1, Math.floor(r.tail(0, 12, 319)));
    const th = this.threads[idx]!;
    if (th.replies > 40) return undefined;
    // robot reports answer patches
    if (th.patches.length && r.chance(0.07)) {
      const p = r.pick(th.patches);
      const m = this.robotReport(p);
      th.msgs.push(m);
      th.replies++;
      return m;
    }
    const parent = r.chance(0.55) && th.patches.length ? r.pick(th.patches) : r.pick(th.msgs);
    if (parent.from === PR_BOT) return undefined;
    const t = this.tick(30, 2400);
    const area = th.area;
    const v = this.vocab(area, parent.files, parent.patchFns);
    let who: Person;
    let text: string[];
    const maint = this.maintainers.get(area.name)!;
    const kind =
      th.kind === 'pull'
        ? 'prbot'
        : parent.from === th.author || parent.from.client === 'robot' || parent.from === NEXT_BOT
          ? r.weighted([
              ['review', 6],
              ['ack', 2],
              ['applied', 1.2],
              ['tested', 1],
            ] as const)
          : r.weighted([
              ['followup', 4],
              ['review', 3],
              ['ack', 1],
            ] as const);
    const attribution = (p: Msg): string => {
      const d = rfc2822Date(p.date, p.tz);
      return r.pick([
        `On ${d}, ${p.from.name} wrote:`,
        `On ${d.slice(5, 16)} at ${d.slice(17, 22)}, ${p.from.name} <${p.from.address}> wrote:`,
        `${p.from.name} <${p.from.address}> writes:`,
        `Hi ${p.from.name.split(' ')[0]},`,
      ]);
    };
    switch (kind) {
      case 'prbot': {
        who = PR_BOT;
        text = [
          `The pull request you sent on ${rfc2822Date(parent.date, parent.tz)}:`,
          '',
          `> git://git.example.org/pub/scm/linux/kernel/git/${area.tree}.git tags/${area.name}-v6.14`,
          '',
          'has been merged into torvalds/linux.git:',
          `https://git.example.org/torvalds/c/${r.hex(40)}`,
          '',
          'Thank you!',
          '',
          '-- ',
          'Deet-doot-dot, I am a bot.',
          'https://korg.example.org/prtracker.html',
        ];
        th.replies = 99; // one tracker reply closes a pull
        break;
      }
      case 'followup': {
        who = th.author === NEXT_BOT || th.author === ROBOT ? r.pick(this.people) : th.author;
        text = [attribution(parent), ...this.quoteInterleaved(parent, who, () => wrap(fill(r.pick(FOLLOWUP), v)))];
        break;
      }
      case 'review': {
        who = r.chance(0.3) ? maint : r.pick(this.people);
        text = [attribution(parent), ...this.quoteInterleaved(parent, who, () => wrap(fill(r.pick(REVIEW), v) + (r.chance(0.3) ? ' ' + sentence(r, 6, 18) : '')))];
        if (r.chance(0.15)) text.push('', ...wrap(`With that fixed: ${r.pick(['Reviewed-by', 'Acked-by'])}: ${who.name} <${who.address}>`));
        if (r.chance(0.08)) text.push('', 'From my build log, for reference:', `  ${v.file}:${r.int(10, 999)}:${r.int(1, 40)}: error: '${v.v}' undeclared (first use in this function)`);
        break;
      }
      case 'ack': {
        who = r.chance(0.3) ? maint : r.pick(this.people);
        const tr = r.pick(['Reviewed-by', 'Acked-by', 'Reviewed-by', 'Tested-by']);
        text = [attribution(parent), ...parent.text.slice(0, r.int(3, 25)).map((l) => (l ? `> ${l}` : '>')), '', `${tr}: ${who.name} <${who.address}>`];
        break;
      }
      case 'applied': {
        who = maint;
        text = [attribution(parent), ...parent.text.slice(0, r.int(2, 12)).map((l) => (l ? `> ${l}` : '>')), '', fill(r.pick(STATUS), v)];
        th.replies += 5;
        break;
      }
      default: {
        who = r.pick(this.people);
        text = [
          attribution(parent),
          ...this.quoteInterleaved(parent, who, () => wrap(r.pick(['This fixes the build for me, thanks.', `Builds fine now with ${v.cfgkind} on ${v.arch}.`, 'Works for me on my test board.']))),
        ];
        text.push('', `Tested-by: ${who.name} <${who.address}>`);
      }
    }
    text.push(...this.signature(who));
    const refs = [...parent.references, parent.id];
    let references = refs.length > 20 ? [refs[0]!, ...refs.slice(-19)] : refs;
    let inReplyTo: string | undefined = parent.id;
    const broken = r.next();
    if (broken < 0.01) references = [];
    else if (broken < 0.013) {
      references = [];
      inReplyTo = undefined;
    }
    const subj = /^re:/i.test(parent.subject) ? parent.subject : `Re: ${parent.subject}`;
    const { cc } = this.recipients(area, who, [parent.from]);
    const m: Msg = {
      id: this.msgId(who, t),
      from: who,
      to: [addr(parent.from, r.chance(0.5))],
      cc,
      subject: r.chance(0.01) ? subj.replace(/^Re: /, 'RE: ') : subj,
      date: t,
      tz: r.pick(TZS),
      inReplyTo,
      references,
      text,
      kind: `reply-${kind}`,
      area,
      patchFns: parent.patchFns,
      files: parent.files,
    };
    th.msgs.push(m);
    th.replies++;
    return m;
  }

  /** Messages in order; each is the RFC 822 text (LF line ends) of one mail. */
  *messages(): Generator<{ kind: string; raw: string }> {
    const r = this.rng;
    let produced = 0;
    while (produced < this.params.messages) {
      let batch: Msg[];
      const x = r.next();
      if (this.threads.length > 5 && x < 0.76) {
        const m = this.reply();
        if (!m) continue;
        batch = [m];
      } else {
        const y = r.next();
        if (y < 0.5) batch = this.startPatchThread(false);
        else if (y < 0.72) batch = this.startPatchThread(true);
        else if (y < 0.8) {
          const m = this.robotReport(undefined);
          this.addThread({ area: m.area, msgs: [m], root: m, patches: [], author: ROBOT, kind: 'robot', revision: 1, replies: 0 });
          batch = [m];
        } else if (y < 0.86) batch = [this.nextReport()];
        else if (y < 0.9) batch = [this.pullRequest()];
        else batch = [this.question()];
      }
      for (const m of batch) {
        if (produced >= this.params.messages) break;
        // an occasional prose line that starts with "From ": mboxrd must escape it
        if (r.chance(0.01)) m.text.splice(Math.min(2, m.text.length), 0, 'From the discussion last week it looks like this is still open.');
        if (r.chance(0.003)) m.text.splice(Math.min(3, m.text.length), 0, '>From an earlier quote that was already escaped once.');
        this.count(this.stats.kinds, m.kind);
        produced++;
        this.stats.messages++;
        yield { kind: m.kind, raw: this.render(m) };
      }
    }
  }
}

// ---------------------------------------------------------------------------
// mboxrd writing and the cache

export const MBOXRD_FROM_LINE = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

/** One message as an mboxrd entry: separator line, '>From ' escaping, blank line after. */
export function toMboxrd(raw: string): string {
  const body = raw.replace(/^(>*From )/gm, '>$1');
  return `${MBOXRD_FROM_LINE}\n${body.endsWith('\n') ? body : body + '\n'}\n`;
}

export function cachePath(cacheDir: string, p: GenParams): string {
  return join(cacheDir, `synthetic-v${GENERATOR_VERSION}-n${p.messages}-s${p.seed}.mbox`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Write the mbox (streaming, with backpressure). Returns what was written. */
export async function writeSyntheticMbox(path: string, p: GenParams): Promise<GenStats> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const gen = new MailGenerator(p);
  const sizes: number[] = [];
  let bytes = 0;
  let pending: string[] = [];
  let pendingLen = 0;
  const flush = async () => {
    if (!pending.length) return;
    const chunk = pending.join('');
    pending = [];
    pendingLen = 0;
    if (!out.write(chunk, 'utf8')) await new Promise<void>((res) => out.once('drain', () => res()));
  };
  for (const { raw } of gen.messages()) {
    const entry = toMboxrd(raw);
    const n = Buffer.byteLength(entry);
    sizes.push(n);
    bytes += n;
    pending.push(entry);
    pendingLen += entry.length;
    if (pendingLen > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  renameSync(tmp, path);
  sizes.sort((a, b) => a - b);
  const stats: GenStats = {
    messages: gen.stats.messages,
    bytes,
    threads: gen.stats.threads,
    kinds: gen.stats.kinds,
    encodings: gen.stats.encodings,
    sizes: {
      median: quantile(sizes, 0.5),
      p90: quantile(sizes, 0.9),
      p99: quantile(sizes, 0.99),
      max: sizes[sizes.length - 1] ?? 0,
      over50k: sizes.filter((s) => s > 50_000).length,
      over200k: sizes.filter((s) => s > 200_000).length,
    },
  };
  return stats;
}

/** The cached mbox for these parameters, generated when missing. */
export async function ensureSyntheticMbox(cacheDir: string, p: GenParams): Promise<{ path: string; reused: boolean; bytes: number; stats?: GenStats; ms: number }> {
  const path = cachePath(cacheDir, p);
  const meta = `${path}.json`;
  const t0 = performance.now();
  if (existsSync(path) && existsSync(meta)) {
    let stats: GenStats | undefined;
    try {
      stats = JSON.parse(readFileSync(meta, 'utf8')) as GenStats;
    } catch {
      stats = undefined;
    }
    if (stats && stats.bytes === statSync(path).size) return { path, reused: true, bytes: stats.bytes, stats, ms: performance.now() - t0 };
  }
  const stats = await writeSyntheticMbox(path, p);
  writeFileSync(meta, JSON.stringify({ params: p, generatorVersion: GENERATOR_VERSION, ...stats }, null, 1) + '\n');
  return { path, reused: false, bytes: stats.bytes, stats, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------
// CLI

async function main(argv: string[]): Promise<void> {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const p: GenParams = { messages: Number(get('--messages') ?? 20000), seed: Number(get('--seed') ?? 1) };
  if (!Number.isInteger(p.messages) || p.messages < 1 || !Number.isInteger(p.seed)) throw new Error('usage: gen-mbox.ts [--messages N] [--seed S] [--out FILE | --cache-dir DIR]');
  const out = get('--out');
  if (out) {
    const t0 = performance.now();
    const stats = await writeSyntheticMbox(resolve(out), p);
    console.log(JSON.stringify({ path: resolve(out), ms: Math.round(performance.now() - t0), ...stats }, null, 1));
    return;
  }
  const cacheDir = get('--cache-dir') ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '.bench-cache');
  const r = await ensureSyntheticMbox(resolve(cacheDir), p);
  console.log(JSON.stringify({ ...r, ms: Math.round(r.ms) }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
