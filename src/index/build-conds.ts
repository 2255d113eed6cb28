// From every directory's Makefile items to the condition that builds each
// source file: the directory chain from the root (obj-$(CONFIG_X) += dir/),
// the object's own line (inside its make conditionals), and composite objects
// (foo-y/foo-objs parts of foo.o). A file no Makefile reaches gets no
// condition: "not built by any Kbuild rule we can read".

import { and, or, TRUE } from './cond.js';
import type { MakeItem } from './scan/make.js';

/** Paths in core-y, libs-y, drivers-y, head-y, ... are relative to the tree's root. */
const ROOT_RELATIVE = new Set(['core', 'drivers', 'libs', 'head', 'init', 'net', 'virt', 'platform']);
const RELATIVE_DIRS = new Set(['obj', 'lib', 'subdir']);
const OBJECT_LISTS = new Set(['obj', 'lib', 'head', 'core', 'drivers', 'libs', 'init', 'net']);

export interface DirMakefiles {
  dir: string; // '' for the root
  /** items of the Kbuild file if the directory has one, else of the Makefile */
  kbuild: MakeItem[];
  /** items of the Makefile when a Kbuild exists too (arch Makefiles: core-y, libs-y, ...) */
  makefile: MakeItem[];
  /** the file the items came from, for citations */
  kbuildPath: string;
  makefilePath?: string;
}

export interface BuildCond {
  cond: string;
  /** where it comes from: Makefile:line of the object's line */
  via: { makefile: string; line: number }[];
  moduleOnly: boolean;
}

function join(dir: string, rel: string): string {
  const parts = (dir ? dir.split('/') : []).concat(rel.split('/'));
  const out: string[] = [];
  for (const p of parts) {
    if (!p || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/**
 * Build conditions of source files. `sourceExists` says whether a path is in the
 * tree (x.c, x.S, x.rs for an object x.o). `archDirs` lists arch/<A> directories
 * for `arch/$(SRCARCH)/`.
 */
export function resolveBuildConditions(dirs: DirMakefiles[], sourceExists: (path: string) => boolean, archDirs: string[]): Map<string, BuildCond> {
  const byDir = new Map(dirs.map((d) => [d.dir, d]));
  const dirCond = new Map<string, { cond: string; via: { makefile: string; line: number }[] }>([['', { cond: TRUE, via: [] }]]);
  const queue: string[] = [''];
  const seen = new Set<string>(['']);
  const descend = (child: string, cond: string, via: { makefile: string; line: number }) => {
    const prev = dirCond.get(child);
    dirCond.set(child, { cond: prev ? or(prev.cond, cond) : cond, via: prev ? prev.via : [via] });
    if (!seen.has(child)) {
      seen.add(child);
      queue.push(child);
    }
  };
  // directories first: breadth-first from the root
  for (let qi = 0; qi < queue.length && qi < 100_000; qi++) {
    const dir = queue[qi]!;
    const d = byDir.get(dir);
    if (!d) continue;
    const here = dirCond.get(dir)!.cond;
    const visit = (items: MakeItem[], path: string) => {
      for (const it of items) {
        const isDir = it.target.endsWith('/') || it.stem === 'machine' || it.stem === 'plat';
        if (!isDir) continue;
        let targets: string[];
        if (it.stem === 'machine' || it.stem === 'plat') {
          targets = [join(dir, `${it.stem === 'machine' ? 'mach' : 'plat'}-${it.target.replace(/\/$/, '')}`)];
        } else if (ROOT_RELATIVE.has(it.stem)) targets = [join('', it.target)];
        else if (RELATIVE_DIRS.has(it.stem)) targets = [join(dir, it.target)];
        else continue;
        targets = targets.flatMap((t) => (t.includes('*') ? archDirs.filter((a) => new RegExp(`^${t.replace(/\*/g, '[^/]+')}$`).test(a)) : [t]));
        for (const t of targets) descend(t, and(here, it.cond), { makefile: path, line: it.line });
      }
    };
    visit(d.kbuild, d.kbuildPath);
    if (d.makefilePath)
      visit(
        d.makefile.filter((it) => ROOT_RELATIVE.has(it.stem) || it.stem === 'machine' || it.stem === 'plat'),
        d.makefilePath,
      );
  }

  const out = new Map<string, BuildCond>();
  const addSource = (obj: string, cond: string, via: { makefile: string; line: number }[], moduleOnly: boolean) => {
    const stem = obj.replace(/\.o$/, '');
    for (const ext of ['.c', '.S', '.rs']) {
      const src = stem + ext;
      if (!sourceExists(src)) continue;
      const prev = out.get(src);
      out.set(src, prev ? { cond: or(prev.cond, cond), via: prev.via.concat(via).slice(0, 4), moduleOnly: prev.moduleOnly && moduleOnly } : { cond, via, moduleOnly });
    }
  };
  for (const [dir, dc] of dirCond) {
    const d = byDir.get(dir);
    if (!d) continue;
    const items = d.kbuild.concat(d.makefilePath ? d.makefile.filter((it) => ROOT_RELATIVE.has(it.stem) && it.target.endsWith('.o')) : []);
    // composite parts by their stem: foo-y / foo-objs / foo-$(CONFIG_X)
    const parts = new Map<string, MakeItem[]>();
    for (const it of items) {
      if (OBJECT_LISTS.has(it.stem) || !it.target.endsWith('.o')) continue;
      parts.set(it.stem, [...(parts.get(it.stem) ?? []), it]);
    }
    const expand = (objRel: string, cond: string, via: { makefile: string; line: number }[], moduleOnly: boolean, depth: number) => {
      const stem = objRel.replace(/\.o$/, '');
      const own = parts.get(stem.split('/').pop()!);
      if (own && depth < 4 && !objRel.includes('/')) {
        for (const p of own) expand(p.target, and(cond, p.cond), via.concat({ makefile: d.kbuildPath, line: p.line }), moduleOnly, depth + 1);
        return;
      }
      addSource(join(dir, objRel), cond, via, moduleOnly);
    };
    for (const it of items) {
      if (!OBJECT_LISTS.has(it.stem) || !it.target.endsWith('.o')) continue;
      const rel = it.target;
      const base = ROOT_RELATIVE.has(it.stem) ? '' : dir;
      const cond = and(ROOT_RELATIVE.has(it.stem) ? TRUE : dc.cond, it.cond);
      const via = [{ makefile: ROOT_RELATIVE.has(it.stem) && d.makefilePath ? d.makefilePath : d.kbuildPath, line: it.line }, ...dc.via];
      if (base === dir) expand(rel, cond, via, it.module, 0);
      else addSource(join(base, rel), cond, via, it.module);
    }
  }
  return out;
}
