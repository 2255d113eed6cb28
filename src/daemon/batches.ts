// A source's items in batches for the store: a batch ends when it is full,
// when the source has nothing more to give for `idleMs` (an IMAP folder
// waiting in IDLE, a Maildir read to its end), or when its first item has
// waited `maxWaitMs`, so mail that trickles in is committed at once (even a
// steady stream with no quiet spell) and a backfill still goes in large
// transactions. The items read before an abort are handed over too: the
// caller stores them with the checkpoint that covers them, so a shutdown
// never loses what was read.

export interface Batch<T> {
  items: T[];
  /** the source had nothing more to give: it is caught up */
  caughtUp: boolean;
}

export async function* batches<T>(source: AsyncIterable<T>, opts: { max: number; idleMs: number; maxWaitMs?: number; signal?: AbortSignal }): AsyncGenerator<Batch<T>> {
  const maxWaitMs = opts.maxWaitMs ?? Infinity;
  const it = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let items: T[] = [];
  /** when the batch's first item came */
  let openedAt = 0;
  // an empty batch says "caught up" once per quiet spell (the source lag counts from it)
  let toldIdle = false;
  try {
    for (;;) {
      pending ??= it.next();
      let timer: NodeJS.Timeout | undefined;
      let due: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      // made anew each turn: a promise that outlives the race (a shared "aborted" one) keeps a
      // reaction per race, and with it each race's result (every message read) for as long as it lives
      const wake = new Promise<'idle' | 'due' | 'abort'>((resolve) => {
        if (opts.signal?.aborted) return resolve('abort');
        onAbort = () => resolve('abort');
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        if (items.length || !toldIdle) timer = setTimeout(() => resolve('idle'), opts.idleMs);
        if (items.length && maxWaitMs < Infinity) due = setTimeout(() => resolve('due'), openedAt + maxWaitMs - Date.now());
      });
      const r = await Promise.race([pending, wake]);
      clearTimeout(timer);
      clearTimeout(due);
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
      if (r === 'abort') {
        if (items.length) yield { items, caughtUp: false };
        return;
      }
      if (r === 'due') {
        // the source is still giving: not caught up
        yield { items, caughtUp: false };
        items = [];
        continue;
      }
      if (r === 'idle') {
        toldIdle = true;
        yield { items, caughtUp: true };
        items = [];
        continue;
      }
      pending = undefined;
      toldIdle = false;
      if (r.done) {
        if (items.length) yield { items, caughtUp: true };
        return;
      }
      if (!items.length) openedAt = Date.now();
      items.push(r.value);
      if (items.length >= opts.max) {
        yield { items, caughtUp: false };
        items = [];
      }
    }
  } finally {
    // ends the source (closes an IMAP connection); a next() in flight is left to settle
    if (!pending) await it.return?.();
    else void pending.then(() => it.return?.()).catch(() => undefined);
  }
}
