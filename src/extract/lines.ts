// A mail body as lines with their quote depth. Quoting is '>' with optional
// spaces ("> > ", ">>", and archives that indent "        > "). Two look-alikes
// are content, not quoting: ld.lld's ">>> referenced by" lines and the kernel
// test robot's ">> " marker for new errors (kept as content with robotNew set).

import { LIMITS } from '../core/limits.js';
import { DIAGNOSTIC_MARK, NOT_A_CONTINUATION, WRAP_RULES } from './vocab/wrap-rules.js';

export interface BodyLine {
  /** 1-based line number in the body */
  n: number;
  depth: number;
  /** the line with its quote markers removed */
  text: string;
  raw: string;
  /** robot report: this error line is new ('>>' prefix at depth 0) */
  robotNew?: boolean;
}

const LLD_CONTENT = /^>>>\s+(referenced by\b|\S+\.(o|a|so|lds)\b|\S+:\(|\S+\.o:|defined at\b)/;
const ROBOT_NEW = /^>>\s+(\S+:\d+:(\d+:)?\s+(error|warning|note)|ERROR:|WARNING:|\S+\.(c|h|S):\d+|[\w./-]*ld(\.lld|\.bfd)?:|\S+\.o: in function|\(\.text|vmlinux|undefined|Kconfig)/;

export function splitQuote(raw: string): { depth: number; text: string } {
  let i = 0;
  let depth = 0;
  // archives sometimes indent a quoted line; allow a little leading space before the first '>'
  let lead = 0;
  while (lead < raw.length && lead < 12 && (raw[lead] === ' ' || raw[lead] === '\t')) lead++;
  if (raw[lead] !== '>') return { depth: 0, text: raw };
  i = lead;
  for (;;) {
    if (raw[i] !== '>') break;
    // ld.lld's '>>>' lines are content at whatever depth they are quoted
    if (LLD_CONTENT.test(raw.slice(i))) break;
    depth++;
    i++;
    // "> > x", and archives that pad nested markers: ">         > x"
    let j = i;
    while (j < raw.length && j - i < 12 && (raw[j] === ' ' || raw[j] === '\t')) j++;
    if (j > i && raw[j] === '>') i = j;
    if (depth >= LIMITS.maxQuoteDepth) break;
  }
  if (raw[i] === ' ') i++;
  return { depth, text: raw.slice(i) };
}

export function bodyLines(body: string, robotReport = false): BodyLine[] {
  const raws = body.split('\n');
  if (raws.length && raws[raws.length - 1] === '') raws.pop();
  const out: BodyLine[] = new Array(raws.length);
  for (let k = 0; k < raws.length; k++) {
    const raw = raws[k]!;
    if (robotReport && ROBOT_NEW.test(raw)) {
      out[k] = { n: k + 1, depth: 0, text: raw.replace(/^>>\s+/, ''), raw, robotNew: true };
      continue;
    }
    const { depth, text } = splitQuote(raw);
    out[k] = { n: k + 1, depth, text, raw };
  }
  return out;
}

/** Is this mail a kernel test robot (or similar CI) report? Decides how '>>' reads. */
export function isRobotReport(from: string, body: string): boolean {
  if (/\b(lkp@intel\.com|kernel test robot|Hulk Robot|kbuild test robot|lkft|kernelci)\b/i.test(from)) return true;
  return /^All (errors|warnings) \(new ones prefixed by >>/m.test(body);
}

/** Unquoted lines only: what the sender wrote. */
export function ownLines(lines: BodyLine[]): BodyLine[] {
  return lines.filter((l) => l.depth === 0);
}

/** Text of a message's own words before its signature ("-- "). */
export function ownText(lines: BodyLine[]): BodyLine[] {
  const out: BodyLine[] = [];
  for (const l of lines) {
    if (l.depth === 0 && l.raw === '-- ') break;
    if (l.depth === 0) out.push(l);
  }
  return out;
}

/**
 * Toolchain lines a mailer wrapped, joined back (vocab/wrap-rules.ts) so the
 * failure shapes see them whole; a joined line keeps the first line's number.
 * HTML entities an archive left in ('&#39;') are decoded on the way.
 */
export function rejoinWrapped(lines: BodyLine[], skip: Set<number> = new Set()): BodyLine[] {
  const out: BodyLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (skip.has(l.n)) {
      out.push(l);
      continue;
    }
    let text = decodeEntities(l.text);
    // a line joins at most a few continuations: "error:" / the message / "[-Wflag]"
    for (let joins = 0; joins < 3 && i + 1 < lines.length; joins++) {
      const nx = lines[i + 1]!;
      if (nx.depth !== l.depth || skip.has(nx.n) || skip.has(l.n) || nx.n !== lines[i]!.n + 1 || !nx.text.trim()) break;
      const next = decodeEntities(nx.text);
      const rule = WRAP_RULES.find((r) => r.end.test(text) && r.next.test(next) && (r.glue === '' || (DIAGNOSTIC_MARK.test(text) && !NOT_A_CONTINUATION.test(next))));
      if (!rule || text.length + next.length > LIMITS.maxLineChars) break;
      text = rule.glue ? `${text.trimEnd()} ${next.trim()}` : `${text.trimEnd()}${next.trim()}`;
      i++;
    }
    out.push(text === l.text ? l : { ...l, text });
  }
  return out;
}

const ENTITIES: Record<string, string> = { '&#39;': "'", '&#x27;': "'", '&apos;': "'", '&quot;': '"', '&#34;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' };

function decodeEntities(t: string): string {
  return t.includes('&') ? t.replace(/&(?:#39|#x27|apos|quot|#34|lt|gt|amp);/g, (e) => ENTITIES[e] ?? e) : t;
}
