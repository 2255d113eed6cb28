// Golden tests over test/fixtures/threads: realistic kernel mail (mbox, eml, pipermail
// and lore pages, flat text) with what a maintainer expects ktriage to say about each.
//
// For every fixture <name>.<ext>:
//   - <name>.expected.json holds the facts that must hold (verdict, per-patch verdicts,
//     failure symbols, strings the summary/evidence/effects must mention); a fixture
//     whose expected file carries "knownMiss" is reported as a TODO instead of failing;
//   - <name>.golden.json holds a stable projection of the JSON report, so any change in
//     what the tool says about a fixture shows up as a diff. Regenerate with
//       UPDATE_GOLDEN=1 node --import tsx --test test/golden.test.ts
// A CLI test runs bin/ktriage.js on one fixture of each kind (.mbox, .eml, .txt, .html),
// building dist/ first if it is missing or older than src/.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { promisify } from 'node:util';
import { triageMessages } from '../src/analyze/triage.js';
import { loadMessages } from '../src/cli/load.js';
import { toJson } from '../src/report/render.js';
import { ensureDist } from './helpers/index-cli.js';
import { proseText, type Ev } from './helpers/index-threads.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(import.meta.dirname, 'fixtures', 'threads');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FIXTURE = /\.(mbox|eml|txt|html)$/;

const fixtures = readdirSync(DIR)
  .filter((f) => FIXTURE.test(f) && !f.startsWith('.'))
  .sort();

interface Expected {
  verdict: string;
  /** Message-ID -> verdict of that patch */
  patches?: Record<string, string>;
  /** symbols that must appear among failures[].symbol */
  failureSymbols?: string[];
  /** strings that must appear in the summary, evidence, effects or reasons */
  evidenceMentions?: string[];
  /** number of messages the input holds */
  messages?: number;
  why: string;
  /** what the tool gets wrong today: the facts are then checked as a TODO */
  knownMiss?: string;
}

interface ReportJson {
  verdict: string;
  summary: string;
  messages: number;
  evidence: Ev[];
  patches: {
    messageId: string;
    verdict: string;
    reason: string;
    effects: { kind: string; detail: string }[];
    evidence: Ev[];
  }[];
  failures: { kind: string; symbol: string | null; file: string | null; line: number | null; arch: string | null; configs: string[] }[];
}

const baseName = (f: string) => f.replace(FIXTURE, '');

function readExpected(f: string): Expected {
  const path = join(DIR, `${baseName(f)}.expected.json`);
  assert.ok(existsSync(path), `${f}: no ${baseName(f)}.expected.json beside it`);
  const e = JSON.parse(readFileSync(path, 'utf8')) as Expected;
  assert.equal(typeof e.verdict, 'string', `${path}: "verdict" missing`);
  assert.equal(typeof e.why, 'string', `${path}: "why" missing`);
  return e;
}

async function report(f: string): Promise<ReportJson> {
  const messages = await loadMessages(join(DIR, f));
  // through JSON text, as a consumer of `--format json` sees it
  return JSON.parse(JSON.stringify(toJson(triageMessages(messages)))) as ReportJson;
}

function checkExpected(j: ReportJson, e: Expected): void {
  assert.equal(j.verdict, e.verdict, `thread verdict (why expected: ${e.why})`);
  for (const [id, verdict] of Object.entries(e.patches ?? {})) {
    const p = j.patches.find((x) => x.messageId === id);
    assert.ok(p, `patch ${id} not among ${j.patches.map((x) => x.messageId).join(', ') || 'no patches'}`);
    assert.equal(p.verdict, verdict, `verdict of patch ${id}`);
  }
  const symbols = j.failures.map((f) => f.symbol).filter((s): s is string => !!s);
  for (const s of e.failureSymbols ?? []) assert.ok(symbols.includes(s), `failure symbol ${s} not among [${symbols.join(', ')}]`);
  const prose = proseText(j);
  for (const m of e.evidenceMentions ?? []) assert.ok(prose.includes(m), `"${m}" is not mentioned in the summary, evidence or effects`);
  if (e.messages !== undefined) assert.equal(j.messages, e.messages, 'messages read from the input');
}

/** What the golden files pin down: stable, no prose, no confidences. */
function project(j: ReportJson) {
  return {
    verdict: j.verdict,
    messages: j.messages,
    patches: j.patches.map((p) => ({ messageId: p.messageId, verdict: p.verdict, effects: p.effects.map((e) => e.kind) })),
    failures: j.failures.map((f) => ({ kind: f.kind, symbol: f.symbol, file: f.file, line: f.line, arch: f.arch, configs: f.configs })),
  };
}

describe('fixture threads: expected facts and goldens', () => {
  it('has fixtures, each with an expected file', () => {
    assert.ok(fixtures.length >= 15, `only ${fixtures.length} fixtures in ${DIR}`);
    for (const f of fixtures) readExpected(f);
    const bases = new Set(fixtures.map(baseName));
    const orphans = readdirSync(DIR).filter((f) => /\.(expected|golden)\.json$/.test(f) && !bases.has(f.replace(/\.(expected|golden)\.json$/, '')));
    assert.deepEqual(orphans, [], 'expected/golden files without a fixture');
  });

  for (const f of fixtures) {
    test(f, async (t) => {
      const expected = readExpected(f);
      const j = await report(f);

      await t.test('expected facts', (st) => {
        if (expected.knownMiss) st.todo(`knownMiss: ${expected.knownMiss}`);
        checkExpected(j, expected);
      });

      await t.test('golden', () => {
        const path = join(DIR, `${baseName(f)}.golden.json`);
        const got = project(j);
        if (UPDATE) {
          writeFileSync(path, JSON.stringify(got, null, 2) + '\n');
          return;
        }
        assert.ok(existsSync(path), `missing golden ${path}: create it with UPDATE_GOLDEN=1 node --import tsx --test test/golden.test.ts`);
        assert.deepEqual(got, JSON.parse(readFileSync(path, 'utf8')), `${f} no longer matches ${baseName(f)}.golden.json; if the change is intended, regenerate with UPDATE_GOLDEN=1`);
      });
    });
  }
});

// ---- the CLI binary -----------------------------------------------------------------------

const run = promisify(execFile);

describe('CLI: ktriage thread <fixture> --format json', () => {
  it('runs on one fixture of each kind with exit 0 and valid JSON', async () => {
    ensureDist();
    // one of each kind keeps this quick: every process pays node's start-up
    const sample = ['mbox', 'eml', 'txt', 'html'].map((k) => {
      const f = fixtures.find((x) => x.endsWith(`.${k}`));
      assert.ok(f, `no .${k} fixture for the CLI to read`);
      return f;
    });

    await Promise.all(
      sample.map(async (f) => {
        const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'ktriage.js'), 'thread', join(DIR, f), '--format', 'json'], {
          cwd: ROOT,
          maxBuffer: 16 * 1024 * 1024,
        }).catch((e: { code?: number; stderr?: string }) => assert.fail(`${f}: exit ${e.code}: ${e.stderr ?? ''}`));
        assert.equal(stderr, '', `${f}: unexpected stderr`);
        let parsed: ReportJson;
        try {
          parsed = JSON.parse(stdout) as ReportJson;
        } catch (e) {
          assert.fail(`${f}: stdout is not JSON (${(e as Error).message})`);
        }
        assert.match(parsed.verdict, /^(fixes|hides|partial|no-patch|no-failure|unclear)$/, `${f}: verdict`);
        assert.equal(parsed.verdict, (await report(f)).verdict, `${f}: CLI and library disagree`);
      }),
    );
  });
});
