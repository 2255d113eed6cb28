// The poster: every verdict worth a summary becomes a reply in the outbox (a
// file and a posts row, once per idempotency key); what policy allows is queued
// and sent by flush() when its embargo is over, within the rate limits, with
// retries. A reply's bytes (and so its Message-ID) are fixed when it is written:
// a send that may have happened (connection dropped after DATA, a kill during
// the send) is retried with the same Message-ID, which lore and mail clients
// fold into one message; a post is never re-rendered under a new one. A reply
// only held in the outbox (never sent) is rewritten with the latest verdict
// under its key, and queued once policy lets it go.

import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Verdict } from '../core/types.js';
import { stableBackport } from '../mail/stable.js';
import { renderEmail } from '../report/email.js';
import type { StoreDb } from '../store/store-db.js';
import { judgedPatch } from '../store/verdict-store.js';
import {
  cancelPost,
  duePosts,
  insertPost,
  markAttempt,
  markFailed,
  markRetry,
  markSent,
  oldestSentSince,
  postByKey,
  postsForPatch,
  queuedOlderRevisions,
  refreshHeldPost,
  sentSince,
  type PostRow,
} from '../store/post-store.js';
import { keyDigest, writeOutbox } from './outbox.js';
import { listKey, type PostConfig } from './post-config.js';
import { classifySmtpError, decideSend, idempotencyKey, retryDelayMs, worthSummary } from './post-policy.js';
import { bareAddress, createSmtpTransport, smtpSender, type SmtpSender } from './smtp-send.js';
import type { FlushResult, OfferOutcome, Poster, VerdictOffer } from './types.js';

export interface PosterOptions {
  outboxDir: string;
  log: Logger;
  /** a nodemailer transport to use instead of one built from config.smtp (the caller closes it) */
  transport?: Transporter;
}

const HOUR = 3_600_000;

export function createPoster(db: StoreDb, config: PostConfig, opts: PosterOptions): Poster {
  const log = opts.log.child({ stage: 'post' });
  const fromAddress = bareAddress(config.from);
  const domain = fromAddress.includes('@') ? fromAddress.slice(fromAddress.lastIndexOf('@') + 1) : 'localhost.invalid';
  let sender: SmtpSender | undefined;
  const ownTransport = !opts.transport;
  const getSender = (): SmtpSender | undefined => {
    if (!sender && (opts.transport || config.smtp)) sender = smtpSender(opts.transport ?? createSmtpTransport(config.smtp!));
    return sender;
  };

  function offer(o: VerdictOffer, now: Date = new Date()): OfferOutcome {
    const v = o.verdict;
    const patchId = judgedPatch(v) ?? null;
    const patch = patchId ? o.messages.find((m) => m.messageId === patchId) : undefined;
    const revision = patch ? patch.subjectInfo.revision : null;
    const topic = patch?.subjectInfo.topic ?? null;
    const author = patch?.from.address.toLowerCase() || null;
    const list = o.list ? listKey(o.list) : null;
    const plog = log.child({ list: list ?? undefined, msgid: patchId ?? o.threadRoot });
    const key = idempotencyKey({ threadRoot: o.threadRoot, patchId, patchRevision: revision, verdict: v.verdict });

    return db.transaction((): OfferOutcome => {
      // a newer revision of the patch makes a reply still under embargo about the older one moot
      if (revision !== null) {
        for (const old of queuedOlderRevisions(db, { threadRoot: o.threadRoot, topic, author, revision })) {
          if (cancelPost(db, old.id, `superseded by v${revision} (${patchId})`)) plog.info({ cancelled: old.patchId, revision: old.patchRevision }, 'queued reply superseded by a newer revision');
        }
      }
      if (!worthSummary(v.verdict)) return { kind: 'skipped', reason: `${v.verdict}: nothing to summarise` };
      // a reply held in the outbox (never sent) says the latest word on its key: a fix whose
      // confidence rises past the threshold once its report arrives goes out then
      const held = postByKey(db, key);
      if (held && held.status !== 'outbox') return { kind: 'skipped', reason: 'already offered' };

      let earlierWentOut = false;
      for (const p of postsForPatch(db, o.threadRoot, patchId)) {
        if (p.status === 'queued' && p.attempts === 0) {
          // still under embargo: the newest verdict is the one to say
          if (cancelPost(db, p.id, `superseded by a later ${v.verdict} verdict`)) plog.info({ was: p.verdictKind, now: v.verdict }, 'queued reply superseded by a later verdict');
        } else if (p.status === 'sent' || p.attempts > 0) earlierWentOut = true;
      }
      const recipients = recipientsOf(v, fromAddress);
      const decision = decideSend(
        config,
        {
          verdict: v.verdict,
          confidence: v.confidence,
          list: o.list,
          hasReplyTarget: recipients.length > 0,
          patchArrivedAt: o.patchArrivedAt,
          earlierPostWentOut: earlierWentOut,
          stableBackport: patch ? stableBackport(patch) : undefined,
        },
        now,
      );
      const messageId = `<ktriage.${keyDigest(key).slice(0, 24)}@${domain}>`;
      const content = withMessageId(renderEmail(v, { from: config.from, now }), messageId);
      const path = writeOutbox(opts.outboxDir, key, content);
      if (held) {
        refreshHeldPost(db, held.id, {
          verdictId: o.verdictId,
          confidence: v.confidence,
          recipients,
          content,
          send: decision.send,
          notBefore: decision.send ? decision.notBefore.toISOString() : null,
        });
        if (!decision.send) {
          plog.info({ path, verdict: v.verdict, why: decision.reason }, 'reply in the outbox brought up to date');
          return { kind: 'outbox', path, key };
        }
        plog.info({ path, verdict: v.verdict, notBefore: decision.notBefore.toISOString() }, 'reply held in the outbox now qualifies: queued');
        return { kind: 'queued', key, notBefore: decision.notBefore };
      }
      insertPost(db, {
        key,
        threadRoot: o.threadRoot,
        verdictId: o.verdictId,
        verdictKind: v.verdict,
        confidence: v.confidence,
        list,
        patchId,
        patchRevision: revision,
        topic,
        author,
        messageId,
        recipients,
        kind: decision.send ? 'smtp' : 'outbox',
        destination: path,
        content,
        status: decision.send ? 'queued' : 'outbox',
        notBefore: decision.send ? decision.notBefore.toISOString() : null,
        createdAt: now.toISOString(),
      });
      if (!decision.send) {
        plog.info({ path, verdict: v.verdict, why: decision.reason }, 'reply written to the outbox');
        return { kind: 'outbox', path, key };
      }
      plog.info({ path, verdict: v.verdict, notBefore: decision.notBefore.toISOString() }, 'reply queued');
      return { kind: 'queued', key, notBefore: decision.notBefore };
    })();
  }

  /** When the rate limits let this post go: undefined for now, else when the window frees a slot. */
  function rateWait(row: PostRow, now: Date): Date | undefined {
    const since = new Date(now.getTime() - HOUR);
    const checks: [number, string | undefined][] = [[config.rate.perHour, undefined]];
    if (row.list) checks.push([config.rate.perListPerHour, row.list]);
    for (const [limit, list] of checks) {
      if (sentSince(db, since, list) < limit) continue;
      const oldest = oldestSentSince(db, since, list);
      return new Date((oldest ?? now).getTime() + HOUR);
    }
    return undefined;
  }

  async function sendDue(now: Date): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, deferred: 0, failed: 0 };
    const due = duePosts(db, now);
    if (!due.length) return result;
    const smtp = getSender();
    if (!smtp) return result;
    for (const row of due) {
      const plog = log.child({ list: row.list ?? undefined, msgid: row.patchId ?? row.threadRoot });
      const wait = rateWait(row, now);
      if (wait) {
        markRetry(db, row.id, wait, `rate limit: next slot ${wait.toISOString()}`);
        result.deferred++;
        continue;
      }
      markAttempt(db, row.id, now);
      const attempts = row.attempts + 1;
      try {
        await smtp.send({ from: fromAddress, to: JSON.parse(row.recipients) as string[] }, row.content);
        markSent(db, row.id, now);
        result.sent++;
        plog.info({ messageId: row.messageId, attempts }, 'reply sent');
      } catch (e) {
        const c = classifySmtpError(e);
        const firstAt = row.firstAttemptAt ? new Date(row.firstAttemptAt) : now;
        if (c.kind === 'permanent') {
          markFailed(db, row.id, `rejected: ${c.detail}`);
          result.failed++;
          plog.error({ messageId: row.messageId, attempts, error: c.detail }, 'reply rejected by the SMTP server; kept in the outbox, not retried');
        } else if (now.getTime() - firstAt.getTime() >= config.retry.giveUpHours * HOUR) {
          markFailed(db, row.id, `gave up after ${attempts} attempts: ${c.detail}`);
          result.failed++;
          plog.error({ messageId: row.messageId, attempts, error: c.detail }, 'reply still deferred after the retry period; kept in the outbox');
        } else {
          const next = new Date(now.getTime() + retryDelayMs(config, attempts));
          markRetry(db, row.id, next, `${c.mayHaveArrived ? 'may have arrived; ' : ''}${c.detail}`);
          result.deferred++;
          plog.warn({ messageId: row.messageId, attempts, next: next.toISOString(), mayHaveArrived: c.mayHaveArrived, error: c.detail }, 'reply deferred; will retry with the same Message-ID');
        }
      }
    }
    return result;
  }

  // one flush at a time: two overlapping flushes would send the same due row twice
  let chain: Promise<unknown> = Promise.resolve();
  function flush(now: Date = new Date()): Promise<FlushResult> {
    const run = chain.then(() => sendDue(now));
    chain = run.catch(() => undefined);
    return run;
  }

  async function close(): Promise<void> {
    await chain;
    if (ownTransport) sender?.close();
    sender = undefined;
  }

  return { offer, flush, close };
}

/** The rendered reply with its Message-ID replaced by the post's own (derived from the key, on the From's domain). */
function withMessageId(content: string, messageId: string): string {
  const head = content.indexOf('\n\n');
  return content.slice(0, head).replace(/^Message-ID: .*$/m, `Message-ID: ${messageId}`) + content.slice(head);
}

/** The envelope: the patch's author and everyone it was sent to (To and Cc of the reply), not ourselves, once each. */
function recipientsOf(v: Verdict, self: string): string[] {
  const t = v.replyTo;
  if (!t) return [];
  const seen = new Set<string>([self.toLowerCase()]);
  const out: string[] = [];
  for (const a of [t.from, ...t.to, ...t.cc]) {
    const k = a.address.trim().toLowerCase();
    // an address from mail goes into the SMTP envelope: one plain addr-spec, nothing else
    if (!/^[^\s<>@]+@[^\s<>@]+$/.test(k) || seen.has(k)) continue;
    seen.add(k);
    out.push(a.address.trim());
  }
  return out;
}
