// Plain data that crosses stage boundaries. No behaviour here: every stage can
// import it, and everything in it serialises to JSON unchanged.

/** Where a raw message came from, so evidence can point back at it. */
export interface Origin {
  kind: 'eml' | 'mbox' | 'maildir' | 'stdin' | 'page' | 'imap' | 'public-inbox' | 'http';
  path: string;
  /** position inside a container (mbox message number, page section) */
  index?: number;
  /** the page flavour when kind is 'page' */
  page?: 'pipermail' | 'lore' | 'flat';
}

/** RFC 822 bytes as read, before any parsing. */
export interface RawMail {
  bytes: Buffer;
  origin: Origin;
}

export interface Address {
  name: string;
  address: string;
}

/** What a subject line says about the mail: b4's vocabulary. */
export interface SubjectInfo {
  /** Re:/RE:/Aw: seen (possibly several), or the mail is a follow-up that kept the
   *  patch subject without "Re:" (then replyInferred) */
  isReply: boolean;
  /** isReply was read from the mail (In-Reply-To, quotes, no diff), not from the subject */
  replyInferred?: boolean;
  isForward: boolean;
  /** every word inside the leading [...] groups, e.g. ['PATCH', 'v2', '3/7'] */
  prefixes: string[];
  isPatch: boolean;
  /** "[GIT PULL]", "[PULL REQUEST]": a pull request, never a patch */
  isPull: boolean;
  isRfc: boolean;
  isResend: boolean;
  /** 1 when no vN prefix was present */
  revision: number;
  revisionInferred: boolean;
  /** 3 of [PATCH 3/7]; 0 for a cover letter; undefined when absent */
  counter?: number;
  expected?: number;
  /** subject with Re:/[...] removed, whitespace collapsed */
  topic: string;
}

export interface Message {
  messageId: string;
  /** true when the mail had no Message-ID and we made one up from its content */
  messageIdInferred: boolean;
  inReplyTo?: string;
  references: string[];
  from: Address;
  to: Address[];
  cc: Address[];
  date?: string; // ISO 8601
  subject: string;
  subjectInfo: SubjectInfo;
  list?: string;
  /** plain-text body, LF line ends */
  body: string;
  /** text attachments (a patch sent as `0001-foo.patch`, a `.diff.txt`), bounded by LIMITS; absent when none */
  attachments?: Attachment[];
  origin: Origin;
  /** other mangling we noticed (archive address munging, missing headers) */
  notes: string[];
  /** a `git request-pull` text in the body ("[GIT PULL]" mail, or a maintainer's reply) */
  pull?: PullRequest;
}

/** What `git request-pull` writes: where to pull from, and since which commit. */
export interface PullRequest {
  /** "are available in the Git repository at:" */
  url: string;
  /** the branch or tag after the URL ('tags/x' is kept as written); absent when none is named */
  ref?: string;
  refKind: 'branch' | 'tag' | 'none';
  /** "The following changes since commit <sha>:" */
  baseCommit?: string;
  /** "for you to fetch changes up to <sha>:" */
  headCommit?: string;
  /** body line (1-based) of the "are available in the Git repository at:" line */
  line: number;
}

/** A text attachment as mailparser hands it apart from the body: decoded, LF line ends. */
export interface Attachment {
  /** its file name, '' when it has none */
  name: string;
  /** MIME type, lowercase: 'text/x-patch', 'text/plain', 'application/octet-stream' */
  type: string;
  text: string;
}

export interface ThreadNode {
  messageId: string;
  parentId?: string;
  /** true when the parent was found by subject, not by headers */
  parentBySubject?: boolean;
  depth: number;
}

/**
 * One posting of a patch series as b4 would group it. Every posting is kept: a
 * re-send with the same author, revision and length is a posting of its own, and
 * a RESEND is its own posting of the same revision.
 */
export interface Series {
  topic: string;
  revision: number;
  /** read from the subjects, or (revisionInferred) none said and v1 is assumed */
  revisionInferred: boolean;
  /** M of [PATCH k/M]: as announced; a follow-up extra ([PATCH 3/2]) does not change it */
  expected: number;
  coverId?: string;
  /** patch Message-IDs in counter order, '' for a missing one; slots past `expected`
   *  hold follow-up extras ([PATCH 3/2]) */
  patchIds: string[];
  author: string;
  /** every counter from 1 up to the highest seen (at least `expected`) is present */
  complete: boolean;
  /** [PATCH RESEND]: the same revision posted again */
  resend: boolean;
  /** date of the posting's first message (ISO 8601), when dated */
  date?: string;
}

export interface Thread {
  rootId: string;
  /** messages in thread order (parents before children, siblings by date) */
  messages: Message[];
  nodes: ThreadNode[];
  /** series grouped by topic; revisions in ascending order, postings of one revision by date */
  series: Series[];
}

// ---- extraction -------------------------------------------------------------

/** A place in the mail: which message and which 1-based line of its body. */
export interface MailCite {
  messageId: string;
  line: number;
  /** the line is one of this attachment's, not of the body */
  attachment?: string;
}

export type DiffLineKind = 'add' | 'del' | 'ctx';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** body line of the mail this came from */
  mailLine: number;
}

export interface Hunk {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** text after the second @@: usually the enclosing function */
  section: string;
  lines: DiffLine[];
  /** the hunk stopped before its header's line counts were reached */
  truncated: boolean;
}

export interface FileDiff {
  oldPath: string;
  newPath: string;
  status: 'modified' | 'added' | 'deleted' | 'renamed' | 'mode';
  hunks: Hunk[];
  /** only known from a diffstat (a cover letter), no hunks */
  statOnly?: boolean;
  insertions?: number;
  deletions?: number;
  /** a binary change ("GIT binary patch", "Binary files … differ"): no hunks, the file is still changed */
  binary?: boolean;
  /** a combined diff (`diff --cc`, `@@@` hunks) of a merge with this many parents; hunks are shown against the first */
  parents?: number;
}

export interface Patch {
  /** the mail that posted the patch (for a quoted-only patch: the mail it was quoted from, when known) */
  messageId: string;
  /** the mail whose body holds the text we parsed */
  foundIn: string;
  /** '>' depth of the diff in that mail; 0 = posted inline */
  quoteDepth: number;
  source: 'inline' | 'quoted' | 'diffstat';
  subject: string;
  subjectInfo: SubjectInfo;
  author: string;
  /** commit message (text before the '---' or the diff), unquoted */
  description: string;
  files: FileDiff[];
  firstLine: number;
  lastLine: number;
  /** what the repair pass did or could not do, in words */
  damage: string[];
  /** source 'diffstat' in a pull request's mail: the diffstat of a pull, not a patch */
  pull?: PullRequest;
  /** the attachment of the message the diff was read from (its name, or "attachment N"); line numbers then count its lines */
  attachment?: string;
}

export type FailureKind =
  | 'undefined-reference' // GNU ld / ld.lld
  | 'modpost-undefined'
  | 'compile-error'
  | 'warning' // compiler warning, maybe -Werror
  | 'static-check' // sparse, smatch, coccinelle
  | 'kconfig-unmet'
  | 'build-prose' // "FTBFS", "fails to link without CONFIG_SMP"
  | 'runtime'; // oops, WARN, log message, corruption

export interface ConfigSetting {
  /** without the CONFIG_ prefix */
  name: string;
  value: 'y' | 'n' | 'm';
}

export interface ConfigContext {
  arches: string[];
  configs: ConfigSetting[];
  /** robot/prose config names: 'arm-randconfig-r002-20211130', 'allmodconfig' */
  configNames: string[];
  compilers: string[];
}

export interface BuildFailure {
  kind: FailureKind;
  /** the symbol at stake: undefined symbol, undeclared identifier, Kconfig symbol */
  symbol?: string;
  file?: string;
  line?: number;
  /** the function the reference sits in (ld 'in function') */
  inFunction?: string;
  /** module named by modpost */
  module?: string;
  /** for Kconfig: the unmet dependency expression and the selectors */
  dependsOn?: string;
  selectedBy?: string[];
  /** compiler flag named in a warning, e.g. -Wunused-const-variable */
  flag?: string;
  message: string;
  tool?: string;
  arch?: string;
  configs: ConfigSetting[];
  configName?: string;
  /** robot reports: marked new with '>>' */
  fromRobot: boolean;
  cite: MailCite;
  quoteDepth: number;
  /** known only by reference (a Reported-by:/Closes: or the subject's words): no diagnostic was quoted */
  reference?: FailureReference;
  /** taken from a report the patch links to, outside its thread */
  linked?: boolean;
  /** told in words (a changelog's "fails to link without X"), not a tool's line */
  inWords?: boolean;
}

/** Where a failure known only by reference was reported, as the patch tells it. */
export interface FailureReference {
  /** what the patch's words call the problem ("section mismatch warning") */
  named?: string;
  reporter?: string;
  robot: boolean;
  link?: string;
}

/**
 * A report a patch links to (Closes:/Link:) that is not in its thread, as the caller
 * found it: the report's messages (from the store or an archive), or why not.
 * Keyed by the report's Message-ID in angle brackets, as Message.messageId.
 */
export type LinkedReport = { messages: Message[]; from: 'store' | 'archive' } | { note: string };
export type LinkedReports = ReadonlyMap<string, LinkedReport>;

/** A `Fixes:` tag resolved in a git tree with history (src/index/fixes-resolve.ts). */
export interface FixesCheck {
  /** the sha as the tag gives it */
  sha: string;
  /** the title the tag gives, if any */
  title?: string;
  cite: MailCite;
  /** resolved: the tree holds the commit; unresolved: it does not (or the sha is ambiguous) */
  status: 'resolved' | 'unresolved';
  /** why it did not resolve, in words */
  why?: string;
  commit?: { sha: string; subject: string; files: string[] };
  /** the tag's title is not the commit's subject (checkpatch's and b4's check) */
  titleMismatch?: boolean;
  /** the posting touches none of the blamed commit's files */
  touchesNone?: boolean;
}

/** The Fixes: tags of a thread checked against a git tree (absent without one: the tags are shown as given). */
export interface FixesReport {
  tree: string;
  checks: FixesCheck[];
}

export interface CommitRef {
  sha: string;
  title?: string;
  /** caused-by: a report blames it ("Caused by commit …", linux-next's convention) */
  kind: 'fixes' | 'mention' | 'reverts' | 'caused-by';
  cite: MailCite;
}

export interface Trailer {
  key: string;
  value: string;
  cite: MailCite;
  quoteDepth: number;
}

export type SignalKind =
  | 'nak'
  | 'refuse-export'
  | 'objection' // "not the right approach", "a bit drastic", "I'm not convinced"
  | 'papers-over' // "papers over", "hides", "wrong fix", "not the real fix"
  | 'counter' // "could we instead…", "what's wrong with…", "a better fix would be"
  | 'workaround' // "is a workaround", "hack fix", "band-aid", "to shut up the warning"
  | 'temporary' // "for now", "for today", "temporarily", "until the real fix lands"
  | 'root-cause-elsewhere' // "fix the root cause", "the real problem is"
  | 'withdrawn' // "please drop", "scratch that", "my patch was wrong"
  | 'superseded' // "I'll send a v2", "already fixed by commit …"
  | 'concede' // the sender agrees with criticism: "you're right", "fair enough"
  | 'still-failing' // "still fails on arm64 with this applied"
  | 'acked'
  | 'reviewed'
  | 'tested' // Tested-by, "this fixes it", "build error has gone"
  | 'applied';

export interface ReviewSignal {
  kind: SignalKind;
  polarity: 'negative' | 'positive';
  speaker: string;
  /** the speaker's mail address when known (the sender's, or a trailer's) */
  speakerAddress?: string;
  /** the vocabulary entry that matched (src/extract/vocab/review-phrases.ts), or the trailer key */
  phrase?: string;
  text: string;
  cite: MailCite;
  /** said in a quoted part, by the person the attribution line names */
  quoted?: boolean;
}

/** A Kconfig block as the mail quotes it (may predate the indexed tree). */
export interface KconfigSnippet {
  name: string; // CONFIG_X
  type?: string;
  dependsOn: string[];
  defaults: { value: string; cond?: string }[];
  selects: string[];
  cite: MailCite;
}

/** Everything extracted from one message. */
export interface Extraction {
  messageId: string;
  patches: Patch[];
  failures: BuildFailure[];
  context: ConfigContext;
  refs: CommitRef[];
  trailers: Trailer[];
  signals: ReviewSignal[];
  /** a question or report of a problem without a build log (prose) */
  problemStatements: { text: string; cite: MailCite }[];
  kconfig: KconfigSnippet[];
}

// ---- analysis -----------------------------------------------------------------

export type VerdictKind = 'fixes' | 'hides' | 'partial' | 'breaks' | 'no-patch' | 'no-failure' | 'unclear';

/** The verdicts that judge a patch against a failure: none exists without one. */
export type JudgedKind = 'fixes' | 'hides' | 'partial';
export const JUDGED_KINDS: readonly JudgedKind[] = ['fixes', 'hides', 'partial'];

export interface Evidence {
  source: 'mail' | 'index';
  /** '<msgid>:L12' for mail, 'tree:path:line' for the index */
  cite: string;
  text: string;
}

export type EffectKind =
  | 'guard-narrowed'
  | 'guard-widened'
  | 'guard-added'
  | 'depends-on-added'
  | 'depends-on-negated'
  | 'depends-on-broken'
  | 'depends-on-removed'
  | 'select-added'
  | 'select-made-conditional'
  | 'select-replaced-by-depends'
  | 'kconfig-type-changed'
  | 'kconfig-changed'
  | 'export-added'
  | 'stub-added'
  | 'stub-warns'
  | 'definition-added'
  | 'definition-moved'
  | 'call-removed'
  | 'call-replaced'
  | 'include-changed'
  | 'revert'
  | 'warning-silenced'
  | 'message-silenced'
  | 'makefile-changed'
  | 'build-script-changed'
  | 'code-changed'
  // kernel conventions (src/analyze/rules/conventions/)
  | 'compile-test-narrowed'
  | 'depends-on-reachable'
  | 'guard-made-reachable'
  | 'guard-removed'
  | 'ifdef-to-is-enabled'
  | 'reference-nulled'
  | 'pm-ops-converted'
  | 'match-ptr-dropped'
  | 'return-value-discarded'
  | 'variable-removed'
  | 'mmio-bypassed'
  | 'mmio-accessor-used'
  | 'div64-helper-used'
  | 'division-truncated'
  | 'local-prototype-added';

export interface Effect {
  kind: EffectKind;
  /** short, maintainer-readable description with the symbols named */
  detail: string;
  file?: string;
  symbols: string[];
  configs: string[];
  cite: MailCite;
}

interface PatchVerdictCommon {
  messageId: string;
  subject: string;
  author: string;
  confidence: number;
  files: string[];
  effects: Effect[];
  evidence: Evidence[];
  /** one-line why */
  reason: string;
  /** failures a report under this posting says it introduces (`breaks`) */
  introduces: number[];
  /** what of this patch the indexed tree already holds */
  inTree?: string[];
}

/**
 * A patch's verdict. `fixes`, `hides` and `partial` carry at least one failure they answer
 * (indexes into Verdict.failures): the type cannot be built without one.
 */
export type PatchVerdict = PatchVerdictCommon &
  ({ readonly verdict: JudgedKind; readonly answers: readonly [number, ...number[]] } | { readonly verdict: Exclude<VerdictKind, JudgedKind>; readonly answers: readonly number[] });

export interface Verdict {
  verdict: VerdictKind;
  confidence: number;
  summary: string;
  evidence: Evidence[];
  patches: PatchVerdict[];
  failures: BuildFailure[];
  messages: number;
  subject: string;
  rootId: string;
  /** messages dropped by --blind, if any */
  blindCutAfter?: string;
  /** patch series and their revisions, as b4 groups them */
  series: Series[];
  /** commits the thread names (Fixes:, reverts, "sha ("title")"), once each */
  refs: CommitRef[];
  /** the kernel index the verdict consulted */
  index?: { tree: string; version: string | null; chosenBecause?: string | null };
  /** the message a reply should answer: the latest patch that answers a failure, else the newest mail */
  replyTo?: { messageId: string; references: string[]; subject: string; from: Address; to: Address[]; cc: Address[] };
  /** per failing symbol, what the index says (absent without an index) */
  xrefs?: XrefSummary[];
  /** the optional LLM step: prompt id/version, model, whether its verdict was accepted, its prose */
  llm?: LlmVerdictNote;
  /** Fixes: tags resolved in a git tree (thread --git-tree), when one was given */
  fixes?: FixesReport;
}

/**
 * What a verdict records of the LLM step: src/llm/index.ts noteOf() builds it
 * from an LlmResult, applyLlm() puts it on the verdict. Without `error` the
 * model answered; `accepted` says whether its verdict and prose were used.
 */
export interface LlmVerdictNote {
  promptId?: string;
  promptVersion?: number;
  model?: string;
  /** true when the model's verdict and prose were used */
  accepted: boolean;
  /** the patch judged (absent when the case was about the thread) */
  patchId?: string;
  /** the verdict that stands for the judged patch or thread: the model's when accepted, else the rules' */
  verdict?: VerdictKind;
  rulesVerdict?: VerdictKind;
  confidence?: number;
  prose?: string;
  cites?: { id: string; cite: string; text: string }[];
  disagreement?: string;
  cached?: boolean;
  cut?: string[];
  error?: { code: string; message: string };
}

export type Tri = 'true' | 'false' | 'unknown';

export interface XrefSummary {
  failure: number;
  symbol: string;
  reproduces: Tri;
  reproducesPrePatch: Tri | null;
  declared: Tri;
  defined: Tri;
  exported: Tri;
  evidence: Evidence[];
}
