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
  /** the confidence of the verdict compared (the judged patch's, else the thread's) */
  confidence?: number;
}

export function normaliseMsgId(id: string): string {
  const t = id.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

function patchVerdict(v: Verdict, msgid: string): string | undefined {
  const id = normaliseMsgId(msgid);
  return v.patches.find((p) => p.messageId === id)?.verdict;
}

function patchConfidence(v: Verdict, msgid: string): number | undefined {
  const id = normaliseMsgId(msgid);
  return v.patches.find((p) => p.messageId === id)?.confidence;
}

/** Which messages a blind run must cut after, one run each. */
export function blindCuts(label: Label): (string | undefined)[] {
  if (label.patches_msgid && label.patches_msgid.length > 1) return label.patches_msgid.map((p) => normaliseMsgId(p.messageId));
  if (label.patch) return [normaliseMsgId(label.patch)];
  return [undefined];
}

/**
 * Does a verdict given meet the label? Exactly, except that `breaks` (a report says the
 * patch introduces a failure) is a kind of `no-failure`: the patch answers no reported
 * problem, which is all a label written before `breaks` existed says.
 */
export function meets(got: string, want: string): boolean {
  return got === want || (got === 'breaks' && want === 'no-failure');
}

/** verdicts: one per blind cut (or a single full-thread verdict). */
export function scoreLabel(label: Label, verdicts: Verdict[]): Score {
  const v = verdicts[0]!;
  const named = label.patches_msgid ?? [];
  if (label.verdict === 'mixed' && named.length <= 1) {
    const got = named[0] ? (patchVerdict(v, named[0].messageId) ?? 'missing') : v.verdict;
    return { id: label.id, expected: 'mixed', got, counted: false, correct: false, why: 'single-patch mixed label: listed, not counted' };
  }
  if (named.length > 1) {
    const parts = named.map((n, i) => {
      const got = patchVerdict(verdicts[i] ?? v, n.messageId) ?? 'missing';
      return { want: n.verdict, got, ok: meets(got, n.verdict), id: n.messageId };
    });
    const ok = parts.every((p) => p.ok);
    const confs = named.map((n, i) => patchConfidence(verdicts[i] ?? v, n.messageId) ?? 0);
    return {
      confidence: Math.min(...confs),
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
      return {
        id: label.id,
        expected: label.verdict,
        got: 'missing',
        counted: true,
        correct: false,
        why: `patch ${normaliseMsgId(label.patch)} not found among ${v.patches.length} extracted patches`,
      };
    }
    const p = v.patches.find((x) => x.messageId === normaliseMsgId(label.patch!))!;
    return { id: label.id, expected: label.verdict, got, counted: true, correct: meets(got, label.verdict), why: p.reason, confidence: p.confidence };
  }
  return { id: label.id, expected: label.verdict, got: v.verdict, counted: true, correct: v.verdict === label.verdict, why: v.summary.slice(0, 300), confidence: v.confidence };
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

/** Which half of a label set an id falls in: numeric ids by parity, others by a stable hash. */
export function splitOf(id: string): 'odd' | 'even' {
  const digits = /(?<!\d)(\d+)\D*$/.exec(id);
  if (digits) return Number(digits[1]) % 2 ? 'odd' : 'even';
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 2 ? 'odd' : 'even';
}

export interface VerdictStat {
  verdict: string;
  /** labels with this verdict, verdicts given */
  expected: number;
  given: number;
  right: number;
  precision: number | null;
  recall: number | null;
}

/** Per verdict: how often it is right when given (precision) and found when due (recall). */
export function perVerdict(scores: Score[]): VerdictStat[] {
  const single = scores.filter((s) => s.counted && !s.expected.includes('+'));
  const names = [...new Set([...single.map((s) => s.expected), ...single.map((s) => s.got)])].sort();
  return names.map((verdict) => {
    const expected = single.filter((s) => s.expected === verdict).length;
    const given = single.filter((s) => s.got === verdict).length;
    // right when given: as the accuracy counts it (breaks meets a no-failure label)
    const rightGiven = single.filter((s) => s.got === verdict && meets(s.got, s.expected)).length;
    const rightDue = single.filter((s) => s.expected === verdict && meets(s.got, s.expected)).length;
    return { verdict, expected, given, right: rightGiven, precision: given ? rightGiven / given : null, recall: expected ? rightDue / expected : null };
  });
}

export const CONFIDENCE_BANDS = [0, 0.5, 0.65, 0.8, 0.9] as const;

/** Accuracy per confidence band [lo, next lo). */
export function byConfidence(scores: Score[]): { lo: number; hi: number; n: number; right: number }[] {
  const counted = scores.filter((s) => s.counted);
  return CONFIDENCE_BANDS.map((lo, i) => {
    const hi = CONFIDENCE_BANDS[i + 1] ?? 1.01;
    const inBand = counted.filter((s) => (s.confidence ?? 0) >= lo && (s.confidence ?? 0) < hi);
    return { lo, hi: Math.min(hi, 1), n: inBand.length, right: inBand.filter((s) => s.correct).length };
  });
}

/**
 * What a bot posting only at or above a confidence would do: how many threads
 * it speaks on (coverage), how often it is right then, and the same for `hides`.
 * `unclear` never speaks.
 */
export function atThreshold(scores: Score[], min: number): { min: number; counted: number; spoken: number; right: number; hides: number; hidesRight: number } {
  const counted = scores.filter((s) => s.counted);
  const spoken = counted.filter((s) => s.got !== 'unclear' && (s.confidence ?? 0) >= min);
  const hides = spoken.filter((s) => s.got === 'hides');
  return { min, counted: counted.length, spoken: spoken.length, right: spoken.filter((s) => s.correct).length, hides: hides.length, hidesRight: hides.filter((s) => s.correct).length };
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}%` : 'n/a');

/** The calibration block `eval` prints after the confusion matrix. */
export function calibrationReport(scores: Score[], min: number): string {
  const lines: string[] = ['per verdict (precision = right when given, recall = found when due):'];
  for (const v of perVerdict(scores)) {
    lines.push(
      `  ${v.verdict.padEnd(11)} given ${String(v.given).padStart(3)}  due ${String(v.expected).padStart(3)}  precision ${pct(v.right, v.given).padStart(4)}  recall ${pct(v.right, v.expected).padStart(4)}`,
    );
  }
  lines.push('accuracy by confidence:');
  for (const b of byConfidence(scores)) {
    lines.push(`  [${b.lo.toFixed(2)}, ${b.hi.toFixed(2)}${b.hi >= 1 ? ']' : ')'}  ${String(b.n).padStart(3)} verdicts  right ${pct(b.right, b.n).padStart(4)}`);
  }
  for (const t of [...new Set([0.5, 0.65, min, 0.8, 0.9])].sort()) {
    const a = atThreshold(scores, t);
    lines.push(
      `at --min-confidence ${t.toFixed(2)}: speaks on ${a.spoken}/${a.counted} (coverage ${pct(a.spoken, a.counted)}), right ${pct(a.right, a.spoken)}; hides ${a.hides}, right ${pct(a.hidesRight, a.hides)}${t === min ? '   <- chosen' : ''}`,
    );
  }
  return lines.join('\n');
}
