// Everything one message says: patches, failures, config context, commit
// references, trailers, review signals. Pure: a Message in, data out.

import type { BuildFailure, Extraction, Message, Patch } from '../core/types.js';
import { LIMITS } from '../core/limits.js';
import { displayName } from '../mail/names.js';
import { parseSubject } from '../mail/subject.js';
import { archOfTool, findContext, mergeContexts, sentences } from './context.js';
import { findDiffs, findDiffstat, mergeBlocks, type DiffBlock } from './diff.js';
import { attachmentPatches, sameDiff } from './attachments.js';
import { findFailures, findProseFailures, findRuntimeProblems } from './failures.js';
import { bodyLines, isRobotReport, ownText, type BodyLine } from './lines.js';
import { findKconfigSnippets } from './kconfig-snippets.js';
import { findPastedLogFailures } from './pasted-logs.js';
import { introducedByPatch, versionNoteLines } from './history.js';
import { findRefs, findTrailers } from './refs.js';
import { findQuotedSignals, findSignals, quotedSpeaker } from './signals.js';

/** Commit message of an inline patch: own lines before the diff, minus the diffstat. */
function descriptionBefore(lines: BodyLine[], firstLine: number, depth: number): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.n >= firstLine) break;
    if (l.depth !== depth) continue;
    out.push(l.text);
  }
  // git format-patch: the commit message ends at the '---' line
  const sep = out.lastIndexOf('---');
  const desc = sep >= 0 ? out.slice(0, sep) : out;
  return desc.join('\n').trim();
}

/** An embedded "Subject: [PATCH] ..." (a patch pasted into a reply, git send-email scissors). */
function embeddedSubject(lines: BodyLine[], firstLine: number, depth: number): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < lines.length && lines[i]!.n < firstLine; i++) {
    const l = lines[i]!;
    if (l.depth !== depth) continue;
    const m = /^Subject: (.*\S)\s*$/.exec(l.text);
    if (m) {
      let s = m[1]!;
      const nx = lines[i + 1];
      if (nx && nx.depth === depth && /^\s+\S/.test(nx.text)) s += ' ' + nx.text.trim();
      found = s;
    }
  }
  return found;
}

function shortlogTitle(text: string): string | undefined {
  // "Author Name (1):\n  title" or flattened "Author Name (1): title  path | 3 +--"
  // the title starts at its first non-blank, and a diffstat line is looked for where a run of blanks starts
  // (`\s+(.+?)` and `\s+path` retried inside runs of blanks: quadratic)
  const m = /\(\d+\):\s+(\S.*?)(?:\n\n|(?<!\s)\s+(?:[\w.+-]+\/)*[\w.+-]+\s+\|\s+\d+|\n\s*\n|$)/.exec(text);
  if (blankTitleBefore(text, m ? m.index : text.length)) return '';
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : undefined;
}

const isBreak = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * Did a "(N):" before `limit` have a title of blanks alone, which
 * `\(\d+\):\s+(.+?)(?:\n\n|\s+path\s+\|\s+\d+|\n\s*\n|$)` took when nothing
 * else fitted: a blank (not a line break, not the first) among the blanks after
 * it, then the end, a blank line, or more blanks and a diffstat line.
 */
function blankTitleBefore(text: string, limit: number): boolean {
  for (const h of text.matchAll(/\(\d+\):/g)) {
    if (h.index >= limit) break;
    const from = h.index + h[0].length;
    let end = from;
    let lastNewline = -1;
    for (; end < text.length && /\s/.test(text[end]!); end++) if (text[end] === '\n') lastNewline = end;
    const stat = /(?:[\w.+-]+\/)*[\w.+-]+\s+\|\s+\d+/y;
    stat.lastIndex = end;
    const statNext = stat.test(text);
    for (let j = from + 2; j <= end; j++) {
      if (isBreak(text[j - 1]!)) continue;
      if (j === text.length || (j < end && statNext) || (text[j] === '\n' && lastNewline > j)) return true;
    }
  }
  return false;
}

export function extractMessage(msg: Message): Extraction {
  const author = displayName(msg.from);
  const robot = isRobotReport(`${msg.from.name} <${msg.from.address}>`, msg.body);
  const lines = bodyLines(msg.body, robot);
  const blocks = findDiffs(lines);
  const diffLines = new Set<number>();
  // a reviewer's own lines between the hunks of a quoted diff are prose, not diff
  // a line's place in `lines` by its number: context lookups per failure are lookups, not scans
  const indexOf = new Map<number, number>();
  lines.forEach((l, i) => indexOf.set(l.n, i));
  const depthOf = new Map(lines.map((l) => [l.n, l.depth]));
  for (const b of blocks) for (let n = b.firstLine; n <= b.lastLine; n++) if (depthOf.get(n) === b.depth || !lines[n - 1]?.text.trim()) diffLines.add(n);

  const patches: Patch[] = [];
  const byDepth = new Map<number, DiffBlock[]>();
  for (const b of blocks) {
    const group = byDepth.get(b.depth);
    if (group) group.push(b);
    else byDepth.set(b.depth, [b]);
  }
  for (const [depth, group] of [...byDepth.entries()].sort((a, b) => a[0] - b[0])) {
    const merged = mergeBlocks(group);
    const embedded = embeddedSubject(lines, merged.first, depth);
    const subject = depth === 0 ? (embedded ?? msg.subject) : (embedded ?? msg.subject);
    const quoted = depth > 0;
    patches.push({
      messageId: quoted ? (msg.inReplyTo ?? msg.messageId) : msg.messageId,
      foundIn: msg.messageId,
      quoteDepth: depth,
      source: quoted ? 'quoted' : 'inline',
      subject,
      subjectInfo: parseSubject(subject),
      author: quoted ? (quotedSpeaker(lines, indexOf.get(merged.first) ?? -1, depth) ?? '') : embedded ? (embeddedAuthor(lines, merged.first) ?? author) : author,
      description: descriptionBefore(lines, merged.first, depth),
      files: merged.files,
      firstLine: merged.first,
      lastLine: merged.last,
      damage: merged.damage,
    });
  }

  // patches sent as attachments; one sent inline and attached too is one posting
  if (msg.attachments?.length) {
    const own = ownText(lines).map((l) => l.text);
    const sep = own.lastIndexOf('---');
    const mailDescription = (sep >= 0 ? own.slice(0, sep) : own).join('\n').trim();
    for (const p of attachmentPatches(msg, author, mailDescription)) if (!patches.some((q) => q.source === 'inline' && sameDiff(q, p))) patches.push(p);
  }

  if (!patches.some((p) => p.source === 'inline') && !msg.subjectInfo.isReply) {
    const stat = findDiffstat(lines);
    if (stat) {
      const own = lines
        .filter((l) => l.depth === 0)
        .map((l) => l.text)
        .join('\n');
      const title = shortlogTitle(own.slice(0, own.length));
      const subject = title ?? msg.subject;
      patches.push({
        messageId: msg.messageId,
        foundIn: msg.messageId,
        quoteDepth: 0,
        source: 'diffstat',
        subject,
        subjectInfo: parseSubject(subject),
        author,
        description: descriptionBefore(lines, stat.line, 0),
        files: stat.files.map((f) => ({ oldPath: f.path, newPath: f.path, status: 'modified', hunks: [], statOnly: true })),
        firstLine: stat.line,
        lastLine: stat.line,
        damage: ['only a diffstat: the hunks are not in this message'],
        ...(msg.pull ? { pull: msg.pull, damage: [`a pull request, not a patch: only its diffstat is here; the commits are at ${msg.pull.url}${msg.pull.ref ? ` ${msg.pull.ref}` : ''}`] } : {}),
      });
    }
  }

  const nonDiff = lines.filter((l) => !diffLines.has(l.n));
  const own = ownText(lines);
  const context = findContext(nonDiff.map((l) => l.text));
  const failures: BuildFailure[] = [
    ...findFailures({ messageId: msg.messageId, lines, diffLines, robot }),
    ...findProseFailures(msg.messageId, own, diffLines, msg.subjectInfo.isReply ? '' : msg.subjectInfo.topic),
    ...findRuntimeProblems(msg.messageId, own, diffLines),
  ].slice(0, LIMITS.maxFailuresPerMessage);
  // logs of tools no shape names, pasted under a sentence that introduces them; a block a
  // known shape already read is left to it
  const concreteLines = new Set(failures.filter((f) => f.kind !== 'build-prose' && f.kind !== 'runtime').map((f) => f.cite.line));
  if (!robot) {
    for (const f of findPastedLogFailures(msg.messageId, lines, diffLines)) {
      if (failures.length >= LIMITS.maxFailuresPerMessage) break;
      let near = false;
      for (let d = -12; d <= 12 && !near; d++) near = concreteLines.has(f.cite.line + d);
      if (!near) failures.push(f);
    }
  }
  // version notes tell an earlier revision's failures, and an error message the patch adds is
  // its new behaviour: neither is a failure this message reports
  const history = versionNoteLines(lines, diffLines);
  for (let k = failures.length - 1; k >= 0; k--) {
    const f = failures[k]!;
    if ((f.cite.line > 0 && history.has(f.cite.line)) || introducedByPatch(f, patches)) failures.splice(k, 1);
  }
  // a report's subject names the failing config ("... when !SMP on ARM"); a patch's subject
  // names the fix ("depend on !SMP"), which is not the configuration that failed
  const describesFailure = /\b(fail\w*|error|warning|broken|undefined|FTBFS|build|link)\b/i.test(msg.subjectInfo.topic);
  const subjectContext = findContext(msg.subjectInfo.isPatch && !describesFailure ? [] : [msg.subjectInfo.topic]);
  for (const f of failures) {
    // the failure's neighbourhood first (messages also discuss configs that work); where
    // it and the subject disagree, the lines next to it win
    const at = indexOf.get(f.cite.line) ?? -1;
    const near = findContext(neighbourhood(lines, at, f.message, diffLines));
    // the sentence that introduces a pasted log states what was built; the sentences
    // before it may describe what other configurations do
    // a failure stated in words carries the configuration of its own sentence
    const intro = f.configs.length ? { configs: f.configs } : findContext(f.kind === 'build-prose' ? [f.message] : introduction(lines, at, diffLines));
    if (intro.configs.length) near.configs = intro.configs;
    const local = mergeContexts(near, subjectContext);
    f.arch ??= archOfTool(f.tool) ?? (local.arches.length === 1 ? local.arches[0] : context.arches.length === 1 ? context.arches[0] : undefined);
    f.configs = (local.configs.length ? local.configs : context.configs).slice();
    f.configName ??= local.configNames[0] ?? context.configNames[0];
  }
  const problemStatements = questions(own.filter((l) => !diffLines.has(l.n)))
    .filter((q) => /\b(problem|issue|wrong|work|fail|corrupt|crash|bug|safe|flush|error|race|leak|hang)\w*/i.test(q.text))
    .map((q) => ({ text: q.text, cite: { messageId: msg.messageId, line: q.line } }));

  return {
    messageId: msg.messageId,
    patches,
    failures,
    context,
    refs: findRefs(msg.messageId, lines, diffLines),
    trailers: findTrailers(msg.messageId, lines, diffLines),
    signals: [...findSignals(msg.messageId, author, own, diffLines, robot, msg.from.address), ...findQuotedSignals(msg.messageId, lines, diffLines, robot)],
    problemStatements,
    kconfig: findKconfigSnippets(msg.messageId, lines, diffLines),
  };
}

function embeddedAuthor(lines: BodyLine[], before: number): string | undefined {
  for (const l of lines) {
    if (l.n >= before) break;
    const name = l.depth === 0 ? fromName(l.text) : undefined;
    if (name !== undefined) return name.replace(/"/g, '').trim();
  }
  return undefined;
}

const isBlank = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * What `/^From: (.+?)\s*(?:<[^>]*>)?\s*$/` took for the name, found by searches
 * (the lazy name and the blanks around the address split a long line every
 * way): the text before a final "<...>" (its '<' the first after any earlier
 * '>', not the first character) or before the trailing blanks, at least one
 * character, on one line.
 */
function fromName(text: string): string | undefined {
  if (!text.startsWith('From: ') || text.length === 6) return undefined;
  const rest = text.slice(6);
  let end = rest.length;
  while (end > 0 && isBlank(rest[end - 1])) end--;
  let cut = Math.max(1, end);
  if (rest[end - 1] === '>') {
    const close = end - 1;
    let open = rest.indexOf('<', rest.lastIndexOf('>', close - 1) + 1);
    if (open === 0) open = rest.indexOf('<', 1);
    if (open >= 0 && open < close) {
      while (open > 1 && isBlank(rest[open - 1])) open--;
      cut = open;
    }
  }
  const name = rest.slice(0, cut);
  return /[\n\r\u2028\u2029]/.test(name) ? undefined : name;
}

/** Text around a failure (at: its line's index in `lines`): a few lines before and after, or a window of a flattened line. */
function neighbourhood(lines: BodyLine[], at: number, message: string, diffLines: Set<number>): string[] {
  if (at < 0) return [];
  const own = lines[at]!.text;
  if (own.length > 1000) {
    const pos = Math.max(0, own.indexOf(message.slice(0, 40)));
    return [own.slice(Math.max(0, pos - 400), pos + message.length + 100)];
  }
  return lines
    .slice(Math.max(0, at - 4), at + 3)
    .filter((l) => !diffLines.has(l.n))
    .map((l) => l.text);
}

/** The sentence ending in ':' right above the log a failure line belongs to (at: its index in `lines`), if any. */
function introduction(lines: BodyLine[], at: number, diffLines: Set<number>): string[] {
  if (at < 0) return [];
  const depth = lines[at]!.depth;
  // back over the indented log block and blank lines
  let i = at - 1;
  while (i >= 0 && at - i <= 12 && lines[i]!.depth === depth && !diffLines.has(lines[i]!.n) && (!lines[i]!.text.trim() || /^\s/.test(lines[i]!.text))) i--;
  if (i < 0 || at - i > 12 || lines[i]!.depth !== depth || diffLines.has(lines[i]!.n) || !/:\s*$/.test(lines[i]!.text)) return [];
  const para: string[] = [];
  for (at = i; at >= 0 && lines[at]!.text.trim() && !/^\s/.test(lines[at]!.text) && lines[at]!.depth === depth && i - at < 8; at--) para.unshift(lines[at]!.text);
  return sentences(para).slice(-1);
}

/** Questions in the sender's own text, whole sentences even when wrapped over lines. */
function questions(own: BodyLine[]): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let buf = '';
  // where each line of the paragraph starts in buf, to cite the line a question starts on
  let starts: { at: number; line: number }[] = [];
  let prev = -1;
  let k = 0;
  // questions come in order: a cursor, not a search per question
  const lineAt = (offset: number) => {
    while (k + 1 < starts.length && starts[k + 1]!.at <= offset) k++;
    return starts[k]?.line ?? 0;
  };
  const flush = () => {
    k = 0;
    // what /[^.!?]*\?/g matches, found in one pass: that regex retries from every
    // position of a long run without '.', '!' or '?' (a pasted log or .config) and
    // was quadratic; each question is the text since the previous terminator
    let from = 0;
    for (const t of buf.matchAll(/[.!?]/g)) {
      const end = t.index! + 1;
      const piece = t[0] === '?' ? buf.slice(from, end) : '';
      const begin = from + (piece.length - piece.trimStart().length);
      from = end;
      if (!piece) continue;
      const text = piece.replace(/\s+/g, ' ').trim();
      if (text.length > 10) out.push({ text: text.slice(0, 300), line: lineAt(begin) });
    }
    buf = '';
    starts = [];
  };
  for (const l of own) {
    if (!l.text.trim() || l.n !== prev + 1) flush();
    if (l.text.trim()) {
      buf += ' ';
      starts.push({ at: buf.length, line: l.n });
      buf += l.text.trim();
    }
    prev = l.n;
  }
  flush();
  return out;
}
