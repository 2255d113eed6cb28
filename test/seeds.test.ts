// The five seed posts (../shared/seeds), checked in place when present: the
// verdicts their README names, and evidence naming the failure, the config and
// the change. Their text is never copied into the project.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { after, before } from 'node:test';
import { triageMessages } from '../src/analyze/triage.js';
import { openBundledIndex, threadTreeHints } from '../src/cli/index-choice.js';
import { loadMessages } from '../src/cli/load.js';
import type { OpenedIndex } from '../src/store/index-port.js';
import { toJson } from '../src/report/render.js';

const SEEDS = join(import.meta.dirname, '..', '..', 'shared', 'seeds');
const present = existsSync(join(SEEDS, 'README.md'));

interface SeedExpectation {
  file: string;
  verdict: string;
  mentions: RegExp[];
}

const EXPECT: SeedExpectation[] = [
  { file: '000_e265c1bc20ad5356.txt', verdict: 'hides', mentions: [/CONFIG_SMP=n/, /defined\(CONFIG_SMP\)/, /accept a patch to add an export|will _not_ fix this export/] },
  { file: '001_7e58df7c5594bb17.txt', verdict: 'hides', mentions: [/CONFIG_SMP=n/, /defined\(CONFIG_SMP\)/, /hiding/] },
  { file: '002_066c9f4b5f49a22b.txt', verdict: 'fixes', mentions: [/flush_tlb_kernel_range/, /CONFIG_SMP=y/, /CONFIG_MMU=n/, /mm\/Kconfig/] },
  { file: '003_52dce4bdb95abe11.txt', verdict: 'no-patch', mentions: [/corruption/] },
  { file: '004_1350adbf80cac4ff.txt', verdict: 'fixes', mentions: [/flush_tlb_kernel_range/, /CONFIG_SMP=y/, /CONFIG_MMU=n/, /mm\/Kconfig/] },
];

// `ktriage thread` consults the bundled index by default: the seeds are judged the same way
describe('seeds from ../shared/seeds', { skip: present ? false : '../shared/seeds not present' }, () => {
  let index: OpenedIndex;
  before(() => {
    const cache = mkdtempSync(join(tmpdir(), 'ktriage-seeds-'));
    index = openBundledIndex(undefined, { XDG_CACHE_HOME: cache }, { warn: (l) => assert.fail(l) })!;
  });
  after(() => index.close());
  for (const e of EXPECT) {
    it(`${e.file}: ${e.verdict}`, async () => {
      const messages = await loadMessages(join(SEEDS, e.file));
      const v = triageMessages(messages, { port: index.portFor(threadTreeHints(messages)) });
      assert.equal(v.verdict, e.verdict);
      const text = JSON.stringify(toJson(v));
      for (const re of e.mentions) assert.match(text, re);
    });
  }

  // without any index the rules may abstain, never contradict the README
  for (const e of EXPECT) {
    it(`${e.file} without an index: ${e.verdict} or unclear`, async () => {
      const v = triageMessages(await loadMessages(join(SEEDS, e.file)));
      assert.ok([e.verdict, 'unclear'].includes(v.verdict), `${v.verdict}: ${v.patches.map((p) => p.reason).join(' | ')}`);
    });
  }
});
