// Developer aid: the review signals of each patch of a thread, with who said
// them, their standing and the index of the message. Usage:
//   node --import tsx scripts/debug-signals.ts FILE
import { buildFacts } from '../src/analyze/facts.js';
import { loadMessages } from '../src/cli/load.js';
import { extractMessage } from '../src/extract/message.js';
import { buildThread } from '../src/mail/thread.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: debug-signals.ts FILE');
  process.exit(2);
}
const thread = buildThread(await loadMessages(file));
const facts = buildFacts(thread, thread.messages.map(extractMessage));
thread.messages.forEach((m, i) => console.log(`#${i} ${m.date?.slice(0, 10)} ${m.from.name} <${m.from.address}> ${m.subject.slice(0, 70)}`));
for (const r of facts.patches) {
  console.log(`\nPATCH #${r.index} ${r.patch.messageId} by ${r.patch.author} [${r.patch.source}] answers=${JSON.stringify(r.answers)}: ${r.patch.subject.slice(0, 70)}`);
  for (const s of r.signals) console.log(`  #${s.index} L${s.cite.line} ${s.kind}/${s.phrase} ${s.speaker} [${s.role}${s.self ? ',self' : ''}${s.quoted ? ',quoted' : ''}] ${s.text.slice(0, 110)}`);
}
facts.failures.forEach((f, k) => console.log(`FAILURE ${k} #${f.index} ${f.failure.kind} ${f.failure.symbol ?? ''} ${f.failure.message.slice(0, 100)}`));
