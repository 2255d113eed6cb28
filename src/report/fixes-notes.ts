// What the Fixes: check found (src/index/fixes-resolve.ts), for the text,
// Markdown, email and JSON reports. Pure: nothing when no tree was checked.

import type { FixesCheck, Verdict } from '../core/types.js';
import { mailCite } from '../analyze/rules/types.js';

const FILES_SHOWN = 4;

function files(list: readonly string[]): string {
  if (!list.length) return 'no files';
  const shown = list.slice(0, FILES_SHOWN).join(', ');
  return list.length > FILES_SHOWN ? `${shown}, … ${list.length - FILES_SHOWN} more` : shown;
}

/** One item per tag: what it names, then each finding or note. */
export function fixesItems(c: FixesCheck): { head: string; notes: string[] } {
  const tag = `Fixes: ${c.sha}${c.title ? ` ("${c.title}")` : ''}`;
  if (c.status === 'unresolved') return { head: `${tag}: does not resolve: ${c.why ?? 'no such commit'}`, notes: [] };
  const commit = c.commit!;
  const notes: string[] = [];
  if (c.titleMismatch) notes.push(`finding: the tag's title is not the commit's subject "${commit.subject}"`);
  if (c.touchesNone) notes.push(`note: the patch touches none of the blamed commit's files`);
  return { head: `${tag}: ${commit.sha.slice(0, 12)} "${commit.subject}" (${files(commit.files)})`, notes };
}

/** Plain-text paragraph lines (text report, email body); none without a check. */
export function fixesText(v: Verdict): string[] {
  if (!v.fixes?.checks.length) return [];
  const out = [`Fixes: checked in ${v.fixes.tree}:`];
  for (const c of v.fixes.checks) {
    const { head, notes } = fixesItems(c);
    out.push(`- ${head}  <${mailCite(c.cite.messageId, c.cite.line)}>`);
    for (const n of notes) out.push(`  ${n}`);
  }
  return out;
}

export function fixesMarkdown(v: Verdict): string[] {
  if (!v.fixes?.checks.length) return [];
  const out = [`### Fixes: checked in \`${v.fixes.tree}\``, ''];
  for (const c of v.fixes.checks) {
    const { head, notes } = fixesItems(c);
    out.push(`- ${head.replace(/`/g, "'")} (\`${mailCite(c.cite.messageId, c.cite.line)}\`)`);
    for (const n of notes) out.push(`  - ${n.replace(/`/g, "'")}`);
  }
  out.push('');
  return out;
}

export function fixesJson(v: Verdict): object {
  if (!v.fixes) return {};
  return {
    fixesChecked: {
      tree: v.fixes.tree,
      checks: v.fixes.checks.map((c) => ({
        sha: c.sha,
        title: c.title ?? null,
        cite: mailCite(c.cite.messageId, c.cite.line),
        status: c.status,
        why: c.why ?? null,
        commit: c.commit ?? null,
        titleMismatch: Boolean(c.titleMismatch),
        touchesNone: Boolean(c.touchesNone),
      })),
    },
  };
}
