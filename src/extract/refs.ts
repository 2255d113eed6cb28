// Commit references ("4ad0ae8c64ac ("mm/vmalloc: remove unmap_kernel_range")",
// "Fixes:", "This reverts commit ...") and trailers (Signed-off-by, Acked-by, ...).

import type { CommitRef, Trailer } from '../core/types.js';
import type { BodyLine } from './lines.js';

const SHA_TITLE = /\b([0-9a-f]{8,40})\s*\(\s*"(.{3,200}?)"\s*\)(?=[\s,.;:)]|$)/g;
const FIXES = /^\s*Fixes:\s*([0-9a-f]{8,40})\b(?:\s*\(\s*"(.{1,200}?)"\s*\))?/i;
const REVERTS = /\bThis reverts commit ([0-9a-f]{12,40})\b/;
const COMMIT_WORD = /\bcommit ([0-9a-f]{12,40})\b/g;
const BLAME = /\b(?:caused|introduced|broken) by commit\b/i;
const TRAILER =
  /^\s*(Signed-off-by|Acked-by|Reviewed-by|Tested-by|Reported-by|Reported-and-tested-by|Suggested-by|Co-developed-by|Nacked-by|NAKed-by|Cc|Fixes|Link|Closes|Debugged-by|Bisected-by|Requested-by|Originally-by|Message-ID):\s*(.{1,300})$/i;

export function findRefs(messageId: string, lines: BodyLine[], diffLines: Set<number>): CommitRef[] {
  const out: CommitRef[] = [];
  const seen = new Set<string>();
  const push = (r: CommitRef) => {
    const key = `${r.kind}|${r.sha.slice(0, 12)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  // linux-next's "Caused by commit\n\n  sha ("title")": the report names the culprit
  let blameUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (diffLines.has(l.n)) continue;
    const cite = { messageId, line: l.n };
    if (BLAME.test(l.text)) blameUntil = i + 3;
    const fx = FIXES.exec(l.text);
    if (fx) {
      push({ sha: fx[1]!, title: fx[2], kind: 'fixes', cite });
      continue;
    }
    const rv = REVERTS.exec(l.text);
    if (rv) push({ sha: rv[1]!, kind: 'reverts', cite });
    // titles wrap: look at this line joined with the next at the same depth
    const next = lines[i + 1];
    const joined = next && next.depth === l.depth && !diffLines.has(next.n) ? `${l.text} ${next.text.trim()}` : l.text;
    let m: RegExpExecArray | null;
    SHA_TITLE.lastIndex = 0;
    while ((m = SHA_TITLE.exec(joined))) {
      if (m.index >= l.text.length) break; // belongs to the next line
      push({ sha: m[1]!, title: m[2]!, kind: i <= blameUntil ? 'caused-by' : 'mention', cite });
    }
    COMMIT_WORD.lastIndex = 0;
    while ((m = COMMIT_WORD.exec(l.text))) push({ sha: m[1]!, kind: 'mention', cite });
  }
  return out;
}

export function findTrailers(messageId: string, lines: BodyLine[], diffLines: Set<number>): Trailer[] {
  const out: Trailer[] = [];
  for (const l of lines) {
    if (diffLines.has(l.n)) continue;
    const m = TRAILER.exec(l.text);
    if (m) out.push({ key: normaliseTrailerKey(m[1]!), value: m[2]!.trim(), cite: { messageId, line: l.n }, quoteDepth: l.depth });
  }
  return out;
}

const CANONICAL_TRAILERS = new Map(
  [
    'Signed-off-by',
    'Acked-by',
    'Reviewed-by',
    'Tested-by',
    'Reported-by',
    'Reported-and-tested-by',
    'Suggested-by',
    'Co-developed-by',
    'Nacked-by',
    'Cc',
    'Fixes',
    'Link',
    'Closes',
    'Debugged-by',
    'Bisected-by',
    'Requested-by',
    'Originally-by',
    'Message-ID',
  ].map((k) => [k.toLowerCase(), k]),
);

function normaliseTrailerKey(k: string): string {
  const lower = k.toLowerCase();
  if (lower === 'naked-by' || lower === 'nacked-by') return 'Nacked-by';
  return CANONICAL_TRAILERS.get(lower) ?? k;
}

/** The title of a "Revert "..."" subject, if it is one. */
export function revertedTitle(subjectTopic: string): string | undefined {
  const m = /^Revert\s+"(.+)"$/.exec(subjectTopic.trim());
  return m ? m[1] : undefined;
}
