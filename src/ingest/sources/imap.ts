// An IMAP folder as a source (imap://user@host:port/folder, imaps:// for TLS),
// through imapflow. Checkpoint: (server, user, folder, UIDVALIDITY, last UID).
// UIDs only grow within one UIDVALIDITY, so "UIDs above the last" is exactly
// the new mail; a changed UIDVALIDITY (folder recreated) means the old UIDs
// mean nothing, and the folder is read again (the store dedupes).
//
// Messages come in groups bounded in count and bytes; the mailbox lock is held
// for one group's FETCH only, never while the consumer works (a held lock also
// keeps imapflow from starting IDLE). A dropped connection loses at most the
// group in flight, which is fetched again after reconnecting: the checkpoint
// only ever covers messages already yielded.
//
// The password never comes from argv: KTRIAGE_IMAP_PASSWORD, else a netrc file
// (KTRIAGE_NETRC, default ~/.netrc): "machine HOST login USER password PASS".

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow, type ImapFlowOptions, type MailboxObject } from 'imapflow';
import { z } from 'zod';
import { KtriageError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import { messageDamage } from '../sniff.js';
import { sizeText } from '../skips.js';
import { readJsonCheckpoint, type MailSource, type SourceItem } from './source.js';

export interface ImapTarget {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  folder: string;
}

/** Bounds on one FETCH: a group is held in memory whole before it is yielded. */
const GROUP_MESSAGES = 100;
const GROUP_BYTES = 32 * 1024 * 1024;
/** UIDs whose sizes are asked for at once (a number and a size each: cheap). */
const SIZE_WINDOW = 1000;

export interface ImapSourceOptions {
  password: string;
  /** one line to the user ("UIDVALIDITY changed", "reconnecting"); default: stderr */
  notice?: (line: string) => void;
  /** reconnections after a drop in pull() before giving up (default 3) */
  retries?: number;
  /** first backoff; doubles up to maxBackoffMs (default 500 ms, 30 s) */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** idle this long before imapflow sends IDLE (its default, 15 s, delays new mail) */
  idleDelayMs?: number;
  /** watch() catches up this often even without an EXISTS (default 60 s) */
  pollMs?: number;
  /** connect and greeting timeout (default 15 s) */
  timeoutMs?: number;
  groupMessages?: number;
  groupBytes?: number;
}

export interface ImapSource extends MailSource {
  /** pull, then wait (IDLE) for new mail and yield it too; ends only when `signal` aborts */
  watch(checkpoint: string | undefined, opts?: { signal?: AbortSignal }): AsyncIterable<SourceItem>;
}

// ---------------------------------------------------------------- URL and password

export function parseImapUrl(spec: string): ImapTarget {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new KtriageError('E_USAGE', `${spec}: not a valid IMAP URL (imap://user@host:port/folder)`);
  }
  const secure = url.protocol === 'imaps:';
  if (!secure && url.protocol !== 'imap:') throw new KtriageError('E_USAGE', `${spec}: not an IMAP URL (imap:// or imaps://)`);
  if (url.password) throw new KtriageError('E_USAGE', `${url.protocol}//${url.host}: a password in the URL would show in the process list; set KTRIAGE_IMAP_PASSWORD or use a netrc file`);
  if (!url.username) throw new KtriageError('E_USAGE', `${spec}: no user name (imap://user@host:port/folder)`);
  if (!url.hostname) throw new KtriageError('E_USAGE', `${spec}: no host (imap://user@host:port/folder)`);
  const folder = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { secure, host, port: url.port ? Number(url.port) : secure ? 993 : 143, user: decodeURIComponent(url.username), folder };
}

export const labelOf = (t: ImapTarget) => `${t.secure ? 'imaps' : 'imap'}://${encodeURIComponent(t.user)}@${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/${t.folder}`;

/** The first "machine" entry (or "default") in netrc text that fits host and user. */
export function netrcPassword(text: string, host: string, user: string): string | undefined {
  const tokens = text.split(/\s+/).filter(Boolean);
  let entry: { machine?: string; isDefault?: boolean; login?: string; password?: string } | undefined;
  const fits = () => entry && entry.password !== undefined && (entry.machine === host || entry.isDefault) && (entry.login === undefined || entry.login === user);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === 'machine' || tok === 'default') {
      if (fits()) return entry!.password;
      entry = tok === 'machine' ? { machine: tokens[++i] } : { isDefault: true };
    } else if (entry && tok === 'login') entry.login = tokens[++i];
    else if (entry && tok === 'password') entry.password = tokens[++i];
  }
  return fits() ? entry!.password : undefined;
}

export function imapPassword(t: ImapTarget, env: NodeJS.ProcessEnv = process.env): string {
  if (env.KTRIAGE_IMAP_PASSWORD) return env.KTRIAGE_IMAP_PASSWORD;
  const file = env.KTRIAGE_NETRC || join(env.HOME || homedir(), '.netrc');
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  const pass = text === undefined ? undefined : netrcPassword(text, t.host, t.user);
  if (pass !== undefined) return pass;
  throw new KtriageError('E_USAGE', `${labelOf(t)}: no password: set KTRIAGE_IMAP_PASSWORD, or put "machine ${t.host} login ${t.user} password …" in ${file}`);
}

// ---------------------------------------------------------------- checkpoint

const Checkpoint = z.object({ server: z.string(), user: z.string(), folder: z.string(), uidValidity: z.string(), uid: z.number().int().nonnegative() });
type Checkpoint = z.infer<typeof Checkpoint>;

function readCheckpoint(value: string | undefined, t: ImapTarget): Checkpoint | undefined {
  const cp = readJsonCheckpoint(value, Checkpoint);
  // another server or folder under the same key: its UIDs say nothing here
  return cp && cp.server === `${t.host}:${t.port}` && cp.user === t.user && cp.folder === t.folder ? cp : undefined;
}

// ---------------------------------------------------------------- connection and errors

/** Failures of the connection itself: trying again can help (any other failure is the server's answer, and would be the same). */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the server reset the connection',
  EPIPE: 'the server closed the connection',
  NoConnection: 'the connection was lost',
  ETIMEOUT: 'the connection timed out',
  ETIMEDOUT: 'the connection timed out',
  CONNECT_TIMEOUT: 'the connection timed out',
  GREETING_TIMEOUT: 'the server did not greet in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'cannot resolve the host name',
  ETHROTTLE: 'the server asked to slow down',
};

/** Why a connection or command failed, in one line, and whether trying again can help. */
function classify(e: unknown, label: string, t: ImapTarget): { error: KtriageError; retryable: boolean } {
  if (e instanceof KtriageError) return { error: e, retryable: false };
  const err = e as { code?: string; message?: string; authenticationFailed?: boolean; serverResponseCode?: string; responseText?: string; responseStatus?: string };
  const line = (code: 'E_USAGE' | 'E_NOT_FOUND' | 'E_IO', text: string) => new KtriageError(code, `${label}: ${text}`.replace(/[\r\n]+/g, ' '), { cause: e });
  if (err.authenticationFailed) return { error: line('E_USAGE', `login refused for "${t.user}" (wrong user name or password)`), retryable: false };
  const text = err.responseText ?? '';
  if (err.serverResponseCode === 'NONEXISTENT' || (err.responseStatus === 'NO' && /doesn't exist|does not exist|unknown mailbox|no such mailbox/i.test(text)))
    return { error: line('E_NOT_FOUND', `the server has no folder "${t.folder}"`), retryable: false };
  if (err.code === 'ECONNREFUSED') return { error: line('E_IO', `connection refused (nothing listens on ${t.host}:${t.port})`), retryable: true };
  if (err.code === 'ENOTFOUND') return { error: line('E_IO', `unknown host ${t.host}`), retryable: false };
  if (err.code && NETWORK[err.code]) return { error: line('E_IO', NETWORK[err.code]!), retryable: true };
  return { error: line('E_IO', `the server refused: ${text || err.message || String(e)}`), retryable: false };
}

function logger(): ImapFlowOptions['logger'] {
  if (!process.env.KTRIAGE_DEBUG) return false;
  const line = (o: { msg?: string }) => process.stderr.write(`imapflow: ${o?.msg ?? JSON.stringify(o)}\n`);
  return { debug: line, info: line, warn: line, error: line };
}

async function connect(t: ImapTarget, o: Required<ImapSourceOptions>, idle: boolean): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: t.host,
    port: t.port,
    secure: t.secure,
    auth: { user: t.user, pass: o.password },
    logger: logger(),
    disableAutoIdle: !idle,
    autoIdleDelay: o.idleDelayMs,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    // a message over the limit is never fetched; a server sending one anyway is cut off
    maxLiteralSize: LIMITS.maxMessageBytes + 64 * 1024,
  });
  // without a listener an 'error' event would end the process; the failure surfaces through the pending command
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw e;
  }
  return client;
}

async function disconnect(client: ImapFlow | undefined): Promise<void> {
  if (!client) return;
  if (client.usable) await Promise.race([client.logout().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  client.close();
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

// ---------------------------------------------------------------- the source

export function imapSource(target: ImapTarget, options: ImapSourceOptions): ImapSource {
  const o: Required<ImapSourceOptions> = {
    notice: (line) => process.stderr.write(`ktriage: ${line}\n`),
    retries: 3,
    backoffMs: 500,
    maxBackoffMs: 30_000,
    idleDelayMs: 200,
    pollMs: 60_000,
    timeoutMs: 15_000,
    groupMessages: GROUP_MESSAGES,
    groupBytes: GROUP_BYTES,
    ...options,
  };
  const label = labelOf(target);
  const server = `${target.host}:${target.port}`;
  const backoff = (attempt: number) => Math.min(o.maxBackoffMs, o.backoffMs * 2 ** attempt);
  /** the position of the last message yielded: what a reconnection resumes from */
  interface State {
    cp: Checkpoint | undefined;
  }

  async function* catchUp(client: ImapFlow, state: State): AsyncGenerator<SourceItem> {
    let lock = await client.getMailboxLock(target.folder, { readOnly: true });
    let uidValidity: string;
    let uids: number[];
    try {
      uidValidity = String((client.mailbox as MailboxObject).uidValidity);
      if (state.cp && state.cp.uidValidity !== uidValidity) {
        o.notice(`${label}: UIDVALIDITY changed from ${state.cp.uidValidity} to ${uidValidity} (the folder was recreated): reading it again from the start; messages already stored are recognised`);
        state.cp = undefined;
      }
      const last = state.cp?.uid ?? 0;
      // "N:*" always matches the highest UID, even below N: filter
      const found = (client.mailbox as MailboxObject).exists ? await client.search({ uid: `${last + 1}:*` }, { uid: true }) : [];
      uids = (found || []).filter((u) => u > last).sort((a, b) => a - b);
    } finally {
      lock.release();
    }
    const mark = (uid: number) => JSON.stringify({ server, user: target.user, folder: target.folder, uidValidity, uid } satisfies Checkpoint);
    for (let w = 0; w < uids.length; w += SIZE_WINDOW) {
      const window = uids.slice(w, w + SIZE_WINDOW);
      const sizes = new Map<number, number>();
      lock = await client.getMailboxLock(target.folder, { readOnly: true });
      try {
        for await (const m of client.fetch(window.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
      } finally {
        lock.release();
      }
      // groups bounded in count and bytes; a message over the limit is skipped unfetched
      let i = 0;
      while (i < window.length) {
        const group: number[] = [];
        let bytes = 0;
        while (i < window.length && group.length < o.groupMessages) {
          const size = sizes.get(window[i]!);
          if (size === undefined) {
            i++; // expunged meanwhile
            continue;
          }
          if (size > LIMITS.maxMessageBytes || (group.length && bytes + size > o.groupBytes)) break;
          group.push(window[i++]!);
          bytes += size;
        }
        if (!group.length) {
          if (i >= window.length) break;
          const uid = window[i++]!;
          const size = sizes.get(uid)!;
          const checkpoint = mark(uid);
          yield {
            kind: 'skip',
            skip: { index: uid - 1, reason: 'too-large', bytes: size, detail: `(UID ${uid}) is larger than the ${sizeText(LIMITS.maxMessageBytes)} limit per message` },
            checkpoint,
          };
          state.cp = { server, user: target.user, folder: target.folder, uidValidity, uid };
          continue;
        }
        const sources = new Map<number, Buffer>();
        lock = await client.getMailboxLock(target.folder, { readOnly: true });
        try {
          for await (const m of client.fetch(group.join(','), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, m.source);
        } finally {
          lock.release();
        }
        for (const uid of group) {
          const bytesOf = sources.get(uid);
          if (!bytesOf) continue; // expunged between SEARCH and FETCH
          const damage = messageDamage(bytesOf);
          const checkpoint = mark(uid);
          if (damage) yield { kind: 'skip', skip: { index: uid - 1, reason: damage.reason, bytes: bytesOf.length, detail: `(UID ${uid}) ${damage.detail}` }, checkpoint };
          // index is 0-based like the other sources', so "message N" in a skip line is UID N
          else yield { kind: 'mail', raw: { bytes: bytesOf, origin: { kind: 'imap', path: label, index: uid - 1 } }, checkpoint };
          state.cp = { server, user: target.user, folder: target.folder, uidValidity, uid };
        }
      }
    }
  }

  return {
    key: `imap:${target.user}@${server}/${target.folder}`,
    label,

    async estimate() {
      let client: ImapFlow | undefined;
      try {
        client = await connect(target, o, false);
        const status = await client.status(target.folder, { messages: true });
        return status ? status.messages : undefined;
      } catch {
        return undefined;
      } finally {
        await disconnect(client);
      }
    },

    async *pull(checkpoint) {
      const state: State = { cp: readCheckpoint(checkpoint, target) };
      for (let attempt = 0, connected = false; ;) {
        let client: ImapFlow | undefined;
        try {
          client = await connect(target, o, false);
          connected = true;
          for await (const item of catchUp(client, state)) {
            yield item;
            attempt = 0;
          }
          return;
        } catch (e) {
          const k = classify(e, label, target);
          // a server that is not there at all is one line at once; a drop after it answered is retried
          if (!k.retryable || !connected || attempt >= o.retries) throw k.error;
          o.notice(`${k.error.message}; reconnecting in ${(backoff(attempt) / 1000).toFixed(1)} s`);
          await sleep(backoff(attempt++));
        } finally {
          await disconnect(client);
        }
      }
    },

    async *watch(checkpoint, { signal } = {}) {
      const state: State = { cp: readCheckpoint(checkpoint, target) };
      let attempt = 0;
      while (!signal?.aborted) {
        let client: ImapFlow | undefined;
        try {
          client = await connect(target, o, true);
          // events that arrive during a catch-up make the next wait return at once
          let pending = false;
          let closed = false;
          let wake: (() => void) | undefined;
          const fire = () => {
            pending = true;
            wake?.();
          };
          client.on('exists', fire);
          client.on('close', () => {
            closed = true;
            fire();
          });
          if (attempt) o.notice(`${label}: connected again`);
          attempt = 0;
          while (!signal?.aborted) {
            pending = false;
            for await (const item of catchUp(client, state)) yield item;
            if (!pending) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(done, o.pollMs);
                function done() {
                  clearTimeout(timer);
                  signal?.removeEventListener('abort', done);
                  wake = undefined;
                  resolve();
                }
                wake = done;
                signal?.addEventListener('abort', done, { once: true });
              });
            }
            if (closed) throw Object.assign(new Error('connection lost'), { code: 'NoConnection' });
          }
        } catch (e) {
          if (signal?.aborted) break;
          const k = classify(e, label, target);
          if (!k.retryable) throw k.error;
          o.notice(`${k.error.message}; reconnecting in ${(backoff(attempt) / 1000).toFixed(1)} s`);
          await sleep(backoff(attempt++), signal);
        } finally {
          await disconnect(client);
        }
      }
    },
  };
}
