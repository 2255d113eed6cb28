// Mail built to hurt: symbols that are RegExp syntax, logs of 100,000 lines,
// 64 KB lines of one repeated token. Each must get a result, in time
// proportional to its size (bounds are ~5x what the fixed code takes, far
// under what the quadratic or exponential code took).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import { LIMITS } from '../../src/core/limits.js';
import type { Message } from '../../src/core/types.js';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { raw } from '../helpers/unit.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'mail', 'extract');

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

async function mail(headers: Record<string, string>, body: string): Promise<Message> {
  const head = Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', Date: 'Tue, 5 Mar 2024 09:12:44 +0100', ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return parseMail(raw(`${head}\n\n${body}`));
}

describe('symbols that are RegExp syntax are matched as text', () => {
  it("lld's 'foo[', '(a+)+$' and modpost's \"foo(\" go through the whole pipeline (regexp-metachar-symbols.mbox)", async () => {
    const msgs = await loadMessages(join(fixtures, 'regexp-metachar-symbols.mbox'));
    const { value: v, ms } = timed(() => triageMessages(msgs));
    const symbols = v.failures.map((f) => f.symbol);
    for (const s of ['brisa_fw_ops[', '(a+)+$', 'brisa_reset(']) assert.ok(symbols.includes(s), `${s} in ${symbols.join(', ')}`);
    assert.equal(v.patches.length, 1);
    assert.ok(ms < 2000, `${Math.round(ms)} ms`);
  });
});

describe('a log of many thousand failure lines is read in time proportional to its size', () => {
  const report = (body: string, from = 'Tove Lindqvist <tove@kestrel-ci.example>') =>
    mail({ From: from, Subject: '[PATCH] net: brisa: use the new reset helper', 'Message-ID': '<big-log@kestrel-ci.example>' }, body);

  it('100,000 undefined-reference lines: no stack overflow, the first maxFailuresPerMessage kept', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `brisa_main.c:(.text+0x${i.toString(16)}): undefined reference to \`brisa_sym_${i}'`);
    const msg = await report(`The build fails:\n\n${lines.join('\n')}\n`);
    const { value: v, ms } = timed(() => triageMessages([msg]));
    assert.equal(v.failures.length, LIMITS.maxFailuresPerMessage);
    assert.equal(v.failures[0]!.symbol, 'brisa_sym_0');
    assert.ok(ms < 20_000, `${Math.round(ms)} ms`);
  });

  it('100,000 distinct compiler errors: each failure does not search all lines again', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `drivers/net/brisa/brisa_main.c:${i + 1}:9: error: 'brisa_reg_${i}' undeclared (first use in this function)`);
    const msg = await report(`Building with W=1 gives:\n\n${lines.join('\n')}\n`);
    const { value: x, ms } = timed(() => extractMessage(msg));
    assert.equal(x.failures.length, LIMITS.maxFailuresPerMessage);
    assert.ok(ms < 15_000, `${Math.round(ms)} ms`);
  });

  it("200,000 robot '>>' error lines", async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `>> drivers/net/brisa/brisa_main.c:${i + 1}:2: error: implicit declaration of function 'brisa_op_${i}'`);
    const msg = await report(`All errors (new ones prefixed by >>):\n\n${lines.join('\n')}\n`, 'kernel test robot <lkp@intel.com>');
    const { value: x, ms } = timed(() => extractMessage(msg));
    assert.equal(x.failures.length, LIMITS.maxFailuresPerMessage);
    assert.ok(x.failures.every((f) => f.fromRobot));
    assert.ok(ms < 20_000, `${Math.round(ms)} ms`);
  });
});

describe('a 64 KB line of one repeated token costs time linear in its length', () => {
  // a report naming the failures the rules look at (an undefined reference, an
  // uninitialised variable, a missing prototype, a set-but-unused variable),
  // and a patch whose removed, added and context lines are the long line
  const report = (long: string) =>
    mail(
      { From: 'Tove Lindqvist <tove@kestrel-ci.example>', Subject: 'drivers/net/brisa: build failure with CONFIG_BRISA_NET=m', 'Message-ID': '<long-report@kestrel-ci.example>' },
      [
        'Building next-20240305 with W=1 fails:',
        '',
        "drivers/net/brisa/brisa_main.c:10: undefined reference to `brisa_get'",
        "drivers/net/brisa/brisa_main.c:12:5: warning: 'data' is used uninitialized [-Wuninitialized]",
        "drivers/net/brisa/brisa_main.c:40:5: warning: no previous prototype for 'brisa_setup' [-Wmissing-prototypes]",
        "drivers/net/brisa/brisa_main.c:52:6: warning: variable 'ret' set but not used [-Wunused-but-set-variable]",
        long,
        '',
      ].join('\n'),
    );
  const patch = (long: string) =>
    mail(
      {
        From: 'Marek Dubois <marek@brisa.example>',
        Subject: 'Re: drivers/net/brisa: build failure with CONFIG_BRISA_NET=m',
        'Message-ID': '<long-patch@brisa.example>',
        'In-Reply-To': '<long-report@kestrel-ci.example>',
      },
      [
        'Does this help?',
        '',
        long,
        '',
        '---',
        'diff --git a/drivers/net/brisa/brisa_main.c b/drivers/net/brisa/brisa_main.c',
        '--- a/drivers/net/brisa/brisa_main.c',
        '+++ b/drivers/net/brisa/brisa_main.c',
        '@@ -1,6 +1,7 @@',
        ' #include "brisa.h"',
        `-${long}`,
        '-\tu64 data;',
        `+${long}`,
        '+\tu64 data = 0;',
        '+int brisa_setup(void);',
        ` ${long}`,
        ' ',
        '-- ',
        '2.43.0',
        '',
      ].join('\n'),
    );
  // '*': an expression for a function's start split runs of stars every way (30 stars: 28 s);
  // 'x ' / 'extern ' / 'brisa_setup(': declaration and prototype expressions tried every split of the line
  for (const token of ['*', 'x ', 'extern ', 'int data, ', 'brisa_setup(', 'static int a ', 'CONFIG_BRISA ', 'a(', '> ', "'", 'undefined ']) {
    it(`a line of ${JSON.stringify(token)} repeated to ${LIMITS.maxLineChars} characters`, async () => {
      const long = token.repeat(Math.ceil(LIMITS.maxLineChars / token.length)).slice(0, LIMITS.maxLineChars);
      const msgs = [await report(long), await patch(long)];
      const { value: v, ms } = timed(() => triageMessages(msgs));
      assert.ok(v.failures.length >= 1);
      assert.ok(ms < 3000, `${Math.round(ms)} ms`);
    });
  }
});
