// A real SMTP receiver for the poster tests (smtp-server on loopback), told per
// message how to answer: accept, defer (4xx), reject (5xx), or drop the
// connection after the message's data arrived (a reply the client never reads).

import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';

export type SinkAnswer = 'accept' | 'defer' | 'reject' | 'drop';

export interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface Sink {
  port: number;
  received: Received[];
  /** every DATA the server read, whatever it answered */
  dataSeen: number;
  /** answers for the next messages, in order; 'accept' once they run out */
  answers: SinkAnswer[];
  close(): Promise<void>;
}

/** `delayMs`: how long each message's answer takes (a slow receiver: sends in flight for a kill to cut) */
export async function startSink(port = 0, opts: { delayMs?: number } = {}): Promise<Sink> {
  const sink: Sink = { port, received: [], dataSeen: 0, answers: [], close: async () => undefined };
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 500,
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.dataSeen++;
        const answer = sink.answers.shift() ?? 'accept';
        if (answer === 'defer') return cb(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
        if (answer === 'reject') return cb(Object.assign(new Error('no such list here'), { responseCode: 550 }));
        const m = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') };
        sink.received.push(m);
        if (answer === 'drop') {
          // the message is here; the client never learns it
          const conns = (server as unknown as { connections: Set<{ session: { id: string }; _socket: Socket }> }).connections;
          for (const c of conns) if (c.session.id === session.id) c._socket.destroy();
          return;
        }
        if (opts.delayMs) setTimeout(() => cb(null), opts.delayMs);
        else cb(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  sink.port = (server.server.address() as AddressInfo).port;
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}

/** A header of a received message, unfolded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return m ? m[1]!.trim() : undefined;
}
