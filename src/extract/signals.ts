// Review signals: what reviewers and maintainers say about a patch, in the words
// kernel review uses ("NAK", "papers over", "I will not accept", "Applied"), and
// the trailers they give. Only the sender's own (unquoted) lines count.
// Each pattern is a review convention, not the wording of one thread.

import type { ReviewSignal, SignalKind } from '../core/types.js';
import type { BodyLine } from './lines.js';

interface SignalPattern {
  kind: SignalKind;
  polarity: 'negative' | 'positive';
  re: RegExp;
}

const PATTERNS: SignalPattern[] = [
  // refusals
  { kind: 'nak', polarity: 'negative', re: /\b(?:NAK|NACK|Nak|Nack)(?:ed)?\b(?!-)|\bNacked-by:|\bself-?nak\b/ },
  { kind: 'nak', polarity: 'negative', re: /\b(?:will|would|shall) _?(?:not|never)_? (?:accept|take|merge|apply)\b|\bneither will I accept\b|\b(?:won't|wouldn't) (?:accept|take|merge|apply) (?:this|that|it|such|a patch)\b|\bnot (?:going to|gonna) (?:accept|take|apply|merge)\b|\bI(?:'m| am) not (?:taking|applying|accepting|merging)\b/i },
  { kind: 'refuse-export', polarity: 'negative', re: /\b(?:won't|will _?not_?|not going to|never going to|refuse to|no need to)\b[^.\n]{0,30}\b(?:re-?)?export\w*\b|\b(?:re-?)?export(?:ing|ed)?\b[^.\n]{0,40}\b(?:NAK|nack|not acceptable|no way)\b|\bunexport(?:ing|ed)? it is important\b|\bshould(?:n't| not) (?:be )?(?:use|using|exported)\b[^.\n]{0,30}\b(?:module|driver|export)/i },
  // "this only hides it"
  { kind: 'papers-over', polarity: 'negative', re: /\bpaper(?:s|ed|ing)? over\b/i },
  { kind: 'papers-over', polarity: 'negative', re: /\b(?:just|only|merely|simply)\s+\*?(?:hid(?:es|ing)|hides?|mask(?:s|ing)?|silenc(?:es|ing)|papers?|shut(?:s|ting)? up)\*?\b/i },
  { kind: 'papers-over', polarity: 'negative', re: /\b\*?hid(?:e|es|ing)\*?\s+(?:a|the|this|that|an?)\s+(?:\w+\s+){0,2}(?:misuse|problem|issue|bug|error|real)\b|\binstead of hiding\b|\bhide (?:it|the (?:problem|issue|bug))\b/i },
  { kind: 'papers-over', polarity: 'negative', re: /\b(?:wrong|bogus|broken) (?:fix|approach|solution)\b|\bnot (?:the|a) (?:right|correct|proper|real|good) (?:fix|solution|way to fix)\b|\b(?:is not|isn't) (?:the )?(?:correct|right|proper) (?:fix|solution)\b|\bmaybe this is not the correct fix\b/i },
  { kind: 'papers-over', polarity: 'negative', re: /\b(?:fix|fixes|silence[sd]?) the warning but not the (?:issue|problem|bug)\b|\bwithout (?:actually )?fixing (?:anything|the (?:issue|problem|bug))\b|\bturns? a build[- ]time error into a run[- ]?time\b|\bcounterproductive\b/i },
  { kind: 'papers-over', polarity: 'negative', re: /\babuse of\b|\bshould not be doing that\b|\bdefinitely should not\b/i },
  // self-described or reviewer-described stop-gaps: the word must describe a change, not name a config or history
  { kind: 'workaround', polarity: 'negative', re: /\b(?:is|as|be|being|was|an?|this|that|simple|simpler|easier|temporary|ugly|crude|hacky)\s+(?:an?\s+)?(?:easier\s+|simpler\s+|simple\s+|temporary\s+|quick\s+|ugly\s+|alternative\s+)?(?:work-?around|hack|stop-?gap|band-?aid|kludge|bodge)\b|\bhack(?:ish|y)? (?:fix|patch)\b|\bwork(?:s|ing)? around (?:it|this|that|the (?:problem|issue|bug|warning|error))\b/i },
  { kind: 'workaround', polarity: 'negative', re: /\bto (?:shut up|silence|quiet(?:en)?|suppress) (?:the|this|a|that) (?:\w+ )?warning\b|\bmark(?:ing)? (?:it |this )?(?:as )?BROKEN\b/i },
  { kind: 'temporary', polarity: 'negative', re: /\b(?:for now|for the (?:moment|time being)|temporar(?:y|ily)|in the meantime)\b|\buntil\b[^.]{0,60}\b(?:is|are|gets?|has been) (?:fixed|posted|merged|resolved|sorted out)\b/i },
  { kind: 'root-cause-elsewhere', polarity: 'negative', re: /\b(?:the )?(?:real|proper|right|correct|actual) (?:fix|solution)(?:es)?\b(?! (?:for this|is this))|\broot[- ]cause\b|\bfix(?:ed)? (?:this |it )?properly\b|\bshould (?:be )?(?:fixed|done) (?:properly|in the\b)|\bthe fix for this should be\b|\bthe (?:right|proper) (?:thing|way) (?:is|would be) to\b/i },
  { kind: 'withdrawn', polarity: 'negative', re: /\bsuperseded\b|\bplease (?:drop|ignore|disregard)\b|\b(?:was|is) not correct\b|\bscratch that\b|\bdrop (?:this|my|the) patch\b|\balternative workaround\b|\b(?:I(?:'ll| will)|let me) (?:send|post|spin) a (?:v\d+|new version|proper|better|different)\b/i },
  // the patch helps, but a tester's build still breaks
  { kind: 'still-failing', polarity: 'negative', re: /\bstill (?:fails|failing|breaks|broken|see(?:s|ing)? (?:the|this|a) (?:same )?(?:error|failure|warning|link error)|get(?:s|ting)? (?:the|this|a) (?:same )?(?:error|failure|warning))\b|\b(?:does not|doesn't) fix (?:it|the (?:build|error|failure)) (?:for|on|with)\b/i },
  // acceptance
  { kind: 'applied', polarity: 'positive', re: /^\s*(?:thanks?[,!.]?\s*)?(?:now\s+)?(?:applied|queued|picked up|merged)\b(?! cleanly)|\b(?:I(?:'ve| have)?|we(?:'ve| have)?|has been|have been|series|patch(?:es)?|Thanks,?|and)\s+(?:now\s+|also\s+)?(?:applied|queued|picked up|merged)\b(?! (?:cleanly|on top))/i },
  // patchwork-bot: "This patch was applied to netdev/net-next.git (main)"
  { kind: 'applied', polarity: 'positive', re: /\b(?:patch|series) was applied to\b/i },
  { kind: 'applied', polarity: 'positive', re: /\bI (?:will|'ll|have|'ve) (?:apply|applied|queue|queued|take|taken|pick|picked) (?:it|this|that|the (?:fix|patch))\b|\bI(?:'ll| will) apply that\b/i },
  { kind: 'tested', polarity: 'positive', re: /\b(?:this|that|it|the patch|your patch|the fix) (?:fixes|fixed|cures|cured|resolves|resolved|solves|solved) (?:it|the (?:build|issue|problem|error|warning)|this|my|things)\b|\bthis cures it\b|\bcures it\b/i },
  { kind: 'acked', polarity: 'positive', re: /\bthanks? (?:you )?for (?:fixing|the fix\b|catching)|\bmy (?:mistake|bad|fault)\b/i },
  { kind: 'tested', polarity: 'positive', re: /\b(?:build (?:error|failure|issue|problem|warning)s? (?:has|have|is|are) (?:gone|fixed)|(?:it )?builds? (?:fine|again|cleanly) now|and it built fine|works for me|(?:this|that) fixes (?:the )?(?:build|issue|problem)(?: for me| on my end)?|no longer (?:fails|see the (?:error|warning)))\b/i },
];

const TRAILER_SIGNALS: Record<string, { kind: SignalKind; polarity: 'positive' | 'negative' }> = {
  'acked-by': { kind: 'acked', polarity: 'positive' },
  'reviewed-by': { kind: 'reviewed', polarity: 'positive' },
  'tested-by': { kind: 'tested', polarity: 'positive' },
  'reported-and-tested-by': { kind: 'tested', polarity: 'positive' },
  'nacked-by': { kind: 'nak', polarity: 'negative' },
  'naked-by': { kind: 'nak', polarity: 'negative' },
};

const CONDITIONAL = /\b(?:if|unless|whether|once|when|before|until)\b[^.]{0,40}$/i;
const QUOTE_INTRO = /^On .{6,160} wrote:\s*$|^.{3,80} (?:writes|wrote):\s*$/;

function nameOf(trailerValue: string): string {
  return trailerValue.replace(/\s*<[^>]*>.*$/, '').replace(/\s*#.*$/, '').trim();
}

/** "On Fri, Jan 18, 2013 at 3:08 PM, Jane Doe <jane at> wrote:" → "Jane Doe" (may span two lines). */
export function attributionName(line: string): string | undefined {
  const t = line.trim();
  if (!/(?:wrote|writes):\s*$/.test(t)) return undefined;
  const m = /(?:^|,)\s*([^,<>]{2,80}?)\s*(?:<[^>]*>|\([^)]*\))?\s*(?:wrote|writes):\s*$/.exec(t.replace(/^On\s+/, ''));
  const name = m?.[1]?.replace(/^["']|["']$/g, '').trim();
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
  const speakerAt: (string | undefined)[] = [];
  const out: ReviewSignal[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const joinsNext = /^On\s/.test(l.text) && !/wrote:\s*$/.test(l.text) && lines[i + 1] !== undefined && lines[i + 1]!.depth === l.depth;
    const joined = joinsNext ? `${l.text} ${lines[i + 1]!.text}` : l.text;
    const name = attributionName(joined);
    if (name) {
      speakerAt[l.depth + 1] = name;
      speakerAt.length = l.depth + 2;
      if (joinsNext) i++; // its "... wrote:" half is read: it must not name a speaker of its own
      continue;
    }
    if (l.depth === 0 || diffLines.has(l.n)) continue;
    const speaker = speakerAt[l.depth];
    if (!speaker) continue;
    for (const s of findSignals(messageId, speaker, [{ ...l, depth: 0 }], diffLines, false)) out.push({ ...s, quoted: true });
  }
  return out;
}

/**
 * Signals in one message's own lines. `speaker` is the sender; a trailer's
 * speaker is the person it names.
 */
export function findSignals(messageId: string, speaker: string, own: BodyLine[], diffLines: Set<number>, robot: boolean): ReviewSignal[] {
  if (robot) return [];
  const out: ReviewSignal[] = [];
  for (const l of own) {
    // quoted text is someone else's: findQuotedSignals attributes it
    if (l.depth > 0 || diffLines.has(l.n) || QUOTE_INTRO.test(l.text)) continue;
    const t = l.text;
    const tm = /^\s*([A-Za-z-]+-by):\s*(.+)$/.exec(t);
    if (tm) {
      const ts = TRAILER_SIGNALS[tm[1]!.toLowerCase()];
      if (ts) out.push({ kind: ts.kind, polarity: ts.polarity, speaker: nameOf(tm[2]!) || speaker, text: t.trim(), cite: { messageId, line: l.n } });
      continue;
    }
    for (const p of PATTERNS) {
      const m = p.re.exec(t);
      if (!m) continue;
      // "if this gets applied", "before it is merged": not an event
      if (p.polarity === 'positive' && CONDITIONAL.test(t.slice(0, m.index))) continue;
      if (p.kind === 'applied' && /\b(?:not|never|n't)\s+(?:be\s+)?$/.test(t.slice(0, m.index))) continue;
      // "wouldn't we need to export it?" asks; a refusal does not
      if (p.kind === 'refuse-export' && /\?\s*$/.test(t)) continue;
      if (out.some((o) => o.kind === p.kind && o.cite.line === l.n && o.speaker === speaker)) continue; // two patterns, one remark
      out.push({ kind: p.kind, polarity: p.polarity, speaker, text: t.trim().slice(0, 240), cite: { messageId, line: l.n } });
    }
  }
  return out;
}
