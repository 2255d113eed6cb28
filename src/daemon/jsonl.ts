// One JSON line per verdict, for other tools (jq, a dashboard, a bot of their
// own): report/render.ts toJson plus where and when it was judged. To a stream
// (stdout) or appended to a file: each line is one write() on an O_APPEND
// descriptor, so a reader tailing the file never sees half a line from us.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { Verdict } from '../core/types.js';
import { toJson } from '../report/render.js';

export interface VerdictLine {
  threadRoot: string;
  list?: string;
  judgedAt: Date;
  verdict: Verdict;
  /** the store's verdicts row, when there is one */
  verdictId?: number;
}

/** The line's object: the judging context first, then the verdict as `thread --format json` prints it. */
export function verdictRecord(l: VerdictLine): object {
  return {
    threadRoot: l.threadRoot,
    list: l.list ?? null,
    judgedAt: l.judgedAt.toISOString(),
    ...(l.verdictId !== undefined ? { verdictId: l.verdictId } : {}),
    ...toJson(l.verdict),
  };
}

export interface JsonlWriter {
  write(l: VerdictLine): void;
  close(): void;
}

/** Lines to a stream (not closed by close()) or appended to the file at a path (created when missing). */
export function createJsonlWriter(target: NodeJS.WritableStream | string): JsonlWriter {
  if (typeof target !== 'string') {
    return {
      write: (l) => void target.write(JSON.stringify(verdictRecord(l)) + '\n'),
      close: () => undefined,
    };
  }
  let fd: number | undefined = openSync(target, 'a', 0o644);
  return {
    write(l) {
      if (fd === undefined) throw new Error(`${target}: the JSON lines file is closed`);
      writeSync(fd, Buffer.from(JSON.stringify(verdictRecord(l)) + '\n'));
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
