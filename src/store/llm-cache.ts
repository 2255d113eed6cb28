// The LLM answers cache in SQLite: one row per prompt hash (sha256 of model +
// prompt id/version + the exact messages, computed by src/llm/judge.ts). A hit
// means no HTTP request. Its own tables and its own schema version (in
// llm_cache_schema, not PRAGMA user_version), so it can live in a file of its
// own (the default) or beside other tables without disturbing their
// migrations. ':memory:' works for tests. A read is only a read: the `hits`
// column of schema 1 is no longer counted (it stays, always 0 for new rows, so
// files of either kind open with either version of this code).

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { KtriageError } from '../core/errors.js';
import type { CachedAnswer, LlmCacheLike, LlmUsage } from '../llm/types.js';

export const LLM_CACHE_SCHEMA_VERSION = 1;

// Numbered migrations: entry k takes the schema from version k to k + 1.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE llm_cache(
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    prompt_version INTEGER NOT NULL,
    content TEXT NOT NULL,
    usage TEXT,
    created_at TEXT NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX llm_cache_prompt ON llm_cache(prompt_id, prompt_version);
  `,
];

export interface LlmCacheStore extends LlmCacheLike {
  /** rows, for tests and `ktriage` housekeeping */
  size(): number;
  /** drop answers of prompt versions other than the given one (after a prompt change) */
  dropOtherVersions(promptId: string, keepVersion: number): number;
  close(): void;
}

/** $KTRIAGE_LLM_CACHE, else $XDG_CACHE_HOME/ktriage/llm-cache.sqlite, else ~/.cache/ktriage/llm-cache.sqlite. */
export function defaultLlmCachePath(env: Record<string, string | undefined> = process.env): string {
  if (env.KTRIAGE_LLM_CACHE) return env.KTRIAGE_LLM_CACHE;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'ktriage', 'llm-cache.sqlite');
}

function migrate(db: Database.Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS llm_cache_schema(version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM llm_cache_schema').get() as { version: number } | undefined;
  const v = row?.version ?? 0;
  if (v > LLM_CACHE_SCHEMA_VERSION) throw new KtriageError('E_IO', `${path}: LLM cache schema ${v} is newer than this ktriage (${LLM_CACHE_SCHEMA_VERSION})`);
  for (let k = v; k < LLM_CACHE_SCHEMA_VERSION; k++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[k]!);
      db.exec('DELETE FROM llm_cache_schema');
      db.prepare('INSERT INTO llm_cache_schema(version) VALUES (?)').run(k + 1);
    })();
  }
}

/** Open (creating when needed) the cache at `path`. Throws KtriageError('E_IO') when it cannot. */
export function openLlmCache(path: string): LlmCacheStore {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (e) {
    throw new KtriageError('E_IO', `${path}: cannot open the LLM cache (${(e as Error).message})`, { cause: e });
  }
  try {
    if (path !== ':memory:') {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 2000');
    migrate(db, path);
  } catch (e) {
    db.close();
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: not a usable LLM cache (${(e as Error).message})`, { cause: e });
  }

  const get = db.prepare('SELECT content, usage FROM llm_cache WHERE key = ?');
  const put = db.prepare(
    `INSERT INTO llm_cache(key, model, prompt_id, prompt_version, content, usage, created_at) VALUES (@key, @model, @promptId, @promptVersion, @content, @usage, @createdAt)
     ON CONFLICT(key) DO UPDATE SET content = excluded.content, usage = excluded.usage, created_at = excluded.created_at`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM llm_cache');
  const dropOther = db.prepare('DELETE FROM llm_cache WHERE prompt_id = ? AND prompt_version <> ?');

  return {
    get(key: string): CachedAnswer | undefined {
      const row = get.get(key) as { content: string; usage: string | null } | undefined;
      if (!row) return undefined;
      let usage: LlmUsage | undefined;
      try {
        usage = row.usage ? (JSON.parse(row.usage) as LlmUsage) : undefined;
      } catch {
        usage = undefined;
      }
      return { content: row.content, ...(usage ? { usage } : {}) };
    },
    put(key, value) {
      put.run({
        key,
        model: value.model,
        promptId: value.promptId,
        promptVersion: value.promptVersion,
        content: value.content,
        usage: value.usage ? JSON.stringify(value.usage) : null,
        createdAt: new Date().toISOString(),
      });
    },
    size: () => (count.get() as { n: number }).n,
    dropOtherVersions: (promptId, keepVersion) => dropOther.run(promptId, keepVersion).changes,
    close: () => db.close(),
  };
}
