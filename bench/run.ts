// `npm run bench` entry: runs the benchmark sections and prints their tables.
//
//   npm run bench                          every section
//   npm run bench -- --only ingest         one section (comma-separate several: ingest, index, thread, backfill, watch)
//   npm run bench -- --quick               small smoke run (seconds, not minutes)
//   options: --runs N  --messages N  --seed N  --real PATH  --no-real  --strict
//   (--runs N: for index, the runs of each build, peer and update pair)
//   (--stream-check FILE is internal: the ingest section runs it in a child
//   process with a capped heap)
//
// Sections print PASS/FAIL lines against their issue's targets. The exit code
// is 0 unless --strict is given and a section failed (timings on a shared
// machine are noisy; CI can opt in). New sections register in SECTIONS below.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultIngestOptions, runIngest, streamCheck } from './ingest.js';

interface Args {
  only?: string[];
  quick: boolean;
  strict: boolean;
  runs?: number;
  messages?: number;
  seed?: number;
  real?: string;
  noReal: boolean;
  /** internal: the child side of the ingest streaming check */
  streamCheck?: string;
}

interface Section {
  title: string;
  run: (args: Args, root: string) => Promise<{ ok: boolean }>;
}

const SECTIONS: Record<string, Section> = {
  ingest: {
    title: 'Ingestion (issue 2)',
    run: (args, root) => {
      const o = defaultIngestOptions(root, args.quick);
      if (args.runs !== undefined) o.runs = args.runs;
      if (args.messages !== undefined) o.messages = args.messages;
      if (args.seed !== undefined) o.seed = args.seed;
      if (args.real !== undefined) o.realPath = resolve(args.real);
      if (args.noReal) o.realPath = '';
      return runIngest(o);
    },
  },
  index: {
    title: 'Kernel index (issue 3)',
    // loaded on demand: the other sections do not need the index store (or better-sqlite3)
    run: async (args, root) => {
      const { defaultIndexOptions, runIndexBench } = await import('./index.js');
      const o = defaultIndexOptions(root, args.quick);
      if (args.runs !== undefined) o.runs = o.ctagsRuns = o.rgRuns = args.runs;
      return runIndexBench(o);
    },
  },
  thread: {
    title: 'ktriage thread with the index (issue 4)',
    run: async (args, root) => {
      const { defaultThreadOptions, runThreadBench } = await import('./thread.js');
      const o = defaultThreadOptions(root, args.quick);
      if (args.runs !== undefined) o.runs = args.runs;
      return runThreadBench(o);
    },
  },
  backfill: {
    title: 'Backfill into the store vs mailparser and public-inbox-index (issue 10)',
    run: async (args, root) => {
      const { defaultBackfillOptions, runBackfillBench } = await import('./backfill.js');
      const o = defaultBackfillOptions(root, args.quick);
      if (args.runs !== undefined) o.runs = args.runs;
      if (args.real !== undefined) o.realPath = resolve(args.real);
      return runBackfillBench(o);
    },
  },
  watch: {
    title: 'The bot under load: ktriage watch on a Dovecot folder at 50 msg/s (issue 11)',
    run: async (args, root) => {
      const { defaultWatchOptions, runWatchBench } = await import('./watch.js');
      const o = defaultWatchOptions(root, args.quick);
      if (args.messages !== undefined) o.messages = args.messages;
      if (args.real !== undefined) o.samplePath = resolve(args.real);
      return runWatchBench(o);
    },
  },
};

function usage(msg: string): never {
  console.error(`bench: ${msg}`);
  console.error(`usage: npm run bench -- [--only ${Object.keys(SECTIONS).join('|')}] [--quick] [--runs N] [--messages N] [--seed N] [--real PATH] [--no-real] [--strict]`);
  process.exit(2);
}

function positiveInt(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < 1) usage(`${name} needs a positive integer`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, strict: false, noReal: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const [flag, inline] = k.startsWith('--') && k.includes('=') ? [k.slice(0, k.indexOf('=')), k.slice(k.indexOf('=') + 1)] : [k, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--only': {
        const v = value();
        if (!v) usage('--only needs a section name');
        a.only = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const s of a.only) if (!SECTIONS[s]) usage(`unknown section "${s}" (have: ${Object.keys(SECTIONS).join(', ')})`);
        break;
      }
      case '--quick':
        a.quick = true;
        break;
      case '--strict':
        a.strict = true;
        break;
      case '--runs':
        a.runs = positiveInt('--runs', value());
        break;
      case '--messages':
        a.messages = positiveInt('--messages', value());
        break;
      case '--seed':
        a.seed = positiveInt('--seed', value());
        break;
      case '--real': {
        const v = value();
        if (!v) usage('--real needs a path');
        a.real = v;
        break;
      }
      case '--no-real':
        a.noReal = true;
        break;
      case '--stream-check': {
        const v = value();
        if (!v) usage('--stream-check needs a path');
        a.streamCheck = v;
        break;
      }
      case '-h':
      case '--help':
        usage('help');
        break;
      default:
        usage(`unknown argument "${k}"`);
    }
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.streamCheck) {
    await streamCheck(resolve(args.streamCheck));
    return;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const names = args.only ?? Object.keys(SECTIONS);
  const t0 = performance.now();
  let ok = true;
  for (const name of names) {
    const s = SECTIONS[name]!;
    const r = await s.run(args, root);
    ok &&= r.ok;
    console.log();
  }
  console.log(`bench: ${names.join(', ')} done in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${ok ? 'PASS' : 'FAIL'}`);
  if (!ok && args.strict) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
