// Renderers: pure functions from a Verdict to text, Markdown or JSON.

import type { BuildFailure, Verdict } from '../core/types.js';
import { mailCite } from '../analyze/rules/types.js';
import { describeConfig, describeFailure } from '../analyze/summary.js';
import { fixesJson, fixesMarkdown, fixesText } from './fixes-notes.js';

export type Format = 'text' | 'markdown' | 'json';

export function wrap(text: string, width = 72, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && (indent + line + ' ' + word).length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

function failureJson(f: BuildFailure) {
  return {
    kind: f.kind,
    symbol: f.symbol ?? null,
    file: f.file ?? null,
    line: f.line ?? null,
    arch: f.arch ?? null,
    configs: f.configs.map((c) => `CONFIG_${c.name}=${c.value}`),
    configName: f.configName ?? null,
    module: f.module ?? null,
    inFunction: f.inFunction ?? null,
    message: f.message,
    cite: mailCite(f.cite.messageId, f.cite.line),
    fromRobot: f.fromRobot,
    // known only by reference (no log quoted): who reported it and where the report is
    reference: f.reference ?? null,
    // taken from a report the patch links to, outside the thread
    linked: f.linked ?? false,
  };
}

export function toJson(v: Verdict): object {
  return {
    verdict: v.verdict,
    confidence: v.confidence,
    summary: v.summary,
    subject: v.subject,
    rootId: v.rootId,
    messages: v.messages,
    evidence: v.evidence,
    patches: v.patches.map((p) => ({
      messageId: p.messageId,
      subject: p.subject,
      author: p.author,
      verdict: p.verdict,
      confidence: p.confidence,
      reason: p.reason,
      // indexes into failures: what it answers, and what a report says it introduces
      answers: [...p.answers],
      introduces: [...p.introduces],
      files: p.files,
      effects: p.effects.map((e) => ({ kind: e.kind, detail: e.detail, file: e.file ?? null, symbols: e.symbols, configs: e.configs, cite: mailCite(e.cite.messageId, e.cite.line) })),
      evidence: p.evidence,
    })),
    failures: v.failures.map(failureJson),
    series: v.series.map((s) => ({ topic: s.topic, revision: s.revision, expected: s.expected, complete: s.complete, coverId: s.coverId ?? null, patchIds: s.patchIds })),
    refs: v.refs.map((r) => ({ sha: r.sha, title: r.title ?? null, kind: r.kind, cite: mailCite(r.cite.messageId, r.cite.line) })),
    ...(v.blindCutAfter ? { blindCutAfter: v.blindCutAfter } : {}),
    index: v.index ?? null,
    xrefs: v.xrefs ?? [],
    ...(v.llm ? { llm: v.llm } : {}),
    ...fixesJson(v),
  };
}

/**
 * What a report says about the LLM step: who answered (model, prompt id and
 * version) and whether its verdict was used, the model's prose (accepted
 * answers only), the disagreement with the rules (the model's verdict differs
 * and replaces theirs, or why its answer was not used), and the evidence it
 * cited. Nothing when the step failed (that goes to stderr) or did not run.
 * The text, Markdown and email reports all say this.
 */
function llmReport(v: Verdict): { heading: string; prose?: string; disagreement?: string; cites: { id: string; cite: string; text: string }[] } | undefined {
  const n = v.llm;
  if (!n || n.error) return undefined;
  return {
    heading: `LLM (${n.model ?? 'model'}, prompt ${n.promptId}-v${n.promptVersion}, ${n.accepted ? 'verdict accepted' : 'not accepted'})`,
    ...(n.accepted && n.prose ? { prose: n.prose } : {}),
    ...(n.disagreement ? { disagreement: n.disagreement } : {}),
    cites: n.accepted ? (n.cites ?? []) : [],
  };
}

/** llmReport as wrapped plain paragraphs (text report, email body). */
export function llmText(v: Verdict, width = 72): string[] {
  const l = llmReport(v);
  if (!l) return [];
  const out = [wrap(`${l.heading}: ${l.prose ?? l.disagreement ?? ''}`, width)];
  if (l.prose && l.disagreement) out.push(wrap(`LLM disagreement: ${l.disagreement}`, width));
  if (l.cites.length) out.push(['LLM cites:', ...l.cites.map((c) => wrap(`- [${c.id}] ${c.cite}: ${c.text}`, width, '  ').replace(/^ {2}/, ''))].join('\n'));
  return out;
}

export function renderText(v: Verdict): string {
  const out: string[] = [];
  out.push(`${v.verdict.toUpperCase()} (confidence ${v.confidence.toFixed(2)})  ${v.subject || '(no subject)'}`);
  out.push(`${v.messages} message${v.messages === 1 ? '' : 's'}, thread ${v.rootId}${v.blindCutAfter ? `, blind: cut after ${v.blindCutAfter}` : ''}`);
  out.push('');
  out.push(wrap(v.summary));
  for (const p of llmText(v)) out.push('', p);
  if (v.failures.length) {
    out.push('', 'Failures:');
    for (const f of v.failures.slice(0, 10)) {
      out.push(wrap(`- ${describeFailure(f)}${describeConfig(f) ? ` [${describeConfig(f)}]` : ''}  <${mailCite(f.cite.messageId, f.cite.line)}>`, 72, '  ').replace(/^ {2}/, ''));
    }
    if (v.failures.length > 10) out.push(`  … and ${v.failures.length - 10} more`);
  }
  if (v.patches.length) {
    out.push('', 'Patches:');
    for (const p of v.patches) {
      out.push(`- ${p.verdict} (${p.confidence.toFixed(2)}) ${p.subject}`);
      out.push(`  ${p.messageId}${p.author ? `, ${p.author}` : ''}`);
      out.push(wrap(`why: ${p.reason}`, 72, '  '));
    }
  }
  const named = v.refs.filter((r) => r.kind !== 'mention' || r.title);
  if (named.length) {
    out.push('', 'Commits named:');
    for (const r of named.slice(0, 8)) out.push(`- ${r.sha.slice(0, 12)}${r.title ? ` ("${r.title}")` : ''}${r.kind !== 'mention' ? ` [${r.kind}]` : ''}`);
  }
  const fixes = fixesText(v);
  if (fixes.length) out.push('', ...fixes);
  if (v.evidence.length) {
    out.push('', 'Evidence:');
    for (const e of v.evidence.slice(0, 12)) out.push(wrap(`- [${e.source}] ${e.cite}: ${e.text}`, 100, '  ').replace(/^ {2}/, ''));
  }
  return out.join('\n') + '\n';
}

export function renderMarkdown(v: Verdict): string {
  const out: string[] = [];
  out.push(`## ${v.subject || '(no subject)'}`, '');
  out.push(`**Verdict: ${v.verdict}** (confidence ${v.confidence.toFixed(2)}), ${v.messages} messages`, '');
  out.push(v.summary, '');
  const llm = llmReport(v);
  if (llm) {
    out.push(`### ${llm.heading}`, '');
    // the model's words, quoted: its headings or lists cannot pass for the report's
    if (llm.prose)
      out.push(
        llm.prose
          .split('\n')
          .map((l) => `> ${l}`.trimEnd())
          .join('\n'),
        '',
      );
    if (llm.disagreement) out.push(`Disagreement: ${llm.disagreement}`, '');
    if (llm.cites.length) out.push(...llm.cites.map((c) => `- ${c.id} \`${c.cite}\`: ${c.text.replace(/\n/g, ' ')}`), '');
  }
  if (v.failures.length) {
    out.push('### Failures', '');
    for (const f of v.failures.slice(0, 10))
      out.push(`- ${describeFailure(f).replace(/`/g, "'")}${describeConfig(f) ? ` — ${describeConfig(f)}` : ''} (\`${mailCite(f.cite.messageId, f.cite.line)}\`)`);
    out.push('');
  }
  if (v.patches.length) {
    out.push('### Patches', '', '| verdict | confidence | patch | why |', '|---|---|---|---|');
    for (const p of v.patches) out.push(`| ${p.verdict} | ${p.confidence.toFixed(2)} | ${escapeCell(p.subject)} (\`${p.messageId}\`) | ${escapeCell(p.reason)} |`);
    out.push('');
  }
  out.push(...fixesMarkdown(v));
  if (v.evidence.length) {
    out.push('### Evidence', '');
    for (const e of v.evidence.slice(0, 12)) out.push(`- \`${e.cite}\` (${e.source}): ${e.text.replace(/\n/g, ' ')}`);
    out.push('');
  }
  return out.join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function render(v: Verdict, format: Format): string {
  switch (format) {
    case 'json':
      return JSON.stringify(toJson(v), null, 2) + '\n';
    case 'markdown':
      return renderMarkdown(v);
    case 'text':
      return renderText(v);
  }
}
