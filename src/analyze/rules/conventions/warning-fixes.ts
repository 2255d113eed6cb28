// How the kernel fixes its common compiler and checker warnings, one named
// convention per warning (the W=1 and robot classics). Each reads the warning
// the patch answers and the lines the patch changes, and says whether the
// change is the documented fix or the knob that only hides the warning.
//
//   missing-prototype : "no previous prototype for f" / sparse "should it be
//                       static?": make f static, or declare it in a header its
//                       callers include; a prototype in the .c file itself
//                       only feeds the warning what it asks for
//   format-specifier  : -Wformat: the conversion matches the argument's type
//                       (%zu for size_t, %pa for phys_addr_t, …)
//   fallthrough       : -Wimplicit-fallthrough: `fallthrough;` where it is
//                       meant (Documentation/process/deprecated.rst), or the
//                       missing `break`
//   frame-size        : -Wframe-larger-than: the big local moves to the heap;
//                       raising the limit only moves the line
//   unused-removed    : an unused variable or function deleted
//   string-copy       : -Wstringop-*: strscpy() (deprecated.rst: strncpy,
//                       strlcpy are deprecated)
//   section-mismatch  : modpost section mismatch: the annotations made to agree
//   objtool-noreturn  : objtool "falls through"/"unreachable": the callee made known as
//                       noreturn (noreturns.h, __noreturn)

import type { BuildFailure, DiffLine, FileDiff, Patch } from '../../../core/types.js';
import { isCSource, isMakefile, isKconfig, replacements } from '../../effects/diff-view.js';
import type { Finding, Lean, Rule } from '../types.js';
import { mailCite } from '../types.js';
import { failureNames } from './locality.js';
import { isConcreteFailure } from '../../concrete.js';
import { wordAt, wordIn, wordSource } from '../../../extract/literal.js';

export interface WarningConvention {
  name: string;
  /** the warnings it is about */
  about: (f: BuildFailure) => boolean;
  judge: (patch: Patch, failures: BuildFailure[]) => { lean: Lean; weight: number; reason: string; line: DiffLine } | undefined;
}

const text = (f: BuildFailure) => `${f.flag ?? ''} ${f.message}`;
const namesOf = (failures: BuildFailure[]) => [...new Set(failures.flatMap((f) => [f.symbol, ...failureNames(f)]).filter((s): s is string => !!s && s.length > 2))];
const cFiles = (p: Patch) => p.files.filter((f) => isCSource(f.newPath));
const word = (name: string) => ({ test: (t: string) => wordIn(t, name) });
/** Words of prose that can only be code: snake_case identifiers ("the nvram_lock mutex"), not CONFIG_ options. */
const codeWords = (t: string) =>
  [
    ...new Set(
      t
        .split(/\s+/)
        .filter((w) => !w.includes('/'))
        .join(' ')
        .match(/\b[A-Za-z][a-z0-9]*_[A-Za-z0-9_]*[a-z0-9]\b/g) ?? [],
    ),
  ].filter((w) => !/^CONFIG_/.test(w));

/** A definition line of `name` (function or object), as opposed to a call or a use. */
function definesName(line: string, name: string): boolean {
  // the kernel's defining macros: DEFINE_MUTEX(name), DEFINE_SPINLOCK(name), DEFINE_PER_CPU(type, name)
  if (new RegExp(`^\\s*(?:static\\s+)?(?:DEFINE_[A-Z0-9_]+\\(|DEFINE_PER_CPU\\w*\\([^,()]*,\\s*)${wordSource(name)}\\s*[,)]`).test(line)) return true;
  return new RegExp(`^[A-Za-z_][\\w\\s*]*?${wordSource(name)}\\s*(?:\\(|\\[|=|;)`).test(line.trim()) && !/^\s*(?:return|if|while|for)\b/.test(line);
}

/**
 * A prototype of `name` on the line: `name(...)` with no '{' after it and the line
 * ending in ';', or `extern ... name ...;`. Was one RegExp whose `[^;{]*\)?[^{]*`
 * tried every split of the rest of the line at every occurrence (cubic).
 */
function declaresPrototype(line: string, name: string): boolean {
  if (/;\s*$/.test(line)) {
    // a call of name after the last '{' (none before it counts: the brace follows them)
    const brace = line.lastIndexOf('{');
    for (let at = wordAt(line, name, brace + 1); at >= 0; at = wordAt(line, name, at + 1)) {
      let k = at + name.length;
      while (k < line.length && /\s/.test(line[k]!)) k++;
      if (line[k] === '(') return true;
    }
  }
  // extern, then name before the statement's ';'
  const statements = line.split(';');
  for (let i = 0; i < statements.length - 1; i++) {
    const ext = wordAt(statements[i]!, 'extern');
    if (ext >= 0 && wordAt(statements[i]!, name, ext + 6) >= 0) return true;
  }
  return false;
}

function editsWhere(p: Patch, pick: (r: { removed: DiffLine[]; added: DiffLine[]; file: FileDiff }) => DiffLine | undefined): DiffLine | undefined {
  for (const f of p.files)
    for (const r of replacements(f)) {
      const hit = pick(r);
      if (hit) return hit;
    }
  return undefined;
}

export const WARNING_CONVENTIONS: WarningConvention[] = [
  {
    name: 'missing-prototype',
    about: (f) => /-Wmissing-(?:prototypes|declarations)|no previous (?:prototype|declaration) for|was not declared\. Should it be static/.test(text(f)),
    judge(p, failures) {
      for (const name of namesOf(failures.filter(this.about))) {
        const madeStatic = editsWhere(p, (r) =>
          isCSource(r.file.newPath) && r.removed.some((d) => definesName(d.text, name) && !/\bstatic\b/.test(d.text))
            ? r.added.find((a) => /^\s*static\b/.test(a.text) && definesName(a.text, name))
            : undefined,
        );
        if (madeStatic) return { lean: 'fixes', weight: 2, reason: `${name} is made static: nothing outside its file uses it`, line: madeStatic };
        const proto = { test: (t: string) => declaresPrototype(t, name) };
        for (const f of p.files)
          for (const r of replacements(f)) {
            const decl = r.added.find((a) => proto.test(a.text) || (word(name).test(a.text) && /;\s*$/.test(a.text) && !/=/.test(a.text) && /\(/.test(a.text)));
            if (!decl) continue;
            if (f.newPath.endsWith('.h')) return { lean: 'fixes', weight: 2, reason: `${name} is declared in ${f.newPath}, the header its callers include`, line: decl };
            if (isCSource(f.newPath))
              return {
                lean: 'hides',
                weight: 1.5,
                reason: `${name} gets a prototype in the .c file itself: the warning is fed what it asks for, and callers elsewhere still see no declaration`,
                line: decl,
              };
          }
      }
      return undefined;
    },
  },
  {
    name: 'format-specifier',
    about: (f) => /-Wformat(?!-truncation|-overflow|-security)|format ['‘`"]?%/.test(text(f)),
    judge(p) {
      // (a `%p[a-zA-Z]+` alternative never matched: `%p` is taken by the first one)
      const spec = /%[-#0 +]*(?:[1-9]\d*)?(?:\.\d+)?(?:hh|h|ll|l|z|t|j|L)?[diouxXcsp]/g;
      const hit = editsWhere(p, (r) => {
        for (const a of r.added) {
          const d = r.removed.find((x) => x.text.replace(spec, '%') === a.text.replace(spec, '%') && x.text !== a.text);
          if (d) return a;
        }
        return undefined;
      });
      return hit ? { lean: 'fixes', weight: 1.5, reason: "the format conversion is changed to match the argument's type", line: hit } : undefined;
    },
  },
  {
    name: 'fallthrough',
    about: (f) => /-Wimplicit-fallthrough|may fall through|unannotated fall-through/.test(text(f)),
    judge(p) {
      const hit = cFiles(p)
        .flatMap((f) => f.hunks.flatMap((h) => h.lines))
        .find((l) => l.kind === 'add' && /^\s*(?:(?:fallthrough|break|goto \w+)\s*|return\b[^;]*);\s*$/.test(l.text));
      if (!hit) return undefined;
      const marked = /fallthrough/.test(hit.text);
      return {
        lean: 'fixes',
        weight: 1.5,
        reason: marked ? 'the intended fall-through is marked with the fallthrough pseudo-keyword (deprecated.rst)' : 'the case gets the exit it was missing',
        line: hit,
      };
    },
  },
  {
    name: 'frame-size',
    about: (f) => /-Wframe-larger-than|frame size of \d+ bytes is larger than/.test(text(f)),
    judge(p) {
      for (const f of p.files) {
        const added = f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add'));
        const knob = added.find((l) => (isMakefile(f.newPath) && /-Wframe-larger-than|frame-larger-than/.test(l.text)) || (isKconfig(f.newPath) && /\bdefault\s+\d{4,}/.test(l.text)));
        if (knob) return { lean: 'hides', weight: 2, reason: 'the frame-size limit is raised for the code instead of the code using less stack', line: knob };
      }
      for (const f of cFiles(p)) {
        const lines = f.hunks.flatMap((h) => h.lines);
        const heap = lines.find((l) => l.kind === 'add' && /\b(?:kv?[mz]alloc|kcalloc|kmalloc_array|kmemdup|devm_kzalloc|kmem_cache_alloc|vmalloc|vzalloc)\s*\(/.test(l.text));
        // a local array (or struct) deleted; the words before its name read once (`[\w ]+\s+\w+` split them every way)
        const localGone = lines.some((l) => l.kind === 'del' && /^(?:\s*struct\s+\w+\s+|\s*\w+(?: +\w+)*\s+|[^\S ]* \s+)\w+\s*\[[^\]]+\]\s*;|^\s*struct\s+\w+\s+\w+\s*;/.test(l.text));
        if (heap && localGone) return { lean: 'fixes', weight: 1.5, reason: 'the large local moves from the stack to the heap', line: heap };
        const noinline = lines.find((l) => l.kind === 'add' && /\bnoinline_for_stack\b/.test(l.text));
        if (noinline) return { lean: 'fixes', weight: 1, reason: 'the stack-hungry helper is kept out of line (noinline_for_stack), so the frames no longer add up', line: noinline };
      }
      return undefined;
    },
  },
  {
    name: 'unused-removed',
    // a changelog says it in words too: "foo_lock is unused and triggers a compiler warning"
    about: (f) =>
      /-Wunused-(?:variable|function|const-variable|but-set-variable)|defined but not used|set but not used|\bunused (?:variable|function)\b/.test(text(f)) ||
      (!isConcreteFailure(f) && /\bunused\b/.test(f.message)),
    judge(p, failures) {
      const about = failures.filter(this.about);
      for (const name of [...namesOf(about), ...about.filter((f) => !isConcreteFailure(f)).flatMap((f) => codeWords(f.message))]) {
        for (const f of cFiles(p)) {
          const lines = f.hunks.flatMap((h) => h.lines);
          const gone = lines.find((l) => l.kind === 'del' && definesName(l.text, name));
          if (!gone) continue;
          if (lines.some((l) => l.kind === 'add' && word(name).test(l.text))) continue; // moved or rewritten, not removed
          // a variable that held a call's result is discarded-result's question (an error code thrown away)
          if (lines.some((l) => l.kind === 'del' && new RegExp(`${wordSource(name)}\\s*=\\s*[A-Za-z_]\\w*\\s*\\(`).test(l.text))) continue;
          return { lean: 'fixes', weight: 1.5, reason: `the unused ${name} is removed`, line: gone };
        }
      }
      return undefined;
    },
  },
  {
    name: 'string-copy',
    about: (f) => /-Wstringop-(?:truncation|overflow)|\bstrn?cpy\b|\bstrlcpy\b/.test(text(f)),
    judge(p) {
      const hit = editsWhere(p, (r) => (r.removed.some((d) => /\bstr(?:n|l)?cpy\s*\(/.test(d.text)) ? r.added.find((a) => /\bstrscpy(?:_pad)?\s*\(|\bmemcpy_and_pad\s*\(/.test(a.text)) : undefined));
      return hit ? { lean: 'fixes', weight: 1.5, reason: 'the copy goes through strscpy(), which always terminates and reports truncation (deprecated.rst)', line: hit } : undefined;
    },
  },
  {
    name: 'section-mismatch',
    about: (f) => /[Ss]ection mismatch/.test(text(f)),
    judge(p) {
      const ann = /\b__(?:init|exit|initdata|initconst|exitdata|meminit|ref|refdata)\b/g;
      const annotations = (ls: DiffLine[]) =>
        ls
          .flatMap((l) => l.text.match(ann) ?? [])
          .sort()
          .join(' ');
      // an edit whose lines differ in their section annotations and otherwise match
      const hit = editsWhere(p, (r) => (r.added.length && annotations(r.added) !== annotations(r.removed) && !/\b__ref(?:data)?\b/.test(annotations(r.added)) ? r.added[0] : undefined));
      return hit ? { lean: 'fixes', weight: 1.5, reason: 'the section annotations of the caller and the callee are made to agree', line: hit } : undefined;
    },
  },
  {
    name: 'objtool-noreturn',
    // objtool follows a call into a function it does not know never returns, and warns about
    // what comes after (tools/objtool/Documentation/objtool.txt: a noreturn function belongs
    // in tools/objtool/noreturns.h, or its declaration gets __noreturn)
    about: (f) => f.tool === 'objtool' || /\bobjtool: /.test(f.message),
    judge(p, failures) {
      // an objtool line cut by the mailer may lose its "falls through"; a noreturn list edit
      // answers any objtool warning, an annotation only one about that function's calls
      const aboutNoreturn = failures.some((f) => /noreturn|falls? through|unreachable instruction|dead end/i.test(f.message));
      const named = namesOf(failures).concat(failures.flatMap((f) => (f.message.match(/\b[A-Za-z_]\w{2,}\(\)/g) ?? []).map((c) => c.slice(0, -2))));
      for (const f of p.files) {
        const objtool = /(?:^|\/)tools\/objtool\//.test(f.newPath);
        for (const h of f.hunks) {
          const listed = objtool && (/noreturns\.h$/.test(f.newPath) || /noreturn|__dead_end_function|global_noreturns/i.test(h.section));
          const hit = h.lines.find(
            (l) =>
              l.kind === 'add' &&
              (listed
                ? /\S/.test(l.text)
                : !objtool && aboutNoreturn && /\b__noreturn\b/.test(l.text) && named.some((n) => wordIn(l.text, n)) && !h.lines.some((d) => d.kind === 'del' && /\b__noreturn\b/.test(d.text))),
          );
          if (hit) return { lean: 'fixes', weight: 1.5, reason: 'objtool is told that the called function never returns, so it stops following the call', line: hit };
        }
      }
      return undefined;
    },
  },
];

export const warningFixes: Rule = {
  name: 'warning-fixes',
  blindSafe: true,
  apply({ rec, failures }) {
    const out: Finding[] = [];
    for (const c of WARNING_CONVENTIONS) {
      const about = failures.filter((f) => c.about(f));
      if (!about.length) continue;
      const j = c.judge(rec.patch, about);
      if (j)
        out.push({
          rule: 'warning-fixes',
          lean: j.lean,
          weight: j.weight,
          reason: j.reason,
          evidence: [{ source: 'mail', cite: mailCite(rec.patch.messageId, j.line.mailLine), text: `${c.name}: ${j.line.text.trim()}` }],
        });
    }
    return out;
  },
};
