// The daemon's one pino root: JSON lines on stderr, written synchronously so
// the last lines before an exit are not lost. Stages log through child
// loggers carrying {source, list, msgid, stage}.

import { destination as pinoDestination, pino, stdTimeFunctions, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination: number | NodeJS.WritableStream = 2): Logger {
  const dest = typeof destination === 'number' ? pinoDestination({ fd: destination, sync: true }) : destination;
  return pino({ level, base: { name: 'ktriage-watch' }, timestamp: stdTimeFunctions.isoTime }, dest);
}
