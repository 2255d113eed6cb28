// Verdicts backed by the kernel index, one fixture thread per effect class
// (guard narrowing, `depends on !X`, export added, stub, call replaced, Kconfig
// select of an alternative, revert, partial across arches), judged against the
// fixture tree test/fixtures/trees/gamma, whose files make each failure a real
// fact of the tree under the failing configuration.
//
// For every test/fixtures/index-threads/<name>.mbox, <name>.expected.json says
// (see test/helpers/index-threads.ts for the schema):
//   - the verdict with the index, per patch, and with --blind (`blindVerdict`
//     when it legitimately differs);
//   - the failure symbols;
//   - `indexMentions`: what the index must have said (a file:line of the tree,
//     "not exported", "already in tree <tree>"), searched in the JSON report's
//     index evidence, patch reasons and xrefs; `indexAbsent`: a wrong index fact;
//   - `evidenceMentions`: what the summary, evidence or effects must cite;
//     `summaryMentions`: what the summary itself must say ("already in tree");
//   - without the index the report has no index evidence and loses at least one
//     index mention, and for `indexDecides` the verdict differs.
// `knownMiss` marks a gap of the tool (the fixture is right): the checks named in
// `knownMissChecks` (all, without it) are reported as TODO instead of failing.
//
// The gamma index is built once into a temp directory; the CLI is run on one
// fixture with --index (json and email).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import type { IndexPort } from '../src/analyze/index-port.js';
import { triageMessages } from '../src/analyze/triage.js';
import { loadMessages } from '../src/cli/load.js';
import { buildIndex } from '../src/index/build.js';
import { toJson } from '../src/report/render.js';
import { openIndex, type DB } from '../src/store/index-db.js';
import { indexPort } from '../src/store/index-port.js';
import { ensureDist } from './helpers/index-cli.js';
import { REPO } from './helpers/index-fixtures.js';
import {
  EFFECT_CLASSES,
  GAMMA,
  GAMMA_VERSION,
  INDEX_THREADS,
  indexEvidenceCount,
  indexText,
  listIndexThreads,
  proseText,
  readIndexThreadExpected,
  type CheckName,
  type IndexThreadExpected,
  type ReportJson,
} from './helpers/index-threads.js';

const fixtures = listIndexThreads();
const dir = mkdtempSync(join(tmpdir(), 'ktriage-gamma-'));
const dbPath = join(dir, 'index.sqlite');
let db: DB;
let port: IndexPort;

before(async () => {
  db = openIndex(dbPath);
  const stats = await buildIndex(db, GAMMA, { jobs: 0 });
  assert.deepEqual(stats.errors, [], 'the gamma tree indexes without errors');
  assert.equal(stats.tree, GAMMA_VERSION);
  port = indexPort(db);
});

after(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (v: ReturnType<typeof triageMessages>) => JSON.parse(JSON.stringify(toJson(v))) as ReportJson;

interface Reports {
  full: ReportJson;
  blind: ReportJson;
  bare: ReportJson;
}

async function reports(f: string): Promise<Reports> {
  const messages = await loadMessages(join(INDEX_THREADS, f));
  return {
    full: json(triageMessages(messages, { port })),
    blind: json(triageMessages(messages, { port, blind: true })),
    bare: json(triageMessages(messages)),
  };
}

/** One check; a knownMiss check runs too, but fails as a TODO (and says when it passes). */
function check(e: IndexThreadExpected, name: CheckName, body: () => void) {
  const miss = e.knownMiss && (!e.knownMissChecks || e.knownMissChecks.includes(name));
  it(name, (t: TestContext) => {
    if (!miss) return body();
    t.todo(`knownMiss: ${e.knownMiss}`);
    body();
    t.diagnostic(`${name} passes now: drop it from knownMissChecks (or drop knownMiss)`);
  });
}

describe('fixture threads with the gamma index: verdicts and index facts', () => {
  it('has a fixture with an expected file for every effect class', () => {
    const classes = new Set(fixtures.map((f) => readIndexThreadExpected(f).effectClass));
    for (const c of EFFECT_CLASSES) assert.ok(classes.has(c), `no fixture for "${c}"`);
    const bases = new Set(fixtures.map((f) => f.replace(/\.mbox$/, '')));
    const orphans = readdirSync(INDEX_THREADS).filter((f) => f.endsWith('.expected.json') && !bases.has(f.replace(/\.expected\.json$/, '')));
    assert.deepEqual(orphans, [], 'expected files without a fixture');
  });

  for (const f of fixtures) {
    const e = readIndexThreadExpected(f);
    describe(`${f} (${e.effectClass}: ${e.verdict})`, () => {
      let r: Reports;
      before(async () => {
        r = await reports(f);
      });

      check(e, 'verdict', () => {
        assert.equal(r.full.verdict, e.verdict, `thread verdict with the index (why expected: ${e.why})`);
        assert.equal(r.full.index?.tree, GAMMA_VERSION, 'the report names the tree it consulted');
        assert.ok(indexEvidenceCount(r.full) > 0, 'the report carries index evidence');
        assert.ok(r.full.xrefs.length > 0, 'the failures were cross-referenced');
      });
      check(e, 'patches', () => {
        for (const [id, verdict] of Object.entries(e.patches ?? {})) {
          const p = r.full.patches.find((x) => x.messageId === id);
          assert.ok(p, `patch ${id} not among ${r.full.patches.map((x) => x.messageId).join(', ') || 'no patches'}`);
          assert.equal(p.verdict, verdict, `verdict of patch ${id}: ${p.reason}`);
        }
      });
      check(e, 'failureSymbols', () => {
        const symbols = r.full.failures.map((x) => x.symbol).filter((s): s is string => !!s);
        for (const s of e.failureSymbols ?? []) assert.ok(symbols.includes(s), `failure symbol ${s} not among [${symbols.join(', ')}]`);
      });
      check(e, 'indexMentions', () => {
        const text = indexText(r.full);
        const missing = (e.indexMentions ?? []).filter((m) => !text.includes(m));
        assert.deepEqual(missing, [], `not in the index evidence, reasons or xrefs:\n${text}`);
      });
      check(e, 'indexAbsent', () => {
        const text = indexText(r.full);
        const present = (e.indexAbsent ?? []).filter((m) => text.includes(m));
        assert.deepEqual(present, [], 'wrong index facts in the report');
      });
      check(e, 'evidenceMentions', () => {
        const text = proseText(r.full);
        const missing = (e.evidenceMentions ?? []).filter((m) => !text.includes(m));
        assert.deepEqual(missing, [], 'not in the summary, evidence, effects or reasons');
      });
      check(e, 'summaryMentions', () => {
        const missing = (e.summaryMentions ?? []).filter((m) => !r.full.summary.includes(m));
        assert.deepEqual(missing, [], `not in the summary:\n${r.full.summary}`);
      });
      check(e, 'blindVerdict', () => {
        assert.equal(r.blind.verdict, e.blindVerdict ?? e.verdict, `--blind verdict (cut after ${r.blind.blindCutAfter ?? 'the last message'})`);
      });
      check(e, 'withoutIndex', () => {
        assert.equal(r.bare.index, null);
        assert.deepEqual(r.bare.xrefs, []);
        assert.equal(indexEvidenceCount(r.bare), 0, 'index evidence without an index');
        const everything = JSON.stringify(r.bare);
        const fromIndex = (e.indexMentions ?? []).filter((m) => !everything.includes(m));
        assert.ok(!e.indexMentions?.length || fromIndex.length > 0, `every index mention is also there without the index: ${e.indexMentions?.join(' | ')}`);
        if (e.indexDecides) assert.notEqual(r.bare.verdict, e.verdict, 'the index decides this verdict, yet the verdict is the same without it');
      });
    });
  }
});

// ---- the CLI binary, with --index ---------------------------------------------------------

const run = promisify(execFile);
const CLI_FIXTURE = 'export-added-frac-approx.mbox';

describe('CLI: ktriage thread <fixture> --index <gamma index>', () => {
  before(() => ensureDist());

  const cli = async (format: string) => {
    const { stdout, stderr } = await run(process.execPath, [join(REPO, 'bin', 'ktriage.js'), 'thread', join(INDEX_THREADS, CLI_FIXTURE), '--index', dbPath, '--no-llm', '--format', format], {
      cwd: REPO,
      env: { ...process.env, KTRIAGE_LLM_BASE_URL: '' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { code?: number; stderr?: string }) => assert.fail(`exit ${err.code}: ${err.stderr ?? ''}`));
    assert.equal(stderr, '', 'unexpected stderr');
    return stdout;
  };

  it('--format json: the verdict and the index facts of the library', async () => {
    const j = JSON.parse(await cli('json')) as ReportJson;
    assert.equal(j.index?.tree, GAMMA_VERSION);
    // the tree was chosen for the thread's date (the gamma tree is 6.9: released 2024-05-12), and the report says so
    assert.equal(j.index?.chosenBecause, 'the thread is from 2024-09-02; the tree was released 2024-05-12, 4 months before');
    assert.ok(indexEvidenceCount(j) > 0, 'no index evidence from the CLI');
    const e = readIndexThreadExpected(CLI_FIXTURE);
    assert.equal(j.verdict, e.verdict);
    for (const m of e.indexMentions ?? []) assert.ok(indexText(j).includes(m), `CLI report lacks "${m}"`);
  });

  it('--format email: a reply to the patch, threaded (Re:, In-Reply-To, References)', async () => {
    const out = await cli('email');
    const cut = out.indexOf('\n\n');
    const head = out.slice(0, cut);
    const body = out.slice(cut + 2);
    const headers = head.replace(/\n[ \t]+/g, ' ');
    const h = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(headers)?.[1];
    const patchId = '<20240902073109.2044718-1-yusuf.demirci@tarn-audio.example.com>';
    const robotId = '<202409021143.Qm3LkT9w-lkp@intel.com>';
    assert.equal(h('Subject'), 'Re: [PATCH] lib: frac_approx: export frac_approx_u32()');
    assert.equal(h('In-Reply-To'), patchId);
    assert.deepEqual(h('References')?.split(/\s+/), [robotId, patchId]);
    assert.match(h('To') ?? '', /yusuf\.demirci@tarn-audio\.example\.com/);
    assert.ok(h('Message-ID'), 'no Message-ID');
    assert.match(body, /frac_approx_u32/);
    // the body, footer included, is wrapped at 72 columns (a citation longer than that stays whole)
    for (const line of body.split('\n')) assert.ok(line.length <= 72 || !/\s/.test(line.trim()), `body line over 72 columns: ${line}`);
  });
});
