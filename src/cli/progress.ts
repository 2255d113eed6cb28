// The ingest's progress on a terminal: cli-progress (well kept, draws on
// stderr only when it is a TTY, computes rate and ETA itself). Off a terminal
// nothing is drawn; lines logged go to stderr as they are.

import cliProgress from 'cli-progress';

export interface Progress {
  tick(n: number): void;
  /** one line on stderr, above the bar when there is one */
  log(line: string): void;
  stop(): void;
}

export async function openProgress(tty: boolean, total: number | undefined): Promise<Progress> {
  if (!tty) {
    return { tick: () => undefined, log: (line) => void process.stderr.write(line + '\n'), stop: () => undefined };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: total ? '{bar} {value}/{total} messages | {rate} msg/s | ETA {eta_formatted}' : '{value} messages | {rate} msg/s',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total ?? 0, 0, { rate: 0 });
  const started = Date.now();
  let done = 0;
  return {
    tick(n) {
      done += n;
      if (total && done > total) bar.setTotal(done);
      bar.update(done, { rate: Math.round((done * 1000) / Math.max(1, Date.now() - started)) });
    },
    log: (line) => multi.log(line + '\n'),
    stop: () => multi.stop(),
  };
}
