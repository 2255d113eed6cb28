// Every bound on untrusted input, in one place, each with its reason.
// Mail is hostile or just broken; these keep memory and time bounded.

export const LIMITS = {
  /** Largest single message we parse. LKML's own limit is 100 KB for most lists and
   *  vger rejects mail over ~1 MB; 16 MiB leaves room for big patch bombs and
   *  attached configs while refusing a 50 MB blob before it is read whole. */
  maxMessageBytes: 16 * 1024 * 1024,

  /** Largest input file (mbox or page) read by `ktriage thread`. A whole-list mbox
   *  goes through `bench`/ingest streaming instead; a thread is never this big. */
  maxThreadInputBytes: 256 * 1024 * 1024,

  /** Expanded size cap for .gz input: gzip bombs expand ~1000:1. Streaming stops
   *  as soon as this many bytes have come out. */
  maxGunzipBytes: 1024 * 1024 * 1024,

  /** Messages in one thread. lore's biggest threads run to a few thousand. */
  maxMessagesPerThread: 5000,

  /** Distinct messages kept under one Message-ID (the first copy and renamed
   *  ones); further copies are skipped and counted. A Message-ID names one
   *  message: a re-send under the same id or a mailer that reuses ids gives a
   *  handful of copies, thousands are a broken or hostile sender, and each copy
   *  costs threading and analysis a pass over the thread (4,900 copies: 25 s). */
  maxCopiesPerMessageId: 16,

  /** Skipped messages named one by one in the warning or error line; the rest
   *  are counted ("and 40 more"), so the line stays one line. */
  maxSkipsNamed: 3,

  /** Lines of one body we look at; beyond this we keep the head (where reports and
   *  diffs are) and note the cut. */
  maxBodyLines: 200_000,

  /** A line longer than this is cut before regexes run over it, so a single
   *  megabyte-long line (seed 004 is one long line of ~5 KB) cannot blow up. */
  maxLineChars: 64 * 1024,

  /** Nesting of quote markers we track ('>>>>>>'); deeper is treated as this depth. */
  maxQuoteDepth: 32,

  /** References header entries kept (the newest ones); public-inbox keeps a similar cap. */
  maxReferences: 128,

  /** Hunks per patch and files per patch: tree-wide cleanups reach thousands of
   *  files; we keep the first ones, they are enough to classify the change. */
  maxFilesPerPatch: 2000,
  maxHunksPerFile: 2000,

  /** Bytes sniffed to decide what a file is. */
  sniffBytes: 64 * 1024,

  /** Share of NUL/control bytes above which an input is called binary. */
  binaryControlRatio: 0.1,
} as const;
