// Each failure belongs to the posting it was reported against: a robot's reply
// under patch N/M says N/M breaks the build (it answers nothing), a sibling of the
// series that happens to touch the same names was not what was tested, a later
// revision is judged against what its predecessor broke, and a linux-next report
// ("build failure after merging the X tree") is answered by the fix posted to it.
// fixes/hides/partial never exist without a failure the patch answers.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import { JUDGED_KINDS, type PatchVerdict, type Verdict } from '../../src/core/types.js';
import { toJson } from '../../src/report/render.js';
import { messages, patchBody } from '../helpers/mail.js';
import { renderEmail } from '../../src/report/email.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'series');
const triage = async (name: string): Promise<Verdict> => triageMessages(await loadMessages(join(DIR, name)));
const bySubject = (v: Verdict, part: string): PatchVerdict => {
  const p = v.patches.find((x) => x.subject.includes(part));
  assert.ok(p, `no patch "${part}" in ${v.patches.map((x) => x.subject).join(' | ')}`);
  return p;
};

describe('a robot report under patch N/M of a feature series', () => {
  it('says N/M breaks the build, with the configuration; the series answers nothing', async () => {
    const v = await triage('robot-breaks-member.mbox');
    const two = bySubject(v, '2/3');
    assert.equal(two.verdict, 'breaks');
    assert.deepEqual(two.answers, []);
    const errors = two.introduces.map((k) => v.failures[k]!).filter((f) => f.kind === 'compile-error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /has no member named 'frob_pages'/);
    assert.match(two.reason, /kernel test robot reports that this patch introduces/);
    // the headline is no patch answering the report, and the summary names who breaks what
    assert.equal(v.verdict, 'no-patch');
    assert.match(v.summary, /Breaks: "\[PATCH 2\/3\] mm\/frob: count frobbed pages per node" <20231206090000\.1234-3-pat@example\.org> introduces/);
    assert.match(v.summary, /arm-randconfig-001-20231207/);
    assert.match(v.summary, /nothing in the thread answers it yet/);
    assert.match(v.summary, /3 patches, none answers a reported problem/);
  });

  it('a sibling whose diff uses the same member is not judged against it', async () => {
    const v = await triage('robot-breaks-member.mbox');
    const three = bySubject(v, '3/3');
    assert.equal(three.verdict, 'no-failure');
    assert.deepEqual(three.answers, []);
    assert.equal(bySubject(v, '1/3').verdict, 'no-failure');
  });

  it("the author's explanation under the report is the same breakage, not a failure 2/3 answers", async () => {
    const v = await triage('robot-breaks-member.mbox');
    const two = bySubject(v, '2/3');
    const fromAuthor = v.failures.findIndex((f) => f.cite.messageId === '<ZXF1a2b3c4d5e6f7@example.org>');
    if (fromAuthor >= 0) assert.ok(two.introduces.includes(fromAuthor));
    assert.ok(!v.patches.some((p) => p.answers.length), 'no patch answers anything here');
  });
});

describe('a new revision after a robot report', () => {
  it('v1 breaks, v2 answers that failure (judged against it), and the version notes are no new report', async () => {
    const v = await triage('robot-breaks-v2-answers.mbox');
    const v1 = v.patches.find((p) => p.messageId === '<20240304100000.555-1-sam@example.com>')!;
    const v2 = v.patches.find((p) => p.messageId === '<20240305093000.777-1-sam@example.com>')!;
    assert.equal(v1.verdict, 'breaks');
    const error = v.failures.findIndex((f) => f.kind === 'compile-error' && /frob_level_get/.test(f.message));
    assert.ok(error >= 0);
    assert.ok(v1.introduces.includes(error));
    assert.ok(v2.answers.includes(error), 'v2 is judged against what v1 broke');
    assert.notEqual(v2.verdict, 'hides');
    // nothing is cited from v2's "Changes in v2" notes
    assert.ok(!v.failures.some((f) => f.cite.messageId === v2.messageId), 'version notes are history, not a report');
    assert.equal(v.verdict, v2.verdict, 'the headline is the patch that answers the report');
    assert.match(v.summary, /answered by "\[PATCH v2\] ALSA: frobcard: report the frob level in \/proc" <20240305093000\.777-1-sam@example\.com>/);
  });
});

describe('a linux-next "build failure after merging" report', () => {
  it('is answered by the fix posted in reply to it; nothing breaks in the thread itself', async () => {
    const v = await triage('linux-next-merge-failure.mbox');
    assert.equal(v.patches.length, 1);
    const fix = v.patches[0]!;
    assert.deepEqual(fix.introduces, []);
    assert.ok(fix.answers.length > 0);
    assert.match(v.failures[fix.answers[0]!]!.message, /implicit declaration of function 'devm_frob_clk_get'/);
    assert.notEqual(fix.verdict, 'hides');
    assert.equal(v.verdict, fix.verdict);
    // the report's "Caused by commit" names the culprit, and the fix's Fixes: agrees
    assert.deepEqual(
      v.refs.filter((r) => r.kind === 'caused-by').map((r) => r.sha),
      ['0123456789ab'],
    );
    assert.match(
      v.summary,
      /Caused by: commit 0123456789ab \("spi: frob: use the managed clock helper"\) \[<20240611140000\.1a2b3c4d@canb\.example\.au>:L14\], which the patch's Fixes: tag names too/,
    );
  });
});

describe('no fixes, hides or partial without a failure the patch answers', () => {
  it('holds on every thread fixture', async () => {
    const dirs = [DIR, join(import.meta.dirname, '..', 'fixtures', 'threads')];
    let judged = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((x) => /\.(mbox|eml)$/.test(x))) {
        const v = triageMessages(await loadMessages(join(dir, f)));
        for (const p of v.patches) {
          if (!(JUDGED_KINDS as readonly string[]).includes(p.verdict)) continue;
          judged++;
          assert.ok(p.answers.length > 0, `${f}: ${p.subject} is ${p.verdict} without a failure`);
          for (const k of p.answers) assert.ok(v.failures[k], `${f}: answers a failure that exists`);
        }
      }
    }
    assert.ok(judged > 10, `the fixtures judge patches (${judged})`);
  });

  it('is a type: a judged verdict cannot be built without a failure', () => {
    const common = { messageId: '<x>', subject: 's', author: 'a', confidence: 0.9, files: [], effects: [], evidence: [], reason: 'r', introduces: [] };
    // @ts-expect-error fixes with no failure answered does not type-check
    const bad: PatchVerdict = { ...common, verdict: 'fixes', answers: [] };
    const good: PatchVerdict = { ...common, verdict: 'fixes', answers: [0] };
    const breaks: PatchVerdict = { ...common, verdict: 'breaks', answers: [], introduces: [0] };
    assert.ok(bad && good && breaks);
  });

  it('the JSON and the reply carry what each patch answers and introduces', async () => {
    const v = await triage('robot-breaks-v2-answers.mbox');
    const j = toJson(v) as { patches: { verdict: string; answers: number[]; introduces: number[] }[] };
    assert.deepEqual(
      j.patches.map((p) => [p.verdict, p.answers.length > 0, p.introduces.length > 0]),
      [
        ['breaks', false, true],
        [v.patches[1]!.verdict, true, false],
      ],
    );
    const mail = renderEmail(v, { now: new Date('2024-03-06T00:00:00Z'), from: 'ktriage <ktriage@example.org>' });
    assert.match(mail, /Breaks: /);
  });
});

describe('eval and breaks', () => {
  it('a patch labelled no-failure that a report says breaks the build is scored right; nothing else is loosened', async () => {
    const { meets } = await import('../../src/analyze/score.js');
    assert.equal(meets('breaks', 'no-failure'), true);
    assert.equal(meets('breaks', 'breaks'), true);
    assert.equal(meets('no-failure', 'breaks'), false);
    assert.equal(meets('breaks', 'hides'), false);
    assert.equal(meets('fixes', 'no-failure'), false);
  });
});

describe("a reviewer's log under a posting", () => {
  const feature = {
    id: '<feat@x>',
    subject: '[PATCH] frob: add a per-device frob limit',
    from: 'Pat Author <pat@example.org>',
    body: patchBody(
      'Let each device cap how many pages it frobs.',
      `
diff --git a/drivers/frob/core.c b/drivers/frob/core.c
--- a/drivers/frob/core.c
+++ b/drivers/frob/core.c
@@ -40,3 +40,7 @@ int frob_pages(struct frob_dev *fd, int n)
 {
+	if (fd->limit && strcmpx(fd->mode, "capped") == 0)
+		n = min(n, fd->limit);
+	if (n < 0)
+		return -EINVAL;
 	return frob_do(fd, n);
 }
`,
    ),
  };

  it('a compile error about a name only the patch adds: the patch breaks the build, it answers nothing', async () => {
    const review = {
      id: '<rev@x>',
      subject: 'Re: [PATCH] frob: add a per-device frob limit',
      from: 'Rita Reviewer <rita@example.org>',
      inReplyTo: '<feat@x>',
      body: "On Mon, Pat Author wrote:\n> +\tif (fd->limit && strcmpx(fd->mode, \"capped\") == 0)\n\nDid you build this?\n\ndrivers/frob/core.c:41:25: error: implicit declaration of function 'strcmpx'; did you mean 'strcmp'? [-Werror=implicit-function-declaration]\n",
    };
    const v = triageMessages(await messages([feature, review]));
    const p = v.patches[0]!;
    assert.equal(p.verdict, 'breaks');
    assert.deepEqual(p.answers, []);
    assert.equal(v.verdict, 'no-patch');
  });

  it('an error about a name the code had before the patch is not read as the patch breaking it', async () => {
    const review = {
      id: '<rev2@x>',
      subject: 'Re: [PATCH] frob: add a per-device frob limit',
      from: 'Rita Reviewer <rita@example.org>',
      inReplyTo: '<feat@x>',
      body: "On Mon, Pat Author wrote:\n> +\tif (n < 0)\n\nWithout this patch I get:\n\ndrivers/frob/core.c:44:9: error: implicit declaration of function 'frob_do' [-Werror=implicit-function-declaration]\n",
    };
    const v = triageMessages(await messages([feature, review]));
    assert.notEqual(v.patches[0]!.verdict, 'breaks');
  });

  it("a reviewer showing the patch's new diagnostic at work shows its new behaviour, not a failure", async () => {
    const check = {
      id: '<chk@x>',
      subject: '[PATCH] frobconf: refuse a limit below the page size',
      from: 'Pat Author <pat@example.org>',
      body: patchBody(
        'A limit below the page size cannot be met; say so instead of ignoring it.',
        `
diff --git a/scripts/frobconf.c b/scripts/frobconf.c
--- a/scripts/frobconf.c
+++ b/scripts/frobconf.c
@@ -80,2 +80,5 @@ static void check_limit(struct conf *c)
 {
+	if (c->limit < PAGE_SIZE)
+		fatal("%s:%d: error: Frob limit below the page size in %s\\n",
+		      c->file, c->line, c->name);
 }
`,
      ),
    };
    const tested = {
      id: '<tested@x>',
      subject: 'Re: [PATCH] frobconf: refuse a limit below the page size',
      from: 'Rita Reviewer <rita@example.org>',
      inReplyTo: '<chk@x>',
      body: 'On Tue, Pat Author wrote:\n> A limit below the page size cannot be met.\n\nWith this, my test config now says:\n\n  arch/frob/Kconfig:12: error: Frob limit below the page size in arch/frob/Kconfig\n\nTested-by: Rita Reviewer <rita@example.org>\n',
    };
    const v = triageMessages(await messages([check, tested]));
    assert.equal(v.failures.length, 0, v.failures.map((f) => f.message).join(' | '));
    assert.equal(v.patches[0]!.verdict, 'no-failure');
  });
});

describe('eval per verdict with breaks', () => {
  it('breaks given against a no-failure label counts as right in precision and in the recall of no-failure', async () => {
    const { perVerdict } = await import('../../src/analyze/score.js');
    const stats = perVerdict([
      { id: 'a', expected: 'no-failure', got: 'breaks', counted: true, correct: true, why: '' },
      { id: 'b', expected: 'hides', got: 'breaks', counted: true, correct: false, why: '' },
    ]);
    const breaks = stats.find((s) => s.verdict === 'breaks')!;
    assert.equal(breaks.given, 2);
    assert.equal(breaks.right, 1);
    assert.equal(stats.find((s) => s.verdict === 'no-failure')!.recall, 1);
    assert.equal(stats.find((s) => s.verdict === 'hides')!.recall, 0);
  });
});

describe('a changelog that tells the failure in words', () => {
  it('still answers the diagnostic reported above it: only a quoted diagnostic makes a patch "about its own" failure', async () => {
    const v = triageMessages(await loadMessages(join(import.meta.dirname, '..', '..', 'data', 'examples', 'arm-up-local-tlb-flush.mbox')));
    const modpost = v.failures.findIndex((f) => f.kind === 'modpost-undefined');
    assert.ok(modpost >= 0);
    const patch = v.patches.find((p) => p.answers.length)!;
    assert.ok(patch.answers.includes(modpost), `answers ${patch.answers.join(',')}`);
    assert.match(v.summary, /^Failure: modpost: "v7wbi_flush_kern_tlb_range" undefined/);
    assert.ok(v.confidence > 0.75, `confidence ${v.confidence}: not capped as a prose-only failure`);
  });
});
