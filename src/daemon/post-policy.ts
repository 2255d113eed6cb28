// What the poster may do with a verdict, as pure functions of the config, the
// verdict and the time: which verdicts earn a summary, which may be sent and
// when, how long to wait before a retry, and what an SMTP error means.

import type { VerdictKind } from '../core/types.js';
import { listAllowed, type PostConfig } from './post-config.js';

/** The judged patch a post is about. */
export interface PostSubject {
  threadRoot: string;
  patchId: string | null;
  patchRevision: number | null;
  verdict: VerdictKind;
}

/**
 * Never twice for the same (thread root, judged patch and its revision, verdict):
 * the string is the posts table's UNIQUE key, so the rule holds across restarts.
 */
export function idempotencyKey(s: PostSubject): string {
  return JSON.stringify(['ktriage-post/1', s.threadRoot, s.patchId ?? '', s.patchRevision ?? 0, s.verdict]);
}

/** A summary says something about a patch and a failure; without either there is nothing to tell the list. */
export function worthSummary(verdict: VerdictKind): boolean {
  return verdict !== 'no-patch' && verdict !== 'no-failure';
}

export type SendDecision = { send: true; notBefore: Date } | { send: false; reason: string };

export interface SendQuestion {
  verdict: VerdictKind;
  confidence: number;
  list: string | undefined;
  hasReplyTarget: boolean;
  patchArrivedAt: Date | undefined;
  /** this patch already got (or may have got) a reply for another verdict */
  earlierPostWentOut: boolean;
  /** the stable tree the patch is a backport for (mail/stable.ts), if it is one */
  stableBackport?: string | undefined;
}

/** May this verdict go out by SMTP, and from when (the embargo counts from the patch's arrival)? */
export function decideSend(config: PostConfig, q: SendQuestion, now: Date): SendDecision {
  if (!config.smtp) return { send: false, reason: 'no SMTP configured' };
  if (!listAllowed(config, q.list)) return { send: false, reason: q.list ? `list ${q.list} is muted` : 'the list is not known' };
  if (!(config.verdicts as readonly string[]).includes(q.verdict)) return { send: false, reason: `${q.verdict} verdicts are not sent` };
  if (q.confidence < config.minConfidence) return { send: false, reason: `confidence ${q.confidence.toFixed(2)} below ${config.minConfidence}` };
  if (!q.hasReplyTarget) return { send: false, reason: 'no message to reply to' };
  if (q.stableBackport && !config.stableBackports) return { send: false, reason: `a stable backport (${q.stableBackport}): its change was judged where it went upstream` };
  if (q.earlierPostWentOut && !config.repostOnChange) return { send: false, reason: 'a reply about this patch went out already (repostOnChange is off)' };
  const from = q.patchArrivedAt && q.patchArrivedAt.getTime() <= now.getTime() ? q.patchArrivedAt : now;
  return { send: true, notBefore: new Date(from.getTime() + config.embargoMinutes * 60_000) };
}

/** Wait before retry `attempts` (1-based): doubling from baseSeconds, capped at maxSeconds. */
export function retryDelayMs(config: PostConfig, attempts: number): number {
  const { baseSeconds, maxSeconds } = config.retry;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, Math.min(attempts - 1, 30))) * 1000;
}

export type SmtpOutcome =
  /** 5xx: the server refused for good; kept, not retried */
  | { kind: 'permanent'; detail: string }
  /** 4xx, refused or dropped connection, timeout: retried; mayHaveArrived when the drop came after the server could have taken it */
  | { kind: 'transient'; detail: string; mayHaveArrived: boolean };

// failures before any SMTP dialogue: the message cannot have been handed over
const BEFORE_DIALOGUE = new Set(['ECONNREFUSED', 'EDNS', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Read a nodemailer error: its reply code (RFC 5321 4.2.1: 4yz transient, 5yz permanent), else how the connection failed. */
export function classifySmtpError(e: unknown): SmtpOutcome {
  const err = e as { responseCode?: number; code?: string; errno?: string; message?: string; response?: string };
  const detail = oneLine(err.response ?? err.message ?? String(e));
  if (typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600) return { kind: 'permanent', detail };
  if (typeof err.responseCode === 'number' && err.responseCode >= 400 && err.responseCode < 500) return { kind: 'transient', detail, mayHaveArrived: false };
  const cause = (e as { cause?: { code?: string } }).cause?.code;
  const before = [err.code, err.errno, cause].some((c) => c !== undefined && BEFORE_DIALOGUE.has(c)) || /ECONNREFUSED/.test(detail);
  return { kind: 'transient', detail, mayHaveArrived: !before };
}

function oneLine(s: string): string {
  return s
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 300);
}
