// warning-fixes: each convention in both directions, on a robot-style warning
// and a patch answering it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WARNING_CONVENTIONS, warningFixes } from '../../../src/analyze/rules/conventions/warning-fixes.js';
import { triageMessages } from '../../../src/analyze/triage.js';
import { facts, messages, patchBody, ruleInput, type MailSpec } from '../../helpers/mail.js';

const report = (id: string, log: string): MailSpec => ({
  id,
  subject: '[foo:next] drivers/foo/foo.c: warning',
  from: 'kernel test robot <lkp@intel.com>',
  body: `All warnings (new ones prefixed by >>):\n\n>> ${log}\n`,
});
const patch = (id: string, parent: string, diff: string, subject = '[PATCH] foo: fix a W=1 warning'): MailSpec => ({
  id,
  subject,
  from: 'Pat Author <pat@example.org>',
  inReplyTo: parent,
  body: patchBody('Fix the warning the robot reported.', diff),
});
const cDiff = (path: string, hunk: string) => `
diff --git a/${path} b/${path}
index 1111111..2222222 100644
--- a/${path}
+++ b/${path}
${hunk}`;

async function judged(log: string, diff: string) {
  const f = await facts([report('<r@x>', log), patch('<p@x>', '<r@x>', diff)]);
  return warningFixes.apply(ruleInput(f, '<p@x>')).map((x) => [x.lean, x.weight]);
}

describe('warning-fixes', () => {
  it('has distinct convention names', () => {
    assert.equal(new Set(WARNING_CONVENTIONS.map((c) => c.name)).size, WARNING_CONVENTIONS.length);
  });

  it('missing-prototype: static or a header declaration fixes; a prototype in the .c file hides', async () => {
    const log = "drivers/foo/foo.c:40:5: warning: no previous prototype for 'foo_setup' [-Wmissing-prototypes]";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -40,3 +40,3 @@\n-int foo_setup(struct foo *f)\n+static int foo_setup(struct foo *f)\n {\n \treturn 0;\n')), [['fixes', 2]]);
    assert.deepEqual(await judged(log, cDiff('include/linux/foo.h', '@@ -10,2 +10,3 @@\n struct foo;\n+int foo_setup(struct foo *f);\n #endif\n')), [['fixes', 2]]);
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -38,2 +38,4 @@\n #include <linux/foo.h>\n \n+int foo_setup(struct foo *f);\n+\n int foo_setup(struct foo *f)\n')), [
      ['hides', 1.5],
    ]);
  });

  it('sparse "should it be static?" is the same convention', async () => {
    const log = "drivers/foo/foo.c:12:24: sparse: symbol 'foo_table' was not declared. Should it be static?";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -12,2 +12,2 @@\n-const struct foo_ops foo_table = {\n+static const struct foo_ops foo_table = {\n \t.probe = foo_probe,\n')), [
      ['fixes', 2],
    ]);
  });

  it('format-specifier: the conversion changes; an unrelated edit says nothing', async () => {
    const log = "drivers/foo/foo.c:88:20: warning: format '%d' expects argument of type 'int', but argument 3 has type 'size_t' [-Wformat=]";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -88,1 +88,1 @@\n-\tdev_info(dev, "len %d\\n", len);\n+\tdev_info(dev, "len %zu\\n", len);\n')), [['fixes', 1.5]]);
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -88,1 +88,1 @@\n-\tdev_info(dev, "len %d\\n", len);\n+\tdev_info(dev, "length %d\\n", len);\n')), []);
  });

  it('fallthrough: the pseudo-keyword or a missing break; a comment is not either', async () => {
    const log = 'drivers/foo/foo.c:61:6: warning: this statement may fall through [-Wimplicit-fallthrough=]';
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -61,2 +61,3 @@\n \t\tfoo_reset(f);\n+\t\tfallthrough;\n \tcase FOO_START:\n')), [['fixes', 1.5]]);
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -61,2 +61,3 @@\n \t\tfoo_reset(f);\n+\t\t/* fall through */\n \tcase FOO_START:\n')), []);
  });

  it('frame-size: to the heap fixes; raising the limit hides', async () => {
    const log = 'drivers/foo/foo.c:120:1: warning: the frame size of 2064 bytes is larger than 1024 bytes [-Wframe-larger-than=]';
    assert.deepEqual(
      await judged(log, cDiff('drivers/foo/foo.c', '@@ -100,4 +100,7 @@ static int foo_dump(struct foo *f)\n {\n-\tu8 buf[2048];\n+\tu8 *buf;\n+\n+\tbuf = kzalloc(2048, GFP_KERNEL);\n \tint i;\n')),
      [['fixes', 1.5]],
    );
    assert.deepEqual(await judged(log, cDiff('drivers/foo/Makefile', '@@ -1,2 +1,3 @@\n obj-$(CONFIG_FOO) += foo.o\n+CFLAGS_foo.o += -Wframe-larger-than=2048\n')), [['hides', 2]]);
  });

  it("unused-removed: a dead variable deleted fixes; one that held a call's result is not this rule's", async () => {
    const log = "drivers/foo/foo.c:30:6: warning: unused variable 'count' [-Wunused-variable]";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -28,3 +28,2 @@\n \tstruct foo *f = data;\n-\tint count;\n \n')), [['fixes', 1.5]]);
    const set = "drivers/foo/foo.c:30:6: warning: variable 'ret' set but not used [-Wunused-but-set-variable]";
    assert.deepEqual(await judged(set, cDiff('drivers/foo/foo.c', '@@ -28,4 +28,3 @@\n-\tint ret;\n \n-\tret = foo_hw_init(f);\n+\tfoo_hw_init(f);\n')), []);
  });

  it('unused-removed: a changelog naming the unused object in words; DEFINE_MUTEX() defines it', async () => {
    const prose = (id: string, diff: string): MailSpec => ({
      id,
      subject: '[PATCH] foo: remove the redundant lock',
      from: 'Pat Author <pat@example.org>',
      body: patchBody('The global foo_dev_lock in drivers/foo/foo.c is unused, and this triggers compiler warnings on some configurations.', diff),
    });
    const gone = cDiff('drivers/foo/foo.c', '@@ -20,3 +20,2 @@\n #include <linux/foo.h>\n-static DEFINE_MUTEX(foo_dev_lock);\n \n');
    let f = await facts([prose('<p@x>', gone)]);
    assert.deepEqual(
      warningFixes.apply(ruleInput(f, '<p@x>')).map((x) => [x.lean, x.weight]),
      [['fixes', 1.5]],
    );
    // the lock kept and only renamed: not removed
    const kept = cDiff('drivers/foo/foo.c', '@@ -20,3 +20,3 @@\n #include <linux/foo.h>\n-static DEFINE_MUTEX(foo_dev_lock);\n+static DEFINE_MUTEX(foo_dev_lock) __maybe_unused;\n \n');
    f = await facts([prose('<p@x>', kept)]);
    assert.deepEqual(warningFixes.apply(ruleInput(f, '<p@x>')), []);
  });

  it('missing-prototype: DEFINE_MUTEX() made static is the object made static', async () => {
    const log = "lib/foo.c:150:1: sparse: symbol 'foo_init_mutex' was not declared. Should it be static?";
    assert.deepEqual(await judged(log, cDiff('lib/foo.c', '@@ -150,1 +150,1 @@\n-DEFINE_MUTEX(foo_init_mutex);\n+static DEFINE_MUTEX(foo_init_mutex);\n')), [['fixes', 2]]);
  });

  it('objtool-noreturn: the callee listed as noreturn or declared __noreturn fixes; skipping objtool for the file is not this', async () => {
    const log = 'vmlinux.o: warning: objtool: foo_fail+0x42: foo_panic() is missing a __noreturn annotation';
    assert.deepEqual(await judged(log, cDiff('tools/objtool/noreturns.h', '@@ -20,2 +20,3 @@\n NORETURN(do_exit)\n+NORETURN(foo_panic)\n NORETURN(make_task_dead)\n')), [['fixes', 1.5]]);
    assert.deepEqual(await judged(log, cDiff('include/linux/foo.h', '@@ -8,1 +8,1 @@\n-void foo_panic(const char *why);\n+void __noreturn foo_panic(const char *why);\n')), [['fixes', 1.5]]);
    assert.deepEqual(await judged(log, cDiff('drivers/foo/Makefile', '@@ -1,1 +1,2 @@\n obj-$(CONFIG_FOO) += foo.o\n+OBJECT_FILES_NON_STANDARD_foo.o := y\n')), []);
    // __noreturn on another function, or against a warning that is not about a call that never returns
    assert.deepEqual(await judged(log, cDiff('include/linux/foo.h', '@@ -9,1 +9,1 @@\n-void foo_halt(void);\n+void __noreturn foo_halt(void);\n')), []);
    const noinstr = 'vmlinux.o: warning: objtool: foo_enter+0x2a: call to foo_panic() leaves .noinstr.text section';
    assert.deepEqual(await judged(noinstr, cDiff('include/linux/foo.h', '@@ -8,1 +8,1 @@\n-void foo_panic(const char *why);\n+void __noreturn foo_panic(const char *why);\n')), []);
  });

  it('unused-removed: a PM ops macro names its callbacks, it does not define them', async () => {
    const log = "drivers/foo/foo.c:120:12: warning: 'foo_suspend' defined but not used [-Wunused-function]";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -140,2 +140,1 @@\n-static DEFINE_SIMPLE_DEV_PM_OPS(foo_pm_ops, foo_suspend, foo_resume);\n \n')), []);
  });

  it('string-copy: strscpy fixes; a longer buffer is not this convention', async () => {
    const log = "drivers/foo/foo.c:77:2: warning: 'strncpy' specified bound 16 equals destination size [-Wstringop-truncation]";
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -77,1 +77,1 @@\n-\tstrncpy(f->name, name, sizeof(f->name));\n+\tstrscpy(f->name, name, sizeof(f->name));\n')), [['fixes', 1.5]]);
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -20,1 +20,1 @@\n-\tchar name[16];\n+\tchar name[17];\n')), []);
  });

  it('section-mismatch: the annotations made to agree fix; __ref is not that', async () => {
    const log = 'WARNING: modpost: vmlinux.o: section mismatch in reference: foo_probe (section: .text) -> foo_early_setup (section: .init.text)';
    assert.deepEqual(await judged(log, cDiff('drivers/foo/foo.c', '@@ -50,1 +50,1 @@\n-static int __init foo_early_setup(void)\n+static int foo_early_setup(void)\n')), [['fixes', 1.5]]);
    assert.deepEqual(
      await judged(log, cDiff('drivers/foo/foo.c', '@@ -60,1 +60,1 @@\n-static int foo_probe(struct platform_device *pdev)\n+static int __ref foo_probe(struct platform_device *pdev)\n')),
      [],
    );
  });

  it('decides a blind verdict on its own when the convention is clear', async () => {
    const v = triageMessages(
      await messages([
        report('<r@x>', "drivers/foo/foo.c:40:5: warning: no previous prototype for 'foo_setup' [-Wmissing-prototypes]"),
        patch('<p@x>', '<r@x>', cDiff('drivers/foo/foo.c', '@@ -40,3 +40,3 @@\n-int foo_setup(struct foo *f)\n+static int foo_setup(struct foo *f)\n {\n \treturn 0;\n')),
      ]),
      { blind: true },
    );
    assert.equal(v.patches[0]!.verdict, 'fixes', v.patches[0]!.reason);
  });
});
