// The summary a maintainer reads first: failure → config → what is known of
// the symbol → what the patch changes → why that fixes or hides it.

import type { BuildFailure, PatchVerdict, Verdict } from '../core/types.js';
import type { ThreadFacts } from './facts.js';

export function describeFailure(f: BuildFailure): string {
  const where = f.file ? `${f.file}${f.line ? ':' + f.line : ''}` : '';
  switch (f.kind) {
    case 'undefined-reference':
      return `link failure: undefined reference to \`${f.symbol}'${f.inFunction ? ` from ${f.inFunction}()` : ''}${where ? ` (${where})` : ''}`;
    case 'modpost-undefined':
      return `modpost: "${f.symbol}" undefined in ${f.module}`;
    case 'compile-error':
      return `compile error${where ? ` at ${where}` : ''}: ${stripLocation(f.message)}`;
    case 'warning':
      return `warning${where ? ` at ${where}` : ''}: ${stripLocation(f.message)}`;
    case 'static-check':
      return `${f.tool ?? 'static checker'} report${where ? ` at ${where}` : ''}: ${stripLocation(f.message)}`;
    case 'kconfig-unmet':
      return `Kconfig: unmet direct dependencies for ${f.symbol}${f.dependsOn ? ` (depends on ${f.dependsOn})` : ''}${f.selectedBy?.length ? `, selected by ${f.selectedBy.join(', ')}` : ''}`;
    case 'build-prose':
      return `build failure described in prose: "${f.message}"`;
    case 'runtime':
      return `run-time problem: "${f.message}"`;
  }
}

function stripLocation(msg: string): string {
  return msg.replace(/^.*?\.(?:c|h|S|rs):\d+(?::\d+)?:\s*/, '').trim();
}

export function describeConfig(f: BuildFailure): string {
  const parts: string[] = [];
  if (f.arch) parts.push(`arch ${f.arch}`);
  if (f.configName) parts.push(`config ${f.configName}`);
  if (f.configs.length) parts.push(f.configs.map((c) => `CONFIG_${c.name}=${c.value}`).join(' '));
  return parts.join(', ');
}

function mainFailure(v: Verdict, patch: PatchVerdict | undefined): BuildFailure | undefined {
  const pool = patch?.answers.length ? patch.answers.map((k) => v.failures[k]!).filter(Boolean) : v.failures;
  return pool.find((f) => f.kind !== 'build-prose' && f.kind !== 'runtime') ?? pool[0];
}

export function writeSummary(v: Verdict, facts: ThreadFacts): string {
  const out: string[] = [];
  const answering = v.patches.filter((p) => p.verdict !== 'no-failure');
  const latest = answering[answering.length - 1];
  const f = mainFailure(v, latest);
  if (f) {
    out.push(`Failure: ${describeFailure(f)}.`);
    const cfg = describeConfig(f);
    if (cfg) out.push(`Config: ${cfg}.`);
    if (f.symbol && f.kind !== 'kconfig-unmet') out.push(`Symbol ${f.symbol}: no kernel index consulted; facts come from the thread only.`);
  } else if (v.verdict === 'no-failure' || v.verdict === 'unclear') {
    out.push('No build failure or run-time problem is reported in the thread.');
  }
  if (v.verdict === 'no-patch') {
    out.push('No patch is posted in the thread.');
    const q = facts.extractions.flatMap((x) => x.problemStatements)[0];
    if (q && !f) out.push(`Question raised: "${q.text}".`);
  }
  for (const p of answering) {
    const what = p.effects
      .slice(0, 3)
      .map((e) => e.detail)
      .join('; ');
    out.push(`Patch "${p.subject}"${p.author ? ` (${p.author})` : ''}: ${what}. Verdict for it: ${p.verdict} (${p.confidence.toFixed(2)}): ${p.reason}.`);
  }
  if (!answering.length && v.patches.length) {
    out.push(`Patches that answer no reported failure: ${v.patches.map((p) => `"${p.subject}"`).join(', ')}.`);
  }
  out.push(`Thread verdict: ${v.verdict} (confidence ${v.confidence.toFixed(2)}).`);
  return out.join(' ');
}
