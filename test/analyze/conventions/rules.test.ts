// The convention rules on small threads, past what the fixtures show: each
// rule's matching form and its near miss, the locality check, and the
// vocabulary tables through their examples.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileTestNarrowed } from '../../../src/analyze/rules/conventions/compile-test.js';
import { conditionalCompilation } from '../../../src/analyze/rules/conventions/conditional-compilation.js';
import { division64, LIBGCC_DIVISION } from '../../../src/analyze/rules/conventions/division64.js';
import { CORE_TREES, exportScope, subtreeOf } from '../../../src/analyze/rules/conventions/export-scope.js';
import { placeOf, quotedNames } from '../../../src/analyze/rules/conventions/locality.js';
import { missingInclude, namedAfterApi } from '../../../src/analyze/rules/conventions/missing-include.js';
import { apiPrefixes, provides } from '../../../src/analyze/rules/conventions/provider-dependency.js';
import { reachability } from '../../../src/analyze/rules/conventions/reachability.js';
import { selectDependencies } from '../../../src/analyze/rules/conventions/select-dependencies.js';
import { unusedObject } from '../../../src/analyze/rules/conventions/unused-object.js';
import { guardExcludesConfig } from '../../../src/analyze/rules/guard-excludes-config.js';
import { silencedDiagnostic } from '../../../src/analyze/rules/silenced-diagnostic.js';
import type { IndexPort } from '../../../src/analyze/index-port.js';
import type { BuildFailure } from '../../../src/core/types.js';
import { extractMessage } from '../../../src/extract/message.js';
import { facts, messages, patchBody, ruleInput, type MailSpec } from '../../helpers/mail.js';

function report(id: string, body: string, subject = 'build failure in foo'): MailSpec {
  return { id, subject, from: 'Build Bot <bot@example.org>', body };
}

function patch(id: string, reportId: string, diff: string, message = 'Fix it.'): MailSpec {
  return { id, subject: '[PATCH] foo: fix the build', from: 'Pat Author <pat@example.org>', inReplyTo: reportId, body: patchBody(message, diff) };
}

describe('compile-test-narrowed', () => {
  it('COMPILE_TEST itself restricted weighs more than one driver losing it; without a failure it says nothing', async () => {
    const r = report('<r1@x>', "ld: drivers/foo/foo.o: in function `foo_probe':\nfoo.c:(.text+0x10): undefined reference to `clk_get_parent'\n");
    const global = patch(
      '<p1@x>',
      '<r1@x>',
      `
diff --git a/init/Kconfig b/init/Kconfig
--- a/init/Kconfig
+++ b/init/Kconfig
@@ -131,4 +131,4 @@ config COMPILE_TEST
 config COMPILE_TEST
 	bool "Compile also drivers which will not load"
-	depends on HAS_IOMEM
+	depends on HAS_IOMEM && !HAVE_FOO_CLK
 	help
`,
    );
    const f = await facts([r, global]);
    const out = compileTestNarrowed.apply(ruleInput(f, '<p1@x>'));
    assert.equal(out[0]?.lean, 'hides');
    assert.equal(out[0]?.weight, 3);
    // no report, and a subject that states none ("fix the build" would be one, known by reference)
    const alone = await facts([{ ...global, inReplyTo: undefined, id: '<p2@x>', subject: '[PATCH] kconfig: tidy up COMPILE_TEST', body: global.body.replace('Fix it.', 'Tidy up.') }]);
    assert.deepEqual(compileTestNarrowed.apply(ruleInput(alone, '<p2@x>')), []);
  });
});

describe('select-dependencies', () => {
  const diff = `
diff --git a/drivers/hwmon/Kconfig b/drivers/hwmon/Kconfig
--- a/drivers/hwmon/Kconfig
+++ b/drivers/hwmon/Kconfig
@@ -7,6 +7,7 @@ config SENSORS_JUNIPER
 config SENSORS_KESTREL
 	tristate "Kestrel KS200 temperature sensor"
 	depends on OF
+	select KESTREL_SENSOR_CORE
 	help
 	  If you say yes here you get support for the temperature
`;
  it("without the selected symbol's Kconfig (no quote, no index, not in the patch) it says nothing", async () => {
    const f = await facts([report('<r2@x>', "kestrel-hwmon.c:(.text+0x8d): undefined reference to `kestrel_sensor_read'\n"), patch('<p3@x>', '<r2@x>', diff)]);
    assert.deepEqual(selectDependencies.apply(ruleInput(f, '<p3@x>')), []);
  });

  it('a symbol with no dependencies at all is what select is for', async () => {
    const body = "kestrel-hwmon.c:(.text+0x8d): undefined reference to `kestrel_sensor_read'\n\nThe core is a plain library:\n\nconfig KESTREL_SENSOR_CORE\n\ttristate\n";
    const f = await facts([report('<r3@x>', body), patch('<p4@x>', '<r3@x>', diff)]);
    const out = selectDependencies.apply(ruleInput(f, '<p4@x>'));
    assert.deepEqual(
      out.map((x) => [x.lean, x.weight]),
      [['fixes', 1.5]],
    );
  });
});

describe('reachability', () => {
  it('X || !X leans fixes for a link failure; the same idiom for an unrelated warning weighs less', async () => {
    const diff = `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
@@ -1,3 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
+	depends on BAR || !BAR
 	depends on OF
`;
    const link = await facts([report('<r4@x>', "foo.c:(.text+0x10): undefined reference to `bar_register'\n"), patch('<p5@x>', '<r4@x>', diff)]);
    assert.deepEqual(
      reachability.apply(ruleInput(link, '<p5@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 2]],
    );
    const warn = await facts([
      report('<r5@x>', "drivers/foo/foo.c:12:5: warning: no previous prototype for 'foo_x' [-Wmissing-prototypes]\n", 'W=1 warning in foo'),
      { ...patch('<p6@x>', '<r5@x>', diff), subject: '[PATCH] foo: fix a W=1 warning' },
    ]);
    assert.deepEqual(
      reachability.apply(ruleInput(warn, '<p6@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1]],
    );
  });
});

describe('provider-dependency', () => {
  it('API prefixes come from the Kconfig name, generic words left out', () => {
    assert.deepEqual(apiPrefixes('SPI_MASTER'), ['spi']);
    assert.deepEqual(apiPrefixes('GPIOLIB'), ['gpio']);
    assert.deepEqual(apiPrefixes('COMMON_CLK'), ['clk']);
    assert.deepEqual(apiPrefixes('REGMAP_I2C'), ['regmap', 'i2c']);
  });

  it('a symbol carrying the prefix is provided; one that merely contains it is not', () => {
    assert.ok(provides('SPI', 'spi_sync'));
    assert.ok(provides('GPIOLIB', 'gpiod_set_value'));
    assert.ok(provides('REGMAP_I2C', '__devm_regmap_init_i2c'));
    assert.equal(provides('SPI_MASTER', 'foo_spi_write'), undefined);
    assert.equal(provides('COMMON_CLK', 'clockevents_register'), undefined);
    assert.equal(provides('SPI_FOO_BRIDGE', 'spi_sync'), undefined);
  });

  it('guard-excludes-config does not count a dependency on the provider as narrowing', async () => {
    const r = report('<r6@x>', "With CONFIG_SPI=n:\n\nld: drivers/foo/foo.o: in function `foo_xfer':\nfoo.c:(.text+0x10): undefined reference to `spi_sync'\n");
    const diff = (dep: string) => `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
@@ -1,3 +1,4 @@ config FOO
 config FOO
 	tristate "Foo"
+	depends on ${dep}
 	depends on OF
`;
    const f = await facts([r, patch('<p7@x>', '<r6@x>', diff('SPI')), patch('<p8@x>', '<r6@x>', diff('SPI_FOO_BRIDGE && !SPI'))]);
    assert.deepEqual(guardExcludesConfig.apply(ruleInput(f, '<p7@x>')), []);
    assert.equal(guardExcludesConfig.apply(ruleInput(f, '<p8@x>'))[0]?.lean, 'hides');
  });
});

describe('conditional-compilation and guards around definitions', () => {
  it('a guard around the definition reported unused matches it to its users: no hides, a modest fixes', async () => {
    const r = report('<r7@x>', "drivers/foo/foo.c:11:12: warning: 'foo_regs_show' defined but not used [-Wunused-function]\n");
    const p = patch(
      '<p9@x>',
      '<r7@x>',
      `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -10,5 +10,7 @@
 
+#ifdef CONFIG_DEBUG_FS
 static int foo_regs_show(struct seq_file *s, void *d)
 {
 	return 0;
 }
+#endif
`,
    );
    const f = await facts([r, p]);
    assert.deepEqual(guardExcludesConfig.apply(ruleInput(f, '<p9@x>')), []);
    assert.deepEqual(
      conditionalCompilation.apply(ruleInput(f, '<p9@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1]],
    );
  });
});

describe('export-scope', () => {
  it('core trees: each example is core, and subtrees are per arch', () => {
    for (const t of CORE_TREES) assert.ok(t.pattern.test(t.example), t.example);
    assert.ok(!CORE_TREES.some((t) => t.pattern.test('drivers/base/core.c')));
    assert.equal(subtreeOf('arch/loongarch/kvm/kvm.ko'), subtreeOf('arch/loongarch/mm/init.c'));
    assert.notEqual(subtreeOf('arch/mips/kernel/mips-cm.c'), subtreeOf('drivers/pci/controller/pcie-foo.ko'));
  });

  const exportIn = (path: string, sym: string) => `
diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
@@ -20,3 +20,4 @@ void ${sym}(void)
 	foo_hw_poke();
 }
+EXPORT_SYMBOL_GPL(${sym});
`;
  it('an arch export for a module of the same arch leans fixes; for a driver elsewhere hides, more for a __ name', async () => {
    const same = await facts([report('<r8@x>', 'ERROR: modpost: "foo_pgtable" [arch/foo/kvm/kvm.ko] undefined!\n'), patch('<p10@x>', '<r8@x>', exportIn('arch/foo/mm/init.c', 'foo_pgtable'))]);
    assert.deepEqual(
      exportScope.apply(ruleInput(same, '<p10@x>')).map((x) => x.lean),
      ['fixes'],
    );
    const other = await facts([
      report('<r9@x>', 'ERROR: modpost: "foo_cache_sync" [drivers/gpu/drm/foo/foo.ko] undefined!\n'),
      patch('<p11@x>', '<r9@x>', exportIn('arch/foo/mm/cache.c', 'foo_cache_sync')),
    ]);
    assert.deepEqual(
      exportScope.apply(ruleInput(other, '<p11@x>')).map((x) => [x.lean, x.weight]),
      [['hides', 1.5]],
    );
    const internal = await facts([
      report('<r10@x>', 'ERROR: modpost: "__foo_cache_sync" [drivers/gpu/drm/foo/foo.ko] undefined!\n'),
      patch('<p12@x>', '<r10@x>', exportIn('kernel/foo.c', '__foo_cache_sync')),
    ]);
    assert.deepEqual(
      exportScope.apply(ruleInput(internal, '<p12@x>')).map((x) => [x.lean, x.weight]),
      [['hides', 2]],
    );
  });
});

describe('division64', () => {
  it('every libgcc helper in the table is extracted as the failing symbol from its example', async () => {
    for (const d of LIBGCC_DIVISION) {
      const [m] = await messages([report(`<lg-${d.name}@x>`, `${d.example}\n`)]);
      assert.ok(
        extractMessage(m!).failures.some((f) => f.symbol === d.name),
        d.example,
      );
    }
  });

  it('`depends on 64BIT` for a libgcc division hides; the same dependency for another failure is not its business', async () => {
    const diff = `
diff --git a/drivers/ptp/Kconfig b/drivers/ptp/Kconfig
--- a/drivers/ptp/Kconfig
+++ b/drivers/ptp/Kconfig
@@ -1,3 +1,4 @@ config PTP_FOO
 config PTP_FOO
 	tristate "Foo PTP clock"
+	depends on 64BIT
 	depends on PCI
`;
    const div = await facts([report('<r11@x>', 'ld.lld: error: undefined symbol: __udivdi3\n'), patch('<p13@x>', '<r11@x>', diff)]);
    assert.deepEqual(
      division64.apply(ruleInput(div, '<p13@x>')).map((x) => x.lean),
      ['hides'],
    );
    const other = await facts([report('<r12@x>', "foo.c:(.text+0x10): undefined reference to `foo_get'\n"), patch('<p14@x>', '<r12@x>', diff)]);
    assert.deepEqual(division64.apply(ruleInput(other, '<p14@x>')), []);
  });
});

describe('missing-include: headers named after the API', () => {
  it("a header path part that prefixes the function's first word is the API's header; an unrelated one is not", () => {
    assert.ok(namedAfterApi('linux/gpio/consumer.h', 'gpiod_set_value'));
    assert.ok(namedAfterApi('linux/irq.h', 'irqd_get_trigger_type'));
    assert.ok(!namedAfterApi('linux/slab.h', 'gpiod_set_value'));
  });
});

describe('unused-object', () => {
  it('of_match_ptr() dropped for a table reported unused weighs 2; the same change with no unused warning 1', async () => {
    const diff = `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -40,3 +40,3 @@ static struct platform_driver foo_driver = {
 		.name = "foo",
-		.of_match_table = of_match_ptr(foo_of_match),
+		.of_match_table = foo_of_match,
 	},
`;
    const unused = await facts([report('<r13@x>', "drivers/foo/foo.c:30:34: warning: 'foo_of_match' defined but not used [-Wunused-const-variable=]\n"), patch('<p15@x>', '<r13@x>', diff)]);
    assert.deepEqual(
      unusedObject.apply(ruleInput(unused, '<p15@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 2]],
    );
    const other = await facts([report('<r14@x>', "foo.c:(.text+0x10): undefined reference to `foo_get'\n"), patch('<p16@x>', '<r14@x>', diff)]);
    assert.deepEqual(
      unusedObject.apply(ruleInput(other, '<p16@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1]],
    );
  });
});

describe('locality', () => {
  const f = (over: Partial<BuildFailure>): BuildFailure => ({ kind: 'warning', message: 'warning', configs: [], fromRobot: false, cite: { messageId: '<r@x>', line: 1 }, quoteDepth: 0, ...over });

  it('quoted names skip C keywords', () => {
    assert.deepEqual(quotedNames("variable 'val' is used uninitialized whenever 'if' condition is false"), ['val']);
  });

  it('a change in the failing file near the reported line is at the failure; another file, or far away, is elsewhere; no pointer is unknown', async () => {
    const th = await facts([
      patch(
        '<p17@x>',
        '<none@x>',
        `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -100,3 +100,3 @@ static int foo_probe(struct device *dev)
 {
-	cfg = dev->platform_data;
+	cfg = (struct foo_cfg __force *)dev->platform_data;
 	return 0;
`,
      ),
    ]);
    const input = ruleInput(th, '<p17@x>');
    const e = input.effects.find((x) => x.kind === 'warning-silenced')!;
    assert.ok(e, JSON.stringify(input.effects));
    const p = input.rec.patch;
    assert.equal(placeOf(e, p, [f({ file: 'drivers/foo/foo.c', line: 104 })]), 'at');
    assert.equal(placeOf(e, p, [f({ file: 'foo.c', line: 95 })]), 'at');
    assert.equal(placeOf(e, p, [f({ file: 'drivers/foo/foo.c', line: 400 })]), 'elsewhere');
    assert.equal(placeOf(e, p, [f({ file: 'drivers/bar/bar.c', line: 101 })]), 'elsewhere');
    assert.equal(placeOf(e, p, [f({ file: 'drivers/bar/bar.c' }), f({ file: 'drivers/foo/foo.c' })]), 'at');
    assert.equal(placeOf(e, p, [f({ message: 'the build fails' })]), 'unknown');
  });

  it('a -Wno- flag is at the failure when it names the reported warning or its object; another directory is elsewhere', async () => {
    const th = await facts([
      patch(
        '<p18@x>',
        '<none@x>',
        `
diff --git a/drivers/foo/Makefile b/drivers/foo/Makefile
--- a/drivers/foo/Makefile
+++ b/drivers/foo/Makefile
@@ -1,2 +1,3 @@
 obj-$(CONFIG_FOO) += foo.o
+CFLAGS_foo.o += -Wno-format-truncation
`,
      ),
    ]);
    const input = ruleInput(th, '<p18@x>');
    const e = input.effects.find((x) => x.kind === 'warning-silenced')!;
    const p = input.rec.patch;
    assert.equal(placeOf(e, p, [f({ flag: '-Wformat-truncation=' })]), 'at');
    assert.equal(placeOf(e, p, [f({ file: 'drivers/foo/foo.c', line: 10, flag: '-Wstringop-overflow' })]), 'at');
    assert.equal(placeOf(e, p, [f({ file: 'drivers/bar/bar.c', line: 10 })]), 'elsewhere');
  });

  it('silenced-diagnostic: an unused attribute on another object than the one reported says nothing', async () => {
    const r = report('<r15@x>', "drivers/foo/foo.c:30:12: warning: 'foo_suspend' defined but not used [-Wunused-function]\n");
    const diff = (name: string) => `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -200,3 +200,3 @@
 
-static int ${name}(struct device *dev)
+static int __maybe_unused ${name}(struct device *dev)
 {
`;
    const th = await facts([r, patch('<p19@x>', '<r15@x>', diff('foo_suspend')), patch('<p20@x>', '<r15@x>', diff('foo_unrelated_helper'))]);
    assert.equal(silencedDiagnostic.apply(ruleInput(th, '<p19@x>'))[0]?.lean, 'hides');
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(th, '<p20@x>')), []);
  });
});

describe('index-backed answers (a port stub)', () => {
  const port = (kconfig: Record<string, { dependsOn: string[] }>, rows: Record<string, { kind: string; path: string; buildCond: string | null }[]> = {}): IndexPort => ({
    tree: { name: 'stub', version: null, kind: 'dir', subset: null },
    lookup: (s) => (rows[s] ?? []).map((r) => ({ name: s, kind: r.kind as 'func', path: r.path, line: 10, cond: '1', buildCond: r.buildCond, buildVia: [], moduleOnly: false, arch: null })),
    symvers: () => [],
    kconfig: (n) =>
      kconfig[n]
        ? [
            {
              name: n,
              path: 'drivers/foo/Kconfig',
              line: 3,
              type: 'tristate',
              prompt: null,
              dependsOn: kconfig[n]!.dependsOn,
              enclosing: [],
              selects: [],
              implies: [],
              defaults: [],
              help: null,
              arch: null,
            },
          ]
        : [],
    selectedBy: () => [],
    fileBuild: () => undefined,
    exists: () => false,
    filesBuiltUnder: () => [],
  });
  const selectDiff = `
diff --git a/drivers/hwmon/Kconfig b/drivers/hwmon/Kconfig
--- a/drivers/hwmon/Kconfig
+++ b/drivers/hwmon/Kconfig
@@ -7,6 +7,7 @@ config SENSORS_JUNIPER
 config SENSORS_KESTREL
 	tristate "Kestrel KS200 temperature sensor"
 	depends on OF
+	select KESTREL_SENSOR_CORE
 	help
 	  If you say yes here you get support for the temperature
`;

  it('select-dependencies leaves a target known only from the tree to index-select-dependencies', async () => {
    const f = await facts([report('<r16@x>', "kestrel-hwmon.c:(.text+0x8d): undefined reference to `kestrel_sensor_read'\n"), patch('<p21@x>', '<r16@x>', selectDiff)]);
    // the tree's Kconfig alone: the index rule walks the whole dependency chain, this one does not speak
    assert.deepEqual(selectDependencies.apply({ ...ruleInput(f, '<p21@x>'), port: port({ CONFIG_KESTREL_SENSOR_CORE: { dependsOn: ['I2C'] } }) }), []);
    assert.deepEqual(selectDependencies.apply({ ...ruleInput(f, '<p21@x>'), port: port({ CONFIG_KESTREL_SENSOR_CORE: { dependsOn: ['OF'] } }) }), []);
  });

  it('provides() believes the index over the name: built under CONFIG_X is provided, whatever it is called', () => {
    const p = port({}, { qx_sync: [{ kind: 'func', path: 'drivers/qbus/core.c', buildCond: 'CONFIG_QBUS' }] });
    assert.match(provides('QBUS', 'qx_sync', p) ?? '', /built under CONFIG_QBUS/);
    assert.equal(provides('QBUS', 'qx_sync'), undefined);
  });

  it('missing-include is strong when the compiler note names the header, or the index declares the function there', async () => {
    const r = report(
      '<r17@x>',
      "drivers/foo/foo.c:20:8: error: implicit declaration of function 'qx_get_rate' [-Werror=implicit-function-declaration]\ndrivers/foo/foo.c:20:8: note: include '<linux/qbus.h>' or provide a declaration of 'qx_get_rate'\n",
    );
    const inc = (h: string) => `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -2,3 +2,4 @@
 #include <linux/module.h>
 #include <linux/platform_device.h>
+#include <${h}>
 
`;
    const f = await facts([r, patch('<p22@x>', '<r17@x>', inc('linux/qbus.h')), patch('<p23@x>', '<r17@x>', inc('linux/slab.h'))]);
    assert.deepEqual(
      missingInclude.apply(ruleInput(f, '<p22@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 2]],
    );
    assert.deepEqual(
      missingInclude.apply(ruleInput(f, '<p23@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1]],
    );
    const p = port({}, { qx_get_rate: [{ kind: 'proto', path: 'include/linux/slab.h', buildCond: null }] });
    assert.deepEqual(
      missingInclude.apply({ ...ruleInput(f, '<p23@x>'), port: p }).map((x) => [x.lean, x.weight]),
      [['fixes', 2]],
    );
  });
});

describe('missing-include: headers whose API is kernel knowledge', () => {
  it("each known header declares its example, and not another header's", async () => {
    const { KNOWN_HEADERS, knownToDeclare } = await import('../../../src/analyze/rules/conventions/missing-include.js');
    for (const k of KNOWN_HEADERS) {
      assert.ok(knownToDeclare(k.header, k.example), `${k.header} declares ${k.example}`);
      assert.ok(!knownToDeclare(k.header, 'frobnicate_widget'), `${k.header} does not declare frobnicate_widget`);
    }
    assert.ok(!knownToDeclare('linux/slab.h', 'readq'));
  });
});

describe('missing-include: the header a checker names', () => {
  const incDiff = (line: string) => `
diff --git a/init/foo.c b/init/foo.c
--- a/init/foo.c
+++ b/init/foo.c
@@ -2,3 +2,3 @@
 #include <linux/module.h>
${line}
 
`;
  it('reads what the check asks for: the include added, or dropped', async () => {
    const { headerAskedFor } = await import('../../../src/analyze/rules/conventions/missing-include.js');
    const at = (message: string) => headerAskedFor({ kind: 'warning', message, configs: [], fromRobot: false, quoteDepth: 0, cite: { messageId: '<m@x>', line: 1 } });
    assert.deepEqual(at('init/foo.c: warning: EXPORT_SYMBOL() is used, but #include <linux/export.h> is missing'), { header: 'linux/export.h', wants: 'added' });
    assert.deepEqual(at('init/foo.c: warning: EXPORT_SYMBOL() is not used, but #include <linux/export.h> is present'), { header: 'linux/export.h', wants: 'removed' });
    assert.equal(at('init/foo.c: warning: #include <linux/export.h> appears twice'), undefined);
  });

  it('fixes when the patch includes that header; another header says nothing', async () => {
    const r = report('<r30@x>', 'init/foo.c: warning: EXPORT_SYMBOL() is used, but #include <linux/export.h> is missing\n');
    const f = await facts([r, patch('<p30@x>', '<r30@x>', incDiff('+#include <linux/export.h>')), patch('<p31@x>', '<r30@x>', incDiff('+#include <linux/slab.h>'))]);
    assert.deepEqual(
      missingInclude.apply(ruleInput(f, '<p30@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1.5]],
    );
    assert.deepEqual(missingInclude.apply(ruleInput(f, '<p31@x>')), []);
  });

  it('fixes when the check calls the include needless and the patch drops it', async () => {
    const r = report('<r32@x>', 'init/foo.c: warning: EXPORT_SYMBOL() is not used, but #include <linux/export.h> is present\n');
    const f = await facts([r, patch('<p32@x>', '<r32@x>', incDiff('-#include <linux/export.h>'))]);
    assert.deepEqual(
      missingInclude.apply(ruleInput(f, '<p32@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1.5]],
    );
  });
});
