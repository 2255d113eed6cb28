// Fuzzing: every fixture of the suite, mutated by a seeded generator (a few
// thousand inputs), through the whole of `ktriage thread` in worker threads.
// Each input must end in a verdict or a clean refusal, within its time limit
// and the workers' memory limit. A failure names the input's id, which
// rebuilds it: mutate(<seed file>, n, FUZZ_SEED).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureDist } from './helpers/index-cli.js';
import { mutate } from './fuzz/mutate.js';
import { runFuzz, summarise, type FuzzInput } from './fuzz/run.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEED = Number(process.env.FUZZ_SEED ?? 7);
const PER_SEED = Number(process.env.FUZZ_PER_SEED ?? 20);

function seedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(mbox|eml|txt|html)$/.test(name) && statSync(p).size < 300_000) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('fuzz: mutated fixtures through the whole pipeline', () => {
  it(`every input ends in a verdict or a clean refusal, in time (seed ${SEED})`, { timeout: 240_000 }, async () => {
    ensureDist();
    const inputs: FuzzInput[] = [];
    for (const file of seedFiles(FIXTURES)) {
      const text = readFileSync(file, 'latin1');
      for (let n = 0; n < PER_SEED; n++) {
        const m = mutate(text, n, SEED);
        inputs.push({ id: `${file.slice(FIXTURES.length + 1)}#${n}`, text: m.text, how: m.applied.join('+') });
      }
    }
    assert.ok(inputs.length > 1000, `${inputs.length} inputs`);
    const results = await runFuzz(inputs, { workers: 2, timeoutMs: 10_000 });
    console.log(summarise(results));
    const bad = results.filter((r) => r.outcome !== 'ok' && r.outcome !== 'refused');
    assert.deepEqual(
      bad.slice(0, 5).map((r) => `${r.outcome} ${r.id} (${r.how}, ${r.bytes} bytes): ${r.error?.split('\n').slice(0, 3).join(' | ')}`),
      [],
    );
  });
});
