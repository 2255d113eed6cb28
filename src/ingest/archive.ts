// A whole thread from a public-inbox HTTP server (lore.kernel.org or a mirror),
// the way b4 fetches one: GET <base>/<list>/<msgid>/t.mbox.gz. The answer is
// held in memory (bounded) and read like a file; nothing is written to disk,
// so a Message-ID never becomes a path.
//
// Every way a server can fail becomes one KtriageError line: refused or
// unreachable, silent (timeouts), a redirect loop or a redirect off http(s),
// 404, another status, a body that is not a gzipped mbox, a truncated gzip, a
// gzip bomb (the read stops at LIMITS.maxArchiveThreadBytes).

import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { RawMail } from '../core/types.js';
import { threadMboxUrl, type ArchiveInbox } from './archive-ref.js';
import { readMailStream, type ReadOptions } from './read.js';
import { isGzip } from './sniff.js';

export interface ArchiveFetchOptions {
  /** connect + answer headers; default LIMITS.archiveResponseTimeoutMs */
  responseTimeoutMs?: number;
  /** silence between two body chunks; default LIMITS.archiveIdleTimeoutMs */
  idleTimeoutMs?: number;
  /** the whole exchange, redirects included; default LIMITS.archiveTotalTimeoutMs */
  totalTimeoutMs?: number;
  maxRedirects?: number;
  maxDownloadBytes?: number;
  /** bytes the gzip may expand to; default LIMITS.maxArchiveThreadBytes */
  maxThreadBytes?: number;
  onSkip?: ReadOptions['onSkip'];
}

export interface ArchiveAnswer {
  /** the URL asked first */
  url: string;
  /** the URL that answered, after redirects */
  finalUrl: string;
  body: Buffer;
  contentType: string;
}

const NOT_MBOX = new Set(['E_NOT_MAIL', 'E_BINARY', 'E_EMPTY']);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'ktriage/0.1 (+public-inbox thread fetch)';

/** undici's and the socket's error codes in words; the URL is named by the caller. */
function networkError(e: unknown, url: string, ms: { response: number; idle: number; total: number }, aborted: boolean): KtriageError {
  if (e instanceof KtriageError) return e;
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? '';
  const secs = (n: number) => `${Math.round(n / 100) / 10} s`;
  if (aborted) return new KtriageError('E_NETWORK', `${url}: the archive did not finish answering within ${secs(ms.total)}`);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new KtriageError('E_NETWORK', `${url}: could not connect to the archive within ${secs(ms.response)}`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new KtriageError('E_NETWORK', `${url}: the archive did not answer within ${secs(ms.response)}`);
    case 'UND_ERR_BODY_TIMEOUT':
      return new KtriageError('E_NETWORK', `${url}: the archive stopped sending for ${secs(ms.idle)}; the thread was not fully read`);
    case 'ECONNREFUSED':
      return new KtriageError('E_NETWORK', `${url}: connection refused (is the archive server running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new KtriageError('E_NETWORK', `${url}: cannot resolve the archive's host name`);
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new KtriageError('E_NETWORK', `${url}: the archive closed the connection before the thread was fully read`);
    default: {
      const msg = (err?.message ?? String(e)).replace(/[\r\n]+/g, ' ');
      return new KtriageError('E_NETWORK', `${url}: cannot fetch from the archive (${code ? `${code}: ` : ''}${msg})`);
    }
  }
}

function isHttpUrl(u: URL): boolean {
  return u.protocol === 'http:' || u.protocol === 'https:';
}

/**
 * GET `url`, following at most maxRedirects redirects and only to http(s),
 * reading at most maxDownloadBytes. 404/410 is "no such message" for `messageId`.
 */
export async function fetchArchive(url: string, messageId: string, opts: ArchiveFetchOptions = {}): Promise<ArchiveAnswer> {
  const ms = {
    response: opts.responseTimeoutMs ?? LIMITS.archiveResponseTimeoutMs,
    idle: opts.idleTimeoutMs ?? LIMITS.archiveIdleTimeoutMs,
    total: opts.totalTimeoutMs ?? LIMITS.archiveTotalTimeoutMs,
  };
  const maxRedirects = opts.maxRedirects ?? LIMITS.maxArchiveRedirects;
  const maxBytes = opts.maxDownloadBytes ?? LIMITS.maxArchiveDownloadBytes;
  // loaded when a fetch is made: `thread FILE` never fetches, and undici is ~50 ms of its start
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connect: { timeout: ms.response }, headersTimeout: ms.response, bodyTimeout: ms.idle, keepAliveTimeout: 1_000 });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('total timeout')), ms.total);
  let current = new URL(url);
  try {
    for (let redirects = 0; ; redirects++) {
      if (!isHttpUrl(current)) throw new KtriageError('E_NETWORK', `${url}: redirected to ${current.href}; only http and https are followed`);
      let res;
      try {
        res = await request(current, {
          method: 'GET',
          dispatcher,
          signal: ac.signal,
          maxRedirections: 0,
          headers: { 'user-agent': USER_AGENT, accept: 'application/gzip, application/mbox;q=0.9, */*;q=0.1' },
        });
      } catch (e) {
        throw networkError(e, current.href, ms, ac.signal.aborted);
      }
      const { statusCode, headers, body } = res;
      if (REDIRECT.has(statusCode)) {
        await body.dump().catch(() => undefined);
        const location = headers.location;
        const loc = Array.isArray(location) ? location[0] : location;
        if (!loc) throw new KtriageError('E_NETWORK', `${current.href}: the archive answered HTTP ${statusCode} without a Location`);
        if (redirects >= maxRedirects) throw new KtriageError('E_NETWORK', `${url}: more than ${maxRedirects} redirects (a loop?); stopped at ${current.href}`);
        let next: URL;
        try {
          next = new URL(loc, current);
        } catch {
          throw new KtriageError('E_NETWORK', `${current.href}: the archive redirected to an invalid URL ${JSON.stringify(loc.slice(0, 200))}`);
        }
        if (!isHttpUrl(next)) throw new KtriageError('E_NETWORK', `${url}: redirected to ${next.protocol}… (${next.href.slice(0, 200)}); only http and https are followed`);
        current = next;
        continue;
      }
      if (statusCode === 404 || statusCode === 410) {
        await body.dump().catch(() => undefined);
        throw new KtriageError('E_NOT_FOUND', `no such message on that archive: <${messageId}> (${current.href})`);
      }
      if (statusCode < 200 || statusCode > 299) {
        await body.dump().catch(() => undefined);
        throw new KtriageError('E_NETWORK', `${current.href}: the archive answered HTTP ${statusCode}`);
      }
      const parts: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > maxBytes) {
            body.destroy();
            throw new KtriageError('E_TOO_LARGE', `${current.href}: the archive's answer is over ${Math.round(maxBytes / 1048576)} MiB; refusing to read further`);
          }
          parts.push(chunk);
        }
      } catch (e) {
        throw networkError(e, current.href, ms, ac.signal.aborted);
      }
      const ct = headers['content-type'];
      return { url, finalUrl: current.href, body: Buffer.concat(parts), contentType: (Array.isArray(ct) ? ct[0] : ct) ?? 'no content type' };
    }
  } finally {
    clearTimeout(timer);
    await dispatcher.destroy().catch(() => undefined);
  }
}

/** The thread's messages from an archive answer: a gzipped mbox (or a plain one), nothing else. */
export async function* mailsFromAnswer(answer: ArchiveAnswer, opts: ArchiveFetchOptions = {}): AsyncGenerator<RawMail> {
  const { body, finalUrl } = answer;
  if (!body.length) throw new KtriageError('E_EMPTY', `${finalUrl}: the archive answered with an empty body`);
  if (!isGzip(body) && !body.subarray(0, 5).equals(Buffer.from('From '))) {
    throw new KtriageError('E_NOT_MAIL', `${finalUrl}: the archive answered ${answer.contentType} (${body.length} bytes), not a gzipped mbox`);
  }
  let first = true;
  const origin = { kind: 'http' as const, path: finalUrl };
  try {
    for await (const m of readMailStream(chunksOf(body), origin, { maxInputBytes: opts.maxThreadBytes ?? LIMITS.maxArchiveThreadBytes, onSkip: opts.onSkip })) {
      if (first && m.origin.kind !== 'mbox')
        throw new KtriageError('E_NOT_MAIL', `${finalUrl}: the archive's answer is not an mbox (${m.origin.page ? `a ${m.origin.page} page` : 'a single message'})`);
      first = false;
      yield m;
    }
  } catch (e) {
    // "x: a web page, but not a mail archive page" from the sniffer says less than this
    if (first && e instanceof KtriageError && NOT_MBOX.has(e.code)) {
      throw new KtriageError(e.code, `${finalUrl}: the archive's answer is not an mbox (${e.message.replace(`${finalUrl}: `, '')})`);
    }
    throw e;
  }
}

/** The answer in 256 KiB pieces, as a file is read: zlib stops between pieces at the size cap. */
async function* chunksOf(body: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += 256 * 1024) yield body.subarray(i, i + 256 * 1024);
}

/** Every message of the thread holding `messageId`, from `inbox`. */
export async function* archiveThreadMails(inbox: ArchiveInbox, messageId: string, opts: ArchiveFetchOptions = {}): AsyncGenerator<RawMail> {
  const answer = await fetchArchive(threadMboxUrl(inbox, messageId), messageId, opts);
  yield* mailsFromAnswer(answer, opts);
}
