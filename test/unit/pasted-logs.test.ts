// A log pasted under a sentence that introduces it is a failure, whatever tool
// printed it; code pasted the same way is not, nor is a log nobody introduced.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPastedLogFailures, LOG_MARKERS } from '../../src/extract/pasted-logs.js';
import { extractMessage } from '../../src/extract/message.js';
import { linesOf, makeMessage } from '../helpers/unit.js';

const scan = (text: string[]) => findPastedLogFailures('<m@x>', linesOf(text), new Set());

describe('pasted logs', () => {
  for (const m of LOG_MARKERS) {
    it(`${m.name}: "${m.example}" is a ${m.kind}`, () => {
      const got = scan(['Building with an old toolchain fails:', '', `    ${m.example}`]);
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.equal(got[0]!.kind, m.kind);
      assert.equal(got[0]!.cite.line, 3);
    });
  }

  it('the first error line of a block wins over its warnings, one failure per block', () => {
    const got = scan(['The build now fails:', '', '\tfoo.c: warning: something odd', '\tawk: cmd. line:52: fatal: cannot open file `x` for reading', '\tmv: cannot stat x: No such file or directory']);
    assert.deepEqual(
      got.map((f) => [f.kind, f.cite.line, f.tool]),
      [['compile-error', 4, 'awk']],
    );
  });

  it('a quoted release note\'s bulleted "* WARNING:" is no warning; a tool\'s own "WARNING:" line is', () => {
    const note = ['The tool changed its behaviour in its 4.3 release:', '', '    * WARNING: Backward-incompatibility!', '      Number signs no longer introduce comments.'];
    assert.deepEqual(scan(note), []);
    const got = scan(['The build warns:', '', '    WARNING: modpost: vmlinux: section mismatch in reference: foo (section: .text) -> bar (section: .init.text)']);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.kind, 'warning');
  });

  it("a file the tool names becomes the failure's file", () => {
    const got = scan(['With make 4.2 I get:', "    scripts/Makefile.compiler:81: *** unterminated call to function 'call': missing ')'.  Stop."]);
    assert.equal(got[0]!.file, 'scripts/Makefile.compiler');
  });

  it('code pasted under a sentence is not a log, nor is a block nobody introduced', () => {
    assert.deepEqual(scan(['The helper now reads:', '', '\tif (error)', '\t\tpr_err("error: %d\\n", ret);', '\treturn ret;']), []);
    assert.deepEqual(scan(['Some context.', '', '    error: this line is indented but not introduced']), []);
  });

  it('in a message, a block a known shape already read is not counted twice', () => {
    const x = extractMessage(makeMessage({ body: "It fails to link:\n\n    foo.c:(.text+0x10): undefined reference to `bar'\n    make[1]: *** [Makefile:1234: vmlinux] Error 1\n" }));
    assert.ok(!x.failures.some((f) => /Error 1/.test(f.message)), JSON.stringify(x.failures.map((f) => f.message)));
    const y = extractMessage(
      makeMessage({
        body: 'Old rustc versions break the build:\n\n    ./scripts/rustc-llvm-version.sh: 13: arithmetic expression: expecting primary\n    make[3]: *** [scripts/kconfig/Makefile:85: syncconfig] Error 1\n',
      }),
    );
    assert.ok(
      y.failures.some((f) => f.kind === 'compile-error' && /Error 1/.test(f.message)),
      JSON.stringify(y.failures.map((f) => f.message)),
    );
  });
});
