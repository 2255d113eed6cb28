// Patches sent as attachments: each diff in a message's text attachment is a
// posting of that message, as if inline (its sender, source 'inline'), read
// from the attachment's own lines: line numbers count the attachment's lines
// and the patch names the attachment. A git format-patch file brings its own
// Subject and commit message; a bare diff takes the mail's text as its
// description. An attachment holding several format-patch files (a series
// saved as one mbox) gives one patch per file.

import type { Attachment, FileDiff, Message, Patch } from '../core/types.js';
import { parseSubject } from '../mail/subject.js';
import { findDiffs, mergeBlocks } from './diff.js';
import type { BodyLine } from './lines.js';

/** git format-patch's first line: "From <sha1> Mon Sep 17 00:00:00 2001" (a fixed date, by design). */
const FORMAT_PATCH_FROM = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;
const HEADER = /^(?:From|Date|Subject|Message-Id|To|Cc|In-Reply-To|References|MIME-Version|Content-[\w-]+): /i;

/** An attachment's lines as they are: no quoting in a file (a context line " > x" is code). */
function plainLines(text: string): BodyLine[] {
  const raws = text.split('\n');
  if (raws.length && raws[raws.length - 1] === '') raws.pop();
  return raws.map((raw, k) => ({ n: k + 1, depth: 0, text: raw, raw }));
}

/** The attachment cut into format-patch files at their "From <sha1> …" lines (one piece when it has none). */
function sections(lines: BodyLine[]): BodyLine[][] {
  const out: BodyLine[][] = [];
  let cur: BodyLine[] = [];
  for (const l of lines) {
    if (FORMAT_PATCH_FROM.test(l.text) && cur.length) {
      out.push(cur);
      cur = [];
    }
    cur.push(l);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A format-patch header block at the top of a section: its Subject, and where the commit message starts. */
function headerOf(section: BodyLine[]): { subject?: string; bodyFrom: number } {
  let i = 0;
  if (section[0] && FORMAT_PATCH_FROM.test(section[0].text)) i++;
  if (!section[i] || !HEADER.test(section[i]!.text)) return { bodyFrom: 0 };
  let subject: string | undefined;
  for (; i < section.length && section[i]!.text.trim(); i++) {
    const m = /^Subject: (.*)$/i.exec(section[i]!.text);
    if (!m) continue;
    subject = m[1]!;
    // folded header lines
    while (section[i + 1] && /^[ \t]+\S/.test(section[i + 1]!.text)) subject += ' ' + section[++i]!.text.trim();
  }
  return { subject: subject?.replace(/\s+/g, ' ').trim(), bodyFrom: i + 1 };
}

/** Commit message: the lines before the diff, up to git's '---' line. */
function descriptionOf(lines: BodyLine[], firstDiffLine: number): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.n >= firstDiffLine) break;
    out.push(l.text);
  }
  const sep = out.lastIndexOf('---');
  return (sep >= 0 ? out.slice(0, sep) : out).join('\n').trim();
}

function patchesOf(att: Attachment, label: string, msg: Message, author: string, mailDescription: string): Patch[] {
  const out: Patch[] = [];
  for (const section of sections(plainLines(att.text))) {
    const blocks = findDiffs(section);
    if (!blocks.length) continue;
    const merged = mergeBlocks(blocks);
    const head = headerOf(section);
    const description = descriptionOf(section.slice(head.bodyFrom), merged.first);
    const subject = head.subject ?? msg.subject;
    out.push({
      messageId: msg.messageId,
      foundIn: msg.messageId,
      quoteDepth: 0,
      source: 'inline',
      subject,
      subjectInfo: parseSubject(subject),
      author,
      // a bare diff attached to a mail: the mail says what it does
      description: description || (head.subject === undefined ? mailDescription : ''),
      files: merged.files,
      firstLine: merged.first,
      lastLine: merged.last,
      damage: merged.damage,
      attachment: label,
    });
  }
  return out;
}

/** The patches in a message's attachments, in attachment order. */
export function attachmentPatches(msg: Message, author: string, mailDescription: string): Patch[] {
  const out: Patch[] = [];
  (msg.attachments ?? []).forEach((att, i) => {
    for (const p of patchesOf(att, att.name || `attachment ${i + 1}`, msg, author, mailDescription)) out.push(p);
  });
  return out;
}

function diffText(files: FileDiff[]): string {
  return files.map((f) => `${f.newPath}\n${f.hunks.map((h) => h.lines.map((l) => `${l.kind}${l.text}`).join('\n')).join('\n')}`).join('\n');
}

/** The same change (same files, same lines): a patch sent inline and attached as well is one posting. */
export function sameDiff(a: Patch, b: Patch): boolean {
  return a.files.length === b.files.length && diffText(a.files) === diffText(b.files);
}
