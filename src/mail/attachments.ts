// Attachments, which mailparser hands apart from the body: a patch sent as
// `0001-foo.patch` (text/x-patch, text/x-diff, or text/plain and
// application/octet-stream from mailers that know no better). The text ones
// are decoded and kept on the Message, within LIMITS (what is cut is noted).

import { LIMITS } from '../core/limits.js';
import type { Attachment } from '../core/types.js';

/** What parse.ts passes of a mailparser attachment (this file does not know mailparser). */
export interface AttachmentPart {
  filename?: string;
  contentType?: string;
  charset?: string;
  content: Buffer;
}

/** A patch or diff by its name, whatever type the mailer gave it. */
const PATCH_NAME = /\.(?:patch|diff)(?:\.txt)?$/i;

function isText(part: AttachmentPart): boolean {
  const type = (part.contentType ?? '').toLowerCase();
  if (type === 'text/html') return false;
  return type.startsWith('text/') || PATCH_NAME.test(part.filename ?? '');
}

function decode(content: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(content);
  } catch {
    // a label TextDecoder does not know
    return new TextDecoder('utf-8').decode(content);
  }
}

/** The text attachments of a message, decoded and bounded; what was skipped or cut goes to `notes`. */
export function readAttachments(parts: AttachmentPart[], notes: string[]): Attachment[] {
  const out: Attachment[] = [];
  for (const part of parts) {
    const name = part.filename ?? '';
    const type = (part.contentType ?? 'application/octet-stream').toLowerCase();
    const label = name ? `attachment "${name}" (${type})` : `an attachment (${type})`;
    // a signature, an image, a gzipped config: nothing to read, nothing to say (every signed mail has one)
    if (!isText(part)) continue;
    if (out.length >= LIMITS.maxAttachments) {
      notes.push(`${label} not read: more than ${LIMITS.maxAttachments} text attachments`);
      continue;
    }
    let bytes = part.content;
    if (bytes.length > LIMITS.maxAttachmentBytes) {
      notes.push(`${label} cut to its first ${LIMITS.maxAttachmentBytes} bytes`);
      bytes = bytes.subarray(0, LIMITS.maxAttachmentBytes);
    }
    // a NUL byte: a binary file sent as text/plain or octet-stream
    if (bytes.includes(0)) {
      notes.push(`${label} not read: binary content`);
      continue;
    }
    out.push({ name, type, text: normalise(decode(bytes, part.charset)) });
  }
  return out;
}

/** LF line ends and the body's bounds on lines. */
function normalise(text: string): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > LIMITS.maxBodyLines) lines = lines.slice(0, LIMITS.maxBodyLines);
  for (let i = 0; i < lines.length; i++) if (lines[i]!.length > LIMITS.maxLineChars) lines[i] = lines[i]!.slice(0, LIMITS.maxLineChars);
  return lines.join('\n');
}
