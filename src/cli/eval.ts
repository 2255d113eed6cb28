// ktriage eval <dir> [--blind] [--format text|json]: triage every labeled thread
// of <dir>/labels.json and score the verdicts.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { blindCuts, confusion, scoreLabel, type Label, type Score } from '../analyze/score.js';
import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import type { Verdict } from '../core/types.js';
import { oneOf, parse, USAGE } from './args.js';
import { INDEX_OPTIONS, indexFromValues } from './index-choice.js';
import { loadMessages } from './load.js';

const LabelSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    file: z.string().min(1),
    verdict: z.string().min(1),
    patch: z.string().optional(),
    patches_msgid: z.array(z.object({ messageId: z.string(), verdict: z.string() })).optional(),
  })
  .passthrough();

async function readLabels(dir: string): Promise<Label[]> {
  const path = join(dir, 'labels.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KtriageError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `${path}: ${code === 'ENOENT' ? 'no labels.json in that directory' : 'cannot read'}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new KtriageError('E_BAD_LABELS', `${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = z.array(LabelSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KtriageError('E_BAD_LABELS', `${path}: entry ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export async function runEval(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...INDEX_OPTIONS, blind: { type: 'boolean' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    USAGE.eval,
  );
  if (values.help) {
    out.write(USAGE.eval + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected one directory (usage: ${USAGE.eval})`);
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  const dir = positionals[0]!;
  const blind = Boolean(values.blind);
  const labels = await readLabels(dir);
  const index = indexFromValues(values);
  const port = index?.port;
  const scores: Score[] = [];
  for (const label of labels) {
    let verdicts: Verdict[];
    try {
      const messages = await loadMessages(join(dir, label.file));
      verdicts = blind ? blindCuts(label).map((cut) => triageMessages(messages, { blind: true, cutAfter: cut, port })) : [triageMessages(messages, { port })];
    } catch (e) {
      const msg = e instanceof KtriageError ? e.message : `internal error: ${(e as Error).message}`;
      scores.push({ id: label.id, expected: label.verdict, got: 'error', counted: !(label.verdict === 'mixed' && (label.patches_msgid?.length ?? 0) <= 1), correct: false, why: msg });
      continue;
    }
    scores.push(scoreLabel(label, verdicts));
  }
  index?.close();
  const counted = scores.filter((s) => s.counted);
  const right = counted.filter((s) => s.correct).length;
  const accuracy = counted.length ? right / counted.length : 0;
  if (format === 'json') {
    out.write(JSON.stringify({ blind, accuracy, correct: right, counted: counted.length, scores }, null, 2) + '\n');
    return 0;
  }
  for (const s of scores) {
    const mark = !s.counted ? 'skip' : s.correct ? 'ok  ' : 'MISS';
    out.write(`${mark} ${s.id.padEnd(6)} expected ${s.expected.padEnd(12)} got ${s.got.padEnd(12)} ${s.why.replace(/\s+/g, ' ').slice(0, 160)}\n`);
  }
  out.write('\n' + confusion(scores) + '\n\n');
  out.write(`index: ${port ? `tree ${port.tree.name}` : 'none'}\n`);
  if (blind) out.write('mode: blind (each thread cut right after the judged patch)\n');
  out.write(`accuracy: ${accuracy.toFixed(2)} (${right}/${counted.length})\n`);
  return 0;
}
