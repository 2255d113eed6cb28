// The summary a maintainer would want as a reply on the list, in this order:
// the failure, the configuration, the symbol's status in the indexed tree, what
// the patch changes, why that fixes or hides it, and what would fix it; every
// claim with its citation. Plain text; renderers wrap it at 72 columns.

import type { BuildFailure, PatchVerdict, Verdict, XrefSummary } from '../core/types.js';
import type { ThreadFacts } from './facts.js';
import { isConcreteFailure } from './concrete.js';

export function describeFailure(f: BuildFailure): string {
  const where = f.file ? `${f.file}${f.line ? ':' + f.line : ''}` : '';
  if (f.reference) return f.message;
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

const cite = (messageId: string, line: number) => `[${messageId}:L${line}]`;

function mainFailure(v: Verdict, patch: PatchVerdict | undefined): { f: BuildFailure; k: number } | undefined {
  const pool = patch?.answers.length ? patch.answers : v.failures.map((_, k) => k);
  const k = pool.find((i) => v.failures[i] && v.failures[i]!.kind !== 'build-prose' && v.failures[i]!.kind !== 'runtime') ?? pool[0];
  return k === undefined || !v.failures[k] ? undefined : { f: v.failures[k]!, k };
}

/** The index paragraph: declared, defined, exported, where, and what it means for the failing config. */
function symbolStatus(v: Verdict, x: XrefSummary | undefined, f: BuildFailure): string | undefined {
  if (!v.index) return f.symbol && f.kind !== 'kconfig-unmet' ? `Symbol ${f.symbol}: no kernel index was consulted; the facts come from the thread only.` : undefined;
  if (!x) return f.symbol && f.kind !== 'kconfig-unmet' ? `Symbol ${f.symbol}: tree ${v.index.tree} was not consulted for this kind of failure.` : undefined;
  const lines = x.evidence.filter((e) => e.source === 'index').map((e) => `${e.text} [${e.cite}]`);
  return `In tree ${v.index.tree}: ${lines.join('; ')}.`;
}

const REMEDIES: [RegExp, string][] = [
  [
    /not usable|will not link|narrows|stops compiling|no longer be chosen|no longer selected|BROKEN/i,
    'make the reference resolve in that configuration (a definition or a stub with the right semantics where the symbol is missing, or an API that exists there), or make the feature select what provides it',
  ],
  [/refuses the export|export .* refused|owner refuses/i, 'use an exported interface instead of the internal symbol; an export its owner refuses is no fix'],
  [/select.* conditional|loses the dependency|dependency the warning/i, 'make the selecting option depend on what the selected one needs (or depend on it instead of selecting it)'],
  [/silences the diagnostic|stops the message|warns at run time/i, 'change the code the diagnostic points at, so that the warning has nothing to report'],
  [/stop-gap|papers over|doubts it/i, 'the root cause named in the review'],
];

function remedy(p: PatchVerdict): string | undefined {
  if (p.verdict !== 'hides' && p.verdict !== 'partial') return undefined;
  for (const [re, text] of REMEDIES) if (re.test(p.reason)) return text;
  return undefined;
}

/** A posting a report says breaks the build: which failure, where, and what answers it. */
function breaksParagraph(v: Verdict, p: PatchVerdict): string {
  // the diagnostics themselves; a report's own header line only when it quotes none
  const concrete = p.introduces.filter((k) => v.failures[k] && isConcreteFailure(v.failures[k]!));
  const parts = (concrete.length ? concrete : p.introduces).map((k) => {
    const f = v.failures[k]!;
    const cfg = describeConfig(f);
    const by = v.patches.filter((q) => q.answers.includes(k));
    const answered = by.length ? `answered by "${by[by.length - 1]!.subject}" ${by[by.length - 1]!.messageId} (${by[by.length - 1]!.verdict})` : 'nothing in the thread answers it yet';
    return `${describeFailure(f)}${cfg ? ` (${cfg})` : ''} ${cite(f.cite.messageId, f.cite.line)}; ${answered}`;
  });
  return `Breaks: "${p.subject}" ${p.messageId} introduces ${parts.length > 1 ? `${parts.length} failures` : 'a failure'}${p.introduces.some((k) => v.failures[k]?.fromRobot) ? ', as the kernel test robot reports' : ''}: ${parts.slice(0, 3).join('; ')}.`;
}

export function writeSummary(v: Verdict, facts: ThreadFacts): string {
  const paras: string[] = [];
  const answering = v.patches.filter((p) => p.answers.length > 0);
  const latest = answering[answering.length - 1];
  const main = mainFailure(v, latest);
  if (main) {
    const { f, k } = main;
    paras.push(`Failure: ${describeFailure(f)} ${cite(f.cite.messageId, f.cite.line)}.`);
    // a changelog that fixes a crash or a boot failure and, on the way, a warning: the
    // diagnostic is what can be checked, the run-time problem is often the point
    const runtime = latest?.answers.map((a) => v.failures[a]).find((x) => x && x !== f && x.kind === 'runtime' && f.kind !== 'runtime');
    if (runtime) paras.push(`It also answers a ${describeFailure(runtime)} ${cite(runtime.cite.messageId, runtime.cite.line)}.`);
    const cfg = describeConfig(f);
    if (cfg) paras.push(`Configuration: ${cfg}.`);
    const blamed = v.refs.filter((r) => r.kind === 'caused-by');
    if (blamed.length) {
      const fixing = v.refs.filter((r) => r.kind === 'fixes').map((r) => r.sha.slice(0, 12));
      paras.push(
        `Caused by: ${blamed.map((r) => `commit ${r.sha.slice(0, 12)}${r.title ? ` ("${r.title}")` : ''} ${cite(r.cite.messageId, r.cite.line)}${fixing.includes(r.sha.slice(0, 12)) ? ", which the patch's Fixes: tag names too" : ''}`).join('; ')}, as the report says.`,
      );
    }
    const xs = v.xrefs ?? [];
    const status = symbolStatus(v, xs.find((x) => x.failure === k) ?? xs.find((x) => x.symbol === f.symbol), f);
    if (status) paras.push(status);
  } else if (v.verdict === 'no-failure' || v.verdict === 'unclear') {
    paras.push('No build failure or run-time problem is reported in the thread.');
  }
  if (v.verdict === 'no-patch') {
    const q = facts.extractions.flatMap((x) => x.problemStatements)[0];
    paras.push(
      `${v.patches.length ? 'No patch in the thread answers it.' : 'No patch is posted in the thread.'}${main && facts.failures[main.k]?.unrelated ? ' Whoever showed it says it has nothing to do with the patch posted here.' : ''}${q && !main ? ` The question raised: "${q.text}" ${cite(q.cite.messageId, q.cite.line)}.` : ''}`,
    );
  }
  if (latest) {
    const what = latest.effects
      .slice(0, 3)
      .map((e) => `${e.detail} ${cite(e.cite.messageId, e.cite.line)}`)
      .join('; ');
    paras.push(`The patch "${latest.subject}"${latest.author ? ` (${latest.author})` : ''} ${latest.messageId}: ${what}.`);
    paras.push(
      `Why it ${latest.verdict === 'fixes' ? 'fixes the failure' : latest.verdict === 'hides' ? 'only hides the failure' : latest.verdict === 'partial' ? 'is partial' : 'gets this verdict'}: ${latest.reason}.`,
    );
    const r = remedy(latest);
    if (r) paras.push(`What would fix it: ${r}.`);
    for (const p of answering.slice(0, -1)) paras.push(`Earlier patch "${p.subject}" ${p.messageId}: ${p.verdict} (${p.confidence.toFixed(2)}): ${p.reason}.`);
  }
  for (const p of v.patches.filter((x) => x.introduces.length)) paras.push(breaksParagraph(v, p));
  if (!answering.length && v.patches.length) {
    const n = v.patches.length;
    paras.push(
      n === 1
        ? `The patch "${v.patches[0]!.subject}" answers no reported problem.`
        : `${n} patches, none answers a reported problem: ${v.patches
            .slice(0, 6)
            .map((p) => `"${p.subject}"`)
            .join(', ')}${n > 6 ? `, and ${n - 6} more` : ''}.`,
    );
  }
  paras.push(`Verdict: ${v.verdict} (confidence ${v.confidence.toFixed(2)})${v.index ? `, index facts from tree ${v.index.tree}` : ''}.`);
  return paras.join('\n\n');
}
