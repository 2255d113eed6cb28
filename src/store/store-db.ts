// The store: one SQLite file (better-sqlite3, WAL) holding what ktriage has
// read and judged: messages, threads, verdicts with their history, posts,
// source checkpoints (and, beside them, the LLM cache: llm-cache.ts keeps its
// own schema table, so openLlmCache(storePath) shares this file untouched).
// A `schema_version` table and numbered migrations: an older file is migrated
// on open, a newer one refused in one line.

import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { KtriageError } from '../core/errors.js';

export type StoreDb = Database.Database;

// Entry k takes the schema from version k to k + 1. Never edit a shipped entry: add one.
// The raw and parsed blobs are brotli since 8afbe11 where the first entry says zlib: the
// format is told by each blob itself (src/store/encode.ts), so the schema did not change.
export const STORE_MIGRATIONS: readonly string[] = [
  // 1: messages, threads, checkpoints
  `
  CREATE TABLE messages(
    id INTEGER PRIMARY KEY,
    -- the id threads and verdicts use: the header's, or a derived one (duplicate-ids.ts's renamedId)
    message_id TEXT NOT NULL UNIQUE,
    -- as the header said it (equal to message_id unless renamed)
    header_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    lists TEXT NOT NULL DEFAULT '[]',
    date TEXT,
    subject TEXT NOT NULL,
    topic TEXT NOT NULL,
    is_reply INTEGER NOT NULL,
    has_thread_headers INTEGER NOT NULL,
    -- zlib (deflate) of the RFC 822 bytes as read
    raw BLOB NOT NULL,
    -- zlib of the parsed Message as JSON, and the ktriage version that parsed it
    parsed BLOB NOT NULL,
    parsed_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    -- 0 until the message has been placed in a thread (a kill between the two is caught up on the next run)
    threaded INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX messages_sha ON messages(sha256);
  CREATE INDEX messages_header_id ON messages(header_id);
  CREATE INDEX messages_unthreaded ON messages(threaded) WHERE threaded = 0;
  CREATE INDEX messages_topic ON messages(topic);
  -- In-Reply-To and References, for finding the stored thread a new message answers or joins
  CREATE TABLE message_refs(message INTEGER NOT NULL, ref_id TEXT NOT NULL, PRIMARY KEY(message, ref_id)) WITHOUT ROWID;
  CREATE INDEX message_refs_ref ON message_refs(ref_id);
  CREATE TABLE threads(
    id INTEGER PRIMARY KEY,
    root_id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    lists TEXT NOT NULL DEFAULT '[]',
    first_date TEXT,
    last_activity TEXT,
    message_count INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    -- 1 when its messages changed since it was last judged
    dirty INTEGER NOT NULL DEFAULT 1);
  CREATE INDEX threads_activity ON threads(last_activity);
  CREATE INDEX threads_dirty ON threads(dirty) WHERE dirty = 1;
  CREATE TABLE thread_messages(message INTEGER PRIMARY KEY, thread INTEGER NOT NULL);
  CREATE INDEX thread_messages_thread ON thread_messages(thread);
  CREATE TABLE checkpoints(source TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 2: verdicts with their history, posts
  `
  CREATE TABLE verdicts(
    id INTEGER PRIMARY KEY,
    -- the thread's root Message-ID (kept across re-threading: a thread that grows a new root carries its history along)
    thread_root TEXT NOT NULL,
    patch_id TEXT,
    patch_revision INTEGER,
    verdict TEXT NOT NULL,
    confidence REAL NOT NULL,
    summary TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    index_tree TEXT,
    judged_at TEXT NOT NULL,
    -- the whole verdict as report/render.ts toJson writes it
    json TEXT NOT NULL);
  CREATE INDEX verdicts_thread ON verdicts(thread_root, id);
  CREATE TABLE posts(
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    thread_root TEXT,
    verdict INTEGER,
    kind TEXT NOT NULL,
    destination TEXT NOT NULL,
    content TEXT NOT NULL,
    posted_at TEXT NOT NULL);
  `,
  // 3: a patch and the report it answers, across threads (report-links.ts); the commits
  // patches name in Fixes: and reports blame ("Caused by commit …"), to link those too
  `
  CREATE TABLE report_links(
    patch_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    -- closes | link (the trailer that names the report) | fixes-commit (Fixes: names the commit the report blamed)
    how TEXT NOT NULL,
    sha TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY(patch_id, report_id, how)) WITHOUT ROWID;
  CREATE INDEX report_links_report ON report_links(report_id);
  CREATE TABLE commit_mentions(
    message_id TEXT NOT NULL,
    -- fixes (a patch's Fixes: tag) | caused-by (a report's blame)
    kind TEXT NOT NULL,
    sha TEXT NOT NULL,
    -- the first 8 hex digits, what two spellings of one commit share at least
    sha8 TEXT NOT NULL,
    PRIMARY KEY(message_id, kind, sha)) WITHOUT ROWID;
  CREATE INDEX commit_mentions_sha8 ON commit_mentions(sha8, kind);
  `,
  // 4: what the poster needs to send
  // and retry a reply (daemon/poster.ts). Rows from before were recorded as done: 'sent'.
  `
  ALTER TABLE posts ADD COLUMN status TEXT NOT NULL DEFAULT 'sent';
  ALTER TABLE posts ADD COLUMN verdict_kind TEXT;
  ALTER TABLE posts ADD COLUMN confidence REAL;
  ALTER TABLE posts ADD COLUMN list TEXT;
  -- the judged patch, and what a later revision of it shares (b4's topic, the author)
  ALTER TABLE posts ADD COLUMN patch_id TEXT;
  ALTER TABLE posts ADD COLUMN patch_revision INTEGER;
  ALTER TABLE posts ADD COLUMN topic TEXT;
  ALTER TABLE posts ADD COLUMN author TEXT;
  -- the reply's own Message-ID, fixed when it is written: every retry sends the same one
  ALTER TABLE posts ADD COLUMN message_id TEXT;
  ALTER TABLE posts ADD COLUMN recipients TEXT;
  ALTER TABLE posts ADD COLUMN not_before TEXT;
  ALTER TABLE posts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE posts ADD COLUMN first_attempt_at TEXT;
  ALTER TABLE posts ADD COLUMN next_attempt_at TEXT;
  ALTER TABLE posts ADD COLUMN last_error TEXT;
  ALTER TABLE posts ADD COLUMN sent_at TEXT;
  CREATE INDEX posts_due ON posts(status, next_attempt_at) WHERE status = 'queued';
  CREATE INDEX posts_sent ON posts(sent_at) WHERE status = 'sent';
  CREATE INDEX posts_thread ON posts(thread_root);
  `,
  // 5: what the watch loop could not do (a thread the engine threw on, a poison message), and
  // how many messages each thread had when last judged (a reply that cannot change the verdict is not judged again)
  `
  CREATE TABLE watch_errors(
    id INTEGER PRIMARY KEY,
    -- parse | source | triage | post | store
    stage TEXT NOT NULL,
    source TEXT,
    thread_root TEXT,
    message_id TEXT,
    detail TEXT NOT NULL,
    at TEXT NOT NULL);
  CREATE INDEX watch_errors_thread ON watch_errors(thread_root);
  CREATE TABLE thread_judgements(root_id TEXT PRIMARY KEY, message_count INTEGER NOT NULL, judged_at TEXT NOT NULL) WITHOUT ROWID;
  `,
];

export const STORE_SCHEMA_VERSION = STORE_MIGRATIONS.length;

/** --db FILE, else $KTRIAGE_DB, else $XDG_DATA_HOME (or ~/.local/share)/ktriage/ktriage.sqlite. */
export function storePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.KTRIAGE_DB) return env.KTRIAGE_DB;
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(data, 'ktriage', 'ktriage.sqlite');
}

let engineVersionCache: string | undefined;
/** ktriage's version (package.json): recorded with every parse and verdict, so a later engine can tell what to redo. */
export function engineVersion(): string {
  if (engineVersionCache) return engineVersionCache;
  // src/store and dist/store both sit two levels under the package root
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    engineVersionCache = pkg.version ?? 'unknown';
  } catch {
    engineVersionCache = 'unknown';
  }
  return engineVersionCache;
}

function schemaVersion(db: StoreDb): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)');
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/** Apply the migrations after the file's version, each in its own transaction. */
export function migrateStore(db: StoreDb, label: string, target: number = STORE_SCHEMA_VERSION): void {
  const v = schemaVersion(db);
  if (v > STORE_SCHEMA_VERSION) {
    throw new KtriageError('E_IO', `${label}: store schema ${v} is newer than this ktriage understands (${STORE_SCHEMA_VERSION}); use a newer ktriage or another --db`);
  }
  for (let k = v; k < target; k++) {
    db.transaction(() => {
      db.exec(STORE_MIGRATIONS[k]!);
      db.exec('DELETE FROM schema_version');
      db.prepare('INSERT INTO schema_version(version) VALUES (?)').run(k + 1);
    })();
  }
}

/** Open (creating it and its directory when needed) and migrate the store. One-line KtriageError when it cannot. */
export function openStoreDb(path: string, opts: { migrateTo?: number } = {}): StoreDb {
  let db: StoreDb;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (e) {
    throw new KtriageError('E_IO', `${path}: cannot open the store (${oneLine((e as Error).message)})`, { cause: e });
  }
  try {
    if (path !== ':memory:') {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    migrateStore(db, path, opts.migrateTo);
  } catch (e) {
    db.close();
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: not a usable ktriage store (${oneLine((e as Error).message)})`, { cause: e });
  }
  return db;
}

export function oneLine(s: string): string {
  return s
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .join(' ');
}

/** Is the file at `path` a ktriage store (rather than a kernel index, which `--db` once named)? */
export function isStoreFile(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_version', 'messages')").all() as { name: string }[];
    return names.length === 2;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
