// The LLM note in the text and Markdown reports: the same facts in both (who
// answered, whether it was used, its prose, the disagreement, its cites), the
// model's prose quoted in Markdown, nothing when the step failed or did not run.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LlmVerdictNote } from '../../src/core/types.js';
import { llmText, renderMarkdown, renderText } from '../../src/report/render.js';
import { sampleVerdict } from '../helpers/llm-server.js';

function withNote(note: LlmVerdictNote) {
  const v = sampleVerdict();
  v.llm = note;
  return v;
}

const ACCEPTED: LlmVerdictNote = {
  promptId: 'triage',
  promptVersion: 1,
  model: 'qwen',
  accepted: true,
  verdict: 'hides',
  rulesVerdict: 'hides',
  confidence: 0.8,
  prose: 'First paragraph [E2].\n\n# Not a heading of the report\nSecond line.',
  cites: [{ id: 'E2', cite: '<ZeRk-review@armlinux.org.uk>:L5', text: 'Russell King: "NAK"' }],
};

describe('the LLM note in reports', () => {
  it('text and Markdown carry the same heading, prose and cites', () => {
    const v = withNote(ACCEPTED);
    const text = renderText(v);
    assert.match(text, /^LLM \(qwen, prompt triage-v1, verdict accepted\): First paragraph \[E2\]\.$/m);
    assert.match(text, /^LLM cites:\n- \[E2\] <ZeRk-review@armlinux\.org\.uk>:L5: Russell King: "NAK"$/m);
    const md = renderMarkdown(v);
    assert.match(md, /^### LLM \(qwen, prompt triage-v1, verdict accepted\)$/m);
    // the model's markup stays inside the quote
    assert.match(md, /^> First paragraph \[E2\]\.\n>\n> # Not a heading of the report\n> Second line\.\n\n- E2 `<ZeRk-review@armlinux\.org\.uk>:L5`: Russell King: "NAK"$/m);
    assert.doesNotMatch(md, /^# Not a heading/m);
  });

  it('llmText: wrapped paragraphs for a plain-text body (what the email should add after its summary)', () => {
    const paras = llmText(withNote({ ...ACCEPTED, prose: 'word '.repeat(40).trim(), disagreement: "the model answered 'partial' citing E2, the rules said 'hides'; the model's verdict is used" }));
    assert.equal(paras.length, 3);
    for (const p of paras) for (const line of p.split('\n')) assert.ok(line.length <= 72, line);
    assert.match(paras[1]!, /^LLM disagreement: /);
    assert.match(paras[2]!, /^LLM cites:\n- \[E2\]/);
  });

  it('no LLM section without a note, or when the step failed', () => {
    for (const v of [sampleVerdict(), withNote({ promptId: 'triage', promptVersion: 1, accepted: false, error: { code: 'E_LLM_TIMEOUT', message: 'slow' } })]) {
      assert.doesNotMatch(renderText(v), /LLM/);
      assert.doesNotMatch(renderMarkdown(v), /LLM/);
      assert.deepEqual(llmText(v), []);
    }
  });
});
