// Whether a git tree holds a commit (a thread's base-commit). Its own module so
// that answering a thread does not load the tree readers (tar, child processes)
// it never needs; child_process itself loads only when a git tree is asked.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Does the git repository at `root` hold this commit? (false when it is not a git tree or git fails) */
export function gitHasCommit(root: string, sha: string): boolean {
  if (!/^[0-9a-f]{7,40}$/i.test(sha)) return false;
  try {
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    execFileSync('git', ['-C', root, 'cat-file', '-e', `${sha}^{commit}`], { stdio: ['ignore', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}
