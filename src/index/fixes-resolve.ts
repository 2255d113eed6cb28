// `Fixes: <sha> ("subject")` checked in a kernel git work tree with history,
// as checkpatch.pl ("Please use correct Fixes: style …", it compares the title
// with `git log --format=%s`) and b4 (`b4 prep --check`, "Fixes: tag title
// mismatch") do: the blamed commit's subject and files are named, a title that
// is not the commit's subject is a finding, a patch touching none of the
// blamed commit's files is noted, a sha the tree does not hold is noted.
// git runs through execFile (no shell), each sha validated first.

import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { FixesCheck, FixesReport, MailCite } from '../core/types.js';

/** A Fixes: tag of a posting, with the files that posting touches. */
export interface FixesTag {
  sha: string;
  title?: string;
  cite: MailCite;
  /** the files the posting that carries the tag changes (empty when unknown) */
  files: readonly string[];
}

const SHA = /^[0-9a-f]{7,40}$/i;
/** a blamed commit touching more files than this is named by its first ones */
const MAX_FILES_NAMED = 200;
const GIT_TIMEOUT_MS = 15_000;

interface GitResult {
  ok: boolean;
  out: string;
  err: string;
}

function git(root: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', root, ...args],
      { encoding: 'utf8', timeout: GIT_TIMEOUT_MS, maxBuffer: 8 << 20, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' } },
      (error, stdout, stderr) => resolve({ ok: !error, out: stdout, err: stderr }),
    );
  });
}

/**
 * Is `dir` a git work tree whose history can resolve a Fixes: sha (more than one commit)?
 * With `topLevel`, `dir` must be the work tree's top (an indexed directory inside some
 * other repository is not a kernel tree's history).
 */
export async function isGitTreeWithHistory(dir: string, opts: { topLevel?: boolean } = {}): Promise<boolean> {
  const inside = await git(dir, ['rev-parse', '--is-inside-work-tree', '--show-toplevel']);
  const [isInside, top] = inside.out.trim().split('\n');
  if (!inside.ok || isInside !== 'true') return false;
  if (opts.topLevel && !sameDir(top ?? '', dir)) return false;
  const count = await git(dir, ['rev-list', '--count', '--max-count=2', 'HEAD']);
  return count.ok && Number(count.out.trim()) >= 2;
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A title as compared: whitespace collapsed, case folded, a trailing ellipsis (a shortened title) kept as a prefix. */
export function sameTitle(given: string, subject: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const g = norm(given);
  const s = norm(subject);
  if (g === s) return true;
  const shortened = /(?:\.\.\.|…)$/.exec(g);
  return Boolean(shortened) && s.startsWith(g.slice(0, -shortened![0].length).trimEnd()) && g.length > 12;
}

/** Resolve each tag in the tree at `root`. */
export async function resolveFixes(root: string, tags: readonly FixesTag[]): Promise<FixesReport> {
  const checks: FixesCheck[] = [];
  const shallow = (await git(root, ['rev-parse', '--is-shallow-repository'])).out.trim() === 'true';
  for (const t of tags) checks.push(await resolveOne(root, t, shallow));
  return { tree: root, checks };
}

async function resolveOne(root: string, t: FixesTag, shallow: boolean): Promise<FixesCheck> {
  const base: FixesCheck = { sha: t.sha, ...(t.title ? { title: t.title } : {}), cite: t.cite, status: 'unresolved' };
  if (!SHA.test(t.sha)) return { ...base, why: 'not a commit id' };
  const full = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${t.sha}^{commit}`]);
  if (!full.ok || !SHA.test(full.out.trim())) {
    const ambiguous = /ambiguous/i.test(full.err);
    const why = ambiguous ? 'ambiguous in this tree (more digits needed)' : `no such commit in this tree${shallow ? ' (a shallow clone: it may be older than its history)' : ''}`;
    return { ...base, why };
  }
  const sha = full.out.trim();
  const subject = (await git(root, ['log', '-1', '--format=%s', sha])).out.trim();
  const names = await git(root, ['show', '--name-only', '--format=', '--no-renames', sha]);
  const files = names.out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, MAX_FILES_NAMED);
  const check: FixesCheck = { ...base, status: 'resolved', commit: { sha, subject, files } };
  if (t.title !== undefined && !sameTitle(t.title, subject)) check.titleMismatch = true;
  if (t.files.length && files.length && !t.files.some((f) => files.includes(f))) check.touchesNone = true;
  return check;
}

/** The verdict's Fixes: tags in patch postings (not in replies quoting them), each with the files of its posting. */
export function fixesTagsOf(v: { refs: readonly { sha: string; title?: string; kind: string; cite: MailCite }[]; patches: readonly { messageId: string; files: readonly string[] }[] }): FixesTag[] {
  return v.refs.flatMap((r) => {
    const posting = r.kind === 'fixes' ? v.patches.find((p) => p.messageId === r.cite.messageId) : undefined;
    return posting ? [{ sha: r.sha, ...(r.title ? { title: r.title } : {}), cite: r.cite, files: posting.files }] : [];
  });
}
