// Renderers: pure functions from a Verdict to text, Markdown or JSON.

import type { BuildFailure, Verdict } from '../core/types.js';
import { describeConfig, describeFailure } from '../analyze/summary.js';

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
    cite: `${f.cite.messageId}:L${f.cite.line}`,
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
      files: p.files,
      effects: p.effects.map((e) => ({ kind: e.kind, detail: e.detail, file: e.file ?? null, symbols: e.symbols, configs: e.configs, cite: `${e.cite.messageId}:L${e.cite.line}` })),
      evidence: p.evidence,
    })),
    failures: v.failures.map(failureJson),
    series: v.series.map((s) => ({ topic: s.topic, revision: s.revision, expected: s.expected, complete: s.complete, coverId: s.coverId ?? null, patchIds: s.patchIds })),
    refs: v.refs.map((r) => ({ sha: r.sha, title: r.title ?? null, kind: r.kind, cite: `${r.cite.messageId}:L${r.cite.line}` })),
    ...(v.blindCutAfter ? { blindCutAfter: v.blindCutAfter } : {}),
    index: v.index ?? null,
    xrefs: v.xrefs ?? [],
    ...(v.llm ? { llm: v.llm } : {}),
  };
}

export function renderText(v: Verdict): string {
  const out: string[] = [];
  out.push(`${v.verdict.toUpperCase()} (confidence ${v.confidence.toFixed(2)})  ${v.subject || '(no subject)'}`);
  out.push(`${v.messages} message${v.messages === 1 ? '' : 's'}, thread ${v.rootId}${v.blindCutAfter ? `, blind: cut after ${v.blindCutAfter}` : ''}`);
  out.push('');
  out.push(wrap(v.summary));
  if (v.llm?.prose) out.push('', wrap(`LLM (${v.llm.model ?? 'model'}, prompt ${v.llm.promptId}-v${v.llm.promptVersion}${v.llm.accepted ? ', verdict accepted' : ''}): ${v.llm.prose}`));
  if (v.llm?.disagreement) out.push('', wrap(`LLM disagreement: ${v.llm.disagreement}`));
  if (v.failures.length) {
    out.push('', 'Failures:');
    for (const f of v.failures.slice(0, 10)) {
      out.push(wrap(`- ${describeFailure(f)}${describeConfig(f) ? ` [${describeConfig(f)}]` : ''}  <${f.cite.messageId}:L${f.cite.line}>`, 72, '  ').replace(/^ {2}/, ''));
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
  if (v.failures.length) {
    out.push('### Failures', '');
    for (const f of v.failures.slice(0, 10)) out.push(`- ${describeFailure(f).replace(/`/g, "'")}${describeConfig(f) ? ` — ${describeConfig(f)}` : ''} (\`${f.cite.messageId}:L${f.cite.line}\`)`);
    out.push('');
  }
  if (v.patches.length) {
    out.push('### Patches', '', '| verdict | confidence | patch | why |', '|---|---|---|---|');
    for (const p of v.patches) out.push(`| ${p.verdict} | ${p.confidence.toFixed(2)} | ${escapeCell(p.subject)} (\`${p.messageId}\`) | ${escapeCell(p.reason)} |`);
    out.push('');
  }
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
