// scanC on the fixture headers and sources: every entry's kind, storage, line
// and the exact condition text of the #if stack it sits under.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanC, type Entry } from '../../src/index/scan/c.js';
import { ALPHA, BETA, lineOf } from '../helpers/index-fixtures.js';

/** "line kind storage name | cond", exports as "line export TYPE name ns=NS | cond" */
function show(e: Entry): string {
  if (e.kind === 'export') return `${e.line} export ${e.exportType} ${e.name}${e.namespace ? ' ns=' + e.namespace : ''} | ${e.cond}`;
  return `${e.line} ${e.kind}${e.storage ? ' ' + e.storage : ''} ${e.name} | ${e.cond}`;
}

function scanFixture(tree: string, path: string) {
  return scanC(readFileSync(join(tree, path), 'latin1'), path);
}

describe('scanC: include/linux/gizmo.h (nested #if/#elif/#else, macros, inlines, prototypes)', () => {
  const path = 'include/linux/gizmo.h';
  const L = (needle: string) => lineOf(ALPHA, path, needle);
  const { entries, includes } = scanFixture(ALPHA, path);

  it('lists every entry with its kind, storage, line and condition, and nothing else', () => {
    const NOT_TURBO = '!(defined(CONFIG_GIZMO_TURBO) && !defined(CONFIG_GIZMO_SAFE))';
    assert.deepEqual(entries.map(show), [
      `${L('#define GIZMO_MAX_UNITS')} macro GIZMO_MAX_UNITS | 1`,
      `${L('#define gizmo_unit_ok(u)')} fmacro gizmo_unit_ok | 1`,
      `${L('#define GIZMO_DECLARE_TABLE(name)')} fmacro GIZMO_DECLARE_TABLE | 1`,
      `${L('extern int gizmo_register(')} proto extern gizmo_register | 1`,
      `${L('int gizmo_unregister(')} proto global gizmo_unregister | 1`,
      `${L('(*gizmo_panic_hook)')} decl extern gizmo_panic_hook | 1`,
      `${L('gizmo_banner[]')} decl extern gizmo_banner | 1`,
      `${L('int gizmo_log(')} proto extern gizmo_log | 1`,
      `${L('bool gizmo_is_idle(')} func static-inline gizmo_is_idle | 1`,
      `${L('int gizmo_enable(struct gizmo *g);')} proto global gizmo_enable | defined(CONFIG_GIZMO)`,
      `${L('{ return 2; }')} func static-inline gizmo_boost | defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_TURBO) && !defined(CONFIG_GIZMO_SAFE)`,
      `${L('extern int gizmo_boost(')} proto extern gizmo_boost | defined(CONFIG_GIZMO) && ${NOT_TURBO} && IS_ENABLED(CONFIG_GIZMO_DEBUG)`,
      `${L('^gizmo_boost(') /* the name's line, not the return type's */} func static-inline gizmo_boost | defined(CONFIG_GIZMO) && ${NOT_TURBO} && !IS_ENABLED(CONFIG_GIZMO_DEBUG)`,
      `${L('{ return -ENODEV; }')} func static-inline gizmo_enable | !defined(CONFIG_GIZMO)`,
      `${L('#define gizmo_boost(g)')} fmacro gizmo_boost | !defined(CONFIG_GIZMO)`,
      `${L('void gizmo_widget_attach(')} proto global gizmo_widget_attach | (IS_BUILTIN(CONFIG_GIZMO) || IS_MODULE(CONFIG_GIZMO_WIDGET))`,
      `${L('void gizmo_dump_state(')} proto global gizmo_dump_state | (defined(CONFIG_GIZMO_DEBUG) || defined(CONFIG_GIZMO_TRACE)) && !defined(CONFIG_GIZMO_SAFE)`,
      `${L('void gizmo_dump_regs(')} proto global gizmo_dump_regs | defined(CONFIG_GIZMO_DEBUG)`,
      // a condition the model cannot read is kept as text, not dropped
      `${L('int gizmo_abi2_probe(')} proto global gizmo_abi2_probe | GIZMO_ABI_VERSION >= 2`,
    ]);
    assert.deepEqual(includes, []);
  });

  it('drops the include guard: neither a macro nor a condition', () => {
    assert.ok(!entries.some((e) => e.name === '_LINUX_GIZMO_H'));
    assert.ok(entries.every((e) => !e.cond.includes('_LINUX_GIZMO_H')));
  });

  it('keeps the declarations of both arms of #ifdef CONFIG_GIZMO, the #else one negated', () => {
    const enable = entries.filter((e) => e.name === 'gizmo_enable').map((e) => `${e.kind} ${e.cond}`);
    assert.deepEqual(enable, ['proto defined(CONFIG_GIZMO)', 'func !defined(CONFIG_GIZMO)']);
  });

  it('is not fooled by the comment holding braces and "#if", nor by strings and chars holding { ; }', () => {
    assert.ok(!entries.some((e) => e.cond.includes('CONFIG_NOT_A_DIRECTIVE')));
    // struct bodies with function pointers, enums and typedefs are types, not entries
    for (const name of ['gizmo_ops', 'gizmo_state', 'gizmo_notify_t', 'probe', 'remove', 'banner', 'GIZMO_IDLE', 'gizmo']) {
      assert.ok(!entries.some((e) => e.name === name), `no entry named ${name}`);
    }
  });
});

describe('scanC: headers with __ASSEMBLY__ guards', () => {
  it('arch/corvid/include/asm/tlbflush.h: the ARM-like #ifdef CONFIG_MMU / #else / CONFIG_SMP nesting', () => {
    const path = 'arch/corvid/include/asm/tlbflush.h';
    const L = (needle: string, nth?: number) => lineOf(ALPHA, path, needle, nth);
    const { entries } = scanFixture(ALPHA, path);
    const span = 'extern void flush_tlb_kernel_span(unsigned long start, unsigned long end);';
    assert.deepEqual(entries.map(show), [
      `${L('#define TLB_V3_PAGE')} macro TLB_V3_PAGE | defined(CONFIG_MMU)`,
      `${L('#define TLB_V4_PAGE')} macro TLB_V4_PAGE | defined(CONFIG_MMU)`,
      `${L('local_flush_tlb_kernel_span(unsigned long')} func static-inline local_flush_tlb_kernel_span | defined(CONFIG_MMU) && !defined(__ASSEMBLY__)`,
      `${L('#define flush_tlb_all')} macro flush_tlb_all | defined(CONFIG_MMU) && !defined(__ASSEMBLY__) && !defined(CONFIG_SMP)`,
      `${L('extern void flush_tlb_all(void);')} proto extern flush_tlb_all | defined(CONFIG_MMU) && !defined(__ASSEMBLY__) && defined(CONFIG_SMP)`,
      `${L(span, 1)} proto extern flush_tlb_kernel_span | defined(CONFIG_MMU) && !defined(__ASSEMBLY__)`,
      `${L('local_flush_tlb_all(void)')} func static-inline local_flush_tlb_all | !defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)`,
      `${L(span, 2)} proto extern flush_tlb_kernel_span | !defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)`,
    ]);
  });

  it('include/linux/gizmo_nodes.h: a guard followed by #ifndef __ASSEMBLY__ and an #else macro', () => {
    const path = 'include/linux/gizmo_nodes.h';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('extern int gizmo_node_count;')} decl extern gizmo_node_count | !defined(__ASSEMBLY__) && defined(CONFIG_SMP)`,
      `${L('#define gizmo_node_count')} macro gizmo_node_count | !defined(__ASSEMBLY__) && !defined(CONFIG_SMP)`,
      `${L('#define GIZMO_NODE_SHIFT')} macro GIZMO_NODE_SHIFT | 1`,
    ]);
  });

  it('beta include/linux/smp.h: unknown macros in #if, a directive continued over two lines, "# define"', () => {
    const path = 'include/linux/smp.h';
    const L = (needle: string) => lineOf(BETA, path, needle);
    const PREEMPT = 'defined(CONFIG_DEBUG_PREEMPT) && !defined(CONFIG_PREEMPT_RT)';
    assert.deepEqual(scanFixture(BETA, path).entries.map(show), [
      `${L('int smp_call_on_cpu_lite(')} proto global smp_call_on_cpu_lite | 1`,
      `${L('#define SMP_BIG_MASK')} macro SMP_BIG_MASK | defined(CONFIG_SMP) && NR_CPUS > 64`,
      `${L('extern void smp_send_stop(void);')} proto extern smp_send_stop | defined(CONFIG_SMP)`,
      `${L('extern unsigned int setup_max_cpus;')} decl extern setup_max_cpus | defined(CONFIG_SMP)`,
      `${L('static inline void smp_send_stop(void)')} func static-inline smp_send_stop | !defined(CONFIG_SMP)`,
      `${L('#define raw_smp_processor_id()')} fmacro raw_smp_processor_id | !defined(CONFIG_SMP)`,
      `${L('#define setup_max_cpus')} macro setup_max_cpus | !defined(CONFIG_SMP)`,
      `${L('extern unsigned int debug_smp_processor_id(void);')} proto extern debug_smp_processor_id | ${PREEMPT}`,
      `${L('# define smp_processor_id() debug_smp_processor_id()')} fmacro smp_processor_id | ${PREEMPT}`,
      `${L('# define smp_processor_id() __smp_processor_id()')} fmacro smp_processor_id | !(${PREEMPT})`,
    ]);
  });
});

describe('scanC: .c sources', () => {
  it('drivers/gizmo/gizmo-core.c: statics, globals, exports with type and namespace (bare and quoted), an export under a nested #ifdef', () => {
    const path = 'drivers/gizmo/gizmo-core.c';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    const DBG_OR_TRACE = '(defined(CONFIG_GIZMO_DEBUG) || defined(CONFIG_GIZMO_TRACE))';
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      // static LIST_HEAD(gizmo_list) is a macro invocation: no entry (and no prototype named LIST_HEAD)
      `${L('static DEFINE_MUTEX(gizmo_lock);')} var static gizmo_lock | 1`,
      `${L('gizmo_flags __read_mostly')} var static gizmo_flags | 1`,
      `${L('gizmo_null_ops;')} var static gizmo_null_ops | 1`,
      `${L('static int __gizmo_add(')} func static __gizmo_add | 1`,
      `${L('int gizmo_register(struct gizmo *g)')} func global gizmo_register | 1`,
      `${L('EXPORT_SYMBOL_GPL(gizmo_register)')} export EXPORT_SYMBOL_GPL gizmo_register | 1`,
      `${L('int gizmo_unregister(struct gizmo *g)')} func global gizmo_unregister | 1`,
      `${L('EXPORT_SYMBOL_NS_GPL(gizmo_unregister, GIZMO_CORE)')} export EXPORT_SYMBOL_NS_GPL gizmo_unregister ns=GIZMO_CORE | 1`,
      `${L('int gizmo_enable(struct gizmo *g)')} func global gizmo_enable | 1`,
      `${L('EXPORT_SYMBOL_NS_GPL(gizmo_enable, "GIZMO_CORE")')} export EXPORT_SYMBOL_NS_GPL gizmo_enable ns=GIZMO_CORE | 1`,
      `${L('void gizmo_dump_state(')} func global gizmo_dump_state | ${DBG_OR_TRACE}`,
      `${L('EXPORT_SYMBOL_GPL(gizmo_dump_state)')} export EXPORT_SYMBOL_GPL gizmo_dump_state | ${DBG_OR_TRACE} && defined(CONFIG_GIZMO_DEBUG)`,
      `${L('int gizmo_log(')} func global gizmo_log | 1`,
      `${L('EXPORT_SYMBOL(gizmo_log)')} export EXPORT_SYMBOL gizmo_log | 1`,
    ]);
  });

  it('kernel/fork.c: attributes after the name, struct/enum definitions, return type on its own line, brace on the same line', () => {
    const path = 'kernel/fork.c';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('#define FORK_BURST_DEFAULT')} macro FORK_BURST_DEFAULT | 1`,
      `${L('int nr_threads;')} var global nr_threads | 1`,
      `${L('unsigned long total_forks;')} var global total_forks | 1`,
      `${L('int max_threads __read_mostly;')} var global max_threads | 1`,
      `${L('int sysctl_fork_burst __read_mostly = FORK_BURST_DEFAULT;')} var global sysctl_fork_burst | 1`,
      `${L('static struct gizmo_ops fork_gizmo_ops = {')} var static fork_gizmo_ops | 1`,
      `${L('static inline int fork_burst_ok(')} func static-inline fork_burst_ok | 1`,
      `${L('nr_processes(void)')} func global nr_processes | 1`,
      `${L('void __init fork_init(void) {')} func global fork_init | 1`,
      `${L('pid_t kernel_clone_lite(')} func global kernel_clone_lite | 1`,
      `${L('EXPORT_SYMBOL_GPL(kernel_clone_lite)')} export EXPORT_SYMBOL_GPL kernel_clone_lite | 1`,
    ]);
  });

  it('kernel/gizctl.c: SYSCALL_DEFINE2 and COMPAT_SYSCALL_DEFINE2 define sys_/compat_sys_ names; DEFINE_MUTEX a variable', () => {
    const path = 'kernel/gizctl.c';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('static DEFINE_MUTEX(gizctl_mutex);')} var static gizctl_mutex | 1`,
      `${L('^SYSCALL_DEFINE2(gizmo_ctl')} func global sys_gizmo_ctl | 1`,
      `${L('COMPAT_SYSCALL_DEFINE2(gizmo_ctl')} func global compat_sys_gizmo_ctl | defined(CONFIG_COMPAT)`,
    ]);
  });

  it('kernel/panic.c: a function pointer variable, an export of a variable, DEFINE_SPINLOCK, a function under #ifdef CONFIG_SMP', () => {
    const path = 'kernel/panic.c';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('int panic_timeout = 0;')} var global panic_timeout | 1`,
      `${L('EXPORT_SYMBOL_GPL(panic_timeout)')} export EXPORT_SYMBOL_GPL panic_timeout | 1`,
      `${L('static DEFINE_SPINLOCK(panic_lock);')} var static panic_lock | 1`,
      `${L('void (*gizmo_panic_hook)(const char *msg);')} var global gizmo_panic_hook | 1`,
      `${L('void panic(const char *fmt, ...)')} func global panic | 1`,
      `${L('EXPORT_SYMBOL(panic);')} export EXPORT_SYMBOL panic | 1`,
      `${L('void crash_smp_send_stop(void)')} func global crash_smp_send_stop | defined(CONFIG_SMP)`,
    ]);
  });

  it('kernel/giztrace_core.c: EXPORT_SYMBOL_NS', () => {
    const { entries } = scanFixture(ALPHA, 'kernel/giztrace_core.c');
    assert.deepEqual(entries.map(show), ['4 func global giztrace_start | 1', '7 export EXPORT_SYMBOL_NS giztrace_start ns=GIZTRACE | 1']);
  });

  it('mm/gizarea.c: the quoted .c includes, each with the #ifdef/#else condition it sits under', () => {
    const path = 'mm/gizarea.c';
    const { entries, includes } = scanFixture(ALPHA, path);
    assert.deepEqual(includes, [
      { path: 'gizarea-km.c', line: lineOf(ALPHA, path, '#include "gizarea-km.c"'), cond: 'defined(CONFIG_NEED_PER_CPU_KM)' },
      { path: 'gizarea-vm.c', line: lineOf(ALPHA, path, '#include "gizarea-vm.c"'), cond: '!defined(CONFIG_NEED_PER_CPU_KM)' },
    ]);
    assert.deepEqual(entries.map(show), [
      `${lineOf(ALPHA, path, 'static int gizarea_populate_chunk(')} proto static gizarea_populate_chunk | 1`,
      `${lineOf(ALPHA, path, 'void *gizarea_alloc(')} func global gizarea_alloc | 1`,
      `${lineOf(ALPHA, path, 'EXPORT_SYMBOL_GPL(gizarea_alloc)')} export EXPORT_SYMBOL_GPL gizarea_alloc | 1`,
    ]);
  });

  it('drivers/base/core.c: a string holding "{ };" in an initializer does not end the statement', () => {
    const { entries } = scanFixture(ALPHA, 'drivers/base/core.c');
    assert.deepEqual(entries.map(show), ['8 var global gizmo_banner | 1', '10 func global device_add_lite | 1', '14 export EXPORT_SYMBOL_GPL device_add_lite | 1']);
  });
});

describe('scanC: assembly (.S)', () => {
  it('arch/corvid/lib/memfill.S: SYM_FUNC_START, ENTRY, .globl under #if, exports', () => {
    const path = 'arch/corvid/lib/memfill.S';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('SYM_FUNC_START(__memfill)')} func global __memfill | 1`,
      `${L('EXPORT_SYMBOL(__memfill)')} export EXPORT_SYMBOL __memfill | 1`,
      `${L('ENTRY(__memfill_words)')} func global __memfill_words | 1`,
      `${L('EXPORT_SYMBOL_GPL(__memfill_words)')} export EXPORT_SYMBOL_GPL __memfill_words | 1`,
      `${L('.globl	__memfill_fast')} func global __memfill_fast | defined(CONFIG_CORVID_FAST_MEM) && !defined(CONFIG_CPU_BIG_ENDIAN)`,
    ]);
  });

  it('arch/corvid/mm/cache-v4.S: a comment with a brace, ENTRY under #ifdef, SYM_FUNC_START_LOCAL is static', () => {
    const path = 'arch/corvid/mm/cache-v4.S';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    assert.deepEqual(scanFixture(ALPHA, path).entries.map(show), [
      `${L('SYM_FUNC_START(cache_sync_range)')} func global cache_sync_range | 1`,
      `${L('EXPORT_SYMBOL(cache_sync_range)')} export EXPORT_SYMBOL cache_sync_range | 1`,
      `${L('ENTRY(cache_v4_dump)')} func global cache_v4_dump | defined(CONFIG_CORVID_CACHE_DEBUG)`,
      `${L('SYM_FUNC_START_LOCAL(__cache_v4_helper)')} func static __cache_v4_helper | 1`,
    ]);
  });
});

describe('scanC: small cases', () => {
  const scan = (src: string, path = 'x.c') => scanC(src, path).entries.map(show);

  it('an #elif chain negates every earlier branch, raw', () => {
    assert.deepEqual(scan(['#if defined(CONFIG_A)', 'int a1;', '#elif defined(CONFIG_B)', 'int b1;', '#elif IS_MODULE(CONFIG_C)', 'int c1;', '#else', 'int d1;', '#endif', ''].join('\n')), [
      '2 var global a1 | defined(CONFIG_A)',
      '4 var global b1 | !defined(CONFIG_A) && defined(CONFIG_B)',
      '6 var global c1 | !defined(CONFIG_A) && !defined(CONFIG_B) && IS_MODULE(CONFIG_C)',
      '8 var global d1 | !defined(CONFIG_A) && !defined(CONFIG_B) && !IS_MODULE(CONFIG_C)',
    ]);
  });

  it('#if 0 keeps its entries under "0"; its #else is unconditional; "defined X" without parentheses is normalised', () => {
    assert.deepEqual(scan(['#if 0', 'int dead(void);', '#else', 'int live(void);', '#endif', '#if defined CONFIG_X && !defined(CONFIG_Y) /* why */', 'int xy;', '#endif', ''].join('\n')), [
      '2 proto global dead | 0',
      '4 proto global live | 1',
      '7 var global xy | defined(CONFIG_X) && !defined(CONFIG_Y)',
    ]);
  });

  it('an #ifndef/#define pair is a guard only in a header, and only when the names match', () => {
    const src = ['#ifndef FOO_H', '#define FOO_H', 'int foo(void);', '#endif', ''].join('\n');
    assert.deepEqual(scan(src, 'foo.h'), ['3 proto global foo | 1']);
    assert.deepEqual(scan(src, 'foo.c'), ['2 macro FOO_H | !defined(FOO_H)', '3 proto global foo | !defined(FOO_H)']);
    assert.deepEqual(scan(['#ifndef __ASSEMBLY__', '#define BAR 1', 'int bar(void);', '#endif', ''].join('\n'), 'bar.h'), [
      '2 macro BAR | !defined(__ASSEMBLY__)',
      '3 proto global bar | !defined(__ASSEMBLY__)',
    ]);
  });

  it('#if inside a function body still moves the stack, and the body is skipped', () => {
    assert.deepEqual(scan(['int f(void)', '{', '#ifdef CONFIG_A', '\tint inner = 1;', '#endif', '\treturn 0;', '}', '#ifdef CONFIG_B', 'int g;', '#endif', ''].join('\n')), [
      '1 func global f | 1',
      '9 var global g | defined(CONFIG_B)',
    ]);
  });

  it('variables with attributes after the name, and names that start with __', () => {
    assert.deepEqual(
      scan(
        [
          'unsigned long __per_cpu_offset[8] __read_mostly;',
          'static int x __aligned(8) = 3;',
          'static int y __attribute__((unused, section(".x")));',
          'struct s { int a; } __packed;',
          'struct q { int a; } __aligned(16) q_inst;',
          '',
        ].join('\n'),
      ),
      ['1 var global __per_cpu_offset | 1', '2 var static x | 1', '3 var static y | 1', '5 var global q_inst | 1'],
    );
  });

  it('declarations shaped like real kernel ones: unknown attributes, asm registers, SEC(), static_assert, typedefs', () => {
    assert.deepEqual(
      scan(
        [
          'struct alpha_machine_vector wildfire_mv __initmv = { .x = 1 };',
          'extern const void bpf_link_fops __ksym;',
          'char __license[] SEC("license") = "GPL";',
          'u32 _version SEC("version") = LINUX_VERSION_CODE;',
          '__extension__ typedef unsigned long long __u64;',
          'static const char *__doc__ = "monitor";',
          'register unsigned long current_stack_pointer asm ("sp");',
          'register struct thread_info *__current_thread_info __asm__("$8");',
          'atomic_t __num_online_cpus __read_mostly;',
          'struct module __this_module;',
          'static_assert(sizeof(__le64) == sizeof(struct mft_ref));',
          'struct rseq_cs { int v; } __attribute__((aligned(4 * sizeof(__u64))));',
          'static SENSOR_DEVICE_ATTR_RO(temp1_input, temp, 0);',
          'static DEVICE_ATTR_RW(mode);',
          'struct __packed wheel_response { int a; };',
          '',
        ].join('\n'),
      ),
      [
        '1 var global wildfire_mv | 1',
        '2 decl extern bpf_link_fops | 1',
        '3 var global __license | 1',
        '4 var global _version | 1',
        '6 var static __doc__ | 1',
        '7 var global current_stack_pointer | 1',
        '8 var global __current_thread_info | 1',
        '9 var global __num_online_cpus | 1',
        '10 var global __this_module | 1',
      ],
    );
  });
});
