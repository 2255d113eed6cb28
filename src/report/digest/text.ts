// The digest as plain text: reads at 72 columns in mutt, every item with its
// lore link, sections in the order a maintainer acts on them.

import { wrap } from '../render.js';
import { DIGEST_KINDS, total, type Digest, type DigestItem, type DigestKind } from './model.js';

const LABEL: Record<DigestKind, string> = {
  'no-patch': 'reported, no patch yet',
  hides: 'hides the problem',
  partial: 'partial fix',
  breaks: 'breaks the build',
  fixes: 'fixes',
  'no-failure': 'no failure',
  unclear: 'unclear',
};

function daysOpen(since: string | undefined, end: Date): string {
  if (!since) return '';
  const t = Date.parse(since);
  if (!Number.isFinite(t)) return '';
  const days = Math.max(0, Math.floor((end.getTime() - t) / 86_400_000));
  return `open ${days} day${days === 1 ? '' : 's'}`;
}

function itemText(it: DigestItem, d: Digest): string {
  const lines = [wrap(`* ${it.subject}`, 72, '    ').replace(/^ {4}/, '  ')];
  const facts: string[] = [];
  if (it.kind === 'no-patch') facts.push(`${daysOpen(it.since, d.window.end)}${it.since ? ` (since ${it.since.slice(0, 10)})` : ''}`);
  if (it.failure) facts.push(`Failure: ${it.failure}`);
  if (it.patch && it.kind !== 'no-patch') facts.push(`Patch: ${it.patch} (${it.kind}, ${it.confidence.toFixed(2)})`);
  if (it.why) facts.push(`Why: ${it.why}`);
  if (it.remedy) facts.push(`What would fix it: ${it.remedy}`);
  if (it.stillBroken?.length) facts.push(`Still broken: ${it.stillBroken.join(', ')}`);
  if (it.changes.length) facts.push(`Changed: ${it.changes.join(', ')}`);
  if (it.answeredElsewhere) facts.push(`Answered by: ${it.answeredElsewhere}`);
  if (it.startedBy) facts.push(`Started by: ${it.startedBy}`);
  facts.push(`Subsystem: ${it.subsystems.slice(0, 2).join('; ')}`);
  facts.push(it.link);
  for (const f of facts.filter(Boolean)) lines.push(wrap(f, 72, '    ').replace(/^ {4}/, '    '));
  return lines.join('\n');
}

function beforeLabel(d: Digest): string {
  const days = Math.round((d.window.end.getTime() - d.window.start.getTime()) / 86_400_000);
  return days === 7 ? 'The week before' : `The ${days} days before`;
}

function countsLine(c: Record<DigestKind, number>): string {
  return DIGEST_KINDS.filter((k) => c[k])
    .map((k) => `${c[k]} ${k}`)
    .join(', ');
}

function section(title: string, items: DigestItem[], d: Digest, limit = 25): string[] {
  if (!items.length) return [];
  const out = [`${title} (${items.length})`, '-'.repeat(Math.min(72, title.length + String(items.length).length + 3))];
  for (const it of items.slice(0, limit)) out.push(itemText(it, d), '');
  if (items.length > limit) out.push(`  … and ${items.length - limit} more (ktriage threads --verdict ${items[0]!.kind})`, '');
  return out;
}

export function digestText(d: Digest): string {
  const out: string[] = [];
  out.push(`ktriage weekly digest: ${d.window.label}${d.scope.length ? ` (${d.scope.join(', ')})` : ''}`);
  out.push(`${d.window.start.toISOString().slice(0, 10)} to ${new Date(d.window.end.getTime() - 1).toISOString().slice(0, 10)}`);
  out.push('');
  const now = total(d.counts);
  const before = total(d.previous);
  out.push(wrap(`${now} thread${now === 1 ? '' : 's'} judged${now ? `: ${countsLine(d.counts)}` : ''}. ${beforeLabel(d)}: ${before}${before ? ` (${countsLine(d.previous)})` : ''}.`));
  out.push('');
  if (d.bySubsystem.length) {
    out.push('By subsystem');
    out.push('------------');
    for (const s of d.bySubsystem.slice(0, 12)) out.push(wrap(`${s.name}: ${countsLine(s.counts)}`, 72, '    ').replace(/^ {4}/, '  '));
    if (d.bySubsystem.length > 12) out.push(`… and ${d.bySubsystem.length - 12} more`);
    out.push('');
  }
  out.push(...section('Build failures with no patch yet, oldest first', d.open, d));
  out.push(...section('Patches that hide the problem', d.hides, d));
  out.push(...section('Partial fixes', d.partial, d));
  out.push(...section('Patches a report says break the build', d.breaks, d));
  out.push(...section('Fixes', d.fixes, d));
  out.push(...section('Reports answered by a patch in another thread', d.answeredElsewhere, d));
  out.push(...section('Verdicts that changed this week', d.changed, d));
  if (!now) out.push('Nothing was judged in this window.', '');
  out.push('-- ');
  out.push('ktriage: each verdict cites the mail and the tree it rests on;');
  out.push('run `ktriage thread <link>` for the whole reasoning.');
  return out.join('\n') + '\n';
}

export { LABEL as DIGEST_LABELS };
