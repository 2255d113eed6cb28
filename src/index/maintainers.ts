// The kernel's MAINTAINERS file: who looks after which files. Parsed into
// sections (a title line, then one-letter tags: M maintainer, R reviewer,
// L list, S status, F/X file patterns and exclusions, N path regexes, K
// content keywords), and matched against paths the way
// scripts/get_maintainer.pl does (its read_maintainer_file, file_match_pattern
// and the ordering in get_maintainers), so that the most specific section
// comes first. Pure: text in, sections out; sections and paths in, matches out.

export interface MaintainerPerson {
  name: string;
  email: string;
  role: 'maintainer' | 'reviewer';
}

export interface SectionPattern {
  /** F: a file pattern, X: an exclusion, N: a regex on the path */
  type: 'F' | 'X' | 'N';
  value: string;
  /** F/X: names a directory (a trailing `/`, or a directory of the tree) */
  dir?: boolean;
}

export interface MaintainerSection {
  title: string;
  /** the title's line in MAINTAINERS */
  line: number;
  status: string | null;
  persons: MaintainerPerson[];
  lists: string[];
  /** the lists marked "subscribers-only": get_maintainer.pl leaves them out unless asked (--s) */
  subscribersOnly?: string[];
  /** in the file's order: get_maintainer.pl lets the last match of a section decide its depth */
  patterns: SectionPattern[];
  keywords: string[];
}

export interface MaintainerMatch {
  title: string;
  line: number;
  status: string | null;
  persons: MaintainerPerson[];
  lists: string[];
  subscribersOnly?: string[];
  /** the paths the section matched: by which pattern, and how deep (get_maintainer.pl's value_pd) */
  matched: { path: string; pattern: string; depth: number }[];
  /** the K: keyword that matched the patch's text (matchMaintainersForPatch) */
  keywords?: string[];
}

const TAG = /^([A-Z]):\s*((?:\S.*)?)$/;

/** "Name <addr>" (or a bare address) to a person. */
export function parsePerson(value: string, role: MaintainerPerson['role']): MaintainerPerson | undefined {
  // the first "<address>", looked for from where each word starts, and the name before it
  // (`^(.*?)\s*<` retried the address from every '<' and split the blanks every way)
  const m = /(?<![^\s>])[^\s<>]*<([^\s>][^\s>@]*@[^\s>]+)>/.exec(value);
  const name = m ? value.slice(0, m.index + m[0].indexOf('<')).trimEnd() : '';
  if (m && !/[\n\r\u2028\u2029]/.test(name)) return { name: name.replace(/^"|"$/g, '').trim(), email: m[1]!, role };
  const bare = /^([^\s<>][^\s<>@]*@[^\s<>]+)$/.exec(value.trim());
  return bare ? { name: '', email: bare[1]!, role } : undefined;
}

/**
 * Sections of a MAINTAINERS text. The list proper starts after its
 * "Maintainers List" heading when there is one (the preamble explains the
 * tags with indented examples); a section is a title line and the tag lines
 * that follow it, up to a blank line.
 */
export function parseMaintainers(text: string): MaintainerSection[] {
  const lines = text.split('\n');
  let k = lines.findIndex((l) => /^Maintainers List\s*$/.test(l));
  k = k < 0 ? 0 : k + 1;
  const out: MaintainerSection[] = [];
  let cur: MaintainerSection | undefined;
  let title: { text: string; line: number } | undefined;
  for (; k < lines.length; k++) {
    const line = lines[k]!.replace(/\r$/, '');
    const tag = TAG.exec(line);
    if (!tag) {
      cur = undefined;
      // the last untagged line before the tags is the title (get_maintainer.pl's find_starting_index)
      title = line.trim() && !line.startsWith('\t') && !/^[-=.]/.test(line) ? { text: line.trim(), line: k + 1 } : undefined;
      continue;
    }
    if (!cur) {
      if (!title) continue;
      cur = { title: title.text, line: title.line, status: null, persons: [], lists: [], patterns: [], keywords: [] };
      out.push(cur);
    }
    const [, type, raw] = tag as unknown as [string, string, string];
    const value = raw.trim();
    switch (type) {
      case 'M':
      case 'R': {
        const p = parsePerson(value, type === 'M' ? 'maintainer' : 'reviewer');
        if (p) cur.persons.push(p);
        break;
      }
      case 'L':
        if (value) {
          const address = value.split(/\s+/)[0]!;
          cur.lists.push(address);
          if (/subscribers-only/.test(value)) (cur.subscribersOnly ??= []).push(address);
        }
        break;
      case 'S':
        cur.status = value;
        break;
      case 'F':
      case 'X':
        if (value) cur.patterns.push({ type, value, dir: value.endsWith('/') });
        break;
      case 'N':
        if (value) cur.patterns.push({ type, value });
        break;
      case 'K':
        if (value) cur.keywords.push(value);
        break;
    }
  }
  return out;
}

/** An F/X pattern without a trailing `/` that names a directory of the tree gets one (get_maintainer.pl: `-d $value`). */
export function markDirectories(sections: MaintainerSection[], isDir: (path: string) => boolean): MaintainerSection[] {
  return sections.map((s) => ({
    ...s,
    // the script tests the pattern after turning `.` into `\.`: only a name without `.`, `*` or `?` can be a directory there
    patterns: s.patterns.map((p) => (p.type !== 'N' && !p.dir && !/[.*?]/.test(p.value) && isDir(p.value) ? { ...p, dir: true } : p)),
  }));
}

// a section list is matched against many paths over a process's life: a pattern's derived texts are made once
const regexText = new WeakMap<SectionPattern, string>();
const prefixText = new WeakMap<SectionPattern, string>();

/** F:/X: glob to get_maintainer.pl's regex text: `.` literal, `*` any run, `?` one character. */
function patternRegex(p: SectionPattern): string {
  let re = regexText.get(p);
  if (re === undefined) {
    const v = p.value.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = p.dir && !v.endsWith('/') ? `${v}/` : v;
    regexText.set(p, re);
  }
  return re;
}

const slashes = (s: string) => s.split('/').length - 1;
const compiled = new Map<string, RegExp | null>();

function regex(source: string, prefix: boolean): RegExp | null {
  const key = `${prefix ? '^' : ''}${source}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, new RegExp(key));
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

/** file_match_pattern: a directory pattern matches below it; any other only at its own depth. */
function fileMatches(path: string, re: string): boolean {
  const r = regex(re, true);
  if (!r || !r.test(path)) return false;
  return re.endsWith('/') || slashes(path) === slashes(re);
}

/** N: a Perl regex with /x (whitespace not significant), matched anywhere in the path. */
function nameMatches(path: string, value: string): boolean {
  const r = regex(
    value.replace(/\\\s|\s+/g, (m) => (m.startsWith('\\') ? m : '')),
    false,
  );
  return !!r && r.test(path);
}

/** The depth one path gets from one section (undefined: no match), as get_maintainer.pl computes it. */
function sectionDepth(s: MaintainerSection, path: string): { depth: number; pattern: string } | undefined {
  if (s.patterns.some((p) => p.type === 'X' && fileMatches(path, patternRegex(p)))) return undefined;
  let hit: { depth: number; pattern: string } | undefined;
  for (const p of s.patterns) {
    if (p.type === 'F') {
      const re = patternRegex(p);
      if (!fileMatches(path, re)) continue;
      // more slashes in the pattern: more specific; a pattern for everything (`*`, `*/`) ranks last
      let depth = slashes(re) + (re.endsWith('/') ? 0 : 1);
      if (re.startsWith('.*')) depth = -1;
      hit = { depth, pattern: p.value };
    } else if (p.type === 'N' && nameMatches(path, p.value)) {
      hit = { depth: 0, pattern: `N: ${p.value}` };
    }
  }
  return hit;
}

/**
 * The sections that cover these paths, most specific first: by the deepest
 * match over the paths, then in the file's order (get_maintainer.pl sorts by
 * depth; its ties fall in hash order, here in the file's).
 */
export function matchMaintainers(sections: MaintainerSection[], paths: string[]): MaintainerMatch[] {
  const found = new Map<number, { best: number; matched: MaintainerMatch['matched'] }>();
  sections.forEach((s, i) => {
    for (const path of paths) {
      const h = sectionDepth(s, path.replace(/^\.?\//, ''));
      if (!h) continue;
      const f = found.get(i) ?? { best: -Infinity, matched: [] };
      f.best = Math.max(f.best, h.depth);
      f.matched.push({ path, pattern: h.pattern, depth: h.depth });
      found.set(i, f);
    }
  });
  return [...found.entries()]
    .sort((a, b) => b[1].best - a[1].best || a[0] - b[0])
    .map(([i, f]) => {
      const s = sections[i]!;
      return { title: s.title, line: s.line, status: s.status, persons: s.persons, lists: s.lists, ...(s.subscribersOnly ? { subscribersOnly: s.subscribersOnly } : {}), matched: f.matched };
    });
}

/** The text an F: pattern's regex must start with: up to its first wildcard or regex character. */
function literalPrefix(p: SectionPattern): string {
  let prefix = prefixText.get(p);
  if (prefix === undefined) {
    const m = /[*?[\](){}+|^$\\]/.exec(p.value);
    prefix = m ? p.value.slice(0, m.index) : p.value;
    prefixText.set(p, prefix);
  }
  return prefix;
}

/**
 * The sections that can match any of these paths, in the file's order: an
 * anchored F: pattern matches only paths that start with its literal prefix,
 * while N: regexes match anywhere. matchMaintainers over them gives what it
 * gives over all sections, without compiling the regexes of the thousands
 * that cannot match (the kernel's MAINTAINERS has ~20,000 F: lines).
 */
export function sectionsThatMayMatch(sections: MaintainerSection[], paths: string[]): MaintainerSection[] {
  const clean = paths.map((p) => p.replace(/^\.?\//, ''));
  return sections.filter((s) => s.patterns.some((p) => p.type === 'N' || (p.type === 'F' && clean.some((path) => path.startsWith(literalPrefix(p))))));
}

// ---- K: keywords (get_maintainer.pl --keywords, its default) ----

/**
 * A K: value as a JS RegExp. The script matches it with Perl's /x (blanks not
 * significant); Node 20 has no inline modifiers, so a leading `(?i)` becomes
 * the i flag and a `(?i:…)` group spells each letter both ways (MAINTAINERS
 * 6.1 has `\b(?i:clang|llvm)\b`, `(?i)pidfd`). Null when it does not compile.
 */
export function keywordRegex(value: string): RegExp | null {
  let src = value.replace(/\\\s|\s+/g, (m) => (m.startsWith('\\') ? m : ''));
  let flags = '';
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    flags = 'i';
  }
  for (let at = src.indexOf('(?i:'); at >= 0; at = src.indexOf('(?i:', at)) {
    const end = closingParen(src, at);
    const body = src.slice(at + 4, end);
    // a class or an escape inside: letters cannot be doubled safely, so the whole regex ignores case
    if (end < 0 || /[[\\]/.test(body)) {
      src = src.slice(0, at) + '(?:' + src.slice(at + 4);
      flags = 'i';
      continue;
    }
    src = `${src.slice(0, at)}(?:${body.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)}${src.slice(end)}`;
  }
  try {
    return new RegExp(src, flags);
  } catch {
    return null;
  }
}

/** The index of the `)` closing the group opened at `open` (-1 if none). */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Lines of a patch that K: keywords are matched against, as get_maintainer.pl
 * reads a patch: every line before the first `---`/`+++ file` header (mail
 * headers, the commit message, the diffstat), then only added and removed
 * lines; file headers and hunk headers never.
 */
export function keywordLines(patch: string): string[] {
  const out: string[] = [];
  let inDiff = false;
  for (const line of patch.split('\n')) {
    if (/^(?:\+\+\+|---)\s+\S/.test(line)) {
      inDiff = true;
      continue;
    }
    if (/^diff --git |^@@ -\d+,\d+|^ mode change |^rename (?:from|to) /.test(line)) continue;
    if (!inDiff || /^[+-]/.test(line)) out.push(line);
  }
  return out;
}

/** The sections whose K: keywords match a patch's text (`mode: 'patch'`) or a whole file's (`-f FILE`), in the file's order. */
export function keywordSections(sections: MaintainerSection[], text: string, mode: 'patch' | 'file'): { index: number; keyword: string }[] {
  const lines = mode === 'patch' ? keywordLines(text) : [text];
  const out: { index: number; keyword: string }[] = [];
  sections.forEach((s, index) => {
    for (const k of s.keywords) {
      const re = keywordRegex(k);
      if (re && lines.some((l) => re.test(l))) {
        out.push({ index, keyword: k });
        break;
      }
    }
  });
  return out;
}

/**
 * What get_maintainer.pl answers for a patch: the sections its files match,
 * most specific first, then the sections whose K: keywords its text matches
 * (the script adds those after the files' sections); a section found both ways
 * is listed once, where its files put it.
 */
export function matchMaintainersForPatch(sections: MaintainerSection[], files: string[], patch: string): MaintainerMatch[] {
  const byPath = matchMaintainers(sections, files);
  const seen = new Set(byPath.map((m) => m.line));
  const byKeyword = keywordSections(sections, patch, 'patch');
  for (const m of byPath) {
    const k = byKeyword.find((x) => sections[x.index]!.line === m.line);
    if (k) m.keywords = [k.keyword];
  }
  for (const { index, keyword } of byKeyword) {
    const s = sections[index]!;
    if (seen.has(s.line)) continue;
    byPath.push({
      title: s.title,
      line: s.line,
      status: s.status,
      persons: s.persons,
      lists: s.lists,
      ...(s.subscribersOnly ? { subscribersOnly: s.subscribersOnly } : {}),
      matched: [],
      keywords: [keyword],
    });
  }
  return byPath;
}

/**
 * Whom to write to for these matches, as get_maintainer.pl lists them: the
 * persons (M: and R:) in the matches' order, each person once (a second
 * address under a name already seen, or an address already seen, is dropped:
 * its email_inuse/deduplicate_email), then the lists, each once, without the
 * subscribers-only ones. The chief penguin the script drops is kept: that is
 * the caller's choice.
 */
export function maintainerAddresses(matches: Pick<MaintainerMatch, 'persons' | 'lists' | 'subscribersOnly'>[]): { persons: MaintainerPerson[]; lists: string[] } {
  const names = new Set<string>();
  const addresses = new Set<string>();
  const persons: MaintainerPerson[] = [];
  const lists: string[] = [];
  for (const m of matches) {
    for (const p of m.persons) {
      const name = p.name.toLowerCase();
      const address = p.email.toLowerCase();
      if ((name && names.has(name)) || addresses.has(address)) continue;
      if (name) names.add(name);
      addresses.add(address);
      persons.push(p);
    }
  }
  const seen = new Set<string>();
  for (const m of matches) {
    const closed = new Set((m.subscribersOnly ?? []).map((l) => l.toLowerCase()));
    for (const l of m.lists) {
      const key = l.toLowerCase();
      if (closed.has(key) || seen.has(key)) continue;
      seen.add(key);
      lists.push(l);
    }
  }
  return { persons, lists };
}
