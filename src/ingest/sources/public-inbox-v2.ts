// A public-inbox v2 inbox on disk (what lore serves; a `git clone --mirror`
// or grokmirror copy of it): git epochs git/0.git, git/1.git, …, each a linear
// history where every commit adds one message as the blob `m` (a removal
// commit has `d` instead). We read the commits after the checkpoint, oldest
// first, epoch by epoch.
//
// Checkpoint: the last commit read in each epoch ({"epochs": {"0": sha, …}}).
// An epoch whose head no longer descends from its checkpoint commit was
// rewritten (force-pushed, or public-inbox-purge/-edit ran): it is read again
// from its start, and the store's dedupe keeps every message once.

import { promises as fsp } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { KtriageError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import { messageDamage } from '../sniff.js';
import { sizeText } from '../skips.js';
import { CatFile, gitAnswer, gitLines } from './git-reader.js';
import { readJsonCheckpoint, type MailSource, type SourceItem } from './source.js';

export interface Epoch {
  n: number;
  gitDir: string;
}

export interface InboxV2 {
  /** the inbox directory, or the epoch directory when one epoch was named */
  path: string;
  epochs: Epoch[];
}

const EPOCH_NAME = /^(\d{1,6})\.git$/;
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

const Checkpoint = z.object({ epochs: z.record(z.string().regex(/^\d+$/), z.string().regex(COMMIT_ID)) });
type Checkpoint = z.infer<typeof Checkpoint>;

async function isDir(path: string): Promise<boolean> {
  return fsp.stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A bare git repository: HEAD, objects/ and refs/ at its top. */
async function isBareRepo(path: string): Promise<boolean> {
  const [head, objects, refs] = await Promise.all([
    fsp.stat(join(path, 'HEAD')).then(
      (s) => s.isFile(),
      () => false,
    ),
    isDir(join(path, 'objects')),
    isDir(join(path, 'refs')),
  ]);
  return head && objects && refs;
}

/**
 * The v2 inbox at `path` (a directory holding git/N.git), or the one epoch
 * `path` names (…/git/N.git); undefined when `path` is neither.
 */
export async function findInboxV2(path: string): Promise<InboxV2 | undefined> {
  const abs = resolve(path);
  const epochName = EPOCH_NAME.exec(basename(abs));
  if (epochName && (await isBareRepo(abs))) return { path: abs, epochs: [{ n: Number(epochName[1]), gitDir: abs }] };
  const gitDir = join(abs, 'git');
  if (!(await isDir(gitDir))) return undefined;
  const names = await fsp.readdir(gitDir).catch(() => [] as string[]);
  const epochs: Epoch[] = [];
  for (const name of names) {
    const m = EPOCH_NAME.exec(name);
    if (!m || !(await isBareRepo(join(gitDir, name)))) continue;
    epochs.push({ n: Number(m[1]), gitDir: join(gitDir, name) });
    if (epochs.length > LIMITS.maxPublicInboxEpochs) throw new KtriageError('E_NOT_MAIL', `${path}: more than ${LIMITS.maxPublicInboxEpochs} epochs under git/; not a public-inbox`);
  }
  if (!epochs.length) return undefined;
  return { path: abs, epochs: epochs.sort((a, b) => a.n - b.n) };
}

function readCheckpoint(value: string | undefined): Checkpoint {
  return readJsonCheckpoint(value, Checkpoint) ?? { epochs: {} };
}

/** The epoch's newest commit; undefined for an epoch with no commit yet (a fresh inbox). */
async function epochHead(e: Epoch): Promise<string | undefined> {
  // public-inbox writes refs/heads/master; a mirror's HEAD points there too
  for (const ref of ['HEAD', 'refs/heads/master']) {
    const r = await gitAnswer(e.gitDir, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
    if (r.status === 0 && COMMIT_ID.test(r.line)) return r.line;
  }
  return undefined;
}

/** merge-base --is-ancestor: 0 yes, 1 no, else (the commit is gone after a rewrite and gc) no. */
async function descendsFrom(e: Epoch, older: string, head: string): Promise<boolean> {
  const r = await gitAnswer(e.gitDir, ['merge-base', '--is-ancestor', older, head]);
  return r.status === 0;
}

export function publicInboxV2Source(inbox: InboxV2, label: string): MailSource {
  return {
    key: `public-inbox:${inbox.path}`,
    label,
    async estimate() {
      let n = 0;
      for (const e of inbox.epochs) {
        const head = await epochHead(e);
        if (head) n += Number((await gitAnswer(e.gitDir, ['rev-list', '--count', head])).line) || 0;
      }
      return n;
    },
    async *pull(checkpoint: string | undefined): AsyncGenerator<SourceItem> {
      const done = readCheckpoint(checkpoint).epochs;
      let index = 0;
      for (const e of inbox.epochs) {
        const head = await epochHead(e);
        if (!head) continue;
        const last = done[String(e.n)];
        if (last === head) continue;
        // never read, or rewritten since: the whole epoch
        const range = last && (await descendsFrom(e, last, head)) ? [head, `^${last}`] : [head];
        const cat = new CatFile(e.gitDir);
        try {
          for await (const commit of gitLines(e.gitDir, ['rev-list', '--reverse', ...range])) {
            if (!COMMIT_ID.test(commit)) throw new KtriageError('E_IO', `${e.gitDir}: git rev-list wrote ${JSON.stringify(commit.slice(0, 80))}, not a commit id`);
            done[String(e.n)] = commit;
            const mark = JSON.stringify({ epochs: done } satisfies Checkpoint);
            const where = `(epoch ${e.n}, commit ${commit.slice(0, 12)})`;
            const blob = await cat.read(`${commit}:m`, LIMITS.maxMessageBytes);
            if (!blob.found) {
              // public-inbox records a removal as a commit with `d` and no `m`
              yield { kind: 'skip', skip: { index, reason: 'not-mail', bytes: 0, detail: `${where} holds no message (a removal: no 'm' blob)` }, checkpoint: mark };
            } else if (!blob.bytes) {
              yield {
                kind: 'skip',
                skip: { index, reason: 'too-large', bytes: blob.size, detail: `${where} is larger than the ${sizeText(LIMITS.maxMessageBytes)} limit per message` },
                checkpoint: mark,
              };
            } else if (!blob.bytes.length) {
              // public-inbox-purge keeps the commit and empties its `m`
              yield { kind: 'skip', skip: { index, reason: 'not-mail', bytes: 0, detail: `${where} holds an empty message (purged)` }, checkpoint: mark };
            } else {
              const damage = messageDamage(blob.bytes);
              if (damage) yield { kind: 'skip', skip: { index, reason: damage.reason, bytes: blob.size, detail: `${where} ${damage.detail}` }, checkpoint: mark };
              else yield { kind: 'mail', raw: { bytes: blob.bytes, origin: { kind: 'public-inbox', path: `${e.gitDir}#${commit}`, index } }, checkpoint: mark };
            }
            index++;
          }
        } finally {
          cat.close();
        }
      }
    },
  };
}
