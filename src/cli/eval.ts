// ktriage eval <dir> [--blind] [--format text|json]: triage every labeled thread
// of <dir>/labels.json and score the verdicts.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { blindCuts, calibrationReport, confusion, scoreLabel, splitOf, type Label, type Score } from '../analyze/score.js';
import { RULES } from '../analyze/rules/index.js';
import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import type { Verdict } from '../core/types.js';
import { oneOf, parse, USAGE } from './args.js';
import { INDEX_OPTIONS, indexFromValues, threadTreeHints } from './index-choice.js';
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
    {
      ...INDEX_OPTIONS,
      blind: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      split: { type: 'string' },
      'min-confidence': { type: 'string' },
      summary: { type: 'boolean' },
      'without-rule': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
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
  const split = values.split === undefined ? undefined : oneOf(values.split as string, ['odd', 'even'] as const, '--split', 'odd');
  const minConfidence = values['min-confidence'] === undefined ? 0.8 : Number(values['min-confidence']);
  if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1) throw new KtriageError('E_USAGE', `--min-confidence must be a number from 0 to 1 (got "${values['min-confidence']}")`);
  // --split: one half of the set by id parity, so rules can be written on one half and measured on the other
  const labels = (await readLabels(dir)).filter((l) => !split || splitOf(l.id) === split);
  // --without-rule: the figures with a rule left out, so what it contributes to each half shows
  const withoutRules = (values['without-rule'] as string[] | undefined) ?? [];
  for (const name of withoutRules)
    if (!RULES.some((r) => r.name === name)) throw new KtriageError('E_USAGE', `--without-rule: no rule named "${name}" (rules: ${RULES.map((r) => r.name).join(', ')})`);
  const index = indexFromValues(values);
  const scores: Score[] = [];
  const treesUsed = new Map<string, number>();
  for (const label of labels) {
    let verdicts: Verdict[];
    try {
      const messages = await loadMessages(join(dir, label.file));
      const port = index?.portFor(threadTreeHints(messages));
      if (port) treesUsed.set(port.tree.name, (treesUsed.get(port.tree.name) ?? 0) + 1);
      verdicts = blind ? blindCuts(label).map((cut) => triageMessages(messages, { blind: true, cutAfter: cut, port, withoutRules })) : [triageMessages(messages, { port, withoutRules })];
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
    out.write(JSON.stringify({ blind, split: split ?? null, accuracy, correct: right, counted: counted.length, scores }, null, 2) + '\n');
    return 0;
  }
  // --summary: figures only, no line per thread (for the half kept out of sight)
  for (const s of values.summary ? [] : scores) {
    const mark = !s.counted ? 'skip' : s.correct ? 'ok  ' : 'MISS';
    out.write(`${mark} ${s.id.padEnd(6)} expected ${s.expected.padEnd(12)} got ${s.got.padEnd(12)} ${s.why.replace(/\s+/g, ' ').slice(0, 160)}\n`);
  }
  out.write('\n' + confusion(scores) + '\n\n');
  out.write(calibrationReport(scores, minConfidence) + '\n\n');
  out.write(`index: ${index ? `${[...treesUsed].map(([t, n]) => `tree ${t} for ${n} thread${n > 1 ? 's' : ''}`).join(', ') || 'no thread read'} (${index.path})` : 'none'}\n`);
  if (split) out.write(`split: ${split} ids only (${labels.length} labels)\n`);
  if (blind) out.write('mode: blind (each thread cut right after the judged patch)\n');
  out.write(`accuracy: ${accuracy.toFixed(2)} (${right}/${counted.length})\n`);
  return 0;
}
