// A mail's prose as sentences: consecutive lines of one quote depth joined (a
// mailer wraps at 72 columns, so a phrase often spans two lines), cut at
// sentence ends. Lines that are code, logs, Kconfig, trailers or attribution
// lines are not prose and end a paragraph; each sentence cites the line it
// starts on.

import type { BodyLine } from './lines.js';

export interface Sentence {
  text: string;
  /** body line the sentence starts on */
  line: number;
  depth: number;
  /** ends with '?' */
  question: boolean;
}

const CODE_LINE = [
  /^\s*[#{}]/, // preprocessor, braces
  /[;{}]\s*$/, // statements
  /^\s*(?:if|for|while|switch)\s*\(/, // control flow
  /^\s*(?:return\b[^.]*;|else\b\s*(?:\{\s*)?$)/,
  /^\s*(?:static|extern|struct|const|unsigned|signed|int|void|u8|u16|u32|u64|s32|s64|bool|char|long|enum)(?:\s+[\w*]+(?: +[\w*]+)*|\s[^\S ]* )\s*[(;=[]/, // declarations (words, or blanks alone, before the '(' ';' '=' '[')
  /^\s*(?:config|menuconfig)\s+[A-Z0-9_]+\s*$/, // Kconfig
  /^\s*(?:depends on|select|imply|default|bool|tristate|def_bool|def_tristate)\b|^\s*help\s*$/,
  /^\s*(?:obj|ccflags|CFLAGS)[\w$()-]*\s*[+:]?=/, // Makefile
  /\S\.(?:c|h|S|o|ko):\d+/, // compiler and linker output
  /^\s*(?:\$ |# )?(?:make|git|gcc|clang|ld)\b.*\s-\S/, // commands
  /^\s+(?<=\t| {4})\S/, // indented (the leading blanks end in a tab or four spaces): pasted logs and code
  /^\s*[-+]{3}\s/, // diff headers
];

const NOT_PROSE = [
  /^\s*[A-Za-z-]+-by:\s/, // trailers
  /^\s*(?:Fixes|Link|Closes|Cc|Message-I[Dd]|Change-Id|Base-commit|base-commit):\s/, // tags
  /(?:wrote|writes):\s*$/, // attribution
  /^\s*On .{6,160}\b\d{4}\b.*(?:at|,)\s*$/, // the first half of a wrapped attribution
];

export function isProseLine(text: string): boolean {
  if (!text.trim()) return false;
  return !CODE_LINE.some((re) => re.test(text)) && !NOT_PROSE.some((re) => re.test(text));
}

// a full stop after these is not a sentence end
const ABBREV = /\b(?:e\.g|i\.e|etc|vs|cf|approx|resp|incl|Mr|Dr|no|v\d+(?:\.\d+)*)\.$/i;

/** Sentences of the lines at `depth` (all depths when undefined), skipping the given line numbers. */
export function proseSentences(lines: BodyLine[], skip: Set<number> = new Set(), depth?: number): Sentence[] {
  const out: Sentence[] = [];
  let buf = '';
  let starts: { at: number; line: number }[] = [];
  let paraDepth = -1;
  let prev = -1;
  const flush = () => {
    if (buf.trim()) cut(buf, starts, paraDepth, out);
    buf = '';
    starts = [];
  };
  for (const l of lines) {
    const usable = (depth === undefined || l.depth === depth) && !skip.has(l.n) && isProseLine(l.text);
    if (!usable || l.n !== prev + 1 || l.depth !== paraDepth) flush();
    prev = l.n;
    if (!usable) continue;
    paraDepth = l.depth;
    if (buf) buf += ' ';
    starts.push({ at: buf.length, line: l.n });
    buf += l.text.trim();
  }
  flush();
  return out;
}

function cut(buf: string, starts: { at: number; line: number }[], depth: number, out: Sentence[]): void {
  let from = 0;
  let k = 0;
  const lineAt = (offset: number) => {
    while (k + 1 < starts.length && starts[k + 1]!.at <= offset) k++;
    return starts[k]!.line;
  };
  const emit = (end: number) => {
    const raw = buf.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) out.push({ text, line: lineAt(from + lead), depth, question: /\?\s*["')]*$/.test(text) });
    from = end;
  };
  for (const m of buf.matchAll(/(?<![.!?])[.!?]+(?=\s|$)/g)) {
    const end = m.index! + m[0].length;
    if (m[0] === '.' && ABBREV.test(buf.slice(Math.max(0, m.index! - 12), end))) continue;
    emit(end);
  }
  if (from < buf.length) emit(buf.length);
}
