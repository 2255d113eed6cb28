// src/extract/diff.ts: a binary change and a merge's combined diff are files
// of the patch like any other, and the diff around them is read whole.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { makeMessage, raw } from '../helpers/unit.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'mail', 'extract');
const extract = async (name: string) => extractMessage(await parseMail(raw(readFileSync(join(fixtures, name)), name)));

describe('binary changes', () => {
  it('a binary-only patch (GIT binary patch, an index line, no mode line) is a patch of one binary file (binary-only-firmware-update.eml)', async () => {
    const x = await extract('binary-only-firmware-update.eml');
    assert.equal(x.patches.length, 1);
    const [p] = x.patches;
    assert.equal(p!.source, 'inline');
    assert.equal(p!.description, 'Version 4.2.17 fixes the link flap seen with 2.5G partners.\n\nSigned-off-by: Marek Dubois <marek@brisa.example>');
    assert.deepEqual(p!.files, [{ oldPath: 'brisa/br200.bin', newPath: 'brisa/br200.bin', status: 'modified', hunks: [], binary: true }]);
    assert.deepEqual(p!.damage, []);
  });

  it('a binary file before a text file keeps both, the text file with its hunk (binary-then-text-patch.eml)', async () => {
    const [p, ...rest] = (await extract('binary-then-text-patch.eml')).patches;
    assert.equal(rest.length, 0);
    assert.deepEqual(
      p!.files.map((f) => [f.newPath, f.binary ?? false, f.hunks.length]),
      [
        ['drivers/net/brisa/testdata/br200.bin', true, 0],
        ['drivers/net/brisa/brisa_fw.c', false, 1],
      ],
    );
    assert.deepEqual(
      p!.files[1]!.hunks[0]!.lines.filter((l) => l.kind === 'add').map((l) => l.text),
      ['\treturn fw->size == 1040 ? 0 : -EINVAL;'],
    );
  });

  it('"Binary files a/x and b/x differ" (git diff without --binary) is a binary file too', () => {
    const body = [
      'Refresh the logo.',
      '',
      '---',
      'diff --git a/drivers/video/logo/logo_brisa.ppm b/drivers/video/logo/logo_brisa.ppm',
      'index 0a1b2c3..4d5e6f7 100644',
      'Binary files a/drivers/video/logo/logo_brisa.ppm and b/drivers/video/logo/logo_brisa.ppm differ',
      '-- ',
      '2.43.0',
      '',
    ].join('\n');
    const [p] = extractMessage(makeMessage({ body })).patches;
    assert.deepEqual(
      p?.files.map((f) => [f.newPath, f.binary]),
      [['drivers/video/logo/logo_brisa.ppm', true]],
    );
  });
});

describe('combined diffs', () => {
  it("a linux-next merge resolution's diff --cc with @@@ hunks is kept, read against the first parent (combined-diff-merge-resolution.eml)", async () => {
    const x = await extract('combined-diff-merge-resolution.eml');
    assert.equal(x.patches.length, 1);
    const [f] = x.patches[0]!.files;
    assert.equal(f!.newPath, 'drivers/net/brisa/brisa_main.c');
    assert.equal(f!.parents, 2);
    const [h] = f!.hunks;
    assert.deepEqual(
      [h!.header, h!.oldStart, h!.oldLines, h!.newStart, h!.newLines, h!.section, h!.truncated],
      ['@@@ -210,5 -210,5 +210,7 @@@', 210, 5, 210, 7, 'static int brisa_probe(struct platform_', false],
    );
    assert.deepEqual(
      h!.lines.map((l) => `${l.kind} ${l.text}`),
      ['ctx \tint ret;', 'ctx ', 'del \tret = brisa_reset(bd);', 'add \tret = brisa_hw_reset(bd, BRISA_RESET_COLD);', 'add \tif (ret)', 'add \t\treturn ret;', 'ctx \treturn 0;', 'ctx }'],
    );
    assert.deepEqual(x.patches[0]!.damage, []);
  });

  it('a combined diff between two ordinary ones leaves both of them whole', () => {
    const body = [
      'diff --git a/drivers/net/brisa/Makefile b/drivers/net/brisa/Makefile',
      'index 1111111..2222222 100644',
      '--- a/drivers/net/brisa/Makefile',
      '+++ b/drivers/net/brisa/Makefile',
      '@@ -1,2 +1,2 @@',
      '-obj-$(CONFIG_BRISA) += brisa.o',
      '+obj-$(CONFIG_BRISA_NET) += brisa.o',
      ' brisa-y := brisa_main.o',
      'diff --cc drivers/net/brisa/brisa_main.c',
      'index 3333333,4444444..5555555',
      '--- a/drivers/net/brisa/brisa_main.c',
      '+++ b/drivers/net/brisa/brisa_main.c',
      '@@@ -10,2 -10,2 +10,2 @@@',
      '- \tret = brisa_reset(bd);',
      ' -\tret = brisa_hw_reset(bd, 0);',
      '++\tret = brisa_hw_reset(bd, BRISA_RESET_COLD);',
      '  \treturn 0;',
      'diff --git a/drivers/net/brisa/brisa.h b/drivers/net/brisa/brisa.h',
      'index 6666666..7777777 100644',
      '--- a/drivers/net/brisa/brisa.h',
      '+++ b/drivers/net/brisa/brisa.h',
      '@@ -3 +3,2 @@',
      ' int brisa_hw_reset(struct brisa_dev *bd, int how);',
      '+#define BRISA_RESET_COLD 1',
      '',
    ].join('\n');
    const [p, ...rest] = extractMessage(makeMessage({ body })).patches;
    assert.equal(rest.length, 0);
    assert.deepEqual(
      p!.files.map((f) => [f.newPath, f.hunks.map((h) => h.lines.map((l) => l.kind[0]).join(''))]),
      [
        ['drivers/net/brisa/Makefile', ['dac']],
        ['drivers/net/brisa/brisa_main.c', ['dac']],
        ['drivers/net/brisa/brisa.h', ['ca']],
      ],
    );
  });
});
