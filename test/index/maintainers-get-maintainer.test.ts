// MAINTAINERS routing against the kernel's own scripts/get_maintainer.pl, on
// the whole 6.1 MAINTAINERS (Debian's linux-source-6.1): for a sample of real
// paths chosen by a fixed rule (every 1300th regular file of the tarball, the
// 650th first: ~60 files across arch, drivers, fs, net, sound, tools, docs),
// the sections the script prints (--sections --no-keywords) must be ours, its
// first (most specific) among our deepest, and its addresses (maintainers,
// reviewers, lists; -f FILE with its default --keywords on the file's text)
// those of our sections. Skips, saying why, without the tarball or perl.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { keywordSections, maintainerAddresses, markDirectories, matchMaintainers, parseMaintainers, type MaintainerSection } from '../../src/index/maintainers.js';
import { LINUX_SOURCE_61, sampleLinuxSource, type SampledTree } from '../helpers/linux-source.js';

const run = promisify(execFile);
const EVERY = 1300;
const OFFSET = 650;
// get_maintainer.pl drops the chief penguin from its answer unless --git-chief-penguins
const CHIEF = 'torvalds@linux-foundation.org';

const missing = !existsSync(LINUX_SOURCE_61) ? `${LINUX_SOURCE_61} is not there (apt-get install linux-source-6.1)` : !existsSync('/usr/bin/perl') ? 'no perl' : undefined;
if (missing) console.log(`# skipping the get_maintainer.pl comparison: ${missing}`);

interface Answer {
  path: string;
  titles: string[];
  addresses: string[];
}

async function getMaintainer(root: string, path: string): Promise<Answer> {
  const base = ['scripts/get_maintainer.pl', '--no-git', '--no-git-fallback'];
  const env = { ...process.env, PERL_HASH_SEED: '0' };
  const [sections, emails] = await Promise.all([
    run('perl', [...base, '--sections', '--no-keywords', '-f', path], { cwd: root, env }),
    run('perl', [...base, '--no-rolestats', '-f', path], { cwd: root, env }),
  ]);
  const titles = sections.stdout
    .split(/\n\n+/)
    .map((b) => b.split('\n')[0]!.trim())
    .filter(Boolean);
  const addresses = emails.stdout
    .split('\n')
    .map((l) => (/<([^<>]+)>$/.exec(l)?.[1] ?? l).trim().toLowerCase())
    .filter(Boolean);
  return { path, titles, addresses };
}

async function pool<T, R>(items: T[], width: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}

describe('MAINTAINERS routing agrees with get_maintainer.pl on linux 6.1', { skip: missing }, () => {
  let tree: SampledTree;
  let sections: MaintainerSection[];
  let theirs: Answer[];
  before(async () => {
    tree = await sampleLinuxSource(LINUX_SOURCE_61, EVERY, OFFSET);
    const text = readFileSync(join(tree.root, 'MAINTAINERS'), 'utf8');
    sections = markDirectories(parseMaintainers(text), (p) => tree.dirs.has(p));
    const t0 = Date.now();
    theirs = await pool(tree.sample, 2, (p) => getMaintainer(tree.root, p));
    console.log(`# ${tree.sample.length} paths of ${tree.files} files; tarball pass ${tree.seconds.toFixed(1)} s, get_maintainer.pl ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
  after(() => tree && rmSync(tree.root, { recursive: true, force: true }));

  it('the sample spans the tree', () => {
    assert.ok(tree.sample.length >= 55, `${tree.sample.length} paths`);
    const tops = new Set(tree.sample.map((p) => p.split('/')[0]));
    for (const top of ['arch', 'drivers', 'include', 'sound', 'tools', 'Documentation']) assert.ok(tops.has(top), top);
  });

  it("the same sections for each path, the script's most specific among ours", () => {
    const bad: string[] = [];
    for (const a of theirs) {
      const ours = matchMaintainers(sections, [a.path]);
      const mine = ours.map((m) => m.title);
      const best = Math.max(...ours.map((m) => Math.max(...m.matched.map((x) => x.depth))));
      const deepest = ours.filter((m) => m.matched.some((x) => x.depth === best)).map((m) => m.title);
      const same = mine.length === a.titles.length && a.titles.every((t) => mine.includes(t));
      if (!same || !deepest.includes(a.titles[0]!)) bad.push(`${a.path}\n  script: ${a.titles.join(' | ')}\n  ours:   ${mine.join(' | ')}`);
    }
    console.log(`# sections: ${theirs.length - bad.length}/${theirs.length} paths agree`);
    assert.deepEqual(bad, []);
  });

  it("the same addresses (maintainers, reviewers, lists; K: keywords on the file's text)", () => {
    const bad: string[] = [];
    let inFile = 0;
    let keyworded = 0;
    for (const a of theirs) {
      const text = readFileSync(join(tree.root, a.path), 'latin1');
      // the script's order: the path's sections by depth, then those whose K: matches the file's text
      const byPath = matchMaintainers(sections, [a.path]);
      const byKeyword = keywordSections(sections, text, 'file')
        .map((k) => sections[k.index]!)
        .filter((s) => !byPath.some((m) => m.line === s.line));
      if (byKeyword.length) keyworded++;
      const { persons, lists } = maintainerAddresses([...byPath, ...byKeyword]);
      const mine = new Set([...persons.map((p) => p.email), ...lists].map((x) => x.toLowerCase()));
      mine.delete(CHIEF);
      const script = new Set(a.addresses);
      const onlyOurs = [...mine].filter((x) => !script.has(x));
      // a DT binding (.yaml) names its own maintainers: the script adds the addresses in the file, MAINTAINERS does not
      const onlyTheirs = [...script].filter((x) => !mine.has(x) && !(a.path.endsWith('.yaml') && text.toLowerCase().includes(x) && ++inFile));
      if (onlyOurs.length || onlyTheirs.length) bad.push(`${a.path}: only ours ${onlyOurs.join(', ') || '-'}; only the script's ${onlyTheirs.join(', ') || '-'}`);
    }
    console.log(`# addresses: ${theirs.length - bad.length}/${theirs.length} paths agree (${keyworded} with a section by K: keyword; ${inFile} address(es) the script took from a .yaml file itself)`);
    assert.deepEqual(bad, []);
  });
});
