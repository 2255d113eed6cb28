// The effect classifiers behind the convention rules, each in both
// directions: the form that matches and its near miss. Vocabulary tables are
// checked entry by entry through their examples.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPatch } from '../../../src/analyze/effects/index.js';
import { DIV64_HELPERS, MATCH_PTR_WRAPPERS, MMIO_ACCESSORS, PM_HELPERS } from '../../../src/analyze/effects/idioms.js';
import { isReachabilityIdiom } from '../../../src/analyze/effects/kconfig.js';
import type { Effect, EffectKind, Patch } from '../../../src/core/types.js';
import { findDiffs } from '../../../src/extract/diff.js';
import { bodyLines } from '../../../src/extract/lines.js';
import { parseSubject } from '../../../src/mail/subject.js';

function patchOf(diff: string): Patch {
  const blocks = findDiffs(bodyLines(diff.replace(/^\n/, '')));
  assert.ok(blocks.length > 0, 'test diff must parse');
  const subject = '[PATCH] test';
  return {
    messageId: '<p@x>',
    foundIn: '<p@x>',
    quoteDepth: 0,
    source: 'inline',
    subject,
    subjectInfo: parseSubject(subject),
    author: 'Dev',
    description: '',
    files: blocks.flatMap((b) => b.files),
    firstLine: blocks[0]!.firstLine,
    lastLine: blocks[0]!.lastLine,
    damage: [],
  };
}

function effects(diff: string, failing: string[] = []): Effect[] {
  return classifyPatch(patchOf(diff), { failureSymbols: failing });
}

function kinds(diff: string, failing: string[] = []): EffectKind[] {
  return effects(diff, failing).map((e) => e.kind);
}

const kconfig = (body: string) => `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
${body}`;

const cfile = (body: string, path = 'drivers/foo/foo.c') => `
diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
${body}`;

describe('Kconfig: COMPILE_TEST coverage', () => {
  it('`A || COMPILE_TEST` becoming `A` is compile-test-narrowed, not a dependency added and one removed', () => {
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,4 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
-	depends on ARCH_FOO || COMPILE_TEST
+	depends on ARCH_FOO
 	depends on OF
`),
      ),
      ['compile-test-narrowed'],
    );
  });

  it('`COMPILE_TEST` narrowed to `(COMPILE_TEST && X)`, `depends on !COMPILE_TEST`, and COMPILE_TEST gaining a dependency', () => {
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,3 @@ config FOO
 config FOO
 	tristate "Foo"
-	depends on ARCH_FOO || COMPILE_TEST
+	depends on ARCH_FOO || (COMPILE_TEST && 64BIT)
`),
      ),
      ['compile-test-narrowed'],
    );
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
+	depends on !COMPILE_TEST
 	depends on OF
`),
      ),
      ['compile-test-narrowed'],
    );
    const e = effects(`
diff --git a/init/Kconfig b/init/Kconfig
--- a/init/Kconfig
+++ b/init/Kconfig
@@ -131,4 +131,4 @@ config COMPILE_TEST
 config COMPILE_TEST
 	bool "Compile also drivers which will not load"
-	depends on HAS_IOMEM
+	depends on HAS_IOMEM && !HAVE_FOO_CLK
 	help
`);
    assert.deepEqual(
      e.map((x) => x.kind),
      ['compile-test-narrowed'],
    );
    assert.equal(e[0]!.symbols[0], 'COMPILE_TEST');
  });

  it('near miss: adding `|| COMPILE_TEST` widens, and an ordinary dependency stays depends-on-added', () => {
    assert.ok(
      !kinds(
        kconfig(`@@ -1,3 +1,3 @@ config FOO
 config FOO
 	tristate "Foo"
-	depends on ARCH_FOO
+	depends on ARCH_FOO || COMPILE_TEST
`),
      ).includes('compile-test-narrowed'),
    );
    assert.deepEqual(
      kinds(
        kconfig(`@@ -1,3 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
+	depends on I2C
 	depends on OF
`),
      ),
      ['depends-on-added'],
    );
  });
});

describe('Kconfig: the reachability idiom', () => {
  it('X || !X, X || X=n, m || X and X=y are the idiom; X || Y, !X and X are not', () => {
    for (const t of ['FOO || !FOO', '!FOO || FOO', 'FOO || FOO=n', 'm || FOO', 'FOO=y']) assert.ok(isReachabilityIdiom(t), t);
    for (const t of ['FOO || BAR', '!FOO', 'FOO', 'FOO=m']) assert.ok(!isReachabilityIdiom(t), t);
  });

  it('a gained `depends on X || !X` is depends-on-reachable naming X, not a plain dependency on X', () => {
    const e = effects(
      kconfig(`@@ -1,3 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
+	depends on BAR_LED || !BAR_LED
 	depends on OF
`),
    );
    assert.deepEqual(
      e.map((x) => x.kind),
      ['depends-on-reachable'],
    );
    assert.equal(e[0]!.symbols[1], 'BAR_LED');
    assert.deepEqual(e[0]!.configs, []);
  });
});

describe('Kconfig: select narrowed and widened', () => {
  const sel = (from: string, to: string) =>
    kinds(
      kconfig(`@@ -1,4 +1,4 @@ config ARCH_FOO
 config ARCH_FOO
 	bool "Foo SoCs"
-	select ${from}
+	select ${to}
 	select PINCTRL
`),
    );
  it('`if A` → `if A && B` is select-made-conditional, as is an `if` added', () => {
    assert.deepEqual(sel('FOO_DMA if PCI', 'FOO_DMA if PCI && FOO_IOMMU'), ['select-made-conditional']);
    assert.deepEqual(sel('FOO_DMA if PCI', 'FOO_DMA if (PCI && FOO_IOMMU)'), ['select-made-conditional']);
    assert.deepEqual(sel('FOO_DMA', 'FOO_DMA if PCI'), ['select-made-conditional']);
  });
  it('near miss: `if A && B` → `if A`, or the `if` dropped, selects in more configurations: select-added', () => {
    assert.deepEqual(sel('FOO_DMA if PCI && FOO_IOMMU', 'FOO_DMA if PCI'), ['select-added']);
    assert.deepEqual(sel('FOO_DMA if PCI', 'FOO_DMA'), ['select-added']);
  });
});

describe('guards: IS_REACHABLE, #ifdef to IS_ENABLED, removed guards', () => {
  it('IS_ENABLED() → IS_REACHABLE() in an #if and in a C condition is guard-made-reachable', () => {
    assert.deepEqual(
      kinds(
        cfile(
          `@@ -7,3 +7,3 @@ struct foo_event;
 
-#if IS_ENABLED(CONFIG_FOO_TELEMETRY)
+#if IS_REACHABLE(CONFIG_FOO_TELEMETRY)
 void foo_report(const struct foo_event *ev);
`,
          'include/linux/foo.h',
        ),
      ),
      ['guard-made-reachable'],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -20,3 +20,3 @@ static void foo_rx_error(struct foo *f)
 {
-	if (IS_ENABLED(CONFIG_FOO_TELEMETRY))
+	if (IS_REACHABLE(CONFIG_FOO_TELEMETRY))
 		foo_report(&f->ev);
`),
      ),
      ['guard-made-reachable'],
    );
  });

  it('near miss: IS_ENABLED() → IS_BUILTIN() is not reachability; a guard on another config is a guard change', () => {
    assert.ok(
      !kinds(
        cfile(`@@ -20,3 +20,3 @@ static void foo_rx_error(struct foo *f)
 {
-	if (IS_ENABLED(CONFIG_FOO_TELEMETRY))
+	if (IS_BUILTIN(CONFIG_FOO_TELEMETRY))
 		foo_report(&f->ev);
`),
      ).includes('guard-made-reachable'),
    );
  });

  it('#ifdef CONFIG_X around a call → if (IS_ENABLED(CONFIG_X)) is ifdef-to-is-enabled, not a guard added or removed', () => {
    const e = effects(
      cfile(`@@ -40,7 +40,6 @@ static int foo_probe(struct i2c_client *client)
 	hub->client = client;
 	i2c_set_clientdata(client, hub);
-#ifdef CONFIG_DEBUG_FS
-	foo_debugfs_init(hub);
-#endif
+	if (IS_ENABLED(CONFIG_DEBUG_FS))
+		foo_debugfs_init(hub);
 	return 0;
 }
`),
    );
    assert.deepEqual(
      e.map((x) => x.kind),
      ['ifdef-to-is-enabled'],
    );
    assert.deepEqual(e[0]!.symbols, ['foo_debugfs_init']);
  });

  it('near miss: a new if (IS_ENABLED()) with no #ifdef removed is a guard added (dead-code elimination)', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -40,4 +40,5 @@ static int foo_probe(struct i2c_client *client)
 	i2c_set_clientdata(client, hub);
-	foo_debugfs_init(hub);
+	if (IS_ENABLED(CONFIG_DEBUG_FS))
+		foo_debugfs_init(hub);
 	return 0;
`),
      ),
      ['guard-added'],
    );
  });

  it('an #ifdef and its #endif deleted around a definition, in different hunks, is guard-removed naming it', () => {
    const e = effects(
      cfile(`@@ -20,7 +20,6 @@ static int foo_read(struct foo *f)
 	return 0;
 }
 
-#ifdef CONFIG_PM_SLEEP
 static int foo_save(struct foo *f)
 {
 	return foo_read_block(f, 0x10, f->saved);
@@ -60,7 +59,6 @@ static int foo_resume(struct device *dev)
 {
 	return foo_restore(dev_get_drvdata(dev));
 }
-#endif
 
 static int foo_probe(struct i2c_client *client)
 {
`),
    );
    const r = e.find((x) => x.kind === 'guard-removed');
    assert.ok(r, JSON.stringify(e));
    assert.ok(r.symbols.includes('foo_save'));
  });

  it('an #if moved down past a definition takes that definition out of the guard', () => {
    const e = effects(
      cfile(`@@ -28,9 +28,9 @@ static void foo_debugfs_init(struct foo *f)
 }
 
-#ifdef CONFIG_PM_SLEEP
 static int foo_save(struct foo *f)
 {
 	return foo_read_block(f, 0x10, f->saved);
 }
 
+#ifdef CONFIG_PM_SLEEP
 static int foo_suspend(struct device *dev)
 {
`),
    );
    assert.deepEqual(
      e.filter((x) => x.kind === 'guard-removed').map((x) => x.symbols),
      [['foo_save']],
    );
  });

  it('near miss: an #if condition rewritten in place is a guard change, not a removal', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -10,3 +10,3 @@
-#ifdef CONFIG_FOO_MAP
+#if defined(CONFIG_FOO_MAP) && defined(CONFIG_SMP)
 #define FOO_USE_MAP
 #endif
`),
      ),
      ['guard-narrowed'],
    );
  });

  it('an added guard says what it wraps: a definition, or a use', () => {
    const def = effects(
      cfile(`@@ -10,5 +10,7 @@
 
+#ifdef CONFIG_DEBUG_FS
 static int foo_regs_show(struct seq_file *s, void *d)
 {
 	return 0;
 }
+#endif
`),
    ).find((x) => x.kind === 'guard-added')!;
    assert.deepEqual(def.symbols, ['foo_regs_show']);
    assert.match(def.detail, /around the definition of foo_regs_show/);
    const use = effects(
      cfile(`@@ -20,3 +20,5 @@ static int foo_probe(struct device *dev)
 {
+#ifdef CONFIG_SMP
 	foo_flush_remote(dev);
+#endif
 	return 0;
`),
    ).find((x) => x.kind === 'guard-added')!;
    assert.deepEqual(use.symbols, []);
    assert.match(use.detail, /around a use/);
  });
});

describe('C code: nulled references and local prototypes', () => {
  it('the failing reference replaced by NULL, or its initialiser deleted, is reference-nulled', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -8,4 +8,4 @@ static const struct thermal_zone_device_ops foo_tz_ops = {
 	.get_temp = foo_get_temp,
-	.set_trips = foo_set_trips,
+	.set_trips = NULL,
 };
`),
        ['foo_set_trips'],
      ),
      ['reference-nulled'],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -8,4 +8,3 @@ static const struct thermal_zone_device_ops foo_tz_ops = {
 	.get_temp = foo_get_temp,
-	.set_trips = foo_set_trips,
 };
`),
        ['foo_set_trips'],
      ),
      ['reference-nulled'],
    );
  });

  it('near miss: the reference replaced by another function is call-replaced', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -20,3 +20,3 @@ static int foo_probe(struct device *dev)
 {
-	ret = foo_legacy_get_temp(dev, &t);
+	ret = thermal_zone_get_temp(tz, &t);
 	return ret;
`),
        ['foo_legacy_get_temp'],
      ),
      ['call-replaced'],
    );
  });

  it('an extern or prototype for the failing function in a .c file is local-prototype-added; a static forward declaration or another name is not', () => {
    const diff = (line: string) =>
      cfile(`@@ -3,3 +3,5 @@
 #include <linux/module.h>
 #include <linux/platform_device.h>
+
+${line}
 
`);
    assert.deepEqual(kinds(diff('extern int foo_fw_version(struct device *dev);'), ['foo_fw_version']), ['local-prototype-added']);
    assert.deepEqual(kinds(diff('int foo_fw_version(struct device *dev);'), ['foo_fw_version']), ['local-prototype-added']);
    assert.ok(!kinds(diff('static int foo_fw_version(struct device *dev);'), ['foo_fw_version']).includes('local-prototype-added'));
    assert.ok(!kinds(diff('extern int foo_other(struct device *dev);'), ['foo_fw_version']).includes('local-prototype-added'));
  });
});

describe('idioms: PM helpers and match tables', () => {
  it('every PM helper in the table is recognised from its example', () => {
    for (const h of PM_HELPERS) {
      const e = effects(
        cfile(`@@ -30,3 +30,3 @@
 
-static int foo_old_placeholder;
+${h.example}
 
`),
      );
      assert.ok(
        e.some((x) => x.kind === 'pm-ops-converted'),
        h.name,
      );
    }
  });

  it('every match-table wrapper dropped is match-ptr-dropped; one kept is not', () => {
    for (const w of MATCH_PTR_WRAPPERS) {
      const plain = w.example.replace(new RegExp(`${w.name}\\(([^)]+)\\)`), '$1');
      assert.deepEqual(
        kinds(
          cfile(`@@ -40,3 +40,3 @@ static struct platform_driver foo_driver = {
 		.name = "foo",
-${w.example}
+${plain}
 	},
`),
        ),
        ['match-ptr-dropped'],
        w.name,
      );
      assert.deepEqual(
        kinds(
          cfile(`@@ -40,3 +40,3 @@ static struct platform_driver foo_driver = {
-		.name = "foo",
+		.name = "foo-ng",
 ${w.example}
 	},
`),
        ),
        ['code-changed'],
        w.name,
      );
    }
  });
});

describe('idioms: MMIO accessors', () => {
  it('every accessor pattern matches its example', () => {
    for (const a of MMIO_ACCESSORS) assert.ok(a.pattern.test(a.example), a.example);
  });

  it('memcpy_fromio() → memcpy() and a dropped __iomem bypass MMIO; the reverse uses the accessor', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -16,3 +16,3 @@ static int foo_rx(struct foo *f, u8 *buf, unsigned int len)
 		return -EINVAL;
-	memcpy_fromio(buf, f->fifo, len);
+	memcpy(buf, f->fifo, len);
 	return len;
`),
      ),
      ['mmio-bypassed'],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -7,3 +7,3 @@ struct foo {
 	void __iomem *regs;
-	void __iomem *fifo;
+	void *fifo;
 	unsigned int fifo_len;
`),
      ),
      ['mmio-bypassed'],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -16,3 +16,3 @@ static int foo_rx(struct foo *f, u8 *buf, unsigned int len)
 		return -EINVAL;
-	memcpy(buf, f->fifo, len);
+	memcpy_fromio(buf, f->fifo, len);
 	return len;
`),
      ),
      ['mmio-accessor-used'],
    );
  });

  it('near miss: one accessor for another (readl → readl_relaxed) is neither', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -16,3 +16,3 @@ static u32 foo_status(struct foo *f)
 {
-	return readl(f->regs + FOO_STATUS);
+	return readl_relaxed(f->regs + FOO_STATUS);
 }
`),
      ),
      ['code-changed'],
    );
  });
});

describe('idioms: 64-bit division', () => {
  it('every math64 helper replacing a division is div64-helper-used', () => {
    for (const h of DIV64_HELPERS) {
      assert.ok(
        kinds(
          cfile(`@@ -9,3 +9,3 @@ static u32 foo_period(struct foo *f)
 {
-	x = total / count;
+	${h.example}
 }
`),
        ).includes('div64-helper-used'),
        h.name,
      );
    }
  });

  it('a (u32) cast inserted into the division truncates; a cast elsewhere is not about the division', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -9,3 +9,3 @@ static u32 foo_period(struct foo *f)
 {
-	return total / f->rate_hz;
+	return (u32)total / f->rate_hz;
 }
`),
      ),
      ['division-truncated'],
    );
    assert.ok(
      !kinds(
        cfile(`@@ -9,3 +9,3 @@ static u32 foo_period(struct foo *f)
 {
-	foo_write(f, total);
+	foo_write(f, (u32)total);
 }
`),
      ).includes('division-truncated'),
    );
  });
});

describe('idioms: return values and variables', () => {
  it('`ret = f();` → `f();` with ret deleted is return-value-discarded', () => {
    const e = effects(
      cfile(`@@ -10,9 +10,8 @@ static void foo_tx_timeout(struct net_device *ndev, unsigned int txq)
 {
 	struct foo_priv *priv = netdev_priv(ndev);
-	int ret;
 
 	netif_tx_stop_all_queues(ndev);
-	ret = foo_hw_reset(priv->hw);
+	foo_hw_reset(priv->hw);
 	foo_ring_refill(priv);
 	netif_tx_wake_all_queues(ndev);
`),
    );
    assert.deepEqual(
      e.map((x) => [x.kind, ...x.symbols]),
      [['return-value-discarded', 'ret', 'foo_hw_reset']],
    );
  });

  it('near miss: a variable that only held constants, deleted with them, is variable-removed; one still read is neither', () => {
    assert.deepEqual(
      kinds(
        cfile(`@@ -10,7 +10,5 @@ static void foo_init(struct foo *f)
 {
-	int count;
 
-	count = 0;
 	foo_start(f);
 }
`),
      ),
      ['variable-removed'],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -10,5 +10,5 @@ static int foo_init(struct foo *f)
 {
-	ret = foo_start(f);
+	ret = foo_start(f) ?: foo_arm(f);
 	return ret;
 }
`),
      ),
      ['code-changed'],
    );
  });
});

describe('silencing: (void)x', () => {
  it('a `(void)x;` line is warning-silenced naming x; a (void) cast of a call result is not', () => {
    const e = effects(
      cfile(`@@ -30,4 +30,5 @@ static void foo_stop(struct foo *f)
 	int err;
 
 	err = foo_halt(f);
+	(void)err;
 }
`),
    );
    assert.deepEqual(
      e.map((x) => [x.kind, ...x.symbols]),
      [['warning-silenced', 'err']],
    );
    assert.deepEqual(
      kinds(
        cfile(`@@ -30,3 +30,3 @@ static void foo_stop(struct foo *f)
 {
-	foo_halt(f);
+	(void)foo_halt(f);
 }
`),
      ),
      ['code-changed'],
    );
  });
});
