// Diffs in mail bodies: posted inline, quoted in replies at any '>' depth, or
// damaged on the way (a `diff --git` line that lost its b/ path or was wrapped,
// context lines that lost their leading space, re-wrapped long lines, hunks cut
// short by the quoting reviewer). A repair pass rebuilds a unified diff, which
// parse-diff then parses; every diff line keeps the mail line it came from.
//
// The scanner's states:
//   SEEK    looking for a file header: `diff --git`, `diff --cc` (a merge's
//           combined diff), or `--- a/x` followed by `+++ b/x`, or a bare `@@`
//           hunk header (pasted hunk, file unknown)
//   HEADER  inside the extended header (index, mode, rename, ---/+++ lines);
//           `GIT binary patch` and its base85 payload, or `Binary files …
//           differ`, complete a binary file (no hunks) and go to AFTER
//   HUNK    reading hunk lines until the header's old/new counts are met; lines
//           quoted less deeply than the diff are a reviewer's comments and are
//           skipped; a non-diff line either joins the previous (re-wrapped),
//           is context that lost its space (looks like code), or ends the hunk
//   AFTER   a hunk is complete: `@@` opens the next hunk, a file header the next
//           file, anything else ends the block
//
// A combined diff's hunks (`@@@ -a,b -c,d +e,f @@@`, one prefix column per
// parent) are kept as a unified diff against the first parent: a line is
// context when that parent and the result both have it, added when the
// result has it and that parent does not, removed when only that parent has it.

import parseDiff from 'parse-diff';
import { LIMITS } from '../core/limits.js';
import type { DiffLine, FileDiff, Hunk } from '../core/types.js';
import type { BodyLine } from './lines.js';

export interface DiffBlock {
  depth: number;
  files: FileDiff[];
  firstLine: number;
  lastLine: number;
  damage: string[];
}

interface WorkHunk {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string;
  lines: DiffLine[];
  oldSeen: number;
  newSeen: number;
  truncated: boolean;
}

interface WorkFile {
  oldPath: string;
  newPath: string;
  status: FileDiff['status'];
  hunks: WorkHunk[];
  binary?: boolean;
  /** parents of a combined diff; 1 for an ordinary one */
  parents: number;
}

const DIFF_GIT = /^diff --git (?:"?a\/)?(\S+?)"?(?: "?b\/(\S+?)"?)?\s*$/;
// a tab then anything (a timestamp), or blanks, to the end (`(?:\t.*)?\s*$` let `.*` and `\s*` share trailing blanks)
const MINUS_FILE = /^--- (?:"?a\/)?([^\t\s"]+)"?(?:\t.*(?:[\n\r\u2028\u2029]\s*)?|\s*)$/;
const PLUS_FILE = /^\+\+\+ (?:"?b\/)?([^\t\s"]+)"?(?:\t.*(?:[\n\r\u2028\u2029]\s*)?|\s*)$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const EXT_HEADER =
  /^(index [0-9a-f]+(?:,[0-9a-f]+)*\.\.[0-9a-f]+|new file mode|deleted file mode|old mode|new mode|mode [0-7]+(?:,[0-7]+)+\.\.[0-7]+|similarity index|dissimilarity index|rename from|rename to|copy from|copy to|Binary files .* differ|GIT binary patch)/;
/** `diff --cc path` / `diff --combined path`: a merge's combined diff names the file once. */
const DIFF_CC = /^diff --(?:cc|combined) "?([^\s"]+)"?\s*$/;
/** A line of a binary patch's payload: its size line, or base85 data (a length letter, then data). */
const BINARY_SIZE = /^(?:literal|delta) \d+$/;
const BASE85_LINE = /^[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]+$/;

interface HunkHead {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string;
  /** 1 for `@@`, n for a combined hunk of n parents (n+1 '@') */
  parents: number;
}

/** An `@@` hunk header, or a combined one (`@@@ -a,b -c,d +e,f @@@`); its old range is the first parent's. */
function hunkHead(t: string): HunkHead | undefined {
  const hh = HUNK_HEADER.exec(t);
  if (hh)
    return {
      oldStart: Number(hh[1]),
      oldLines: hh[2] === undefined ? 1 : Number(hh[2]),
      newStart: Number(hh[3]),
      newLines: hh[4] === undefined ? 1 : Number(hh[4]),
      section: (hh[5] ?? '').trim(),
      parents: 1,
    };
  if (!t.startsWith('@@@')) return undefined;
  let ats = 0;
  while (t[ats] === '@' && ats < 16) ats++;
  const close = t.indexOf(' ' + '@'.repeat(ats), ats);
  if (t[ats] !== ' ' || close < 0) return undefined;
  const ranges = t.slice(ats + 1, close).split(' ');
  if (ranges.length !== ats) return undefined;
  const range = (r: string, sign: string) => (r[0] === sign && /^.\d+(?:,\d+)?$/.test(r) ? r.slice(1).split(',').map(Number) : undefined);
  const first = range(ranges[0]!, '-');
  const result = range(ranges[ranges.length - 1]!, '+');
  if (!first || !result || !ranges.slice(1, -1).every((r) => range(r, '-'))) return undefined;
  return { oldStart: first[0]!, oldLines: first[1] ?? 1, newStart: result[0]!, newLines: result[1] ?? 1, section: t.slice(close + ats + 1).trim(), parents: ats - 1 };
}

function looksLikeCode(t: string): boolean {
  return (
    /[;{}]\s*$|^\s*(#\s*(if|ifdef|ifndef|else|elif|endif|define|include|undef)\b|\/\/|\/\*|\*|}|\w+\s*\(.*\)\s*;?$)|^\s*(config|menuconfig|depends on|select|default|bool|tristate|help|if|endif|endmenu|obj-|ccflags-|\w+-\$\()/.test(
      t,
    ) ||
    // a C declaration line: "static int foo(void)", "struct page *bar(unsigned long x,"
    /^\s*(?:static|extern|inline|void|int|long|unsigned|struct|union|enum|bool|char|const)\b.*[(),]\s*$/.test(t)
  );
}

/** Structural diff lines are accepted at any quote depth: mangling moves them. */
function isStructural(t: string): boolean {
  return DIFF_GIT.test(t) || DIFF_CC.test(t) || MINUS_FILE.test(t) || PLUS_FILE.test(t) || hunkHead(t) !== undefined || EXT_HEADER.test(t);
}

function stripPath(p: string): string {
  return p.replace(/^"|"$/g, '');
}

export function findDiffs(lines: BodyLine[]): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = findStart(lines, i);
    if (start < 0) break;
    const { block, next } = readBlock(lines, start);
    if (block && block.files.some((f) => f.hunks.length > 0 || f.status !== 'modified' || f.binary)) blocks.push(block);
    i = Math.max(next, start + 1);
  }
  return blocks;
}

function findStart(lines: BodyLine[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const t = lines[i]!.text;
    if (t.startsWith('diff --git ') || DIFF_CC.test(t)) return i;
    if (t.startsWith('--- ')) {
      const nxt = nextContent(lines, i + 1, lines[i]!.depth);
      if (nxt >= 0 && PLUS_FILE.test(lines[nxt]!.text)) return i;
    }
    if (hunkHead(t)) return i;
  }
  return -1;
}

/** Next line at least as deep as `depth` (skipping a reviewer's interleaved comments and blanks). */
function nextContent(lines: BodyLine[], from: number, depth: number): number {
  for (let k = from; k < Math.min(lines.length, from + 6); k++) {
    const l = lines[k]!;
    if (isStructural(l.text)) return k;
    if (l.depth >= depth && l.text.trim() !== '') return k;
  }
  return -1;
}

function readBlock(lines: BodyLine[], start: number): { block: DiffBlock | null; next: number } {
  const depth = lines[start]!.depth;
  const damage: string[] = [];
  const files: WorkFile[] = [];
  let file: WorkFile | undefined;
  let hunk: WorkHunk | undefined;
  let state: 'HEADER' | 'HUNK' | 'AFTER' = 'HEADER';
  let last = start;
  let i = start;
  let prevDiffLine: DiffLine | undefined;
  let prevRawLen = 0;

  const openFile = (oldPath: string, newPath: string, parents = 1) => {
    file = { oldPath, newPath, status: 'modified', hunks: [], parents };
    if (files.length < LIMITS.maxFilesPerPatch) files.push(file);
    hunk = undefined;
  };
  const closeHunk = () => {
    if (!hunk) return;
    if (hunk.oldSeen < hunk.oldLines || hunk.newSeen < hunk.newLines) {
      hunk.truncated = true;
      // blank lines we took for context at the cut are more likely separators
      while (hunk.lines.length && hunk.lines[hunk.lines.length - 1]!.kind === 'ctx' && hunk.lines[hunk.lines.length - 1]!.text === '') {
        hunk.lines.pop();
        hunk.oldSeen--;
        hunk.newSeen--;
      }
      if (depth === 0) damage.push(`hunk "${hunk.header}" of ${file?.newPath ?? '?'} stops after ${hunk.oldSeen}/${hunk.oldLines} old and ${hunk.newSeen}/${hunk.newLines} new lines`);
    }
    hunk = undefined;
  };

  for (; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.text;

    if (t.startsWith('diff --git ')) {
      closeHunk();
      let m = DIFF_GIT.exec(t);
      let a = m?.[1] ?? t.slice(11).trim().split(/\s+/)[0]!.replace(/^a\//, '');
      let b = m?.[2];
      if (!b) {
        const nx = lines[i + 1];
        if (nx && /^b\/\S+$/.test(nx.text.trim())) {
          b = nx.text.trim().slice(2);
          damage.push(`line ${l.n}: "diff --git" line was wrapped; joined with line ${nx.n}`);
          i++;
        } else {
          damage.push(`line ${l.n}: "diff --git" line lost its b/ path; taken from ---/+++ lines`);
        }
      }
      openFile(stripPath(a), stripPath(b ?? a));
      state = 'HEADER';
      last = i;
      continue;
    }

    const cc = DIFF_CC.exec(t);
    if (cc) {
      closeHunk();
      openFile(cc[1]!, cc[1]!, 2);
      state = 'HEADER';
      last = i;
      continue;
    }

    if (state === 'HEADER' || state === 'AFTER') {
      if (file && file.hunks.length && t.startsWith('\\ No newline')) {
        last = i; // follows the last line of a complete hunk
        continue;
      }
      if (EXT_HEADER.test(t)) {
        if (!file) break;
        if (t.startsWith('GIT binary patch') || t.startsWith('Binary files ')) {
          file.binary = true;
          last = t.startsWith('GIT binary patch') ? binaryPayloadEnd(lines, i) : i;
          i = last;
          state = 'AFTER';
          continue;
        }
        if (t.startsWith('new file mode')) file.status = 'added';
        else if (t.startsWith('deleted file mode')) file.status = 'deleted';
        else if (t.startsWith('rename from') || t.startsWith('rename to')) file.status = 'renamed';
        else if ((t.startsWith('old mode') || t.startsWith('new mode')) && file.status === 'modified') file.status = 'mode';
        last = i;
        continue;
      }
      if (t.startsWith('--- ')) {
        const nxt = nextContent(lines, i + 1, l.depth);
        const plus = nxt >= 0 ? PLUS_FILE.exec(lines[nxt]!.text) : null;
        const mm = MINUS_FILE.exec(t);
        if (plus && mm) {
          closeHunk();
          const oldP = t.startsWith('--- /dev/null') ? '/dev/null' : stripPath(mm[1]!);
          const newP = lines[nxt]!.text.startsWith('+++ /dev/null') ? '/dev/null' : stripPath(plus[1]!);
          if (!file || state === 'AFTER' || file.hunks.length) openFile(oldP === '/dev/null' ? newP : oldP, newP === '/dev/null' ? oldP : newP);
          if (file) {
            if (oldP === '/dev/null') file.status = 'added';
            if (newP === '/dev/null') file.status = 'deleted';
            if (file.oldPath !== oldP && oldP !== '/dev/null') file.oldPath = oldP;
            if (file.newPath !== newP && newP !== '/dev/null') file.newPath = newP;
          }
          i = nxt;
          last = i;
          state = 'HEADER';
          continue;
        }
      }
      const lonePlus = PLUS_FILE.exec(t);
      if (lonePlus && file && file.hunks.length === 0) {
        // the '---' line was lost; '+++' still names the file
        if (!t.startsWith('+++ /dev/null')) file.newPath = stripPath(lonePlus[1]!);
        damage.push(`line ${l.n}: "+++" line without its "---" line`);
        last = i;
        continue;
      }
      const hh = hunkHead(t);
      if (hh) {
        closeHunk();
        if (!file) {
          openFile('?', '?', hh.parents);
          damage.push(`line ${l.n}: hunk without a file header; file unknown`);
        }
        // a combined hunk's header says how many parents; the file's later hunks must agree
        if (hh.parents !== file!.parents) {
          if (file!.hunks.length) damage.push(`line ${l.n}: a hunk for ${hh.parents} parent(s) after hunks for ${file!.parents}`);
          file!.parents = hh.parents;
        }
        hunk = {
          header: hh.parents > 1 ? t.slice(0, t.indexOf(' @@', hh.parents + 1) + hh.parents + 2) : t.replace(/ @@ .*$/, ' @@'),
          oldStart: hh.oldStart,
          oldLines: hh.oldLines,
          newStart: hh.newStart,
          newLines: hh.newLines,
          section: hh.section,
          lines: [],
          oldSeen: 0,
          newSeen: 0,
          truncated: false,
        };
        if (file!.hunks.length < LIMITS.maxHunksPerFile) file!.hunks.push(hunk);
        state = 'HUNK';
        prevDiffLine = undefined;
        last = i;
        continue;
      }
      if (state === 'HEADER' && file && file.hunks.length === 0 && l.depth < depth && depth > 0) continue; // comment inside a quoted header
      break; // AFTER: the block is over
    }

    // state === 'HUNK'
    const h = hunk!;
    if (h.oldSeen >= h.oldLines && h.newSeen >= h.newLines) {
      closeHunk();
      state = 'AFTER';
      i--; // re-read this line in AFTER
      continue;
    }
    if (hunkHead(t) || DIFF_CC.test(t) || (t.startsWith('--- ') && PLUS_FILE.test(lines[nextContent(lines, i + 1, l.depth)]?.text ?? ''))) {
      closeHunk();
      state = 'AFTER';
      i--;
      continue;
    }
    if (depth > 0 && l.depth < depth && !isStructural(t)) {
      // an interleaved review comment (or the reviewer's own blank line)
      continue;
    }
    if (depth === 0 && l.raw === '-- ') {
      closeHunk();
      break;
    }
    const parents = file!.parents;
    if (parents > 1 && t.length >= parents && /^[ +-]+$/.test(t.slice(0, parents))) {
      // a combined line, read against the first parent (see the top of this file)
      const cols = t.slice(0, parents);
      const kindOf: DiffLine['kind'] | undefined = cols[0] === '-' ? 'del' : cols.includes('-') ? undefined : cols[0] === '+' ? 'add' : 'ctx';
      last = i;
      if (!kindOf) continue; // only in another parent: neither in the first nor in the result
      const dl: DiffLine = { kind: kindOf, text: t.slice(parents), mailLine: l.n };
      h.lines.push(dl);
      if (kindOf !== 'add') h.oldSeen++;
      if (kindOf !== 'del') h.newSeen++;
      prevDiffLine = dl;
      prevRawLen = l.raw.length;
      continue;
    }
    const c = t[0];
    let kind: DiffLine['kind'] | undefined;
    let text = t;
    if (c === '+') {
      kind = 'add';
      text = t.slice(1);
    } else if (c === '-') {
      kind = 'del';
      text = t.slice(1);
    } else if (c === ' ') {
      kind = 'ctx';
      text = t.slice(1);
    } else if (c === '\\') {
      last = i;
      continue; // "\ No newline at end of file"
    } else if (t === '') {
      kind = 'ctx';
      text = '';
    } else if (prevDiffLine && prevRawLen >= 60 && !/^\s*$/.test(t)) {
      // re-wrapped by a mail client: join with the line it was cut from
      prevDiffLine.text += ' ' + t;
      damage.push(`line ${l.n}: re-wrapped diff line joined to line ${prevDiffLine.mailLine}`);
      last = i;
      prevRawLen = t.length;
      continue;
    } else if (looksLikeCode(t)) {
      kind = 'ctx';
      damage.push(`line ${l.n}: context line lost its leading space`);
    } else {
      closeHunk();
      break; // prose: the hunk was cut short
    }
    if (kind === 'add' && h.newSeen >= h.newLines) {
      closeHunk();
      break;
    }
    if (kind === 'del' && h.oldSeen >= h.oldLines) {
      closeHunk();
      break;
    }
    if (kind === 'ctx' && (h.oldSeen >= h.oldLines || h.newSeen >= h.newLines)) {
      // a hand-edited hunk whose header miscounts one side: keep reading while the other side needs lines
      damage.push(`line ${l.n}: hunk "${h.header}" has more lines than its header counts`);
    }
    const dl: DiffLine = { kind, text, mailLine: l.n };
    h.lines.push(dl);
    if (kind !== 'add') h.oldSeen++;
    if (kind !== 'del') h.newSeen++;
    prevDiffLine = dl;
    prevRawLen = l.raw.length;
    last = i;
  }
  closeHunk();
  if (!files.length) return { block: null, next: i + 1 };
  const parsed = viaParseDiff(files, damage);
  return {
    block: { depth, files: parsed, firstLine: lines[start]!.n, lastLine: lines[Math.min(last, lines.length - 1)]!.n, damage },
    next: last + 1,
  };
}

/**
 * Index of the last line of a `GIT binary patch` payload starting after line
 * `at`: `literal N`/`delta N` sections of base85 lines, the forward and the
 * reverse one separated by a blank line.
 */
function binaryPayloadEnd(lines: BodyLine[], at: number): number {
  let end = at;
  let inSection = false;
  for (let k = at + 1; k < lines.length; k++) {
    const t = lines[k]!.text;
    if (BINARY_SIZE.test(t)) inSection = true;
    else if (inSection && BASE85_LINE.test(t)) {
      // base85 data
    } else if (!t.trim() && inSection) {
      inSection = false;
      end = k;
      continue;
    } else break;
    end = k;
  }
  return end;
}

/** Above this many diff lines in one block, parse-diff's cross-check is skipped (see viaParseDiff). */
export const CROSS_CHECK_MAX_LINES = 5000;

/** A worked hunk as the patch keeps it, with the lines given. */
function asHunk(wh: WorkHunk, lines: DiffLine[]): Hunk {
  return { header: wh.header, oldStart: wh.oldStart, oldLines: wh.oldLines, newStart: wh.newStart, newLines: wh.newLines, section: wh.section, lines, truncated: wh.truncated };
}

function asFileDiff(w: WorkFile, hunks: Hunk[] = w.hunks.map((wh) => asHunk(wh, wh.lines))): FileDiff {
  return { oldPath: w.oldPath, newPath: w.newPath, status: w.status, hunks, ...(w.binary ? { binary: true } : {}), ...(w.parents > 1 ? { parents: w.parents } : {}) };
}

/**
 * Re-emit the repaired diff as text (hunk headers restated with the counts we
 * actually have) and let parse-diff read it; each change maps back, in order,
 * to the mail line it came from.
 */
function viaParseDiff(files: WorkFile[], damage: string[]): FileDiff[] {
  // the cross-check only ever adds a damage note (aligned, its lines are ours by construction);
  // on a vendored import of tens of thousands of lines it was a third of the whole reading
  let size = 0;
  for (const f of files) for (const h of f.hunks) size += h.lines.length;
  if (size > CROSS_CHECK_MAX_LINES) return files.map((w) => asFileDiff(w));
  const text: string[] = [];
  const lineMap: number[] = [];
  for (const f of files) {
    text.push(`diff --git a/${f.oldPath} b/${f.newPath}`);
    if (f.status === 'added') text.push('new file mode 100644');
    if (f.status === 'deleted') text.push('deleted file mode 100644');
    text.push(`--- ${f.status === 'added' ? '/dev/null' : 'a/' + f.oldPath}`);
    text.push(`+++ ${f.status === 'deleted' ? '/dev/null' : 'b/' + f.newPath}`);
    for (const h of f.hunks) {
      const oldN = h.lines.filter((x) => x.kind !== 'add').length;
      const newN = h.lines.filter((x) => x.kind !== 'del').length;
      text.push(`@@ -${h.oldStart},${oldN} +${h.newStart},${newN} @@${h.section ? ' ' + h.section : ''}`);
      for (const x of h.lines) {
        text.push((x.kind === 'add' ? '+' : x.kind === 'del' ? '-' : ' ') + x.text);
        lineMap.push(x.mailLine);
      }
    }
  }
  const parsed = parseDiff(text.join('\n') + '\n');
  let k = 0;
  const out: FileDiff[] = [];
  let aligned = parsed.length === files.length;
  for (let fi = 0; fi < files.length; fi++) {
    const w = files[fi]!;
    const p = aligned ? parsed[fi] : undefined;
    const hunks: Hunk[] = [];
    for (let hi = 0; hi < w.hunks.length; hi++) {
      const wh = w.hunks[hi]!;
      const chunk = p?.chunks[hi];
      let dlines: DiffLine[];
      if (chunk && chunk.changes.length === wh.lines.length) {
        dlines = chunk.changes.map((ch) => ({
          kind: ch.type === 'add' ? 'add' : ch.type === 'del' ? 'del' : 'ctx',
          text: ch.content.slice(1),
          mailLine: lineMap[k++]!,
        }));
      } else {
        aligned = false;
        dlines = wh.lines;
        k += wh.lines.length;
      }
      hunks.push(asHunk(wh, dlines));
    }
    out.push(asFileDiff(w, hunks));
  }
  if (!aligned) damage.push('parse-diff disagreed with the repaired structure; the repair pass result is kept');
  return out;
}

/** The blocks of one depth as one patch: all their files (up to the limit), from the first line to the last. */
export function mergeBlocks(blocks: DiffBlock[]): { files: FileDiff[]; first: number; last: number; damage: string[] } {
  // loops, not Math.min(...xs): a mail of 100,000 one-line hunks overflows the call stack
  const files: FileDiff[] = [];
  const damage: string[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const b of blocks) {
    for (const f of b.files) if (files.length < LIMITS.maxFilesPerPatch) files.push(f);
    for (const d of b.damage) damage.push(d);
    first = Math.min(first, b.firstLine);
    last = Math.max(last, b.lastLine);
  }
  return { files, first, last, damage };
}

// ---- diffstat (cover letters) ---------------------------------------------------------

export interface Diffstat {
  files: { path: string; changes: number }[];
  filesChanged: number;
  insertions: number;
  deletions: number;
  line: number;
}

const STAT_SUMMARY = /\b(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?/;
const STAT_ENTRY = /(?:^|\s)((?:[\w.+-]+\/)*[\w.+-]*[\w+-](?:\.[\w+-]+)?)\s+\|\s+(\d+)(?: [+-]+)?(?=\s|$)/g;

/** A git diffstat, also when the archive flattened it onto one line. */
export function findDiffstat(lines: BodyLine[]): Diffstat | null {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.depth !== 0) continue;
    const sm = STAT_SUMMARY.exec(l.text);
    if (!sm) continue;
    // entries sit on the lines just above, or before the summary on the same line
    const scope = [
      ...lines
        .slice(Math.max(0, i - 60), i)
        .filter((x) => x.depth === 0)
        .map((x) => x.text),
      l.text.slice(0, sm.index),
    ].join('\n');
    const files: { path: string; changes: number }[] = [];
    let m: RegExpExecArray | null;
    STAT_ENTRY.lastIndex = 0;
    while ((m = STAT_ENTRY.exec(scope))) {
      const path = m[1]!;
      if (!/[/.]|^(Makefile|Kconfig|Kbuild|MAINTAINERS)/.test(path)) continue;
      files.push({ path, changes: Number(m[2]) });
    }
    const n = Number(sm[1]);
    if (!files.length) continue;
    return { files: files.slice(-n), filesChanged: n, insertions: Number(sm[2] ?? 0), deletions: Number(sm[3] ?? 0), line: l.n };
  }
  return null;
}
