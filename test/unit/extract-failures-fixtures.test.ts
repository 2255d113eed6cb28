// test/fixtures/failures/: list mail written for these tests (made-up names),
// each with the failures a maintainer would read in it. Only the fields an
// expected entry lists are compared; the order is the extractor's.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BuildFailure } from '../../src/core/types.js';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { raw } from '../helpers/unit.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'failures');

interface Expected {
  why: string;
  failures: Record<string, unknown>[];
  compilers?: string[];
}

function project(f: BuildFailure, keys: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { ...f, line: f.cite.line, configs: f.configs.map((c) => `${c.name}=${c.value}`).sort() };
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
}

describe('failure fixtures', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    it(file, async () => {
      const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.eml$/, '.expected.json')), 'utf8')) as Expected;
      const msg = await parseMail(raw(readFileSync(join(dir, file)), file));
      const x = extractMessage(msg);
      assert.deepEqual(
        x.failures.map((f, i) => project(f, Object.keys(expected.failures[i] ?? { kind: 1, message: 1, line: 1 }))),
        expected.failures,
        expected.why,
      );
      if (expected.compilers) assert.deepEqual(x.context.compilers, expected.compilers);
    });
  }
});
