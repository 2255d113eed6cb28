// Review signals: what reviewers and maintainers say about a patch, in the words
// kernel review uses ("NAK", "papers over", "could we instead", "Applied"), and
// the trailers they give. The phrases are a table (vocab/review-phrases.ts)
// matched on whole sentences, so a phrase wrapped over two lines still counts;
// diffs, code and logs are never prose. Only the sender's own (unquoted) lines
// are the sender's; quoted ones are attributed to the "... wrote:" line.

import type { ReviewSignal, SignalKind } from '../core/types.js';
import { cutBlanksAt, lineStart } from '../core/text.js';
import type { BodyLine } from './lines.js';
import { literalHints, mayMatch } from './prefilter.js';
import { proseSentences, type Sentence } from './prose.js';
import { NEGATIVE_STANCES, REVIEW_PHRASES, type ReviewPhrase } from './vocab/review-phrases.js';

const TRAILER_SIGNALS: Record<string, { kind: SignalKind; polarity: 'positive' | 'negative' }> = {
  'acked-by': { kind: 'acked', polarity: 'positive' },
  'reviewed-by': { kind: 'reviewed', polarity: 'positive' },
  'tested-by': { kind: 'tested', polarity: 'positive' },
  'reported-and-tested-by': { kind: 'tested', polarity: 'positive' },
  'nacked-by': { kind: 'nak', polarity: 'negative' },
  'naked-by': { kind: 'nak', polarity: 'negative' },
};

// "if this gets applied", "before it is merged": not an event
const CONDITIONAL = /\b(?:if|unless|whether|once|when|before|until|after)\b[^.]{0,40}$/i;
// "not a hack", "don't think this looks good"
const NEGATED = /(?:\bnot|n't|\bno|\bnever|\bnothing)\s+(?:\w+\s+){0,2}$/i;
// "looks good, but arm still fails": the praise is not the verdict
const BUT_FAILS = /\b(?:but|however|except|although)\b[^.]{1,80}\b(?:fail|break|broken|error|warn|wrong|still)\w*/i;
const QUOTE_INTRO = /^On .{6,160} wrote:\s*$|^.{3,80} (?:writes|wrote):\s*$/;

function nameOf(trailerValue: string): string {
  return cutBlanksAt(nameBefore(trailerValue), '#').trim();
}

/**
 * A trailer value before its "<address>": what `v.replace(/\s*<[^>]*>.*$/, '')`
 * leaves, found by searches (the pattern read to the end from every '<').
 */
function nameBefore(v: string): string {
  const lastLine = lineStart(v, v.length);
  // the first '>' after the '<' looked at: it only moves forward
  let close = -1;
  for (let open = v.indexOf('<'); open >= 0; open = v.indexOf('<', open + 1)) {
    if (close < open) close = v.indexOf('>', open + 1);
    if (close < 0) return v;
    // `.*$`: nothing after the '>' may start a new line
    if (close >= lastLine) return v.slice(0, open).trimEnd();
  }
  return v;
}

function addressOf(trailerValue: string): string | undefined {
  return /<([^\s<>][^\s<>@]*@[^\s<>]+)>/.exec(trailerValue)?.[1]?.toLowerCase();
}

/** Does a table entry apply to this sentence? The match, or undefined. */
export function matchPhrase(p: ReviewPhrase, sentence: Pick<Sentence, 'text' | 'question'>): RegExpExecArray | undefined {
  const m = p.re.exec(sentence.text);
  if (!m) return undefined;
  const q = p.question ?? 'never';
  if ((q === 'never' && sentence.question) || (q === 'only' && !sentence.question)) return undefined;
  const before = sentence.text.slice(0, m.index);
  const positive = !NEGATIVE_STANCES.has(p.stance);
  // "if you like I'll send a v2" offers; it does not replace anything yet
  if ((positive || p.stance === 'supersede' || p.stance === 'withdraw') && CONDITIONAL.test(before)) return undefined;
  if ((p.negatable || positive) && NEGATED.test(before)) return undefined;
  if (positive && BUT_FAILS.test(sentence.text.slice(m.index + m[0].length))) return undefined;
  return m;
}

const HINTS = new Map(REVIEW_PHRASES.map((p) => [p, literalHints(p.re)]));

/** The signals one sentence carries: one per kind. */
function sentenceSignals(messageId: string, speaker: string, address: string | undefined, s: Sentence): ReviewSignal[] {
  const out: ReviewSignal[] = [];
  const lower = s.text.toLowerCase();
  for (const p of REVIEW_PHRASES) {
    if (out.some((o) => o.kind === p.kind) || !mayMatch(HINTS.get(p)!, lower)) continue;
    if (!matchPhrase(p, s)) continue;
    out.push({
      kind: p.kind,
      polarity: NEGATIVE_STANCES.has(p.stance) ? 'negative' : 'positive',
      speaker,
      ...(address ? { speakerAddress: address } : {}),
      phrase: p.name,
      text: s.text.slice(0, 240),
      cite: { messageId, line: s.line },
    });
  }
  return out;
}

/** "On Fri, Jan 18, 2013 at 3:08 PM, Jane Doe <jane at> wrote:" → "Jane Doe" (may span two lines). */
export function attributionName(line: string): string | undefined {
  const t = line.trim();
  if (!/(?:wrote|writes):\s*$/.test(t)) return undefined;
  // the name starts at its first non-blank; a "name" of one or two blanks (all the old `\s*([^,<>]{2,80}?)`
  // found when nothing else fit) only where the blanks end, so a long run of blanks is read once
  const m = /(?:^|,)\s*(?:([^,<>\s][^,<>]{1,79}?)|(\s[^,<>\s])|(\s\s)(?!\s))\s*(?:(?:<[^>]*>|\([^)]*\))\s*)?(?:wrote|writes):\s*$/.exec(t.replace(/^On\s+/, ''));
  const name = (m?.[1] ?? m?.[2] ?? m?.[3])?.replace(/^["']|["']$/g, '').trim();
  if (!name || /\d{1,2}:\d\d/.test(name) || /^(?:he|she|they|you|someone)$/i.test(name)) return undefined;
  return name;
}

/** Who wrote the text quoted at `depth` around line index `at`: the nearest "... wrote:" above it. */
export function quotedSpeaker(lines: BodyLine[], at: number, depth: number): string | undefined {
  for (let i = at; i >= 0; i--) {
    const l = lines[i]!;
    if (l.depth >= depth) continue;
    const joined = /^On\s/.test(l.text) && !/wrote:\s*$/.test(l.text) && lines[i + 1] ? `${l.text} ${lines[i + 1]!.text}` : l.text;
    // a "... wrote:" line continuing an "On ..., Matt" line: the name starts on that line
    const prev = i > 0 ? lines[i - 1]! : undefined;
    const wrapped = prev && prev.depth === l.depth && /^On\s/.test(prev.text) && !/wrote:\s*$/.test(prev.text) ? attributionName(`${prev.text} ${l.text}`) : undefined;
    const name = wrapped ?? attributionName(joined) ?? (prev ? attributionName(`${prev.text} ${l.text}`) : undefined);
    if (name && l.depth === depth - 1) return name;
  }
  return undefined;
}

/**
 * Signals in quoted text, attributed to whoever the "... wrote:" line names.
 * A single archived message often keeps a maintainer's refusal only as a quote.
 */
export function findQuotedSignals(messageId: string, lines: BodyLine[], diffLines: Set<number>, robot: boolean): ReviewSignal[] {
  if (robot) return [];
  // who speaks at each quote depth, line by line
  const speakerOf = new Map<number, string>();
  const speakerAt: (string | undefined)[] = [];
  const skip = new Set(diffLines);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const joinsNext = /^On\s/.test(l.text) && !/wrote:\s*$/.test(l.text) && lines[i + 1] !== undefined && lines[i + 1]!.depth === l.depth;
    const joined = joinsNext ? `${l.text} ${lines[i + 1]!.text}` : l.text;
    const name = attributionName(joined);
    if (name) {
      speakerAt[l.depth + 1] = name;
      speakerAt.length = l.depth + 2;
      skip.add(l.n);
      if (joinsNext) {
        skip.add(lines[i + 1]!.n);
        i++; // its "... wrote:" half is read: it must not name a speaker of its own
      }
      continue;
    }
    if (l.depth === 0) continue;
    const speaker = speakerAt[l.depth];
    if (speaker) speakerOf.set(l.n, speaker);
  }
  const out: ReviewSignal[] = [];
  for (const s of proseSentences(lines, skip)) {
    if (s.depth === 0) continue;
    const speaker = speakerOf.get(s.line);
    if (!speaker) continue;
    for (const sig of sentenceSignals(messageId, speaker, undefined, s)) out.push({ ...sig, quoted: true });
  }
  return out;
}

/**
 * Signals in one message's own lines. `speaker` is the sender; a trailer's
 * speaker is the person it names.
 */
export function findSignals(messageId: string, speaker: string, own: BodyLine[], diffLines: Set<number>, robot: boolean, address?: string): ReviewSignal[] {
  if (robot) return [];
  const out: ReviewSignal[] = [];
  // quoted text is someone else's: findQuotedSignals attributes it
  const mine = own.filter((l) => l.depth === 0 && !diffLines.has(l.n) && !QUOTE_INTRO.test(l.text));
  for (const l of mine) {
    // the value from its first non-blank; blanks alone give the last one, as `:\s*(.+)$` did
    const tm = /^\s*([A-Za-z-]+-by):\s*(\S.*)$/.exec(l.text) ?? /^\s*([A-Za-z-]+-by):\s*([^\S\n\r\u2028\u2029])$/.exec(l.text);
    if (!tm) continue;
    const ts = TRAILER_SIGNALS[tm[1]!.toLowerCase()];
    if (!ts) continue;
    const who = addressOf(tm[2]!);
    out.push({
      kind: ts.kind,
      polarity: ts.polarity,
      speaker: nameOf(tm[2]!) || speaker,
      ...(who ? { speakerAddress: who } : {}),
      phrase: tm[1]!.toLowerCase(),
      text: l.text.trim(),
      cite: { messageId, line: l.n },
    });
  }
  for (const s of proseSentences(mine, diffLines, 0)) out.push(...sentenceSignals(messageId, speaker, address?.toLowerCase(), s));
  return out;
}
