// The verdict as an RFC 822 reply that threads on lore: "Re:" subject,
// In-Reply-To and References set, To the author, Cc everyone they wrote to.
// Rendering only: nothing is sent here.

import { createHash } from 'node:crypto';
import type { Address, Verdict } from '../core/types.js';
import { enclosed } from '../core/text.js';
import { fixesText } from './fixes-notes.js';
import { llmText, wrap } from './render.js';

export interface EmailOptions {
  from: string;
  now: Date;
}

// header values come from mail: a CR or LF in a name or subject would start a header of its own
const CONTROL = /[\x00-\x1f\x7f]+/g;

/** RFC 2047 encoded words for text that is not ASCII; short enough to fold between them. */
function encodeWords(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const out: string[] = [];
  let chunk = '';
  // whole characters per word, at most 45 bytes each (60 in base64)
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      out.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) out.push(chunk);
  return out.map((c) => `=?UTF-8?B?${Buffer.from(c).toString('base64')}?=`).join(' ');
}

function addr(a: Address): string {
  const name = a.name.replace(CONTROL, ' ').trim();
  if (!name) return a.address;
  if (!/^[\x20-\x7e]*$/.test(name)) return `${encodeWords(name)} <${a.address}>`;
  return /^[\w .'-]+$/.test(name) ? `${name} <${a.address}>` : `"${name.replace(/["\\]/g, '')}" <${a.address}>`;
}

function header(name: string, value: string): string {
  // fold long headers at spaces (RFC 5322 2.2.3)
  const words = value.replace(CONTROL, ' ').split(' ');
  const lines: string[] = [];
  let cur = `${name}:`;
  for (const w of words) {
    if (cur.length + 1 + w.length > 76 && cur.length > name.length + 1) {
      lines.push(cur);
      cur = ` ${w}`;
    } else cur += ` ${w}`;
  }
  lines.push(cur);
  return lines.join('\n');
}

function rfc2822Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

export function renderEmail(v: Verdict, opts: EmailOptions): string {
  const target = v.replyTo;
  const subject = target ? (/^re:/i.test(target.subject) ? target.subject : `Re: ${target.subject}`) : `Re: ${v.subject}`;
  const at = enclosed(opts.from, '<', '>', 1);
  const self = at ? opts.from.slice(at.start + 1, at.end - 1) : opts.from;
  const to = target ? [target.from].filter((a) => a.address && a.address.toLowerCase() !== self.toLowerCase()) : [];
  const seen = new Set(to.map((a) => a.address.toLowerCase()));
  const cc = (target ? [...target.to, ...target.cc] : []).filter((a) => {
    const k = a.address.toLowerCase();
    if (!a.address || k === self.toLowerCase() || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const digest = createHash('sha1')
    .update(`${v.rootId}|${target?.messageId ?? ''}|${v.verdict}|${opts.now.toISOString()}`)
    .digest('hex')
    .slice(0, 16);
  const headers = [
    header('From', opts.from),
    ...(to.length ? [header('To', to.map(addr).join(', '))] : []),
    ...(cc.length ? [header('Cc', cc.map(addr).join(', '))] : []),
    header('Subject', encodeWords(subject.replace(CONTROL, ' '))),
    `Date: ${rfc2822Date(opts.now)}`,
    `Message-ID: <ktriage-${digest}@localhost.invalid>`,
    ...(target ? [header('In-Reply-To', target.messageId), header('References', [...target.references, target.messageId].join(' '))] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    header('X-Ktriage-Verdict', v.verdict),
  ];
  const body: string[] = [];
  if (target) body.push(wrap(`On ${target.messageId}, ${(target.from.name || target.from.address).replace(CONTROL, ' ')} posted:`), '');
  body.push(wrap(v.summary), '');
  // the LLM's second opinion, when one was asked for: accepted or not, said as such
  for (const p of llmText(v)) body.push(p, '');
  const fixes = fixesText(v);
  if (fixes.length) body.push(...fixes, '');
  if (v.evidence.length) {
    body.push('Evidence:');
    for (const e of v.evidence.slice(0, 12)) body.push(wrap(`- ${e.text} [${e.cite}]`, 72, '  ').replace(/^ {2}/, ''));
    body.push('');
  }
  body.push('-- ', ...wrap(`ktriage: an automated triage of this thread; the facts above cite the mail lines and the kernel tree they rest on.`).split('\n'));
  return `${headers.join('\n')}\n\n${body.join('\n')}\n`;
}
