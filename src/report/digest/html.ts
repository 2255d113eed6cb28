// The digest as HTML for the email's second part: the same content as the text,
// the chart inline by cid:, no remote images, no scripts, no external styles.

import { DIGEST_KINDS, total, type Digest, type DigestItem, type DigestKind } from './model.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLOR: Partial<Record<DigestKind, string>> = { hides: '#c62828', fixes: '#2e7d32', partial: '#ef6c00', 'no-patch': '#616161', breaks: '#6a1b9a' };

function item(it: DigestItem): string {
  const rows: string[] = [];
  if (it.failure) rows.push(`<div>Failure: <code>${esc(it.failure)}</code></div>`);
  if (it.patch && it.kind !== 'no-patch') rows.push(`<div>Patch: ${esc(it.patch)} (<b style="color:${COLOR[it.kind] ?? '#000'}">${it.kind}</b>, ${it.confidence.toFixed(2)})</div>`);
  if (it.why) rows.push(`<div>Why: ${esc(it.why)}</div>`);
  if (it.remedy) rows.push(`<div>What would fix it: ${esc(it.remedy)}</div>`);
  if (it.stillBroken?.length) rows.push(`<div>Still broken: ${esc(it.stillBroken.join(', '))}</div>`);
  if (it.changes.length) rows.push(`<div>Changed: ${esc(it.changes.join(', '))}</div>`);
  if (it.answeredElsewhere) rows.push(`<div>Answered by: ${esc(it.answeredElsewhere)}</div>`);
  if (it.startedBy) rows.push(`<div>Started by: ${esc(it.startedBy)}</div>`);
  rows.push(`<div>Subsystem: ${esc(it.subsystems.slice(0, 2).join('; '))}</div>`);
  return `<li><a href="${esc(it.link)}">${esc(it.subject)}</a>${rows.join('')}</li>`;
}

function section(title: string, items: DigestItem[], limit = 25): string {
  if (!items.length) return '';
  const more = items.length > limit ? `<p>… and ${items.length - limit} more.</p>` : '';
  return `<h2>${esc(title)} (${items.length})</h2><ul>${items.slice(0, limit).map(item).join('')}</ul>${more}`;
}

function countsCells(c: Record<DigestKind, number>): string {
  return DIGEST_KINDS.map((k) => `<td>${c[k]}</td>`).join('');
}

export function digestHtml(d: Digest, chart?: { cid: string; alt: string; width: number; height: number }): string {
  const head = `<tr><th></th>${DIGEST_KINDS.map((k) => `<th>${k}</th>`).join('')}<th>all</th></tr>`;
  const weeks = `<table border="1" cellpadding="3" cellspacing="0">${head}<tr><th>this window</th>${countsCells(d.counts)}<td>${total(d.counts)}</td></tr><tr><th>the one before</th>${countsCells(d.previous)}<td>${total(d.previous)}</td></tr></table>`;
  const subs = d.bySubsystem.length
    ? `<h2>By subsystem</h2><table border="1" cellpadding="3" cellspacing="0">${head}${d.bySubsystem
        .slice(0, 12)
        .map((s) => `<tr><th>${esc(s.name)}</th>${countsCells(s.counts)}<td>${total(s.counts)}</td></tr>`)
        .join('')}</table>`
    : '';
  const img = chart ? `<p><img src="cid:${esc(chart.cid)}" alt="${esc(chart.alt)}" width="${chart.width}" height="${chart.height}"></p>` : '';
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8">',
    `<title>ktriage weekly digest: ${esc(d.window.label)}</title></head>`,
    '<body style="font-family:sans-serif;max-width:52em">',
    `<h1>ktriage weekly digest: ${esc(d.window.label)}${d.scope.length ? ` (${esc(d.scope.join(', '))})` : ''}</h1>`,
    img,
    weeks,
    subs,
    section('Build failures with no patch yet, oldest first', d.open),
    section('Patches that hide the problem', d.hides),
    section('Partial fixes', d.partial),
    section('Patches a report says break the build', d.breaks),
    section('Fixes', d.fixes),
    section('Reports answered by a patch in another thread', d.answeredElsewhere),
    section('Verdicts that changed this week', d.changed),
    total(d.counts) ? '' : '<p>Nothing was judged in this window.</p>',
    '</body></html>',
  ].join('\n');
}
