// Build small RFC 822 mails and thread facts for tests.

import { buildFacts, type PatchRecord, type ThreadFacts } from '../../src/analyze/facts.js';
import { patchInputs } from '../../src/analyze/decide.js';
import type { RuleInput } from '../../src/analyze/rules/types.js';
import type { Message } from '../../src/core/types.js';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { buildThread } from '../../src/mail/thread.js';

export interface MailSpec {
  id: string;
  from?: string;
  subject: string;
  date?: string;
  inReplyTo?: string;
  references?: string[];
  to?: string[];
  cc?: string[];
  body: string;
}

let clock = Date.parse('2024-03-01T10:00:00Z');

export function rfc822(m: MailSpec): string {
  clock += 3600_000;
  const refs = m.references ?? (m.inReplyTo ? [m.inReplyTo] : []);
  return [
    `From: ${m.from ?? 'Dev Eloper <dev@example.org>'}`,
    `Subject: ${m.subject}`,
    ...(m.to?.length ? [`To: ${m.to.join(', ')}`] : []),
    ...(m.cc?.length ? [`Cc: ${m.cc.join(', ')}`] : []),
    `Date: ${m.date ?? new Date(clock).toUTCString()}`,
    `Message-ID: ${m.id}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(refs.length ? [`References: ${refs.join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.body.replace(/^\n/, ''),
  ].join('\n');
}

export async function messages(specs: MailSpec[]): Promise<Message[]> {
  const out: Message[] = [];
  for (const s of specs) out.push(await parseMail({ bytes: Buffer.from(rfc822(s)), origin: { kind: 'eml', path: `${s.id}.eml` } }));
  return out;
}

export async function facts(specs: MailSpec[]): Promise<ThreadFacts> {
  const thread = buildThread(await messages(specs));
  return buildFacts(thread, thread.messages.map(extractMessage));
}

export function record(f: ThreadFacts, messageId: string): PatchRecord {
  const r = f.patches.find((p) => p.patch.messageId === messageId);
  if (!r) throw new Error(`no patch ${messageId}; have ${f.patches.map((p) => p.patch.messageId).join(', ')}`);
  return r;
}

export function ruleInput(f: ThreadFacts, messageId: string, blind = false): RuleInput {
  const rec = record(f, messageId);
  return { rec, ...patchInputs(rec, f), facts: f, blind, xrefs: [] };
}

/** A git format-patch body: commit message, diffstat, and the diff given. */
export function patchBody(message: string, diff: string): string {
  return `${message.trim()}\n\nSigned-off-by: Dev Eloper <dev@example.org>\n---\n${diff.replace(/^\n/, '')}-- \n2.43.0\n`;
}
