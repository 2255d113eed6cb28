// A damaged message in an archive is skipped and counted, never the end of the
// archive: these are the records that count reaches the user with.

import { KtriageError, type ErrorCode } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

export type SkipReason =
  /** NUL bytes or mostly control bytes: not text */
  | 'binary'
  /** does not start with a header block */
  | 'not-mail'
  /** over LIMITS.maxMessageBytes */
  | 'too-large'
  /** mailparser gave up on it */
  | 'unparseable'
  /** one Message-ID carried by more distinct messages than LIMITS.maxCopiesPerMessageId */
  | 'duplicate-id';

export interface SkippedMessage {
  /** 0-based position in the input (mbox message number, Maildir entry) */
  index: number;
  reason: SkipReason;
  bytes: number;
  /** one phrase: "contains NUL bytes", "larger than the 16 MiB limit" */
  detail: string;
}

const CODE: Record<SkipReason, ErrorCode> = {
  binary: 'E_BINARY',
  'not-mail': 'E_NOT_MAIL',
  'too-large': 'E_TOO_LARGE',
  unparseable: 'E_NOT_MAIL',
  'duplicate-id': 'E_NOT_MAIL',
};

/** "message 3 contains NUL bytes; message 9 is larger than …" for the first few, then "and N more". */
export function describeSkips(skips: readonly SkippedMessage[]): string {
  // a detail may quote a parser's message: it must not break the line
  const shown = skips.slice(0, LIMITS.maxSkipsNamed).map((s) => `message ${s.index + 1} ${s.detail}`.replace(/[\r\n]+/g, ' '));
  const more = skips.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** The error for an input whose every message was damaged: the code of the reason they share. */
export function nothingReadError(label: string, skips: readonly SkippedMessage[]): KtriageError {
  const reasons = new Set(skips.map((s) => s.reason));
  const code = reasons.size === 1 ? CODE[skips[0]!.reason] : 'E_NOT_MAIL';
  const what = skips.length === 1 ? 'its only message was skipped' : `all ${skips.length} messages were skipped`;
  return new KtriageError(code, `${label}: no message could be read: ${what} (${describeSkips(skips)})`);
}

/** A limit in words: "16 MiB", or bytes for the small limits tests set. */
export function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MiB` : `${bytes} bytes`;
}
