// A fix that credits its report (Reported-by:, Closes:) answers a reported problem even
// when its thread quotes no log: the report in the thread its link names, the report
// fetched from outside, or a failure known only by reference, below posting confidence.
// A quoted Reported-by:, a b4 Link: to the posting itself, a revert's quoted title: none.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import type { LinkedReports } from '../../src/core/types.js';
import { toJson } from '../../src/report/render.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'reference');
const load = (name: string) => loadMessages(join(DIR, name));
const REPORT_ID = '<202403040812.AbCdEfGh-lkp@intel.com>';

describe('a fix whose report is only credited', () => {
  it('answers a failure known by reference, named from its subject, cited at its trailer, below posting confidence', async () => {
    const v = triageMessages(await load('fix-credits-robot.mbox'));
    const p = v.patches[0]!;
    assert.notEqual(p.verdict, 'no-failure');
    assert.ok(p.answers.length > 0);
    const f = v.failures[p.answers[0]!]!;
    assert.equal(f.kind, 'warning');
    assert.equal(f.reference?.robot, true);
    assert.equal(f.reference?.named, 'section mismatch warning');
    assert.equal(f.cite.line, 5); // the Reported-by: line
    assert.ok(p.confidence < 0.8, `a verdict on a report nobody quoted is not posted (got ${p.confidence})`);
    assert.match(
      v.summary,
      /section mismatch warning reported by the kernel test robot: https:\/\/lore\.kernel\.org\/oe-kbuild-all\/202403040812\.AbCdEfGh-lkp@intel\.com\/, not quoted in this thread/,
    );
    // the JSON carries where the report is
    const json = toJson(v) as { failures: { reference?: { link?: string } }[] };
    assert.ok(json.failures.some((x) => x.reference?.link?.includes('202403040812')));
  });

  it("with the linked report fetched, the report's own diagnostic is the failure, cited in the report", async () => {
    const report = await load('robot-report.mbox');
    const linked: LinkedReports = new Map([[REPORT_ID, { messages: report, from: 'archive' as const }]]);
    const v = triageMessages(await load('fix-credits-robot.mbox'), { linked });
    const p = v.patches[0]!;
    const f = v.failures[p.answers[0]!]!;
    assert.equal(f.linked, true);
    assert.equal(f.reference, undefined);
    assert.equal(f.cite.messageId, REPORT_ID);
    assert.match(f.message, /section mismatch in reference: frob_init_zone/);
    assert.match(v.summary, new RegExp(`\\[${REPORT_ID.replace(/[.<>]/g, (c) => `\\${c}`)}:L\\d+\\]`));
  });

  it('a linked report that could not be fetched is one note in the failure, not an error', async () => {
    const linked: LinkedReports = new Map([[REPORT_ID, { note: 'HTTP 404 from http://127.0.0.1:9/all/…' }]]);
    const v = triageMessages(await load('fix-credits-robot.mbox'), { linked });
    assert.match(v.summary, /linked report not available: HTTP 404/);
  });

  it('a Closes: to a robot report in the same thread makes that report the answered failure', async () => {
    const v = triageMessages(await load('fix-closes-report-in-thread.mbox'));
    const member = v.patches.find((p) => p.subject.includes('1/2'))!;
    const fix = v.patches.find((p) => p.subject.includes('declare frob_trace_count'))!;
    assert.equal(member.verdict, 'breaks');
    assert.equal(fix.verdict, 'fixes');
    const main = v.failures[fix.answers[0]!]!;
    assert.equal(main.cite.messageId, '<202403042000.XyZ12345-lkp@intel.com>');
    assert.equal(main.kind, 'compile-error');
  });
});

describe('what is no credit', () => {
  it("a Reported-by quoted in a reply and a b4 Link: are not the patch's own report", async () => {
    const v = triageMessages(await load('no-credit.mbox'));
    assert.equal(v.patches[0]!.verdict, 'no-failure');
    assert.equal(v.failures.length, 0);
  });
});
