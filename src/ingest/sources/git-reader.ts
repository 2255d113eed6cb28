// git plumbing for the public-inbox v2 source, through child processes with
// bounded reads: short answers (rev-parse, merge-base), a streamed list of
// commits (rev-list), and `cat-file --batch` for blobs, where a blob over the
// per-message limit is read past in pieces (backpressure), never held whole.
// Every failure of git becomes one KtriageError line.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import { KtriageError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';

/** Bytes buffered from git before its output is paused (a large blob streams through). */
const HIGH_WATER = 1 << 20;

// a user's GIT_DIR or GIT_WORK_TREE must not redirect the plumbing to another repository
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE']) delete env[k];
  return env;
}

interface Git {
  child: ChildProcessWithoutNullStreams;
  reader: ByteReader;
  /** the exit status, or the spawn error (git missing) */
  done: Promise<{ status: number; spawnError?: Error }>;
  /** git's first stderr line */
  stderr: () => string;
}

function spawnGit(gitDir: string, args: string[]): Git {
  const child = spawn('git', ['--git-dir', gitDir, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  // a write after git died must become our error line, not an unhandled EPIPE
  child.stdin.on('error', () => undefined);
  const reader = new ByteReader(child.stdout);
  const done = new Promise<{ status: number; spawnError?: Error }>((resolve) => {
    child.once('error', (e) => {
      reader.fail(e);
      resolve({ status: -1, spawnError: e });
    });
    child.once('close', (code) => resolve({ status: code ?? -1 }));
  });
  return { child, reader, done, stderr: collectStderr(child) };
}

/** A child's stdout read as lines and counted bytes, pausing the stream while the buffer is full. */
class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    stream.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.length += c.length;
      if (this.length >= HIGH_WATER) stream.pause();
      this.notify();
    });
    stream.on('end', () => ((this.ended = true), this.notify()));
    stream.on('error', (e) => ((this.failure = e), this.notify()));
  }

  fail(e: Error): void {
    this.failure = e;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async more(): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.ended) return false;
    this.stream.resume();
    await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure;
    return true;
  }

  private flat(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): Buffer {
    const all = this.flat();
    const out = all.subarray(0, n);
    this.chunks = n < all.length ? [all.subarray(n)] : [];
    this.length -= n;
    return out;
  }

  /** The next line without its '\n'; undefined at the end; an overlong line is an error. */
  async line(): Promise<string | undefined> {
    for (;;) {
      const nl = this.flat().indexOf(10);
      if (nl >= 0) {
        if (nl > LIMITS.maxGitLineBytes) throw new Error(`git wrote a line over ${LIMITS.maxGitLineBytes} bytes`);
        return this.consume(nl + 1)
          .subarray(0, nl)
          .toString('utf8');
      }
      if (this.length > LIMITS.maxGitLineBytes) throw new Error(`git wrote a line over ${LIMITS.maxGitLineBytes} bytes`);
      if (!(await this.more())) {
        if (this.length) return this.consume(this.length).toString('utf8');
        return undefined;
      }
    }
  }

  /** The next n bytes (keep) or past them (not keep), in pieces of the buffer. */
  async take(n: number, keep: boolean): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      if (!this.length && !(await this.more())) throw new Error('git ended in the middle of a blob');
      const piece = this.consume(Math.min(left, this.length));
      left -= piece.length;
      if (keep) parts.push(Buffer.from(piece));
    }
    return keep ? Buffer.concat(parts) : undefined;
  }
}

function collectStderr(child: ChildProcessWithoutNullStreams): () => string {
  let text = '';
  child.stderr.on('data', (c: Buffer) => {
    if (text.length < LIMITS.maxGitStderrBytes) text += c.toString('utf8').slice(0, LIMITS.maxGitStderrBytes - text.length);
  });
  return () => text.trim().split('\n')[0] ?? '';
}

function spawnFailure(e: unknown, gitDir: string): KtriageError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new KtriageError('E_IO', `${gitDir}: git is not installed (needed to read a public-inbox)`);
  return new KtriageError('E_IO', `${gitDir}: cannot run git (${code ?? (e as Error).message})`);
}

/** git's exit status and first stdout line (rev-parse, merge-base --is-ancestor, rev-list --count). */
export async function gitAnswer(gitDir: string, args: string[]): Promise<{ status: number; line: string; stderr: string }> {
  const git = spawnGit(gitDir, args);
  git.child.stdin.end();
  let line = '';
  let readError: unknown;
  try {
    line = (await git.reader.line()) ?? '';
    while ((await git.reader.line()) !== undefined) {
      /* drain */
    }
  } catch (e) {
    readError = e;
    git.child.kill();
  }
  const { status, spawnError } = await git.done;
  if (spawnError) throw spawnFailure(spawnError, gitDir);
  if (readError) throw new KtriageError('E_IO', `${gitDir}: ${(readError as Error).message}`);
  return { status, line, stderr: git.stderr() };
}

/** Lines of a git command's output, streamed; a nonzero exit is one E_IO line. */
export async function* gitLines(gitDir: string, args: string[]): AsyncGenerator<string> {
  const git = spawnGit(gitDir, args);
  git.child.stdin.end();
  let finished = false;
  try {
    for (;;) {
      let line: string | undefined;
      try {
        line = await git.reader.line();
      } catch (e) {
        const { spawnError } = await Promise.race([git.done, Promise.resolve({ spawnError: undefined })]);
        if (spawnError) throw spawnFailure(spawnError, gitDir);
        throw new KtriageError('E_IO', `${gitDir}: ${(e as Error).message}`);
      }
      if (line === undefined) break;
      yield line;
    }
    const { status, spawnError } = await git.done;
    finished = true;
    if (spawnError) throw spawnFailure(spawnError, gitDir);
    if (status !== 0) throw new KtriageError('E_IO', `${gitDir}: git ${args[0]} failed (${git.stderr() || `exit ${status}`})`);
  } finally {
    // the consumer stopped early: git must not outlive it
    if (!finished && git.child.exitCode === null) git.child.kill();
  }
}

export type Blob = { found: false } | { found: true; size: number; bytes: Buffer | undefined };

/** One `git cat-file --batch` per epoch: ask for `<commit>:m`, get the blob or "missing". */
export class CatFile {
  private readonly git: Git;
  private spawnError: Error | undefined;

  constructor(private readonly gitDir: string) {
    this.git = spawnGit(gitDir, ['cat-file', '--batch']);
    void this.git.done.then((d) => (this.spawnError = d.spawnError));
  }

  /** The object named `spec`; its bytes only when at most maxBytes (else read past). */
  async read(spec: string, maxBytes: number): Promise<Blob> {
    this.git.child.stdin.write(spec + '\n');
    let header: string | undefined;
    try {
      header = await this.git.reader.line();
    } catch (e) {
      throw this.failure(e);
    }
    if (header === undefined) throw this.failure(new Error('git cat-file ended early'));
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) return { found: false };
    const parts = header.split(' ');
    const size = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0) throw this.failure(new Error(`unexpected answer from git cat-file: ${JSON.stringify(header.slice(0, 100))}`));
    try {
      const bytes = await this.git.reader.take(size, size <= maxBytes);
      await this.git.reader.take(1, false); // the '\n' after each object
      return { found: true, size, bytes };
    } catch (e) {
      throw this.failure(e);
    }
  }

  private failure(e: unknown): KtriageError {
    if (this.spawnError) return spawnFailure(this.spawnError, this.gitDir);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return spawnFailure(e, this.gitDir);
    const why = this.git.stderr() || (e as Error).message;
    return new KtriageError('E_IO', `${this.gitDir}: cannot read blobs (${why})`);
  }

  close(): void {
    this.git.child.stdin.end();
    if (this.git.child.exitCode === null) this.git.child.kill();
  }
}
