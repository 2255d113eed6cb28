// `Fixes: <sha> ("subject")` resolved in a git tree the test builds (git init,
// a few commits): the blamed commit's subject and files named; a title that is
// not the commit's subject is a finding (checkpatch's and b4's check); a patch
// touching none of the blamed files is noted; a sha the tree lacks is noted.
// Without a tree the tag is shown as given (no "Fixes: checked" section).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixesTagsOf, isGitTreeWithHistory, resolveFixes, sameTitle } from '../../src/index/fixes-resolve.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';

const FIX = readFileSync(join(REPO, 'test', 'fixtures', 'linked', 'robot-fix.mbox'), 'utf8');
const GIVEN_SHA = '7e3f9a21c0b4';
const dir = mkdtempSync(join(tmpdir(), 'ktriage-fixes-'));
const tree = join(dir, 'linux');
const shas: Record<string, string> = {};
const ENV = { KTRIAGE_OFFLINE: '1', KTRIAGE_GIT_TREE: '' };

function git(...args: string[]): string {
  return execFileSync('git', ['-C', tree, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.org',
    },
  }).trim();
}

function commit(subject: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
    git('add', path);
  }
  git('commit', '-q', '-m', subject);
  return git('rev-parse', 'HEAD');
}

/** The fix mail with its Fixes: line rewritten (sha and title). */
function fixWith(sha: string, title: string, name: string): string {
  const path = join(dir, `${name}.mbox`);
  writeFileSync(path, FIX.replaceAll(`Fixes: ${GIVEN_SHA} ("drm/tilia: add fence support")`, `Fixes: ${sha} ("${title}")`));
  return path;
}

before(() => {
  ensureDist();
  mkdirSync(tree);
  git('init', '-q');
  shas.driver = commit('drm/tilia: add driver', { 'drivers/gpu/drm/tilia/tilia_drv.c': '// driver\n', 'drivers/gpu/drm/tilia/tilia_drv.h': '// header\n' });
  shas.fence = commit('drm/tilia: add fence support', { 'drivers/gpu/drm/tilia/tilia_fence.c': '#include "tilia_drv.h"\n' });
  shas.alder = commit('misc: alder: add driver', { 'drivers/misc/alder/alder.c': '// alder\n' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cite = { messageId: '<m@example.org>', line: 9 };

describe('Fixes: resolved in a git tree', () => {
  it('a work tree with history is one; a plain directory or a one-commit tree is not', async () => {
    assert.equal(await isGitTreeWithHistory(tree), true);
    assert.equal(await isGitTreeWithHistory(tree, { topLevel: true }), true);
    assert.equal(await isGitTreeWithHistory(join(tree, 'drivers'), { topLevel: true }), false, 'a directory inside a repository is not its top');
    assert.equal(await isGitTreeWithHistory(dir), false);
    const one = join(dir, 'one');
    mkdirSync(one);
    execFileSync('git', ['-C', one, 'init', '-q']);
    writeFileSync(join(one, 'f'), 'x');
    execFileSync('git', ['-C', one, 'add', 'f']);
    execFileSync('git', ['-C', one, '-c', 'user.name=T', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'only']);
    assert.equal(await isGitTreeWithHistory(one), false);
  });

  it('the blamed commit named with its subject and files; a matching title and an overlapping patch: no finding', async () => {
    const r = await resolveFixes(tree, [{ sha: shas.fence!.slice(0, 12), title: 'drm/tilia: add fence support', cite, files: ['drivers/gpu/drm/tilia/tilia_fence.c'] }]);
    const c = r.checks[0]!;
    assert.equal(c.status, 'resolved');
    assert.deepEqual(c.commit, { sha: shas.fence, subject: 'drm/tilia: add fence support', files: ['drivers/gpu/drm/tilia/tilia_fence.c'] });
    assert.equal(c.titleMismatch, undefined);
    assert.equal(c.touchesNone, undefined);
  });

  it('a title that is not the commit subject is a finding; a patch touching none of its files is noted', async () => {
    const r = await resolveFixes(tree, [{ sha: shas.fence!.slice(0, 12), title: 'drm/tilia: add fences', cite, files: ['drivers/misc/alder/alder.c'] }]);
    assert.equal(r.checks[0]!.titleMismatch, true);
    assert.equal(r.checks[0]!.touchesNone, true);
  });

  it('a sha the tree does not hold, and text that is no sha, are noted, never run', async () => {
    const r = await resolveFixes(tree, [
      { sha: 'deadbeefdead', title: 'x', cite, files: [] },
      { sha: '--output=/tmp/x', cite, files: [] },
    ]);
    assert.deepEqual(
      r.checks.map((c) => [c.status, c.why]),
      [
        ['unresolved', 'no such commit in this tree'],
        ['unresolved', 'not a commit id'],
      ],
    );
  });

  it('titles compare with whitespace and case folded; a title shortened with "..." matches its start, another does not', () => {
    assert.equal(sameTitle('drm/tilia:  add Fence support', 'drm/tilia: add fence support'), true);
    assert.equal(sameTitle('drm/tilia: add fence ...', 'drm/tilia: add fence support'), true);
    assert.equal(sameTitle('drm/tilia: add fence', 'drm/tilia: add fence support'), false);
    assert.equal(sameTitle('drm/kestrel: add fence ...', 'drm/tilia: add fence support'), false);
  });

  it('fixesTagsOf pairs each Fixes: with the files of the posting carrying it; one quoted in a reply is not a tag', () => {
    const tags = fixesTagsOf({
      refs: [
        { sha: 'abc12345', title: 't', kind: 'fixes', cite },
        { sha: 'def12345', kind: 'mention', cite },
        { sha: 'fed12345', kind: 'fixes', cite: { messageId: '<a-reply-quoting-it@example.org>', line: 3 } },
      ],
      patches: [{ messageId: cite.messageId, files: ['a.c'] }],
    });
    assert.deepEqual(tags, [{ sha: 'abc12345', title: 't', cite, files: ['a.c'] }]);
  });

  it('thread --git-tree: text, Markdown and JSON name the blamed commit and the findings', () => {
    const good = fixWith(shas.fence!.slice(0, 12), 'drm/tilia: add fence support', 'good');
    const text = runCli(['thread', good, '--git-tree', tree, '--no-index'], { env: ENV });
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(
        `Fixes: checked in ${tree}:\\n- Fixes: ${shas.fence!.slice(0, 12)} \\("drm/tilia: add fence support"\\): ${shas.fence!.slice(0, 12)} "drm/tilia: add fence support" \\(drivers/gpu/drm/tilia/tilia_fence\\.c\\)`,
      ),
    );
    assert.doesNotMatch(text.stdout, /finding:/);

    const wrong = fixWith(shas.alder!.slice(0, 12), 'drm/tilia: add fence support', 'wrong');
    const json = runCli(['thread', wrong, '--no-index', '--format', 'json'], { env: { ...ENV, KTRIAGE_GIT_TREE: tree } });
    assert.equal(json.code, 0, json.stderr);
    const checked = JSON.parse(json.stdout).fixesChecked;
    assert.equal(checked.tree, tree);
    assert.deepEqual(
      checked.checks.map((c: { status: string; titleMismatch: boolean; touchesNone: boolean; commit: { subject: string } }) => [c.status, c.commit.subject, c.titleMismatch, c.touchesNone]),
      [['resolved', 'misc: alder: add driver', true, true]],
    );
    const md = runCli(['thread', wrong, '--git-tree', tree, '--no-index', '--format', 'markdown'], { env: ENV });
    assert.match(md.stdout, /- finding: the tag's title is not the commit's subject "misc: alder: add driver"/);
    assert.match(md.stdout, /- note: the patch touches none of the blamed commit's files/);
  });

  it('thread: a Fixes: sha that does not resolve is noted; without a tree the tag is only shown as given', () => {
    const given = join(dir, 'given.mbox');
    writeFileSync(given, FIX);
    const r = runCli(['thread', given, '--git-tree', tree, '--no-index'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /- Fixes: 7e3f9a21c0b4 \("drm\/tilia: add fence support"\): does not resolve: no such commit in this tree/);
    const plain = runCli(['thread', given, '--no-index'], { env: ENV });
    assert.doesNotMatch(plain.stdout, /Fixes: checked/);
    assert.match(plain.stdout, /7e3f9a21c0b4 \("drm\/tilia: add fence support"\) \[fixes\]/);
    const bad = runCli(['thread', given, '--git-tree', dir, '--no-index'], { env: ENV });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--git-tree: .* is not a git work tree with history/);
  });
});
