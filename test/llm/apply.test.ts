// applyLlm: what an LLM result does to the verdict. An accepted answer makes
// the verdict, the judged patch and the summary all say the model's
// conclusion (so no report, the email included, states one verdict in its
// header and another in its body); anything else only records the note.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Verdict } from '../../src/core/types.js';
import { applyLlm, openLlm, type LlmResult, type LlmSession } from '../../src/llm/index.js';
import { renderEmail } from '../../src/report/email.js';
import { renderMarkdown, renderText } from '../../src/report/render.js';
import { PATCH_ID, REPORT_ID, sampleMessages, sampleVerdict, startLlmServer, type LlmServer, type Script } from '../helpers/llm-server.js';

const sessions: LlmSession[] = [];
const servers: LlmServer[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function judged(script: Script, v: Verdict = sampleVerdict(), patchId?: string): Promise<{ v: Verdict; r: LlmResult }> {
  const server = await startLlmServer(script);
  servers.push(server);
  const llm = openLlm({ config: { baseURL: server.url, model: 'test-model', maxAttempts: 1 } }) as LlmSession;
  sessions.push(llm);
  const r = await llm.judge(v, sampleMessages(), patchId ? { patchId } : {});
  return { v: applyLlm(v, r), r };
}

const RULES_SUMMARY = sampleVerdict().summary;

describe('applyLlm', () => {
  test("an accepted answer that differs: verdict, judged patch and summary say the model's verdict; the reports show the note", async () => {
    const { v } = await judged([{ content: { verdict: 'partial', confidence: 0.6, summary: 'Resolved for ARM only [E4].', cites: ['E4'] } }]);
    assert.equal(v.verdict, 'partial');
    assert.equal(v.confidence, 0.6);
    assert.equal(v.patches[0]!.verdict, 'partial');
    assert.equal(v.patches[0]!.confidence, 0.6);
    assert.match(v.patches[0]!.reason, /^the LLM's verdict partial, citing E4, replaces the rules' hides, whose reason was: Russell King refuses it/);
    assert.ok(v.summary.startsWith(RULES_SUMMARY));
    assert.match(v.summary, /\n\nVerdict after the LLM's second opinion: partial \(confidence 0\.60\), citing E4; it replaces the rules' hides \(confidence 0\.90\)\.$/);
    assert.equal(v.llm?.accepted, true);
    assert.equal(v.llm?.patchId, PATCH_ID);
    assert.equal(v.llm?.rulesVerdict, 'hides');

    const text = renderText(v).replace(/\s+/g, ' ');
    assert.match(text, /^PARTIAL \(confidence 0\.60\)/);
    assert.match(text, /LLM \(test-model, prompt triage-v1, verdict accepted\): Resolved for ARM only \[E4\]\./);
    assert.match(text, /LLM disagreement: the model answered 'partial' citing E4, the rules said 'hides'; the model's verdict is used/);
    assert.match(text, /LLM cites: - \[E4\] tree:arch\/arm\/include\/asm\/tlbflush\.h:612: flush_tlb_kernel_range declared for ARM/);
    assert.match(text, /- partial \(0\.60\) \[PATCH\] zsmalloc/);

    const md = renderMarkdown(v);
    assert.match(md, /^\*\*Verdict: partial\*\* \(confidence 0\.60\)/m);
    assert.match(md, /^### LLM \(test-model, prompt triage-v1, verdict accepted\)\n\n> Resolved for ARM only \[E4\]\.\n\nDisagreement: the model answered 'partial' citing E4/m);
    assert.match(md, /^- E4 `tree:arch\/arm\/include\/asm\/tlbflush\.h:612`: flush_tlb_kernel_range declared for ARM/m);
    assert.match(md, /^\| partial \| 0\.60 \|/m);

    // the email states one verdict, header and body, and carries the model's note as the text report does
    const mail = renderEmail(v, { from: 'ktriage <bot@example.org>', now: new Date('2026-01-02T03:04:05Z') });
    assert.match(mail, /^X-Ktriage-Verdict: partial$/m);
    const flat = mail.replace(/\s+/g, ' ');
    assert.match(flat, /Verdict after the LLM's second opinion: partial/);
    assert.match(flat, /LLM \(test-model, prompt triage-v1, verdict accepted\): Resolved for ARM only \[E4\]\./);
    assert.match(flat, /LLM cites: - \[E4\] tree:arch\/arm\/include\/asm\/tlbflush\.h:612/);
  });

  test("an accepted answer that agrees: the verdict stays, the model's confidence is said in the summary", async () => {
    const { v } = await judged([{ content: { verdict: 'hides', confidence: 0.85, summary: 'The guard narrowing [E3] hides it.', cites: ['E3'] } }]);
    assert.equal(v.verdict, 'hides');
    assert.equal(v.confidence, 0.85);
    assert.equal(v.patches[0]!.reason, sampleVerdict().patches[0]!.reason);
    assert.match(v.summary, /\n\nVerdict after the LLM's second opinion: hides \(confidence 0\.85\), citing E3; the rules said the same with confidence 0\.90\.$/);
    const md = renderMarkdown(v);
    assert.match(md, /^### LLM \(test-model, prompt triage-v1, verdict accepted\)\n\n> The guard narrowing \[E3\] hides it\.\n\n- E3 /m);
    assert.doesNotMatch(md, /Disagreement/);
  });

  test('an answer not accepted changes nothing but the note, and the reports say why it was not used', async () => {
    const { v } = await judged([{ content: { verdict: 'fixes', confidence: 0.99, summary: 'Looks fine.', cites: ['E42'] } }]);
    const rules = sampleVerdict();
    assert.equal(v.verdict, 'hides');
    assert.equal(v.confidence, 0.9);
    assert.equal(v.summary, rules.summary);
    assert.deepEqual(v.patches, rules.patches);
    assert.equal(v.llm?.accepted, false);
    const text = renderText(v).replace(/\s+/g, ' ');
    assert.match(text, /LLM \(test-model, prompt triage-v1, not accepted\): the model answered 'fixes' but cited only ids the engine did not produce \(E42\); the rules' 'hides' stands/);
    assert.doesNotMatch(text, /Looks fine/);
    const md = renderMarkdown(v);
    assert.match(md, /^### LLM \(test-model, prompt triage-v1, not accepted\)\n\nDisagreement: the model answered 'fixes'/m);
    assert.doesNotMatch(md, /Looks fine/);
  });

  test("a failed step records the error; the reports and the verdict are the rules' alone", async () => {
    const { v, r } = await judged([{ status: 400 }]);
    assert.equal(r.ok, false);
    assert.equal(v.llm?.error?.code, 'E_LLM_HTTP');
    const plain = sampleVerdict();
    assert.equal(v.verdict, plain.verdict);
    assert.equal(v.summary, plain.summary);
    assert.doesNotMatch(renderText(v), /LLM/);
    assert.doesNotMatch(renderMarkdown(v), /LLM/);
  });

  test('judging another patch than the one the thread verdict rests on changes that patch only', async () => {
    const v = sampleVerdict();
    const EARLIER = '<earlier-attempt@example.org>';
    v.patches.unshift({ ...v.patches[0]!, messageId: EARLIER, subject: '[PATCH] zsmalloc: an earlier attempt' });
    const { v: after } = await judged([{ content: { verdict: 'fixes', confidence: 0.7, summary: 'That one fixed it [E1].', cites: ['E1'] } }], v, EARLIER);
    assert.equal(after.patches[0]!.verdict, 'fixes');
    assert.equal(after.patches[1]!.verdict, 'hides');
    assert.equal(after.verdict, 'hides');
    assert.equal(after.confidence, 0.9);
    assert.equal(after.summary, RULES_SUMMARY);
    assert.equal(after.llm?.patchId, EARLIER);
  });

  test('a thread-level case (no patch answers the failure) decides the thread verdict', async () => {
    const v = sampleVerdict();
    v.verdict = 'no-patch';
    v.confidence = 0.85;
    v.patches[0] = { ...v.patches[0]!, verdict: 'no-failure', answers: [] };
    const { v: after } = await judged([{ content: { verdict: 'no-patch', confidence: 0.7, summary: `Nothing answers the report ${REPORT_ID} [E1].`, cites: ['E1'] } }], v);
    assert.equal(after.llm?.patchId, undefined);
    assert.equal(after.llm?.rulesVerdict, 'no-patch');
    assert.equal(after.verdict, 'no-patch');
    assert.equal(after.confidence, 0.7);
    assert.equal(after.patches[0]!.verdict, 'no-failure', 'the unrelated patch is not touched');
  });
});
