// One interface for every place list mail comes from (files, Maildirs, IMAP,
// public-inbox on disk and over HTTP): pull(checkpoint) streams the raw messages after
// that checkpoint, each item carrying the checkpoint that covers it, so the
// store commits a batch and its checkpoint in one transaction. A checkpoint is
// an opaque string only the source reads (an mbox's message count, an IMAP
// UIDVALIDITY/UID, a public-inbox commit).

import type { z } from 'zod';
import type { RawMail } from '../../core/types.js';
import type { SkippedMessage } from '../skips.js';

/** A checkpoint a source wrote as JSON, read back; anything else (absent, another shape, damaged) is no checkpoint. */
export function readJsonCheckpoint<T>(value: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!value) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(value));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export type SourceItem =
  /** a message, and the checkpoint once it is stored */
  | { kind: 'mail'; raw: RawMail; checkpoint: string }
  /** a damaged message, skipped: the checkpoint moves past it */
  | { kind: 'skip'; skip: SkippedMessage; checkpoint: string };

export interface MailSource {
  /** stable name of the checkpoint row ("mbox:/abs/path", "maildir:/abs/dir") */
  readonly key: string;
  /** for messages to the user */
  readonly label: string;
  /** messages after `checkpoint` (all of them when undefined or not understood) */
  pull(checkpoint: string | undefined): AsyncIterable<SourceItem>;
  /** pull ends by itself (a file, not a folder watched for new mail): it may be read ahead of the store, to parse in parallel */
  readonly finite?: boolean;
  /** how many messages pull would yield, when cheap to know (for a progress bar); undefined otherwise */
  estimate?(): Promise<number | undefined>;
}
