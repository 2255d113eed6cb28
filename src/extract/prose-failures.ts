// Build failures stated in words, by the sender (own lines, and the subject as
// line 0): most often a patch's own changelog ("bar() is only defined when
// CONFIG_FOO is set, so the driver fails to link with FOO=n"). One failure per
// sentence that states one (vocab/failure-phrases.ts), with the kind its words
// say, the symbol it names and the configuration with its polarity.

import { LIMITS } from '../core/limits.js';
import { literalHints, mayMatch } from './prefilter.js';
import type { BuildFailure, FailureKind } from '../core/types.js';
import { findContext } from './context.js';
import { rejoinWrapped, type BodyLine } from './lines.js';
import { FAILURE_SHAPES, hintIn, shapeMatchCounts } from './vocab/failure-shapes.js';
import {
  COUNTERFACTUAL,
  FAILURE_PHRASES,
  INTENDED_CODE,
  type CueLevel,
  NOT_A_REPORT_AFTER,
  LATER_PATCH,
  deniedBefore,
  QUESTION,
  SENTENCE_CLASS,
  SYMBOL_CUES,
  type FailurePhrase,
  type PhraseClass,
} from './vocab/failure-phrases.js';

/** A toolchain's own line ("foo.c:12: note: ... to silence this warning") is not prose about it. */
const TOOL_LINE = /\S\.(?:c|h|S|rs):\d+(?::\d+)?: (?:note|warning|error)\b|^\s*\d{0,6}\s{0,4}\||^\s*>>>|^\s*= (?:note|help):/;
/** Trailers and attributions: who reported or what commit, not a statement. */
const TRAILER = /^\s*(?:[A-Z][\w-]{1,40}-by|Fixes|Closes|Link|Cc|Reported|Suggested|Tested|Signed-off|Message-ID|References|In-Reply-To|Subject|From|Date|To|base-commit|change-id):\s/i;
/** A commit cited with its title: the title is history, not a report. */
const COMMIT_TITLE = /\b[0-9a-f]{7,40}\s{0,4}\(\s{0,4}["“][^"”]{0,300}["”]\s{0,4}\)/g;
/** Sentences end at . ! ? before a capital (and at a colon ending a line: a log follows, see below). */
const SENTENCE_END = /[.!?](?=\s{1,8}["'(‘“]?[A-Z0-9])/g;
/** A sentence longer than this is read in windows (flattened text without punctuation). */
const MAX_SENTENCE = 1500;

interface Sentence {
  text: string;
  line: number;
}

/** Own lines grouped into paragraphs and split into sentences, each cited at the line it starts on. */
export function sentencesWithLines(lines: BodyLine[], skip: Set<number>): Sentence[] {
  const out: Sentence[] = [];
  let buf = '';
  let starts: { at: number; line: number }[] = [];
  let prev = -2;
  let k = 0;
  // parentheses still open in buf, kept as lines are added (a rescan per line was quadratic)
  let open = 0;
  // sentences come in order: a cursor over the line starts, not a search per sentence
  const lineAt = (offset: number) => {
    while (k + 1 < starts.length && starts[k + 1]!.at <= offset) k++;
    return starts[k]?.line ?? 0;
  };
  const flush = () => {
    if (!buf) return;
    let from = 0;
    k = 0;
    const push = (end: number) => {
      const raw = buf.slice(from, end);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      for (let w = 0; w < text.length; w += MAX_SENTENCE) out.push({ text: text.slice(w, w + MAX_SENTENCE), line: lineAt(from + lead + w) });
      from = end;
    };
    for (const m of buf.matchAll(SENTENCE_END)) push(m.index! + 1);
    if (from < buf.length) push(buf.length);
    buf = '';
    starts = [];
    open = 0;
  };
  for (const l of lines) {
    // diff lines are most of a big patch: skipped before any work on their text
    const text = skip.has(l.n) ? '' : withoutToolOutput(l.text);
    const usable = text.trim() && !TOOL_LINE.test(text) && !TRAILER.test(text);
    if (!usable || l.n !== prev + 1) flush();
    prev = l.n;
    if (!usable) continue;
    if (buf) buf += '\n';
    starts.push({ at: buf.length, line: l.n });
    buf += text.trim();
    open += count(text, '(') - count(text, ')');
    // a line ending in ':' introduces a log: its sentence ends there (unless a "(" is still open)
    if (/:\s*$/.test(text) && open <= 0) flush();
  }
  flush();
  return out.filter((s) => s.text.length > 3);
}

/** A line with what toolchains printed on it blanked: their words are not the sender's statement. */
function withoutToolOutput(t: string): string {
  const spans: [number, number][] = [];
  for (const shape of FAILURE_SHAPES) {
    if (!hintIn(shape, t) || shape.name === 'rustc-plain') continue;
    const re = shape.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) {
      if (m[0].length === 0) re.lastIndex++;
      else if (shapeMatchCounts(shape, m)) spans.push([m.index, m.index + m[0].length]);
    }
  }
  if (!spans.length) return t;
  // one pass over the line, however many matches (a flattened page has thousands)
  const blank = new Uint8Array(t.length);
  for (const [a, b] of spans) blank.fill(1, a, b);
  let out = '';
  for (let i = 0; i < t.length; i++) out += blank[i] ? ' ' : t[i];
  return out;
}

const PHRASE_HINTS = new Map(FAILURE_PHRASES.map((p) => [p, literalHints(p.pattern)]));

/** The phrase in a sentence that states a failure, if any. */
function statedFailure(text: string): { phrase: FailurePhrase; at: number; match: string } | undefined {
  const lower = text.toLowerCase();
  for (const phrase of FAILURE_PHRASES) {
    if (!mayMatch(PHRASE_HINTS.get(phrase)!, lower)) continue;
    const m = phrase.pattern.exec(text);
    if (!m) continue;
    if (deniedBefore(text, m.index)) continue;
    // "the build would fail" is a guess, unless it is what happens without the patch
    if (/\b(?:would|could|might|should)\b/i.test(m[0]) && !COUNTERFACTUAL.test(text)) continue;
    if (NOT_A_REPORT_AFTER.some((n) => n.pattern.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40)))) continue;
    // "the build no longer fails": a negation inside a phrase with a gap
    if (!phrase.negative && /\b(?:not|never|no longer)\b|n't\b/i.test(m[0])) continue;
    // a warning the same sentence calls intended code is no failure (INTENDED_CODE)
    if (phrase.class === 'warning' && INTENDED_CODE.pattern.test(text)) continue;
    // one a patch still to come would cause is headed off, not reported (LATER_PATCH); read only
    // on a sentence that states a failure, as every sentence of every mail passes here
    if (LATER_PATCH.pattern.test(text)) return undefined;
    return { phrase, at: m.index, match: m[0] };
  }
  return undefined;
}

/** Words a cue may catch that are not symbols ("a reference to the ...", "the function is ..."). */
const NOT_SYMBOLS = new Set([
  'the',
  'this',
  'that',
  'these',
  'those',
  'its',
  'them',
  'some',
  'any',
  'all',
  'every',
  'one',
  'each',
  'other',
  'such',
  'which',
  'what',
  'symbol',
  'symbols',
  'function',
  'functions',
  'variable',
  'variables',
  'helper',
  'helpers',
  'macro',
  'macros',
]);

/**
 * A C identifier rather than an English word: it has '_' or a digit, or it is
 * called ("foo()"), or a diagnostic-like cue names it. All capitals are a macro
 * or a Kconfig name: only a compiler's "undeclared" wording names those.
 */
function looksLikeSymbol(id: string, cue: CueLevel, cueText: string): boolean {
  if (/^CONFIG_/.test(id) || NOT_SYMBOLS.has(id.toLowerCase())) return false;
  if (/^[A-Z0-9_]+$/.test(id)) return /_/.test(id) && /undeclared|implicit declaration/.test(cueText);
  if (/[_\d]/.test(id) || /\(\)/.test(cueText)) return true;
  // a plain word only where the wording is a linker's or compiler's own ("undefined reference to kmalloc")
  return cue === 'diagnostic' && /^[a-z]/.test(id) && /reference to|undefined symbol|declaration of/i.test(cueText);
}

/** The cues as global patterns, to see every place each one names a symbol. */
const GLOBAL_CUES = SYMBOL_CUES.map((c) => ({ ...c, pattern: new RegExp(c.pattern.source, c.pattern.flags.includes('g') ? c.pattern.flags : c.pattern.flags + 'g') }));

/**
 * The symbol a sentence names, by the strongest cue; among several calls the
 * one nearest before the failure phrase ("a() and b() have stubs but c() does
 * not, so it fails to link" is about c).
 */
export function symbolOfSentence(text: string, at = text.length): { symbol: string; cue: CueLevel } | undefined {
  for (const c of GLOBAL_CUES) {
    let best: RegExpExecArray | undefined;
    for (const m of text.matchAll(c.pattern)) {
      // "foo_*" names a family of symbols, not one
      if (text[m.index + m[0].length] === '*' || !looksLikeSymbol(m[1]!, c.cue, m[0])) continue;
      if (!best || m.index < at) best = m;
      if (m.index >= at) break;
    }
    if (best) return { symbol: best[1]!, cue: c.cue };
  }
  return undefined;
}

function classOf(phrase: FailurePhrase, match: string, text: string): PhraseClass {
  for (const c of SENTENCE_CLASS) if (c.pattern.test(text)) return c.class;
  if (phrase.class === 'build' && /warn/i.test(match)) return 'warning';
  if (phrase.class === 'warning' && /\berrors?\b/i.test(text) && !/warn/i.test(text)) return 'build';
  return phrase.class;
}

function kindOf(cls: PhraseClass, symbol: { symbol: string; cue: CueLevel } | undefined, text: string): FailureKind {
  switch (cls) {
    case 'warning':
      return 'warning';
    case 'kconfig':
      return 'kconfig-unmet';
    case 'link':
      if (!symbol || symbol.cue === 'mention') return 'build-prose';
      return /\bmodpost\b/.test(text) && /\S\.ko\b/.test(text) ? 'modpost-undefined' : 'undefined-reference';
    case 'compile':
      // a compile error the index can check: an identifier the compiler did not know
      if (symbol?.cue === 'diagnostic' && /implicit declaration|undeclared/.test(text)) return 'compile-error';
      return symbol?.cue === 'subject' && /only declared|declared only/.test(text) ? 'compile-error' : 'build-prose';
    default:
      return 'build-prose';
  }
}

/**
 * Prose reports of a build problem or a warning, in the sender's own words
 * only. The subject counts too, as line 0.
 */
export function findProseFailures(messageId: string, own: BodyLine[], diffLines: Set<number>, subject = ''): BuildFailure[] {
  const out: BuildFailure[] = [];
  // a toolchain line the mailer wrapped is blanked whole, not half
  const body = sentencesWithLines(rejoinWrapped(own, diffLines), diffLines);
  // the subject is a sentence of its own, whatever its punctuation
  const sentences = subject ? [...sentencesWithLines([{ n: 0, depth: 0, text: subject, raw: subject }], diffLines), ...body] : body;
  for (const s of sentences) {
    if (out.length >= LIMITS.maxFailuresPerMessage) break;
    // blanked, not removed: offsets still point at the sentence's lines
    const blanked = s.text.includes('(') ? s.text.replace(COMMIT_TITLE, (t) => t.replace(/[^\n]/g, ' ')) : s.text;
    // phrases read across the wrapped lines; the newlines stay countable in `blanked`
    const text = blanked.replace(/\n/g, ' ');
    if (QUESTION.test(text)) continue;
    const found = statedFailure(text);
    if (!found) continue;
    const symbol = symbolOfSentence(text, found.at);
    const context = findContext([text]);
    if (found.phrase.needs === 'symbol' && !symbol) continue;
    if (found.phrase.needs === 'subject' && !(symbol && found.match.includes(symbol.symbol))) continue;
    if (found.phrase.needs === 'config' && !context.configs.length) continue;
    const cls = classOf(found.phrase, found.match, text);
    const kind = kindOf(cls, symbol, text);
    const flag = /(?:^|[\s(\[])(-W(?!error\b)[a-z][\w=+-]{1,60})/
      .exec(text)?.[1]
      ?.replace(/^-Werror=/, '-W')
      .replace(/(?<![=.,;:])[=.,;:]+$/, '');
    const module = kind === 'modpost-undefined' ? /(\S{1,300}\.ko)\b/.exec(text)?.[1] : undefined;
    const unmetFor = kind === 'kconfig-unmet' ? /\bfor (?:CONFIG_)?([A-Z][A-Z0-9_]{1,100})\b/.exec(text)?.[1] : undefined;
    out.push({
      kind,
      message: s.text.replace(/\s+/g, ' ').slice(0, 300),
      symbol: kind === 'kconfig-unmet' ? unmetFor : symbol?.symbol,
      flag: kind === 'warning' ? flag : undefined,
      module,
      tool: kind === 'kconfig-unmet' ? 'kconfig' : undefined,
      configs: context.configs,
      fromRobot: false,
      inWords: true,
      // the line the statement is on, within its wrapped sentence
      cite: { messageId, line: s.line + countNewlines(blanked, found.at) },
      quoteDepth: 0,
    });
  }
  return out;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
