// The verdict as an RFC 822 reply that threads on lore: "Re:" subject,
// In-Reply-To and References set, To the author, Cc everyone they wrote to.
// Rendering only: nothing is sent here.

import { createHash } from 'node:crypto';
import type { Address, Verdict } from '../core/types.js';
import { wrap } from './render.js';

export interface EmailOptions {
  from: string;
  now: Date;
  /** the ktriage version, for the footer */
  version?: string;
}

function addr(a: Address): string {
  if (!a.name) return a.address;
  return /^[\w .'-]+$/.test(a.name) ? `${a.name} <${a.address}>` : `"${a.name.replace(/["\\]/g, '')}" <${a.address}>`;
}

function header(name: string, value: string): string {
  // fold long headers at spaces (RFC 5322 2.2.3)
  const words = value.split(' ');
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
  const self = /<([^>]+)>/.exec(opts.from)?.[1] ?? opts.from;
  const to = target ? [target.from].filter((a) => a.address && a.address !== self) : [];
  const seen = new Set(to.map((a) => a.address.toLowerCase()));
  const cc = (target ? [...target.to, ...target.cc] : []).filter((a) => {
    const k = a.address.toLowerCase();
    if (!a.address || k === self.toLowerCase() || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const digest = createHash('sha1').update(`${v.rootId}|${target?.messageId ?? ''}|${v.verdict}|${opts.now.toISOString()}`).digest('hex').slice(0, 16);
  const headers = [
    header('From', opts.from),
    ...(to.length ? [header('To', to.map(addr).join(', '))] : []),
    ...(cc.length ? [header('Cc', cc.map(addr).join(', '))] : []),
    header('Subject', subject),
    `Date: ${rfc2822Date(opts.now)}`,
    `Message-ID: <ktriage-${digest}@localhost.invalid>`,
    ...(target ? [`In-Reply-To: ${target.messageId}`, header('References', [...target.references, target.messageId].join(' '))] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    `X-Ktriage-Verdict: ${v.verdict}`,
  ];
  const body: string[] = [];
  if (target) body.push(wrap(`On ${target.messageId}, ${target.from.name || target.from.address} posted:`), '');
  body.push(wrap(v.summary), '');
  if (v.evidence.length) {
    body.push('Evidence:');
    for (const e of v.evidence.slice(0, 12)) body.push(wrap(`- ${e.text} [${e.cite}]`, 72, '  ').replace(/^ {2}/, ''));
    body.push('');
  }
  body.push('-- ', ...wrap(`ktriage${opts.version ? ' ' + opts.version : ''}: an automated triage of this thread; the facts above cite the mail lines and the kernel tree they rest on.`).split('\n'));
  return `${headers.join('\n')}\n\n${body.join('\n')}\n`;
}
