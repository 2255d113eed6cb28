// A stored thread by any of its messages' Message-IDs: what `ktriage thread
// --db <msgid>` judges without the network. storedThread returns the messages
// as parsed when they were stored; reparsedThread parses the raw bytes again,
// for a parser that changed since (messages.parsed_by says which one parsed).

import type { Statement } from 'better-sqlite3';
import type { Message } from '../core/types.js';
import { parseMail } from '../mail/parse.js';
import { decodeMessage, rawBytes } from './message-store.js';
import type { StoreDb } from './store-db.js';

interface Statements {
  threadOf: Statement;
  members: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      // the stored id first, then the id the header gave (a renamed copy is found by either)
      threadOf: db.prepare(
        'SELECT tm.thread AS thread FROM messages m JOIN thread_messages tm ON tm.message = m.id WHERE m.message_id = ? OR m.header_id = ? ORDER BY m.message_id = ? DESC, m.id LIMIT 1',
      ),
      members: db.prepare('SELECT m.message_id, m.raw, m.parsed FROM thread_messages tm JOIN messages m ON m.id = tm.message WHERE tm.thread = ? ORDER BY m.id'),
    };
    prepared.set(db, s);
  }
  return s;
}

/** `<id@host>` as Message carries it, from `id@host` or `<id@host>`. */
export function normaliseMessageId(id: string): string {
  const t = id.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

function memberRows(db: StoreDb, messageId: string): { message_id: string; raw: Buffer; parsed: Buffer }[] | undefined {
  const s = statements(db);
  const id = normaliseMessageId(messageId);
  const row = s.threadOf.get(id, id, id) as { thread: number } | undefined;
  if (!row) return undefined;
  return s.members.all(row.thread) as { message_id: string; raw: Buffer; parsed: Buffer }[];
}

/** The whole stored thread the message belongs to (arrival order), or undefined when the store does not hold it. */
export function storedThread(db: StoreDb, messageId: string): Message[] | undefined {
  return memberRows(db, messageId)?.map((r) => decodeMessage(r.parsed));
}

/** storedThread, each message parsed again from its raw bytes (keeping the id it is stored under). */
export async function reparsedThread(db: StoreDb, messageId: string): Promise<Message[] | undefined> {
  const rows = memberRows(db, messageId);
  if (!rows) return undefined;
  const out: Message[] = [];
  for (const r of rows) {
    const stored = decodeMessage(r.parsed);
    const m = await parseMail({ bytes: rawBytes(r.raw), origin: stored.origin });
    out.push(m.messageId === r.message_id ? m : { ...m, messageId: r.message_id, messageIdInferred: true, notes: stored.notes });
  }
  return out;
}
