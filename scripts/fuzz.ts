// npm run fuzz: real list mail (../shared/bench/linux-kbuild-10k.mbox.gz by
// default), each message mutated by the seeded generator of the test suite,
// through the whole of `ktriage thread` in a worker pool with a watchdog.
// Reports inputs, crashes, hangs, out-of-memory and the slowest input; every
// failing input is written to .fuzz-out/ to be replayed with `ktriage thread`.
//   npm run fuzz -- [--source FILE] [--messages N] [--per-message K] [--seed S] [--timeout MS]

import { mkdirSync, writeFileSync } from 'node:fs';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { splitMbox } from '../src/ingest/mbox.js';
import { mutate } from '../test/fuzz/mutate.js';
import { runFuzz, summarise, type FuzzInput } from '../test/fuzz/run.js';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: join(import.meta.dirname, '..', '..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz') },
    messages: { type: 'string', default: '2000' },
    'per-message': { type: 'string', default: '3' },
    seed: { type: 'string', default: '11' },
    timeout: { type: 'string', default: '10000' },
  },
});
const source = values.source!;
if (!existsSync(source)) {
  console.error(`fuzz: ${source} is not here (give --source FILE, an mbox or .mbox.gz)`);
  process.exit(2);
}
const limit = Number(values.messages);
const per = Number(values['per-message']);
const seed = Number(values.seed);

const stream = createReadStream(source);
const chunks = source.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
const inputs: FuzzInput[] = [];
let k = 0;
for await (const raw of splitMbox(chunks as AsyncIterable<Buffer>)) {
  if (k >= limit) break;
  const text = raw.toString('latin1');
  // the message as it is, then its mutations
  inputs.push({ id: `msg${k}`, text, how: 'as-is' });
  for (let n = 0; n < per; n++) {
    const m = mutate(text, n, seed + k);
    inputs.push({ id: `msg${k}#${n}`, text: m.text, how: m.applied.join('+') });
  }
  k++;
}
console.log(`fuzz: ${k} messages of ${source}, ${inputs.length} inputs (seed ${seed}), 2 workers, ${values.timeout} ms per input`);
const t = Date.now();
const results = await runFuzz(inputs, { workers: 2, timeoutMs: Number(values.timeout) });
console.log(summarise(results));
console.log(
  `wall ${((Date.now() - t) / 1000).toFixed(0)} s; slowest per KB: ${[...results]
    .sort((a, b) => b.ms / (b.bytes + 1) - a.ms / (a.bytes + 1))
    .slice(0, 3)
    .map((r) => `${r.id} ${r.ms.toFixed(0)} ms for ${(r.bytes / 1024).toFixed(0)} KB`)
    .join('; ')}`,
);
const bad = results.filter((r) => r.outcome !== 'ok' && r.outcome !== 'refused');
if (bad.length) {
  const out = join(import.meta.dirname, '..', '.fuzz-out');
  mkdirSync(out, { recursive: true });
  const byId = new Map(inputs.map((i) => [i.id, i]));
  for (const r of bad) {
    const file = join(out, `${r.outcome}-${r.id.replace(/[^\w.-]/g, '_')}.mbox`);
    writeFileSync(file, byId.get(r.id)!.text);
    console.log(`${r.outcome} ${r.id} (${r.how}): ${r.error?.split('\n')[0]} -> ${file}`);
  }
}
process.exitCode = bad.length ? 1 : 0;
