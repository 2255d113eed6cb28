// ktriage watch [SOURCE…] [--config FILE] [--db FILE] [--outbox DIR] [--once] (USAGE.watch in args.ts)
//
// The daemon's shell: the config file and flags, the pino root, the signals.
// SIGTERM/SIGINT: a graceful stop (exit 0). SIGHUP: the config file read
// again; a bad one is logged line by line and the running config kept.

import { readConfigFile, loadConfig, withFlags, type ConfigFlags } from '../daemon/config.js';
import { createLogger } from '../daemon/log.js';
import { Watcher } from '../daemon/watch.js';
import { parse, USAGE } from './args.js';

export async function runWatch(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      config: { type: 'string' },
      db: { type: 'string' },
      outbox: { type: 'string' },
      once: { type: 'boolean' },
      jsonl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE.watch,
  );
  if (values.help) {
    out.write(USAGE.watch + '\n');
    return 0;
  }
  const configPath = values.config as string | undefined;
  const flags: ConfigFlags = { sources: positionals, db: values.db as string | undefined, outbox: values.outbox as string | undefined, jsonl: values.jsonl as string | undefined };
  const config = withFlags(loadConfig(configPath), flags);
  const log = createLogger(process.env.KTRIAGE_LOG_LEVEL || config.logLevel);
  const watcher = await Watcher.open({ config, once: Boolean(values.once), log });

  const onTerm = (signal: string) => () => void watcher.stop(signal);
  const term = onTerm('SIGTERM');
  const int = onTerm('SIGINT');
  const hup = () => {
    if (!configPath) {
      log.warn({ stage: 'reload' }, 'SIGHUP: no --config file to read again');
      return;
    }
    const r = readConfigFile(configPath);
    if (!r.ok) {
      for (const line of r.errors) log.error({ stage: 'reload' }, line);
      log.error({ stage: 'reload' }, 'SIGHUP: the new config is not valid; the running one is kept');
      return;
    }
    watcher.reload(withFlags(r.config, flags)).catch((e: Error) => log.error({ stage: 'reload', err: e.message }, 'SIGHUP: reload failed'));
  };
  process.on('SIGTERM', term);
  process.on('SIGINT', int);
  process.on('SIGHUP', hup);
  try {
    return await watcher.run();
  } finally {
    process.off('SIGTERM', term);
    process.off('SIGINT', int);
    process.off('SIGHUP', hup);
  }
}
