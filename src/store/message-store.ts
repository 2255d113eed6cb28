// Messages into the store, each once. The same bytes again (a re-delivery, a
// rerun of an ingest) or the same content under the same Message-ID (a
// cross-post: another list's footer and Received: lines) only merge the lists
// it was seen on. Other content under a known Message-ID is another message:
// kept under a derived id, the scheme of src/mail/duplicate-ids.ts, and only
// up to LIMITS.maxCopiesPerMessageId copies. A source's checkpoint is written
// in the same transaction as the messages it covers.

import { LIMITS } from '../core/limits.js';
import type { Message } from '../core/types.js';
import { renamedId, settleDuplicateIds } from '../mail/duplicate-ids.js';
import { subjectKey } from '../mail/subject.js';
import { compressBlob, decodeMessage, decompressBlob, encodeMessage, shaOf, type EncodedMessage } from './encode.js';
import { engineVersion, type StoreDb } from './store-db.js';

export { encodeMessage };

export type AddOutcome = 'new' | 'renamed' | 'duplicate' | 'overflow';

export interface IncomingMessage {
  raw: Buffer;
  message: Message;
  /** encodeIncoming(raw, JSON of message), when a parse worker already did it */
  encoded?: EncodedMessage;
}

/** A row addBatch inserted: its id, lists (JSON, as stored) and the Message stored (a renamed one under its new id). */
export interface StoredRow {
  id: number;
  lists: string;
  message: Message;
}

export interface BatchCounts {
  added: number;
  renamed: number;
  duplicates: number;
  /** copies past LIMITS.maxCopiesPerMessageId under one Message-ID, not stored */
  overflow: number;
}

interface Statements {
  bySha: import('better-sqlite3').Statement;
  byHeaderId: import('better-sqlite3').Statement;
  idTaken: import('better-sqlite3').Statement;
  setLists: import('better-sqlite3').Statement;
  insert: import('better-sqlite3').Statement;
  insertRef: import('better-sqlite3').Statement;
  getCheckpoint: import('better-sqlite3').Statement;
  putCheckpoint: import('better-sqlite3').Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

// prepared once per open database
function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      bySha: db.prepare('SELECT id, lists FROM messages WHERE sha256 = ? LIMIT 1'),
      byHeaderId: db.prepare('SELECT id, message_id, lists, parsed FROM messages WHERE header_id = ? ORDER BY id'),
      idTaken: db.prepare('SELECT 1 FROM messages WHERE message_id = ?'),
      // a message seen on one more list is threaded again, so its thread's lists follow
      setLists: db.prepare('UPDATE messages SET lists = ?, threaded = 0 WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO messages(message_id, header_id, sha256, lists, date, subject, topic, is_reply, has_thread_headers, raw, parsed, parsed_by, added_at, threaded)
         VALUES (@messageId, @headerId, @sha, @lists, @date, @subject, @topic, @isReply, @hasThreadHeaders, @raw, @parsed, @parsedBy, @addedAt, @threaded)`,
      ),
      insertRef: db.prepare('INSERT OR IGNORE INTO message_refs(message, ref_id) VALUES (?, ?)'),
      getCheckpoint: db.prepare('SELECT value FROM checkpoints WHERE source = ?'),
      putCheckpoint: db.prepare('INSERT INTO checkpoints(source, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
    };
    prepared.set(db, s);
  }
  return s;
}

export { decodeMessage };

/** The lists a message was seen on: its List-Id, and the name the ingest was told (--list). */
function listsOf(m: Message, extra?: string): string[] {
  return [...new Set([m.list, extra].filter((l): l is string => Boolean(l)))].sort();
}

function mergeLists(db: StoreDb, id: number, storedJson: string, add: string[]): void {
  const have = JSON.parse(storedJson) as string[];
  const merged = [...new Set([...have, ...add])].sort();
  if (merged.length !== have.length) statements(db).setLists.run(JSON.stringify(merged), id);
}

/** Store one parsed message (call inside a transaction for a batch). */
export function addMessage(db: StoreDb, incoming: IncomingMessage, list?: string, now: Date = new Date()): AddOutcome {
  return storeMessage(db, incoming, list, now, false).outcome;
}

/**
 * `threaded`: the row goes in marked as placed in a thread, for a caller that
 * places it (threading.ts placeRows) in the same transaction.
 */
function storeMessage(db: StoreDb, incoming: IncomingMessage, list: string | undefined, now: Date, threaded: boolean): { outcome: AddOutcome; row?: StoredRow } {
  const s = statements(db);
  const { raw } = incoming;
  let message = incoming.message;
  const lists = listsOf(message, list);
  const { encoded } = incoming;
  const sha = encoded?.sha ?? shaOf(raw);
  const same = s.bySha.get(sha) as { id: number; lists: string } | undefined;
  if (same) {
    mergeLists(db, same.id, same.lists, lists);
    return { outcome: 'duplicate' };
  }
  const headerId = message.messageId;
  const copies = s.byHeaderId.all(headerId) as { id: number; message_id: string; lists: string; parsed: Buffer }[];
  for (const c of copies) {
    // what a message says, compared as duplicate-ids.ts compares two copies in one input
    if (settleDuplicateIds([decodeMessage(c.parsed), message]).redelivered === 1) {
      mergeLists(db, c.id, c.lists, lists);
      return { outcome: 'duplicate' };
    }
  }
  if (copies.length >= LIMITS.maxCopiesPerMessageId) return { outcome: 'overflow' };
  let outcome: AddOutcome = 'new';
  if (copies.length || s.idTaken.get(headerId)) {
    let n = copies.length + 1;
    let id = renamedId(headerId, n);
    while (s.idTaken.get(id)) id = renamedId(headerId, ++n);
    message = {
      ...message,
      messageId: id,
      messageIdInferred: true,
      notes: [...message.notes, `Message-ID ${headerId} already names an earlier message with other content; this one is read as ${id}`],
    };
    outcome = 'renamed';
  }
  const listsJson = JSON.stringify(lists);
  const info = s.insert.run({
    messageId: message.messageId,
    headerId,
    sha,
    lists: listsJson,
    date: message.date ?? null,
    subject: message.subject,
    topic: subjectKey(message.subjectInfo),
    isReply: message.subjectInfo.isReply ? 1 : 0,
    hasThreadHeaders: message.inReplyTo || message.references.length ? 1 : 0,
    raw: encoded?.raw ?? compressBlob(raw),
    // a renamed message is not the one encoded
    parsed: encoded && outcome !== 'renamed' ? encoded.parsed : encodeMessage(message),
    parsedBy: engineVersion(),
    addedAt: now.toISOString(),
    threaded: threaded ? 1 : 0,
  });
  const rowid = Number(info.lastInsertRowid);
  for (const r of new Set([...message.references, ...(message.inReplyTo ? [message.inReplyTo] : [])])) s.insertRef.run(rowid, r);
  return { outcome, row: { id: rowid, lists: listsJson, message } };
}

/** A batch of messages and the checkpoint that covers them, in one transaction: both are stored, or neither. */
export function addBatch(db: StoreDb, batch: readonly IncomingMessage[], checkpoint?: { source: string; value: string }, list?: string, now: Date = new Date()): BatchCounts {
  return writeBatch(db, batch, checkpoint, list, now, false).counts;
}

/**
 * addBatch for a caller that threads the batch itself: the rows go in marked
 * threaded, and the caller places them (threading.ts placeRows) in the
 * transaction around this one, so a kill leaves the batch, its threads and its
 * checkpoint all stored or none.
 */
export function addThreadedBatch(
  db: StoreDb,
  batch: readonly IncomingMessage[],
  checkpoint?: { source: string; value: string },
  list?: string,
  now: Date = new Date(),
): { counts: BatchCounts; rows: StoredRow[] } {
  if (!db.inTransaction) throw new Error('addThreadedBatch runs in the transaction that places its rows');
  return writeBatch(db, batch, checkpoint, list, now, true);
}

function writeBatch(
  db: StoreDb,
  batch: readonly IncomingMessage[],
  checkpoint: { source: string; value: string } | undefined,
  list: string | undefined,
  now: Date,
  threaded: boolean,
): { counts: BatchCounts; rows: StoredRow[] } {
  const counts: BatchCounts = { added: 0, renamed: 0, duplicates: 0, overflow: 0 };
  const rows: StoredRow[] = [];
  db.transaction(() => {
    for (const m of batch) {
      const { outcome: o, row } = storeMessage(db, m, list, now, threaded);
      if (row) rows.push(row);
      if (o === 'new') counts.added++;
      else if (o === 'renamed') counts.renamed++;
      else if (o === 'duplicate') counts.duplicates++;
      else counts.overflow++;
    }
    if (checkpoint) statements(db).putCheckpoint.run(checkpoint.source, checkpoint.value, now.toISOString());
  })();
  return { counts, rows };
}

export function getCheckpoint(db: StoreDb, source: string): string | undefined {
  return (statements(db).getCheckpoint.get(source) as { value: string } | undefined)?.value;
}

export function setCheckpoint(db: StoreDb, source: string, value: string, now: Date = new Date()): void {
  statements(db).putCheckpoint.run(source, value, now.toISOString());
}

/** The raw bytes as read, for a re-parse after an engine change. */
export function rawBytes(blob: Buffer): Buffer {
  return decompressBlob(blob);
}
