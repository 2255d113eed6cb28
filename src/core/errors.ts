// One error type with stable codes. The CLI prints `ktriage: <message>` and exits
// nonzero; the daemon turns the same errors into data for the failing thread.

export type ErrorCode =
  | 'E_USAGE'
  | 'E_NOT_FOUND'
  | 'E_EMPTY'
  | 'E_BINARY'
  | 'E_NOT_MAIL'
  | 'E_TRUNCATED'
  | 'E_TOO_LARGE'
  | 'E_GZIP'
  | 'E_IO'
  | 'E_BAD_LABELS'
  /** an archive server could not be reached, timed out, failed or redirected badly */
  | 'E_NETWORK';

export class KtriageError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'KtriageError';
  }
}

export function isKtriageError(e: unknown): e is KtriageError {
  return e instanceof KtriageError;
}
