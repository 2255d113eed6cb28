// Handing a reply to the SMTP server with nodemailer: the stored bytes as they
// are (`raw`), so every retry carries the same Message-ID and headers.

import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { KtriageError } from '../core/errors.js';
import type { PostConfig } from './post-config.js';

export interface SmtpSender {
  send(envelope: { from: string; to: string[] }, raw: string): Promise<void>;
  close(): void;
}

type SmtpConfig = NonNullable<PostConfig['smtp']>;

/** A nodemailer transport for the config's server; the password comes from the environment variable it names. */
export function createSmtpTransport(smtp: SmtpConfig, env: NodeJS.ProcessEnv = process.env): Transporter {
  let auth: { user: string; pass: string } | undefined;
  if (smtp.user) {
    const pass = smtp.passwordEnv ? env[smtp.passwordEnv] : undefined;
    if (smtp.passwordEnv && pass === undefined) throw new KtriageError('E_USAGE', `post.smtp.passwordEnv: the environment variable ${smtp.passwordEnv} is not set`);
    auth = { user: smtp.user, pass: pass ?? '' };
  }
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(auth ? { auth } : {}),
    // a stuck server must not hold the flush for minutes
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}

export function smtpSender(transport: Transporter): SmtpSender {
  return {
    async send(envelope, raw) {
      await transport.sendMail({ envelope, raw });
    },
    close() {
      transport.close();
    },
  };
}

/** The bare address of a From value ("Name <a@b>" → "a@b"). */
export function bareAddress(from: string): string {
  const m = /<([^<>@\s]+@[^<>@\s]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}
