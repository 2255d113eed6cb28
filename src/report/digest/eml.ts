// The digest as one email: multipart/alternative (text, then HTML) with the
// chart as an inline related image, composed by nodemailer's MailComposer (the
// same MIME builder the SMTP path uses), so a file and a sent mail are identical.

import { createRequire } from 'node:module';
import type { DigestChart } from './chart.js';
import { digestHtml } from './html.js';
import type { Digest } from './model.js';
import { digestText } from './text.js';
import { CHART_SIZE } from './chart.js';

const require = createRequire(import.meta.url);

export const CHART_CID = 'digest-chart@ktriage';

export interface DigestMailOptions {
  from: string;
  to: string[];
  date: Date;
  /** stable per (week, recipient): a resend is recognisably the same mail */
  messageId: string;
}

export function digestSubject(d: Digest): string {
  return `[ktriage] weekly digest ${d.window.label}${d.scope.length ? ` (${d.scope.join(', ')})` : ''}`;
}

/** The nodemailer message fields, for sending; `digestEml` builds the same message as bytes. */
export function digestMail(d: Digest, chart: DigestChart | undefined, o: DigestMailOptions) {
  return {
    from: o.from,
    to: o.to,
    subject: digestSubject(d),
    date: o.date,
    messageId: o.messageId,
    text: digestText(d),
    html: digestHtml(d, chart ? { cid: CHART_CID, alt: chart.alt, ...CHART_SIZE } : undefined),
    attachments: chart ? [{ filename: 'ktriage-digest.png', content: chart.png, contentType: 'image/png', cid: CHART_CID, contentDisposition: 'inline' as const }] : [],
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Mailer': 'ktriage digest' },
  };
}

export async function digestEml(d: Digest, chart: DigestChart | undefined, o: DigestMailOptions): Promise<Buffer> {
  const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };
  return new MailComposer(digestMail(d, chart, o)).compile().build();
}
