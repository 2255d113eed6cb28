// Effect classifiers on small, realistic diffs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPatch } from '../../src/analyze/effects/index.js';
import { dependsTerms, kconfigEdits, sameTerms } from '../../src/analyze/effects/kconfig.js';
import type { EffectKind, Patch } from '../../src/core/types.js';
import { findDiffs } from '../../src/extract/diff.js';
import { bodyLines } from '../../src/extract/lines.js';
import { parseSubject } from '../../src/mail/subject.js';

function patchOf(diff: string, subject = '[PATCH] foo: bar', description = ''): Patch {
  const blocks = findDiffs(bodyLines(diff.replace(/^\n/, '')));
  assert.ok(blocks.length > 0, 'test diff must parse');
  return {
    messageId: '<p@x>',
    foundIn: '<p@x>',
    quoteDepth: 0,
    source: 'inline',
    subject,
    subjectInfo: parseSubject(subject),
    author: 'Dev',
    description,
    files: blocks.flatMap((b) => b.files),
    firstLine: blocks[0]!.firstLine,
    lastLine: blocks[0]!.lastLine,
    damage: [],
  };
}

function kinds(p: Patch, failing: string[] = []): EffectKind[] {
  return classifyPatch(p, { failureSymbols: failing }).map((e) => e.kind);
}

describe('preprocessor guards', () => {
  it('a condition that gains a conjunct is narrowed, with the new requirement', () => {
    const p = patchOf(`
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -10,3 +10,3 @@
-#ifdef CONFIG_FOO_MAP
+#if defined(CONFIG_FOO_MAP) && defined(CONFIG_SMP)
 #define FOO_USE_MAP
 #endif
`);
    const e = classifyPatch(p, { failureSymbols: [] }).find((x) => x.kind === 'guard-narrowed');
    assert.ok(e, 'guard-narrowed expected');
    assert.deepEqual(e.configs, ['SMP=y']);
    assert.equal(e.cite.line, 6);
  });

  it('a condition that gains a disjunct is widened, not narrowed', () => {
    const p = patchOf(`
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -10,3 +10,3 @@
-#if defined(CONFIG_ARM)
+#if defined(CONFIG_ARM) || defined(CONFIG_ARM64)
 #define FOO_FAST
 #endif
`);
    assert.deepEqual(kinds(p), ['guard-widened']);
  });

  it('a new #ifdef around existing code, and IS_ENABLED() leaning on dead-code elimination, add guards', () => {
    const p = patchOf(`
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -20,6 +20,8 @@ static int foo_probe(struct device *dev)
 {
+#ifdef CONFIG_PM
 	pm_runtime_enable(dev);
+#endif
 	return 0;
 }
@@ -40,5 +42,6 @@ static void foo_remove(struct device *dev)
 {
-	foo_unmap(dev);
+	if (IS_ENABLED(CONFIG_FOO_MAP))
+		foo_unmap(dev);
 }
`);
    const ks = kinds(p);
    assert.equal(ks.filter((k) => k === 'guard-added').length, 2);
  });
});

describe('Kconfig', () => {
  const kconfig = (lines: string) =>
    patchOf(`
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
${lines}`);

  it('depends on BROKEN, !X and X are told apart', () => {
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,4 @@ config FOO_DEBUG
 config FOO_DEBUG
 	bool "debug"
+	depends on BROKEN
 	depends on FOO
`),
      ),
      ['depends-on-broken'],
    );
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,4 @@
 config FOO
 	tristate "foo"
+	depends on !PPC64 || BROKEN
 	depends on NET
`),
      ),
      ['depends-on-broken'],
    );
    const neg = classifyPatch(
      kconfig(`@@ -1,2 +1,3 @@
 config FOO
 	tristate "foo"
+	depends on !SMP
`),
      { failureSymbols: [] },
    );
    assert.equal(neg[0]!.kind, 'depends-on-negated');
    assert.deepEqual(neg[0]!.configs, ['SMP=n']);
    const dep = classifyPatch(
      kconfig(`@@ -1,2 +1,3 @@
 config FOO
 	tristate "foo"
+	depends on GPIOLIB
`),
      { failureSymbols: [] },
    );
    assert.equal(dep[0]!.kind, 'depends-on-added');
    assert.deepEqual(dep[0]!.symbols, ['FOO', 'GPIOLIB']);
  });

  it('a select made conditional, a select turned into depends on, a relaxed dependency', () => {
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,3 @@
 config FOO
 	tristate "foo"
-	select GPIO_BAR
+	select GPIO_BAR if GPIOLIB
`),
      ),
      ['select-made-conditional'],
    );
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,3 @@
 config FOO
 	tristate "foo"
-	select MFD_BAR
+	depends on MFD_BAR
`),
      ),
      ['depends-on-added', 'select-replaced-by-depends'],
    );
    const relaxed = classifyPatch(
      kconfig(`@@ -1,3 +1,3 @@
 config FOO_TABLE
 	bool
-	depends on ARCH_FOO
+	depends on ARCH_FOO || COMPILE_TEST
`),
      { failureSymbols: [] },
    );
    assert.equal(relaxed.length, 1);
    assert.equal(relaxed[0]!.kind, 'kconfig-changed');
    assert.match(relaxed[0]!.detail, /relaxed/);
  });

  it('a dropped dependency and tristate to bool', () => {
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,2 @@
 config FOO_TABLE
 	bool
-	depends on ARCH_FOO
`),
      ),
      ['depends-on-removed'],
    );
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,3 @@
 config FOO_DIAG
-	tristate "diag"
+	bool "diag"
 	depends on ARM64
`),
      ),
      ['kconfig-type-changed'],
    );
  });
});

describe('kconfigEdits', () => {
  const kconfig = (lines: string) =>
    patchOf(`
diff --git a/lib/Kconfig b/lib/Kconfig
--- a/lib/Kconfig
+++ b/lib/Kconfig
${lines}`);
  it('gives each config symbol the `depends on` terms a patch removes and adds, and the selects it adds', () => {
    const edits = kconfigEdits(
      kconfig(`@@ -1,8 +1,8 @@
 config FOO_KM
 	bool
-	depends on !MMU && !SMP
+	depends on !MMU || (SMP && !HIGHMEM)
 	default y
 config BAR
 	tristate "bar"
-	select BAZ
+	select BAZ if QUX
`),
    );
    assert.deepEqual([...edits.keys()], ['FOO_KM', 'BAR']);
    const e = edits.get('FOO_KM')!;
    assert.deepEqual(e.removed, ['!MMU', '!SMP']);
    assert.deepEqual(e.added, ['!MMU||(SMP&&!HIGHMEM)']);
    assert.equal(e.path, 'lib/Kconfig');
    assert.deepEqual(edits.get('BAR')!.selects, [{ kind: 'select', target: 'BAZ', cond: 'QUX' }]);
  });

  it('dependsTerms compares terms, not substrings or spacing', () => {
    assert.ok(sameTerms(dependsTerms(['A && (B || C)']), dependsTerms(['(B||C)', 'A'])));
    assert.ok(!dependsTerms(['PCI_MSI']).includes(dependsTerms(['PCI'])[0]!));
    assert.ok(!dependsTerms(['!SMP']).includes('SMP'));
  });
});

describe('C code', () => {
  it('an export added for a symbol', () => {
    const p = patchOf(`
diff --git a/drivers/bar/core.c b/drivers/bar/core.c
--- a/drivers/bar/core.c
+++ b/drivers/bar/core.c
@@ -100,2 +100,3 @@ struct bar *of_bar_get(struct device_node *np)
 	return bar;
 }
+EXPORT_SYMBOL_GPL(of_bar_get);
`);
    const e = classifyPatch(p, { failureSymbols: ['of_bar_get'] });
    assert.equal(e[0]!.kind, 'export-added');
    assert.deepEqual(e[0]!.symbols, ['of_bar_get']);
  });

  it('stubs: an empty one, one that WARNs, and a real definition are different things', () => {
    const p = patchOf(`
diff --git a/include/linux/bar.h b/include/linux/bar.h
--- a/include/linux/bar.h
+++ b/include/linux/bar.h
@@ -10,4 +10,16 @@
 #ifdef CONFIG_BAR
 int bar_register(struct bar *b);
 void bar_claim(struct bar *b);
+#else
+static inline int bar_register(struct bar *b)
+{
+	return 0;
+}
+
+static inline void bar_claim(struct bar *b)
+{
+	WARN_ON(1);
+}
 #endif
`);
    const e = classifyPatch(p, { failureSymbols: ['bar_claim'] });
    assert.deepEqual(e.map((x) => x.kind).sort(), ['stub-added', 'stub-warns']);
    assert.match(e.find((x) => x.kind === 'stub-added')!.detail, /#else/);
  });

  it('a definition moved out of a guard is a move, not a stub', () => {
    const p = patchOf(`
diff --git a/mm/foo.c b/mm/foo.c
--- a/mm/foo.c
+++ b/mm/foo.c
@@ -50,11 +50,6 @@ void *foo_alloc_node(size_t n, int node)
 #ifdef CONFIG_NUMA
-void *foo_last(struct foo *f)
-{
-	if (!f->debug)
-		return NULL;
-	return f->last;
-}
 void *foo_node(size_t n, int node)
 {
 	return __foo(n, node);
 }
 #endif
@@ -80,2 +75,8 @@ void foo_free(void *p)
 }
+void *foo_last(struct foo *f)
+{
+	if (!f->debug)
+		return NULL;
+	return f->last;
+}
`);
    assert.deepEqual(kinds(p, ['foo_last']), ['definition-moved']);
  });

  it('a call to the failing symbol replaced by another API', () => {
    const p = patchOf(`
diff --git a/drivers/zz/map.c b/drivers/zz/map.c
--- a/drivers/zz/map.c
+++ b/drivers/zz/map.c
@@ -30,3 +30,3 @@ static void zz_unmap(unsigned long addr)
 	zz_clear_ptes(addr);
-	local_flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
+	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
 }
`);
    const e = classifyPatch(p, { failureSymbols: ['local_flush_tlb_kernel_range'] });
    assert.equal(e[0]!.kind, 'call-replaced');
    assert.ok(e[0]!.symbols.includes('flush_tlb_kernel_range'));
  });
});

describe('silencing', () => {
  it('an unused attribute, a zero initialiser and an inserted cast silence warnings', () => {
    const p = patchOf(`
diff --git a/drivers/qq/qq.c b/drivers/qq/qq.c
--- a/drivers/qq/qq.c
+++ b/drivers/qq/qq.c
@@ -10,2 +10,2 @@
-static const struct qq_desc qq_table[] = {
+static const struct qq_desc qq_table[] __maybe_unused = {
 	{ 1, 2 },
@@ -40,5 +40,5 @@ static void qq_rx(struct qq *q)
 {
+	u64 data = 0;
 	void *addr;
-	u64 data;
 
@@ -60,6 +60,2 @@ static int qq_ioctl(struct qq *q)
-	/*
-	 * FIXME: is this a user or a kernel pointer?
-	 */
-	out.ptr = q->ptr;
+	out.ptr = (void __user *)q->ptr;
 	return 0;
`);
    const e = classifyPatch(p, { failureSymbols: [] }).filter((x) => x.kind === 'warning-silenced');
    assert.equal(e.length, 3);
    assert.ok(
      e.some((x) => /FIXME/.test(x.detail)),
      'deleting the FIXME is named',
    );
  });

  it('a zero initialiser on the last name of a declaration list silences too', () => {
    const p = patchOf(`
diff --git a/drivers/usb/qq/qq.c b/drivers/usb/qq/qq.c
--- a/drivers/usb/qq/qq.c
+++ b/drivers/usb/qq/qq.c
@@ -90,3 +90,3 @@ static int qq_heavy_init(struct qq *q)
 {
-	const struct firmware *fw, *bp;
+	const struct firmware *fw, *bp = NULL;
 	int ret;
`);
    const e = classifyPatch(p, { failureSymbols: [] }).filter((x) => x.kind === 'warning-silenced');
    assert.equal(e.length, 1);
    assert.match(e[0]!.detail, /initialises bp to NULL/);
    // a new declaration list with a value is ordinary code
    const fresh = patchOf(`
diff --git a/drivers/usb/qq/qq.c b/drivers/usb/qq/qq.c
--- a/drivers/usb/qq/qq.c
+++ b/drivers/usb/qq/qq.c
@@ -90,2 +90,3 @@ static int qq_heavy_init(struct qq *q)
 {
+	const struct firmware *fw, *bp = NULL;
 	int ret;
`);
    assert.deepEqual(
      classifyPatch(fresh, { failureSymbols: [] }).filter((x) => x.kind === 'warning-silenced'),
      [],
    );
  });

  it('an error message made conditional is silenced; WARN_ON moved into an if is not', () => {
    const silenced = patchOf(`
diff --git a/drivers/pp/pp.c b/drivers/pp/pp.c
--- a/drivers/pp/pp.c
+++ b/drivers/pp/pp.c
@@ -20,4 +20,5 @@ static int pp_enable(struct pp *p, int g)
 	if (p->groups[g].enabled) {
-		dev_err(p->dev, "%s is already enabled\\n", p->groups[g].name);
+		if (!p->funcs[g].enabled)
+			dev_err(p->dev, "%s is already enabled\\n", p->groups[g].name);
 		return 0;
`);
    assert.deepEqual(kinds(silenced), ['message-silenced']);
    const moved = patchOf(`
diff --git a/drivers/pp/pp.c b/drivers/pp/pp.c
--- a/drivers/pp/pp.c
+++ b/drivers/pp/pp.c
@@ -20,4 +20,3 @@ static int pp_set(struct pp *p)
-	WARN_ON(p->count > 1);
-	if (p->count > 1)
+	if (WARN_ON(p->count > 1))
 		return -EINVAL;
`);
    assert.ok(!kinds(moved).includes('message-silenced'));
  });

  it('a revert is recognised from its subject', () => {
    const p = patchOf(
      `
diff --git a/arch/mips/Makefile b/arch/mips/Makefile
--- a/arch/mips/Makefile
+++ b/arch/mips/Makefile
@@ -1,2 +1,2 @@
-cflags-y += $(call cc-option,-march=foo)
+cflags-y += -march=foo
`,
      '[PATCH 3/3] Revert "MIPS: use cc-option for -march"',
    );
    assert.ok(kinds(p).includes('revert'));
  });
});

describe('a patch known only from its diffstat', () => {
  const statOnly = (subject: string): Patch => ({
    messageId: '<s@x>',
    foundIn: '<s@x>',
    quoteDepth: 0,
    source: 'diffstat',
    subject,
    subjectInfo: parseSubject(subject),
    author: 'Dev',
    description: '',
    files: [{ oldPath: 'drivers/foo/Kconfig', newPath: 'drivers/foo/Kconfig', status: 'modified', hunks: [], statOnly: true }],
    firstLine: 3,
    lastLine: 3,
    damage: [],
  });
  it('its Kconfig change is read from the subject ("select X", "depend on X"), as a word', () => {
    assert.ok(classifyPatch(statOnly('[PATCH] foo: select REGMAP_I2C'), { failureSymbols: [] }).some((e) => e.kind === 'select-added' && e.symbols.includes('REGMAP_I2C')));
    assert.ok(classifyPatch(statOnly('[PATCH] foo: depend on PCI'), { failureSymbols: [] }).some((e) => e.kind === 'depends-on-added' && e.symbols.includes('PCI')));
    assert.ok(!classifyPatch(statOnly('[PATCH] foo: deselect REGMAP_I2C'), { failureSymbols: [] }).some((e) => e.kind === 'select-added'));
  });
});
