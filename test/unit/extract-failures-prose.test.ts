// src/extract/prose-failures.ts and vocab/failure-phrases.ts: failures stated
// in words, with the kind, symbol and configuration the sentence gives; and
// the sentences that look alike but report nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildFailure } from '../../src/core/types.js';
import { findProseFailures, sentencesWithLines, symbolOfSentence } from '../../src/extract/prose-failures.js';
import { ownText } from '../../src/extract/lines.js';
import { FAILURE_PHRASES, INTENDED_CODE, LATER_PATCH, NOT_A_REPORT_AFTER, NOT_A_REPORT_BEFORE, SYMBOL_CUES } from '../../src/extract/vocab/failure-phrases.js';
import { linesOf } from '../helpers/unit.js';

const prose = (text: string | string[], subject = '') => findProseFailures('<m@x>', ownText(linesOf(text)), new Set(), subject);
const one = (text: string | string[]): BuildFailure => {
  const fs = prose(text);
  assert.equal(fs.length, 1, JSON.stringify(fs.map((f) => f.message)));
  return fs[0]!;
};
const cfg = (f: BuildFailure) => f.configs.map((c) => `${c.name}=${c.value}`).sort();

describe('every phrase: its example states a failure, its near miss does not', () => {
  for (const p of FAILURE_PHRASES) {
    it(p.name, () => {
      assert.equal(prose(p.example).length, 1, `example: ${p.example}`);
      assert.deepEqual(
        prose(p.nearMiss).map((f) => f.message),
        [],
        `near miss: ${p.nearMiss}`,
      );
    });
  }
});

describe('the changelog forms, with kind, symbol and configuration', () => {
  it('"X breaks the build without CONFIG_Y": Y=n', () => {
    const f = one('Commit 0123456789ab breaks the build without CONFIG_FOO_BUS.');
    assert.equal(f.kind, 'build-prose');
    assert.deepEqual(cfg(f), ['FOO_BUS=n']);
  });

  it('"fails to link when CONFIG_Y is a module" is a link failure with Y=m; "=n" and "not set" are n', () => {
    assert.deepEqual(cfg(one('The driver fails to link when CONFIG_FOO_BUS is a module.')), ['FOO_BUS=m']);
    assert.deepEqual(cfg(one('The driver fails to build with CONFIG_FOO_BUS=n.')), ['FOO_BUS=n']);
    assert.deepEqual(cfg(one('It fails to compile when FOO_BUS is not set.')), ['FOO_BUS=n']);
    assert.deepEqual(cfg(one('If CONFIG_FOO_BUS is n, the build fails:')), ['FOO_BUS=n']);
  });

  it('"bar() is only defined when CONFIG_FOO is set" names the undefined symbol and the failing FOO=n', () => {
    const f = one(['The bar_attach() helper is only defined when CONFIG_FOO_BUS is', 'set, so the driver cannot use it unconditionally.']);
    assert.equal(f.kind, 'undefined-reference');
    assert.equal(f.symbol, 'bar_attach');
    assert.deepEqual(cfg(f), ['FOO_BUS=n']);
  });

  it('"only declared when" is a compile error; "compiled only when" counts too', () => {
    const d = one('bar_attach() is only declared if CONFIG_FOO_BUS is enabled.');
    assert.deepEqual([d.kind, d.symbol, cfg(d)], ['compile-error', 'bar_attach', ['FOO_BUS=n']]);
    const c = one('Both bar_attach() and bar_detach() live in bar-core.c, but that file is compiled only when CONFIG_FOO_BUS is enabled.');
    assert.deepEqual([c.kind, c.symbol, cfg(c)], ['undefined-reference', 'bar_detach', ['FOO_BUS=n']]);
  });

  it('among several calls, the one nearest before the failure phrase is the symbol', () => {
    const f = one('Without CONFIG_FOO_BUS, bar_get() and bar_put() have stubs but bar_kick() does not, so the driver fails to link.');
    assert.deepEqual([f.kind, f.symbol], ['undefined-reference', 'bar_kick']);
  });

  it('"causes an undefined reference to X", "results in a link error" with "CONFIG_A=y and CONFIG_B=m"', () => {
    const u = one('Calling it from built-in code causes an undefined reference to bar_attach.');
    assert.deepEqual([u.kind, u.symbol], ['undefined-reference', 'bar_attach']);
    const l = one('CONFIG_FOO_CORE=y and CONFIG_FOO_BUS=m results in a link error.');
    assert.equal(l.kind, 'build-prose');
    assert.deepEqual(cfg(l), ['FOO_BUS=m', 'FOO_CORE=y']);
    assert.deepEqual(cfg(one('With FOO_CORE=y and FOO_BUS=m the vmlinux link fails.')), ['FOO_BUS=m', 'FOO_CORE=y']);
  });

  it('"modpost: X undefined" with its module is a modpost failure', () => {
    const f = one('Since then modpost complains that foo_bar_get is undefined in drivers/foo/bar.ko when CONFIG_FOO=m.');
    assert.deepEqual([f.kind, f.symbol, f.module], ['modpost-undefined', 'foo_bar_get', 'drivers/foo/bar.ko']);
  });

  it('"gcc-13 warns", "clang reports", "when building with W=1": warnings with their flag', () => {
    const g = one('gcc-13 warns about the unused foo_ids table [-Wunused-const-variable].');
    assert.deepEqual([g.kind, g.flag], ['warning', '-Wunused-const-variable']);
    const c = one('clang reports a -Wformat-security warning for this call.');
    assert.deepEqual([c.kind, c.flag], ['warning', '-Wformat-security']);
    assert.equal(one('When building with W=1, gcc warns about a missing prototype.').kind, 'warning');
    assert.equal(one('clang-17 reports:').kind, 'warning');
    assert.deepEqual(prose('The clang report is attached.'), []);
  });

  it('"implicit declaration of function X" in words is a compile error on X', () => {
    const f = one('Without the include there is an implicit declaration of function bar_attach on arm.');
    assert.deepEqual([f.kind, f.symbol], ['compile-error', 'bar_attach']);
  });

  it('a Kconfig warning stated in words', () => {
    const f = one('Selecting it unconditionally gives an unmet direct dependency warning for FOO_PHY.');
    assert.deepEqual([f.kind, f.symbol, f.tool], ['kconfig-unmet', 'FOO_PHY', 'kconfig']);
  });

  it('a symbol in a build statement without a link or compile cue stays build-prose, symbol kept', () => {
    const f = one('The driver still calls bar_attach() so it still breaks the arm build.');
    assert.deepEqual([f.kind, f.symbol], ['build-prose', 'bar_attach']);
  });

  it('a quoted name in a link-failure sentence is only a mention: no link failure on it', () => {
    const f = one("Forcing `foo_has_fpu' to 1 also causes a link error:");
    assert.deepEqual([f.kind, f.symbol], ['build-prose', 'foo_has_fpu']);
  });
});

describe('what is not a report', () => {
  it('questions', () => {
    const asked = ['Would this break the build without CONFIG_FOO?', 'Does it fail to link without CONFIG_FOO', 'Did you see the link failure on arm?'];
    for (const q of asked) assert.deepEqual(prose(q), [], q);
    // the same words stated
    for (const s of ['This will break the build without CONFIG_FOO.', 'It fails to link without CONFIG_FOO.', 'I saw the link failure on arm.']) assert.equal(prose(s).length, 1, s);
  });

  it('the words right before or after the phrase', () => {
    for (const n of [...NOT_A_REPORT_BEFORE, ...NOT_A_REPORT_AFTER]) {
      assert.deepEqual(prose(n.example[0]), [], `${n.name}: ${n.example[0]}`);
      assert.equal(prose(n.example[1]).length, 1, `${n.name}: ${n.example[1]}`);
    }
    assert.deepEqual(prose(['I see no build errors with this applied.', 'The build no longer fails on arm.', 'Tested: it compiles without warnings and does not break the build.']), []);
  });

  it('a warning the sentence calls intended code is no report; the same warning without that word is', () => {
    assert.deepEqual(prose(INTENDED_CODE.example[0]), []);
    assert.equal(prose(INTENDED_CODE.example[1]).length, 1);
    // only warnings: an error stays an error whatever the sentence says of the code
    assert.equal(prose('The deliberately unexported helper now fails to link from the module.').length, 1);
  });

  it('a failure a later patch of the series would cause is headed off, not reported', () => {
    assert.deepEqual(prose(LATER_PATCH.example[0]), []);
    assert.equal(prose(LATER_PATCH.example[1]).length, 1);
    assert.deepEqual(prose('Without this patch, the next patch would break the build on arm.'), []);
    assert.equal(prose('A later commit broke the build on arm.').length, 1, 'a past change is history, still a report');
    assert.equal(prose('With the next patch applied, the build fails on arm.').length, 1, "a tester's report about the next patch");
  });

  it('a hypothetical is a report when it says what happens without the patch', () => {
    assert.deepEqual(prose('This could break the build on arm.'), []);
    assert.equal(prose('Otherwise the build would fail on arm with CONFIG_FOO=n.').length, 1);
  });

  it('a commit title cited in the text is history', () => {
    assert.deepEqual(prose('This reverts commit 0123456789ab ("foo: fix build failure without CONFIG_BAR").'), []);
  });

  it("the toolchain's own lines are not the sender's prose", () => {
    assert.deepEqual(prose(["drivers/foo.c:12:3: error: implicit declaration of function 'bar'", "foo.c:(.text+0x1c): undefined reference to `bar'"]), []);
  });
});

describe('sentences and citations', () => {
  it('a sentence wrapped over lines is read whole and cited at the line of the phrase', () => {
    const f = one(['Hi,', '', 'since the rework the foo driver', 'breaks the build when CONFIG_FOO_BUS', 'is disabled.']);
    assert.equal(f.cite.line, 4);
    assert.deepEqual(cfg(f), ['FOO_BUS=n']);
  });

  it('a line ending in ":" closes its sentence (a log follows), unless a "(" is still open', () => {
    const s = sentencesWithLines(linesOf(['The build fails:', 'plain words after', 'See commit 0123456789ab ("foo:', 'bar baz") for the cause.']), new Set());
    assert.deepEqual(
      s.map((x) => [x.line, x.text.replace(/\n/g, ' ')]),
      [
        [1, 'The build fails:'],
        [2, 'plain words after See commit 0123456789ab ("foo: bar baz") for the cause.'],
      ],
    );
  });

  it('the subject is line 0 and a sentence of its own', () => {
    const fs = prose(['Nothing here.'], 'foo: fix the build without CONFIG_BAR_BUS');
    assert.deepEqual(
      fs.map((f) => [f.cite.line, cfg(f)]),
      [[0, ['BAR_BUS=n']]],
    );
  });

  it('symbol cues: each example names its symbol; English words are not symbols', () => {
    for (const c of SYMBOL_CUES) assert.equal(symbolOfSentence(c.example[0])?.symbol, c.example[1], c.name);
    assert.equal(symbolOfSentence('It causes a reference to the old table.'), undefined);
    assert.equal(symbolOfSentence('The result is undefined.'), undefined);
    assert.equal(symbolOfSentence('Use IS_REACHABLE() here.'), undefined);
    assert.equal(symbolOfSentence("It fixes an undefined reference to 'foo_*' helpers."), undefined);
  });

  it('a long line without punctuation is read quickly', () => {
    const t0 = Date.now();
    prose(['breaks the build '.repeat(60_000)]);
    prose(['only defined when '.repeat(50_000)]);
    // many lines in one paragraph, each ending in ':' inside an open '('
    prose(Array.from({ length: 50_000 }, () => '(the build fails:'));
    assert.ok(Date.now() - t0 < 3000, `${Date.now() - t0} ms`);
  });
});
