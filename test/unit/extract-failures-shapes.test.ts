// src/extract/vocab/failure-shapes.ts, wrap-rules.ts, diagnostic-symbols.ts:
// every table entry's example is found, its near miss is not; the shapes the
// table added (rustc, objtool, coccinelle, section mismatch, make) in detail;
// wrapped and re-quoted diagnostics.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildFailure } from '../../src/core/types.js';
import { findFailures } from '../../src/extract/failures.js';
import { rejoinWrapped } from '../../src/extract/lines.js';
import { DIAGNOSTIC_SYMBOLS, symbolFromMessage } from '../../src/extract/vocab/diagnostic-symbols.js';
import { FAILURE_SHAPES, NOT_A_FAILURE } from '../../src/extract/vocab/failure-shapes.js';
import { WRAP_RULES } from '../../src/extract/vocab/wrap-rules.js';
import { linesOf } from '../helpers/unit.js';

const scan = (text: string[], robot = false) => findFailures({ messageId: '<m@x>', lines: linesOf(text, robot), diffLines: new Set(), robot });
const pick = (f: BuildFailure, ...keys: (keyof BuildFailure)[]) => Object.fromEntries(keys.map((k) => [k, f[k]]));

describe('every failure shape: its example is found, its near miss is not', () => {
  for (const shape of FAILURE_SHAPES) {
    it(shape.name, () => {
      // rustc's plain "error:" needs the location line under it; ld's "in function" is context for the line under it
      const follow = shape.name === 'rustc-plain' ? ['  --> rust/kernel/foo.rs:12:5'] : shape.name === 'gnu-ld-in-function' ? ["foo_main.c:(.text+0x1c): undefined reference to `bar_register'"] : [];
      const found = scan([shape.example, ...follow]);
      if (shape.role === 'failure') {
        assert.ok(found.length >= 1, `${shape.name}: nothing found in ${shape.example}`);
        assert.ok(
          found.some((f) => f.cite.line === 1 && (f.kind === shape.kind || Object.values(shape.bySeverity ?? {}).includes(f.kind))),
          JSON.stringify(found),
        );
      } else {
        assert.equal(found[0]?.inFunction, 'foo_probe');
      }
      if (shape.nearMiss) {
        const near = shape.name === 'rustc-plain' ? scan([shape.nearMiss, 'and this is prose']) : scan([shape.nearMiss]);
        const same = near.filter((f) => (f.tool ?? '') === (shape.tool ?? f.tool) && (f.kind === shape.kind || Object.values(shape.bySeverity ?? {}).includes(f.kind)));
        assert.deepEqual(
          same.map((f) => f.message),
          [],
          `${shape.name}: near miss matched`,
        );
      }
    });
  }

  it('lines that only accompany failures are not failures', () => {
    for (const n of NOT_A_FAILURE) assert.deepEqual(scan([n.example]), [], n.name);
  });
});

describe('the shapes the table added', () => {
  it('rustc: coded error with its "-->" location and the symbol in backticks', () => {
    const fs = scan(['error[E0425]: cannot find function `foo_lookup` in this scope', '  --> rust/kernel/foo.rs:41:9', '   |', '41 |         foo_lookup(x)']);
    assert.equal(fs.length, 1);
    assert.deepEqual(pick(fs[0]!, 'kind', 'tool', 'symbol', 'file', 'line'), { kind: 'compile-error', tool: 'rustc', symbol: 'foo_lookup', file: 'rust/kernel/foo.rs', line: 41 });
  });

  it('rustc: a plain "warning:" is rustc only with the location under it', () => {
    assert.equal(scan(['warning: unused import: `foo_lookup`', ' --> rust/kernel/foo.rs:3:5'])[0]?.kind, 'warning');
    assert.deepEqual(scan(['warning: this is a mail about the plan', 'with no location after it']), []);
  });

  it('objtool: the function and the symbol it calls', () => {
    const f = scan(['vmlinux.o: warning: objtool: foo_enter+0x2a: call to bar_trace() leaves .noinstr.text section'])[0]!;
    assert.deepEqual(pick(f, 'kind', 'tool', 'inFunction', 'symbol', 'file'), { kind: 'warning', tool: 'objtool', inFunction: 'foo_enter', symbol: 'bar_trace', file: 'vmlinux.o' });
  });

  it('modpost section mismatch, old and new format: the referenced symbol', () => {
    const fs = scan([
      'WARNING: modpost: vmlinux: section mismatch in reference: foo_probe+0x1c (section: .text) -> foo_setup (section: .init.text)',
      'WARNING: vmlinux.o(.text+0x1a2b): Section mismatch in reference from the function foo_probe() to the function .init.text:foo_setup()',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.tool, f.inFunction, f.symbol]),
      [
        ['warning', 'modpost', 'foo_probe', 'foo_setup'],
        ['warning', 'modpost', 'foo_probe', 'foo_setup'],
      ],
    );
  });

  it('coccinelle: a column range; make: the missing target', () => {
    assert.deepEqual(pick(scan(['drivers/net/foo/foo_main.c:301:1-3: WARNING: PTR_ERR_OR_ZERO can be used'])[0]!, 'kind', 'tool', 'file', 'line'), {
      kind: 'static-check',
      tool: 'coccinelle',
      file: 'drivers/net/foo/foo_main.c',
      line: 301,
    });
    assert.deepEqual(pick(scan(["make[3]: *** No rule to make target 'drivers/net/foo/foo_hw.o', needed by 'drivers/net/foo/built-in.a'.  Stop."])[0]!, 'kind', 'tool', 'file'), {
      kind: 'compile-error',
      tool: 'make',
      file: 'drivers/net/foo/foo_hw.o',
    });
  });
});

describe('quotes and unquoted symbols', () => {
  it('typographic and HTML-escaped quotes around the symbol', () => {
    const fs = scan([
      'ld: foo.o: in function “foo_probe”:',
      'foo.c:(.text+0x10): undefined reference to “bar_get”',
      'drivers/net/foo.c:12:3: error: implicit declaration of function &#39;baz_put&#39; [-Werror=implicit-function-declaration]',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.symbol, f.inFunction ?? null]),
      [
        ['bar_get', 'foo_probe'],
        ['baz_put', null],
      ],
    );
  });

  it('symbols an archive or a retyped line left unquoted', () => {
    const fs = scan([
      'ld: foo.c:(.text+0x10): undefined reference to bar_get',
      'drivers/net/foo.c:12:3: error: implicit declaration of function baz_put; did you mean baz_get?',
      'drivers/net/foo.c:14:3: error: QUX_MAX undeclared (first use in this function)',
      'ERROR: modpost: quux_sym [drivers/net/foo.ko] undefined!',
    ]);
    assert.deepEqual(
      fs.map((f) => [f.kind, f.symbol]),
      [
        ['undefined-reference', 'bar_get'],
        ['compile-error', 'baz_put'],
        ['compile-error', 'QUX_MAX'],
        ['modpost-undefined', 'quux_sym'],
      ],
    );
  });

  it('a near miss: "undefined reference to" followed by prose is no symbol of two words', () => {
    const fs = scan(['ld: foo.c:(.text+0x10): undefined reference to bar_get and more']);
    assert.equal(fs[0]!.symbol, 'bar_get');
  });
});

describe('wrapped diagnostics are joined back', () => {
  for (const rule of WRAP_RULES) {
    it(rule.name, () => {
      const joined = rejoinWrapped(linesOf(rule.example));
      assert.equal(joined.length, 1, JSON.stringify(joined.map((l) => l.text)));
      assert.equal(joined[0]!.n, 1, 'cited at the first line');
      assert.ok(scan(rule.example).length >= 1, 'the joined line is a failure');
    });
  }

  it('the message after "error:" on the next line, at the same quote depth', () => {
    const f = scan(['> drivers/net/foo.c:120:9: error:', ">      implicit declaration of function 'bar_register'"])[0]!;
    assert.deepEqual(pick(f, 'kind', 'symbol', 'quoteDepth'), { kind: 'compile-error', symbol: 'bar_register', quoteDepth: 1 });
    assert.equal(f.cite.line, 1);
  });

  it('"undefined reference to" with the symbol on the next line; "in function" wrapped too', () => {
    const f = scan(['ld: drivers/net/foo.o: in function', "`foo_probe':", 'foo.c:(.text+0x1c): undefined reference to', "`bar_register'"])[0]!;
    assert.deepEqual(pick(f, 'symbol', 'inFunction'), { symbol: 'bar_register', inFunction: 'foo_probe' });
    assert.equal(f.cite.line, 3);
  });

  it('near misses: prose, another quote depth, a new diagnostic, gcc source excerpts stay apart', () => {
    assert.equal(rejoinWrapped(linesOf(['This is an error:', 'the driver is wrong.'])).length, 2);
    assert.equal(rejoinWrapped(linesOf(['drivers/net/foo.c:120:9: error:', "> implicit declaration of function 'bar_register'"])).length, 2);
    assert.equal(rejoinWrapped(linesOf(["drivers/net/foo.c:120:9: error: 'x' undeclared", 'drivers/net/foo.c:121:9: error: conflicting types for'])).length, 2);
    assert.equal(rejoinWrapped(linesOf(['drivers/net/foo.c:120:9: error: implicit declaration of function', '  120 |  bar_register(dev);'])).length, 2);
    assert.equal(rejoinWrapped(linesOf(['I changed drivers/net/foo/', 'and nothing else.'])).length, 2);
  });
});

describe('diagnostic messages name their symbol', () => {
  for (const d of DIAGNOSTIC_SYMBOLS) {
    it(d.name, () => assert.equal(symbolFromMessage(d.example[0]), d.example[1]));
  }
  it('a message that names none', () => assert.equal(symbolFromMessage('expected identifier before numeric constant'), undefined));
});

describe('long lines stay linear', () => {
  it('a 1 MB line of near-miss fragments is scanned quickly', () => {
    const t0 = Date.now();
    const frag = 'foo.c:12: error: ld: x.o: in function `f: undefined reference to WARNING: modpost: section mismatch in reference: objtool: error[E0425] make: *** No rule ';
    scan([frag.repeat(Math.ceil(1_000_000 / frag.length)).slice(0, 1_000_000)]);
    scan(['/'.repeat(1_000_000)]);
    scan(['a'.repeat(1_000_000)]);
    assert.ok(Date.now() - t0 < 4000, `${Date.now() - t0} ms`);
  });
});
