// Developer aid: the facts and rule findings behind a thread's verdicts.
// usage: npx tsx scripts/explain.ts <file> [--blind]
import { loadMessages } from '../src/cli/load.js';
import { buildThread } from '../src/mail/thread.js';
import { extractMessage } from '../src/extract/message.js';
import { buildFacts } from '../src/analyze/facts.js';
import { judgePatch } from '../src/analyze/decide.js';

const file = process.argv[2]!;
const blind = process.argv.includes('--blind');
const thread = buildThread(await loadMessages(file));
const facts = buildFacts(thread, thread.messages.map(extractMessage));
facts.failures.forEach((f, k) =>
  console.log(`F${k}`, f.failure.kind, f.failure.symbol ?? '', f.failure.file ?? '', JSON.stringify(f.failure.configs), `idx${f.index}`, f.failure.message.slice(0, 100)),
);
for (const rec of facts.patches) {
  const j = judgePatch(rec, facts, { blind });
  console.log(`\n== PATCH idx${rec.index} ${rec.patch.messageId} [${rec.patch.source}] "${rec.patch.subject}" by ${rec.patch.author} answers=${rec.answers}`);
  console.log(`   -> ${j.verdict.verdict} ${j.verdict.confidence}`);
  for (const e of j.verdict.effects) console.log(`   effect ${e.kind}: ${e.detail.slice(0, 140)} ${JSON.stringify(e.configs)}`);
  for (const s of rec.signals) console.log(`   signal ${s.self ? 'SELF' : 'other'} ${s.kind} ${s.speaker}: ${s.text.slice(0, 110)}`);
  for (const f of j.findings) console.log(`   finding ${f.lean} ${f.weight} ${f.rule}: ${f.reason.slice(0, 120)}`);
}
