// A pull request as `git request-pull` writes it ("[GIT PULL]" mail, or a
// maintainer's reply offering an immutable tag):
//
//   The following changes since commit <base>:
//     <title> (<date>)
//   are available in the Git repository at:
//     <url> <branch or tags/name>
//   for you to fetch changes up to <head>:
//
// Its diffstat lists the files the pull changes, not a patch: the commits are in
// the repository. Only the mail's own lines count; a quoted pull is someone else's.

import type { PullRequest } from '../core/types.js';

/** How far before/after the "available at" line the base and head lines may sit. */
const NEAR_LINES = 12;

const AVAILABLE_AT = /^are available in the git repository at:?$/i;
const SINCE = /^the following changes since commit ([0-9a-f]{7,40})\b/i;
const UP_TO = /^for you to fetch changes up to ([0-9a-f]{7,40})\b/i;

/** git's URL forms: scheme://…, and scp-like user@host:path. */
function looksLikeRepo(url: string): boolean {
  return url.includes('://') || /^[\w.-]+@[\w.-]+:\S/.test(url);
}

function refKindOf(ref: string | undefined): PullRequest['refKind'] {
  if (!ref) return 'none';
  return ref.startsWith('tags/') || ref.startsWith('refs/tags/') ? 'tag' : 'branch';
}

/** The pull request in a body (LF line ends), or undefined when there is none. */
export function findPullRequest(body: string): PullRequest | undefined {
  if (!body.includes('repository at')) return undefined;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!AVAILABLE_AT.test(lines[i]!.trim())) continue;
    let j = i + 1;
    while (j < lines.length && j <= i + 3 && !lines[j]!.trim()) j++;
    const where = lines[j];
    if (where === undefined || where.startsWith('>')) continue;
    let [url, ref] = where.trim().split(/\s+/);
    if (!url || !looksLikeRepo(url)) continue;
    // a mailer that wrapped the line puts the ref on the next one, indented, alone
    const next = lines[j + 1]?.trim();
    if (!ref && next && /^[\w./-]{1,200}$/.test(next) && !/^for you to fetch/i.test(next)) ref = next;
    const pull: PullRequest = { url, refKind: refKindOf(ref), line: i + 1 };
    if (ref) pull.ref = ref;
    for (let k = i - 1; k >= 0 && k >= i - NEAR_LINES; k--) {
      const m = SINCE.exec(lines[k]!.trim());
      if (m) {
        pull.baseCommit = m[1]!.toLowerCase();
        break;
      }
    }
    for (let k = j + 1; k < lines.length && k <= j + NEAR_LINES; k++) {
      const m = UP_TO.exec(lines[k]!.trim());
      if (m) {
        pull.headCommit = m[1]!.toLowerCase();
        break;
      }
    }
    return pull;
  }
  return undefined;
}
