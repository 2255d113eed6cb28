import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageIdOfLink, reportMessageIds, reportRefs, MAX_REPORT_LINKS } from '../../src/extract/report-refs.js';
import { REPORTED_PROBLEM_WORDS, namedProblem } from '../../src/extract/vocab/reported-problems.js';
import type { Trailer } from '../../src/core/types.js';

const t = (key: string, value: string, line: number, quoteDepth = 0): Trailer => ({ key, value, cite: { messageId: '<p@x>', line }, quoteDepth });

test('every reported-problem entry matches its example and not its near miss, and its own example names itself first', () => {
  for (const w of REPORTED_PROBLEM_WORDS) {
    assert.ok(w.pattern.test(w.example), `${w.name}: example`);
    if (w.nearMiss) assert.equal(namedProblem(w.nearMiss)?.name, undefined, `${w.name}: near miss "${w.nearMiss}" matched ${namedProblem(w.nearMiss)?.name}`);
    assert.equal(namedProblem(w.example)?.kind, w.kind, `${w.name}: kind`);
  }
});

test('a lore link in any form names its Message-ID; other links name none', () => {
  assert.equal(messageIdOfLink('https://lore.kernel.org/oe-kbuild-all/202401010000.abcd-lkp@intel.com/'), '202401010000.abcd-lkp@intel.com');
  assert.equal(messageIdOfLink('https://lore.kernel.org/r/20240101.1234-1-a@b.org'), '20240101.1234-1-a@b.org');
  assert.equal(messageIdOfLink('https://lore.kernel.org/all/abc%40example.com/T/#u'), 'abc@example.com');
  assert.equal(messageIdOfLink('<id.1@host.example>'), 'id.1@host.example');
  assert.equal(messageIdOfLink('https://bugzilla.kernel.org/show_bug.cgi?id=1234'), undefined);
  assert.equal(messageIdOfLink('https://syzkaller.appspot.com/bug?extid=0123abcd'), undefined);
});

test('Reported-by followed by Closes is a report with its link; a plain Link is the patch own', () => {
  const r = reportRefs([
    t('Reported-by', 'kernel test robot <lkp@intel.com>', 10),
    t('Closes', 'https://lore.kernel.org/oe-kbuild-all/202401010000.abcd-lkp@intel.com/', 11),
    t('Signed-off-by', 'A Dev <a@dev.example>', 12),
    t('Link', 'https://lore.kernel.org/r/20240102-patch-v2-1-a@dev.example', 13),
  ]);
  assert.deepEqual(
    r.refs.map((x) => [x.trailer, x.robot, x.messageId]),
    [
      ['Reported-by', true, undefined],
      ['Closes', true, '202401010000.abcd-lkp@intel.com'],
    ],
  );
});

test('a Link right after Reported-by or to a robot list is the report; a quoted Reported-by is not this mail own', () => {
  const r = reportRefs([
    t('Reported-by', 'Some Tester <t@example.org>', 5),
    t('Link', 'https://lore.kernel.org/lkml/Zabc@tester.example/', 6),
    t('Link', 'https://lore.kernel.org/oe-kbuild-all/2024-lkp@intel.com/', 9),
  ]);
  assert.deepEqual(
    r.refs.map((x) => [x.trailer, x.robot, x.messageId]),
    [
      ['Reported-by', false, undefined],
      ['Link', false, 'Zabc@tester.example'],
      ['Link', true, '2024-lkp@intel.com'],
    ],
  );
  assert.deepEqual(reportRefs([t('Reported-by', 'kernel test robot <lkp@intel.com>', 3, 1)]).refs, []);
});

test('a thousand Link lines after a credit: a few followed, the rest counted', () => {
  const many = [t('Reported-by', 'x <x@y.z>', 1), ...Array.from({ length: 1000 }, (_, i) => t('Closes', `https://lore.kernel.org/r/${i}@h.example/`, i + 2))];
  const r = reportRefs(many);
  assert.equal(r.refs.filter((x) => x.link).length, MAX_REPORT_LINKS);
  assert.equal(r.dropped, 1000 - MAX_REPORT_LINKS);
  assert.equal(reportMessageIds(many).length, MAX_REPORT_LINKS);
});

test('a subject names its problem after the subsystem prefixes, not in them', async () => {
  const { subjectWords } = await import('../../src/extract/vocab/reported-problems.js');
  assert.equal(subjectWords('mm/kasan: fix build error on !SMP'), 'fix build error on !SMP');
  assert.equal(subjectWords('drm/i915/gt: sparse: fix cast'), 'fix cast');
  assert.equal(namedProblem(subjectWords('kasan: improve vmalloc tests')), undefined);
  assert.equal(namedProblem(subjectWords('mm/percpu: fix build error on !SMP'))?.name, 'build-error');
});

test("a revert's quoted title names no problem of its own", async () => {
  const { subjectWords } = await import('../../src/extract/vocab/reported-problems.js');
  assert.equal(subjectWords('Revert "mm: fix build error on !SMP"'), '');
});
