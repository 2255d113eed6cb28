// The convention fixtures (test/fixtures/conventions): a report and a patch
// each, one per convention and direction. The patch's verdict is asserted
// through triageMessages, full and blind, and the convention's own rule must
// give the finding that carries it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { patchInputs } from '../../../src/analyze/decide.js';
import { buildFacts } from '../../../src/analyze/facts.js';
import { RULES } from '../../../src/analyze/rules/index.js';
import { triageMessages } from '../../../src/analyze/triage.js';
import { loadMessages } from '../../../src/cli/load.js';
import { extractMessage } from '../../../src/extract/message.js';
import { buildThread } from '../../../src/mail/thread.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'conventions');

interface Expected {
  /** the patch's verdict; for a near miss whose rule must stay quiet, the verdict it must not get */
  verdict?: string;
  notVerdict?: string;
  rule: string;
  /** 'none': the rule gives no finding at all */
  lean: 'fixes' | 'hides' | 'none';
  patch: string;
  why: string;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.mbox'))
  .sort();

describe('convention fixtures', () => {
  it('has both directions: at least as many fixes as hides fixtures, and a dozen of each kind overall', () => {
    const exp = fixtures.map((f) => JSON.parse(readFileSync(join(DIR, f.replace(/\.mbox$/, '.expected.json')), 'utf8')) as Expected);
    assert.ok(exp.filter((e) => e.verdict === 'hides').length >= 10);
    assert.ok(exp.filter((e) => e.verdict === 'fixes').length >= 10);
  });

  for (const file of fixtures) {
    const exp = JSON.parse(readFileSync(join(DIR, file.replace(/\.mbox$/, '.expected.json')), 'utf8')) as Expected;
    it(`${file}: ${exp.verdict ?? 'not ' + exp.notVerdict} (${exp.rule}: ${exp.lean})`, async () => {
      const msgs = await loadMessages(join(DIR, file));
      for (const blind of [false, true]) {
        const v = triageMessages(msgs, { blind });
        const p = v.patches.find((x) => x.messageId === exp.patch);
        assert.ok(p, `no verdict for ${exp.patch}`);
        if (exp.verdict) assert.equal(p.verdict, exp.verdict, `${blind ? 'blind' : 'full'}: ${p.reason}`);
        else assert.notEqual(p.verdict, exp.notVerdict, `${blind ? 'blind' : 'full'}: ${p.reason}`);
      }
      const thread = buildThread(msgs);
      const facts = buildFacts(thread, thread.messages.map(extractMessage));
      const rec = facts.patches.find((r) => r.patch.messageId === exp.patch)!;
      const rule = RULES.find((r) => r.name === exp.rule);
      assert.ok(rule, `no rule ${exp.rule}`);
      const findings = rule.apply({ rec, ...patchInputs(rec, facts), facts, blind: true, xrefs: [] });
      if (exp.lean === 'none') assert.deepEqual(findings, []);
      else
        assert.ok(
          findings.some((f) => f.lean === exp.lean && f.weight >= 1.5),
          `${exp.rule} gives no ${exp.lean} finding of weight >= 1.5: ${JSON.stringify(findings)}`,
        );
    });
  }
});
