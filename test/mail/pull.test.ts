// Pull requests (src/mail/pull.ts): "[GIT PULL]" mail is read as a pull, with its
// repository, ref and base commit, and its diffstat is not taken for a patch.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMessage } from '../../src/extract/message.js';
import { findPullRequest } from '../../src/mail/pull.js';
import { buildThread } from '../../src/mail/thread.js';
import { load } from './helpers.js';

describe('pull requests', () => {
  it('[GIT PULL] of a signed tag: URL, tag, base and head commits; not a patch, no series', async () => {
    const [m] = await load('pull-request-signed-tag.eml');
    assert.equal(m!.subjectInfo.isPull, true);
    assert.equal(m!.subjectInfo.isPatch, false);
    assert.deepEqual(m!.pull, {
      url: 'https://git.tamarack-soc.example/pub/scm/linux/kernel/git/priya/soc.git',
      ref: 'tags/tamarack-soc-drivers-6.11',
      refKind: 'tag',
      baseCommit: '33c07ef28424f08ee70e4f692df87d31ef199e42',
      headCommit: '57a73bda232cd794eab06a5c6807899bf42036cf',
      line: 9,
    });
    assert.equal(m!.body.split('\n')[8], 'are available in the Git repository at:');
    assert.deepEqual(buildThread([m!]).series, []);
  });

  it("the pull's diffstat is marked as a pull request, not a patch with no hunks", async () => {
    const [m] = await load('pull-request-signed-tag.eml');
    const [p, ...rest] = extractMessage(m!).patches;
    assert.equal(rest.length, 0);
    assert.equal(p!.source, 'diffstat');
    assert.equal(p!.pull?.ref, 'tags/tamarack-soc-drivers-6.11');
    assert.match(p!.damage.join(' '), /a pull request, not a patch/);
    assert.ok(p!.files.every((f) => f.statOnly && f.hunks.length === 0));
  });

  it('a branch pull over git://; the merge notice that quotes it is not a pull itself', async () => {
    const [pull, reply] = await load('pull-request-branch-and-quoting-reply.mbox');
    assert.equal(pull!.pull?.url, 'git://git.tamarack-soc.example/linux/priya/clk.git');
    assert.equal(pull!.pull?.ref, 'tmk-clk-fixes');
    assert.equal(pull!.pull?.refKind, 'branch');
    assert.equal(reply!.subjectInfo.isPull, true);
    assert.equal(reply!.subjectInfo.isReply, true);
    assert.equal(reply!.pull, undefined);
  });

  it('a request without a ref (HEAD), an scp-like URL; prose that only mentions a repository is no pull', () => {
    const head = findPullRequest('are available in the Git repository at:\n\n  git@git.example.org:priya/soc.git\n');
    assert.deepEqual(head, { url: 'git@git.example.org:priya/soc.git', refKind: 'none', line: 1 });
    assert.equal(findPullRequest('The fix is available in the git repository at:\n\n  my tree, see above\n'), undefined);
    assert.equal(findPullRequest('are available in the Git repository at:\n\n  the usual place\n'), undefined);
  });
});

describe('a pull request is not judged as a patch', () => {
  it('its diffstat makes no patch record', async () => {
    const { facts } = await import('../helpers/mail.js');
    const f = await facts([
      {
        id: '<pull@x>',
        from: 'Mia Maintainer <mia@example.org>',
        subject: '[GIT PULL] foo fixes for 6.8-rc3',
        body: `Hi Linus,

The following changes since commit 0123456789abcdef0123456789abcdef01234567:

  Linux 6.8-rc2 (2024-01-28 17:01:12 -0800)

are available in the Git repository at:

  git://git.kernel.org/pub/scm/linux/kernel/git/mia/foo.git tags/foo-fixes-6.8-rc3

for you to fetch changes up to 89abcdef0123456789abcdef0123456789abcdef:

  foo: fix the build without CONFIG_BAR (2024-02-01 10:00:00 +0100)

----------------------------------------------------------------
Pat Author (1):
      foo: fix the build without CONFIG_BAR

 drivers/foo/foo.c | 4 ++++
 1 file changed, 4 insertions(+)
`,
      },
    ]);
    assert.equal(f.patches.length, 0);
  });
});

describe('a pull request whose URL line the mailer wrapped', () => {
  it('takes the ref from the next line', () => {
    const body =
      'The following changes since commit 0123456789abcdef0123456789abcdef01234567:\n\n  Linux 6.8 (2024-03-10)\n\nare available in the Git repository at:\n\n  git://git.kernel.org/pub/scm/linux/kernel/git/mia/foo.git\n  tags/foo-6.9\n\nfor you to fetch changes up to 89abcdef0123456789abcdef0123456789abcdef:\n';
    const p = findPullRequest(body)!;
    assert.deepEqual([p.url, p.ref, p.refKind], ['git://git.kernel.org/pub/scm/linux/kernel/git/mia/foo.git', 'tags/foo-6.9', 'tag']);
  });
});
