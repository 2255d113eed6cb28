// The watch daemon's config: one JSON file (data/ktriage-watch.example.json
// shows every key), validated by a zod schema into a config or a list of
// errors, one line each ("FILE: sources.0.url: Required"). Flags on the
// command line (sources, --db, --outbox) complete or override it.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KtriageError } from '../core/errors.js';
import { postConfigSchema } from './post-config.js';
import { digestScheduleSchema } from './digest.js';

const SourceSpec = z.union([
  z.string().min(1),
  z
    .object({
      /** maildir:PATH, imap://user@host:port/folder, a public-inbox inbox directory, https://host/list/, an mbox file */
      url: z.string().min(1),
      /** the list its mail belongs to when the mail has no List-Id */
      list: z.string().min(1).optional(),
      /** how often a source without IDLE is read again */
      pollSeconds: z.number().positive().max(86_400).optional(),
    })
    .strict(),
]);

// /healthz and /metrics answer on loopback only: they say what the bot reads and judges
const LOOPBACK = ['127.0.0.1', '::1', 'localhost'] as const;

export const WatchConfigSchema = z
  .object({
    sources: z.array(SourceSpec).default([]),
    /** the store (default: $KTRIAGE_DB, else the XDG data dir) */
    db: z.string().min(1).optional(),
    /** where summaries are written (default: <store dir>/outbox) */
    outbox: z.string().min(1).optional(),
    /** the kernel index: a path and tree, or none (default: as `ktriage thread` chooses) */
    index: z
      .object({ path: z.string().min(1).optional(), tree: z.string().min(1).optional(), none: z.boolean().optional() })
      .strict()
      .default({}),
    /** judge only threads seen on these lists (List-Id or a source's list); all when absent */
    lists: z.array(z.string().min(1)).optional(),
    post: postConfigSchema.default({}),
    health: z
      .object({ port: z.number().int().min(0).max(65_535), host: z.enum(LOOPBACK).default('127.0.0.1') })
      .strict()
      .optional(),
    pollSeconds: z.number().positive().max(86_400).default(60),
    /** messages committed per transaction at most */
    batch: z.number().int().min(1).max(10_000).default(200),
    /** how often the poster sends what is due */
    flushSeconds: z.number().positive().max(3600).default(30),
    /** a thread whose triage takes longer is abandoned (the worker restarted, the thread retried once) */
    triageTimeoutSeconds: z.number().positive().max(3600).default(300),
    /** threads judged at once, each in its own worker: a long series in one does not hold up the mail behind it (BENCHMARKS: 2 workers, p99 to the outbox 1.6 s against 2.0-2.9 s; ~140 MB more RSS) */
    triageWorkers: z.number().int().min(1).max(8).default(1),
    /**
     * a cap on each triage worker's V8 heap (old generation, MB). Left to V8, a worker's heap
     * grew to ~185 MB under the load bench for ~40 MB live; at 96 the daemon's peak RSS fell
     * from 420-470 MB to 300-330 with no loss in latency (BENCHMARKS, runs 16-20). A worker over
     * it is restarted and its thread tried once more with RETRY_HEAP_FACTOR times the room.
     */
    triageWorkerHeapMb: z.number().int().min(64).max(16_384).default(96),
    /** on SIGTERM, how long the thread in hand may still take */
    graceSeconds: z.number().min(0).max(600).default(10),
    /** at start, how long to wait for a store another process holds locked */
    storeLockWaitSeconds: z.number().min(0).max(3600).default(30),
    /** one JSON line per new verdict for other tools: a file appended to, or "-" for stdout */
    jsonl: z.string().min(1).optional(),
    /** weekly digests: to whom, which weekday and hour in which time zone (the ISO week before goes out) */
    digests: z.array(digestScheduleSchema).default([]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type WatchConfig = z.infer<typeof WatchConfigSchema>;
export type SourceConfig = { url: string; list?: string; pollSeconds?: number };

export type ConfigResult = { ok: true; config: WatchConfig } | { ok: false; errors: string[] };

/** Validate parsed JSON; each problem one line naming the key. */
export function validateConfig(value: unknown, label: string): ConfigResult {
  const r = WatchConfigSchema.safeParse(value);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${label}: ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`) };
}

/** Read and validate a config file; a missing or unparseable file is one error line. */
export function readConfigFile(path: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${path}: not valid JSON (${(e as Error).message})`] };
  }
  return validateConfig(value, path);
}

/** readConfigFile, or a KtriageError whose message holds every error line. */
export function loadConfig(path: string | undefined): WatchConfig {
  if (!path) return WatchConfigSchema.parse({});
  const r = readConfigFile(path);
  if (!r.ok) throw new KtriageError('E_USAGE', r.errors.join('\nktriage: '));
  return r.config;
}

export interface ConfigFlags {
  sources: string[];
  db?: string;
  outbox?: string;
  jsonl?: string;
}

/** The file's config with the command line's sources added and its --db/--outbox preferred. */
export function withFlags(config: WatchConfig, flags: ConfigFlags): WatchConfig {
  return {
    ...config,
    sources: [...config.sources, ...flags.sources],
    ...(flags.db ? { db: flags.db } : {}),
    ...(flags.outbox ? { outbox: flags.outbox } : {}),
    ...(flags.jsonl ? { jsonl: flags.jsonl } : {}),
  };
}

export function sourceConfigs(config: WatchConfig): SourceConfig[] {
  return config.sources.map((s) => (typeof s === 'string' ? { url: s } : s));
}
