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

  /** Steps taken up a thread's parent chain (a reply's ancestors): a loop in hostile headers
   *  must end, and no real discussion nests this deep. */
  maxThreadDepth: 1000,

  /** References header entries kept (the newest ones); public-inbox keeps a similar cap. */
  maxReferences: 128,

  /** Characters of one Message-ID between its angle brackets: RFC 5322 lines stop at 998
   *  characters, so a longer id is not one; it is dropped (an own id is then derived). */
  maxMessageIdChars: 995,

  /** Patches in one series ([PATCH k/M] with k, M up to this). The largest real series
   *  (tree-wide API conversions) run to a few hundred; a bigger counter is read as a
   *  single patch, so a forged [PATCH 9999/9999] cannot make 10,000 slots per posting. */
  maxSeriesLength: 1000,

  /** Earlier postings of the same author looked at when a posting whose threading
   *  headers were lost looks for the one it belongs to (series.ts): real re-sends
   *  are a handful; this keeps a flood of same-shaped postings linear. */
  maxSeriesJoinCandidates: 64,

  /** A subject's leading "[...]" group longer than this is topic text, not a prefix
   *  (the longest real ones, "[PATCH RFC net-next v12 00/17]", are ~40). */
  maxSubjectPrefixChars: 100,

  /** "Re:", "Fwd:" and "[...]" groups peeled off one subject; a subject of 5,000
   *  "Re: " stops here instead of costing a slice per group. */
  maxSubjectPrefixGroups: 20,

  /** Hunks per patch and files per patch: tree-wide cleanups reach thousands of
   *  files; we keep the first ones, they are enough to classify the change. */
  maxFilesPerPatch: 2000,
  maxHunksPerFile: 2000,

  /** Build failures kept from one message. A log of thousands of errors (an
   *  allmodconfig run, a robot report of one broken header) says no more than its
   *  first hundreds: the same few symbols and files again. Past this the scan
   *  stops, so a 100,000-line log costs no more than its head. */
  maxFailuresPerMessage: 500,

  /** Text attachments read per message. A series sent as attachments to one mail
   *  has a few dozen files at most; more is an archive attached whole. */
  maxAttachments: 32,

  /** Bytes of one attachment decoded as text. A tree-wide patch attached whole
   *  runs to a few MB; past this the head is kept (where the diff starts) and
   *  the cut is noted, like a long body. */
  maxAttachmentBytes: 4 * 1024 * 1024,

  /** Redirects followed when fetching a thread from an archive: lore sends one
   *  (/r/<id> to the list that holds it), a proxy in front may add one more; a
   *  longer chain is a loop or a misconfigured server. */
  maxArchiveRedirects: 5,

  /** Connecting and receiving the answer's headers from an archive: lore builds a
   *  thread's t.mbox.gz in well under a second; a server silent this long is down. */
  archiveResponseTimeoutMs: 30_000,

  /** Silence allowed between two chunks of an archive's answer, and the whole
   *  download: a server that trickles bytes forever cannot hold the command. */
  archiveIdleTimeoutMs: 30_000,
  archiveTotalTimeoutMs: 300_000,

  /** Compressed bytes of one fetched t.mbox.gz, held in memory. lore's largest
   *  threads (a few thousand messages) compress to a few MB. */
  maxArchiveDownloadBytes: 64 * 1024 * 1024,

  /** Bytes a fetched t.mbox.gz may expand to: the same bound as a thread read from
   *  a file, so a gzip bomb from a hostile or broken server stops here. */
  maxArchiveThreadBytes: 256 * 1024 * 1024,

  /** Epochs (git/N.git) read from one public-inbox v2 inbox: lore's largest
   *  (lkml) has about 20 after 25 years; thousands are not an inbox. */
  maxPublicInboxEpochs: 1000,

  /** Bytes of one line from git plumbing (a commit id, a cat-file header):
   *  ~100 in practice; a longer line is not git talking, so the read stops. */
  maxGitLineBytes: 4096,

  /** Bytes of git's stderr kept for the one-line error when it fails. */
  maxGitStderrBytes: 4096,

  /** One answer of a public-inbox new.atom: 25 entries with their bodies as
   *  XHTML, a few hundred KB on lore; a larger feed is not that page. */
  maxAtomFeedBytes: 8 * 1024 * 1024,

  /** Entries read from one feed (public-inbox serves 25; mirrors may set more). */
  maxAtomEntries: 1000,

  /** Bytes sniffed to decide what a file is. */
  sniffBytes: 64 * 1024,

  /** Share of NUL/control bytes above which an input is called binary. */
  binaryControlRatio: 0.1,
} as const;
