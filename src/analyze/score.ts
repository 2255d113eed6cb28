// Scoring a verdict against a label (DESIGN.md, `ktriage eval`): a label that
// names a patch judges that patch's verdict; a mixed label judges each named
// patch; a mixed label naming a single patch is listed but not counted.

import type { Verdict } from '../core/types.js';

export interface Label {
  id: string;
  file: string;
  verdict: string;
  patch?: string;
  patches_msgid?: { messageId: string; verdict: string }[];
}

export interface Score {
  id: string;
  expected: string;
  got: string;
  counted: boolean;
  correct: boolean;
  why: string;
}

export function normaliseMsgId(id: string): string {
  const t = id.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

function patchVerdict(v: Verdict, msgid: string): string | undefined {
  const id = normaliseMsgId(msgid);
  return v.patches.find((p) => p.messageId === id)?.verdict;
}

/** Which messages a blind run must cut after, one run each. */
export function blindCuts(label: Label): (string | undefined)[] {
  if (label.patches_msgid && label.patches_msgid.length > 1) return label.patches_msgid.map((p) => normaliseMsgId(p.messageId));
  if (label.patch) return [normaliseMsgId(label.patch)];
  return [undefined];
}

/** verdicts: one per blind cut (or a single full-thread verdict). */
export function scoreLabel(label: Label, verdicts: Verdict[]): Score {
  const v = verdicts[0]!;
  const named = label.patches_msgid ?? [];
  if (label.verdict === 'mixed' && named.length <= 1) {
    const got = named[0] ? patchVerdict(v, named[0].messageId) ?? 'missing' : v.verdict;
    return { id: label.id, expected: 'mixed', got, counted: false, correct: false, why: 'single-patch mixed label: listed, not counted' };
  }
  if (named.length > 1) {
    const parts = named.map((n, i) => {
      const got = patchVerdict(verdicts[i] ?? v, n.messageId) ?? 'missing';
      return { want: n.verdict, got, ok: got === n.verdict, id: n.messageId };
    });
    const ok = parts.every((p) => p.ok);
    return {
      id: label.id,
      expected: parts.map((p) => p.want).join('+'),
      got: parts.map((p) => p.got).join('+'),
      counted: true,
      correct: ok,
      why: parts.map((p) => `${p.id}: want ${p.want}, got ${p.got}`).join('; '),
    };
  }
  if (label.patch) {
    const got = patchVerdict(v, label.patch);
    if (!got) {
      return { id: label.id, expected: label.verdict, got: 'missing', counted: true, correct: false, why: `patch ${normaliseMsgId(label.patch)} not found among ${v.patches.length} extracted patches` };
    }
    const p = v.patches.find((x) => x.messageId === normaliseMsgId(label.patch!))!;
    return { id: label.id, expected: label.verdict, got, counted: true, correct: got === label.verdict, why: p.reason };
  }
  return { id: label.id, expected: label.verdict, got: v.verdict, counted: true, correct: v.verdict === label.verdict, why: v.summary.slice(0, 300) };
}

export function confusion(scores: Score[]): string {
  const counted = scores.filter((s) => s.counted && !s.expected.includes('+'));
  const labels = [...new Set([...counted.map((s) => s.expected), ...counted.map((s) => s.got)])].sort();
  const width = Math.max(10, ...labels.map((l) => l.length)) + 1;
  const lines = [`${'expected \\ got'.padEnd(width + 4)}${labels.map((l) => l.padStart(width)).join('')}`];
  for (const e of labels) {
    const row = labels.map((g) => String(counted.filter((s) => s.expected === e && s.got === g).length).padStart(width));
    lines.push(`${e.padEnd(width + 4)}${row.join('')}`);
  }
  const mixed = scores.filter((s) => s.counted && s.expected.includes('+'));
  if (mixed.length) lines.push(`per-patch (mixed) labels: ${mixed.filter((s) => s.correct).length}/${mixed.length} fully right`);
  return lines.join('\n');
}
