// Issue 14's measure: patches that credit a report (their own Reported-by:/Closes:) and are
// still called `no-failure`. Counts per half of a labeled set (by id parity, as `eval
// --split`), figures only: no thread's text is printed, so the held-out half stays unread.
//   node --import tsx scripts/credited-no-failure.ts DIR [--show odd]

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { triageMessages } from '../src/analyze/triage.js';
import { splitOf } from '../src/analyze/score.js';
import { loadMessages } from '../src/cli/load.js';
import { extractMessage } from '../src/extract/message.js';
import { reportRefs } from '../src/extract/report-refs.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { show: { type: 'string' } } });
const dir = positionals[0]!;
const threadsDir = readdirSync(dir).includes('threads') ? join(dir, 'threads') : dir;
const files = readdirSync(threadsDir)
  .filter((f) => f.endsWith('.mbox'))
  .sort();
const counts = { odd: { credited: 0, noFailure: 0 }, even: { credited: 0, noFailure: 0 } };
for (const f of files) {
  const half = splitOf(f.replace(/\.mbox$/, ''));
  const messages = await loadMessages(join(threadsDir, f));
  const v = triageMessages(messages);
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  for (const p of v.patches) {
    const m = byId.get(p.messageId);
    if (!m || m.subjectInfo.isReply) continue;
    if (!reportRefs(extractMessage(m).trailers).refs.length) continue;
    counts[half].credited++;
    if (p.verdict === 'no-failure') {
      counts[half].noFailure++;
      if (values.show === half) console.log(`  ${f}: ${p.subject}`);
    }
  }
}
for (const half of ['odd', 'even'] as const) console.log(`${half}: ${counts[half].credited} patches credit a report, ${counts[half].noFailure} of them called no-failure`);
