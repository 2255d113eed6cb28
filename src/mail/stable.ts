// A stable backport: a commit already in mainline, posted again for a stable
// tree (Documentation/process/stable-kernel-rules.rst). Its change was reviewed
// when it went upstream; the stable review series ("[PATCH 6.6 012/123]",
// "6.6-stable review patch.") repeats it once per tree. The markers are the
// ones the stable rules ask for and the stable maintainers' scripts write.

import type { Message } from '../core/types.js';

interface StableMarker {
  name: string;
  re: RegExp;
  example: string;
}

/** Body lines that say the patch is a backport of a mainline commit, or part of a stable review series. */
export const STABLE_BODY_MARKERS: StableMarker[] = [
  // stable-kernel-rules.rst, option 3: "commit <sha1> upstream." as the first line of the changelog
  { name: 'commit-upstream', re: /^commit [0-9a-f]{12,40} upstream\.?\s*$/im, example: 'commit 0123456789abcdef0123456789abcdef01234567 upstream.' },
  // the same rules' alternative form
  { name: 'upstream-commit-bracket', re: /^\[ ?upstream commit [0-9a-f]{12,40} ?\]\s*$/im, example: '[ Upstream commit 0123456789abcdef0123456789abcdef01234567 ]' },
  // the stable maintainers' review series
  { name: 'stable-review-patch', re: /^\d+\.\d+(?:\.\d+)?-stable review patch\./im, example: '6.6-stable review patch.  If anyone has any objections, please let me know.' },
];

/** A stable tree named in the subject's [...]: "[PATCH 6.1 12/34]", "[PATCH 5.15.y]", "[PATCH stable 6.6 v2]" (never a "v2.1" revision). */
const TREE_PREFIX = /^[3-9]\.\d{1,2}(?:\.y|\.\d{1,3}|-stable)?$/i;

/** The stable tree a backport is for (or "stable" when only the body says so); undefined for a mainline patch. */
export function stableBackport(m: Pick<Message, 'subjectInfo' | 'body'>): string | undefined {
  const info = m.subjectInfo;
  const tree = info.isPatch ? info.prefixes.find((p) => TREE_PREFIX.test(p)) : undefined;
  if (tree) return tree.replace(/-stable$/i, '');
  // the markers stand at the changelog's head
  const head = m.body.slice(0, 4000);
  return STABLE_BODY_MARKERS.some((k) => k.re.test(head)) ? 'stable' : undefined;
}
