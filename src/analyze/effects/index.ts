// All effect classifiers, and the few file-level ones (reverts, Makefiles,
// build scripts, includes) that need no parsing of their own.

import type { Effect, Patch } from '../../core/types.js';
import { revertedTitle } from '../../extract/refs.js';
import { classifyCode, type EffectContext } from './code.js';
import { changedFiles, includedHeader, isBuildScript, isCSource, isKconfig, isMakefile, replacements } from './diff-view.js';
import { classifyGuards } from './guards.js';
import { classifyIdioms } from './idioms.js';
import { classifyKconfig } from './kconfig.js';

export type { EffectContext } from './code.js';

function classifyFiles(patch: Patch): Effect[] {
  const out: Effect[] = [];
  const cite = { messageId: patch.messageId, line: patch.firstLine };
  const reverted = revertedTitle(patch.subjectInfo.topic) ?? /This reverts commit ([0-9a-f]{8,40})/.exec(patch.description)?.[1];
  if (reverted) out.push({ kind: 'revert', detail: `reverts ${/^[0-9a-f]+$/.test(reverted) ? 'commit ' + reverted : `"${reverted}"`}`, symbols: [], configs: [], cite });
  for (const f of patch.files) {
    const path = f.newPath;
    if (isMakefile(path)) {
      const lines = f.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'ctx'));
      // -Wno-x, and Kbuild's own spelling of it: $(call cc-disable-warning, x)
      const flags = lines.find((l) => /-Wno-[\w-]+|\bcc-disable-warning\b|CFLAGS_REMOVE|OBJECT_FILES_NON_STANDARD|-fno-/.test(l.text) && l.kind === 'add');
      if (flags) out.push({ kind: 'warning-silenced', detail: `${path}: ${flags.text.trim()}`, file: path, symbols: [], configs: [], cite: { ...cite, line: flags.mailLine } });
      else out.push({ kind: 'makefile-changed', detail: `${path}: build rules change`, file: path, symbols: [], configs: [], cite: { ...cite, line: lines[0]?.mailLine ?? patch.firstLine } });
    } else if (isBuildScript(path)) {
      out.push({ kind: 'build-script-changed', detail: `${path}: the build script changes`, file: path, symbols: [], configs: [], cite });
    } else if (isCSource(path)) {
      for (const r of replacements(f)) {
        const inc = [...r.added, ...r.removed].find((l) => /^\s*#\s*include\b/.test(l.text));
        if (inc) {
          // the headers added anywhere in the file, for the rule that checks they declare what failed
          const headers = f.hunks
            .flatMap((h) => h.lines)
            .filter((l) => l.kind === 'add')
            .map((l) => includedHeader(l.text))
            .filter((h): h is string => !!h);
          out.push({
            kind: 'include-changed',
            detail: `${path}: ${inc.kind === 'add' ? 'adds' : 'drops'} ${inc.text.trim()}`,
            file: path,
            symbols: headers,
            configs: [],
            cite: { ...cite, line: inc.mailLine },
          });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * A patch known only from a diffstat (a cover letter, an archive that lost the
 * hunks): its Kconfig change as its subject states it ("select REGMAP_I2C",
 * "depend on PCI"), marked as read from the subject.
 */
function subjectKconfig(patch: Patch): Effect[] {
  if (patch.source !== 'diffstat' || !changedFiles(patch).some(isKconfig)) return [];
  const m = /\b(select|selects|depend(?:s)? on|add (?:a )?dependency on)\s+(?:CONFIG_)?([A-Z][A-Z0-9_]{2,})\b/.exec(patch.subjectInfo.topic);
  if (!m) return [];
  const select = m[1]!.startsWith('select');
  return [
    {
      kind: select ? 'select-added' : 'depends-on-added',
      detail: `${select ? `gains \`select ${m[2]}\`` : `gains \`depends on ${m[2]}\``} (as its subject says; the hunks are not in the mail)`,
      symbols: ['', m[2]!],
      configs: select ? [] : [`${m[2]}=y`],
      cite: { messageId: patch.messageId, line: patch.firstLine },
    },
  ];
}

// A daemon judges a growing thread again with each message, and the same Patch
// objects come back (the worker remembers extractions): what a diff does is
// read once per patch. Only classifyCode depends on the failures; the rest on
// the patch alone. (A patch is never changed once extracted: the worker's tests
// judge with frozen extractions; the effects kept are frozen, so a change to one
// throws rather than alters the next judgement.)
const byPatch = new WeakMap<Patch, { before: Effect[]; after: Effect[]; code: Map<string, Effect[]> }>();

function frozen(effects: Effect[]): Effect[] {
  for (const e of effects) {
    Object.freeze(e.symbols);
    Object.freeze(e.configs);
    Object.freeze(e.cite);
    Object.freeze(e);
  }
  return Object.freeze(effects) as Effect[];
}

function patchEffects(patch: Patch, ctx: EffectContext): Effect[] {
  let known = byPatch.get(patch);
  if (!known) {
    known = { before: frozen([...classifyFiles(patch), ...classifyGuards(patch), ...classifyKconfig(patch)]), after: frozen([...classifyIdioms(patch), ...subjectKconfig(patch)]), code: new Map() };
    byPatch.set(patch, known);
  }
  const key = ctx.failureSymbols.join('\n');
  let code = known.code.get(key);
  if (!code) {
    code = frozen(classifyCode(patch, ctx));
    // a patch meets few sets of failures; bounded all the same
    if (known.code.size >= 8) known.code.clear();
    known.code.set(key, code);
  }
  return [...known.before, ...code, ...known.after];
}

export function classifyPatch(patch: Patch, ctx: EffectContext): Effect[] {
  const effects = patchEffects(patch, ctx);
  const meaningful = effects.filter((e) => e.kind !== 'include-changed' && e.kind !== 'makefile-changed');
  if (!meaningful.length) {
    const files = changedFiles(patch);
    const kconfigOnly = files.length > 0 && files.every(isKconfig);
    effects.push({
      kind: kconfigOnly ? 'kconfig-changed' : 'code-changed',
      detail: patch.source === 'diffstat' ? `changes ${files.join(', ')} (known only from the diffstat)` : `changes ${files.slice(0, 4).join(', ')}${files.length > 4 ? ', …' : ''}`,
      symbols: [],
      configs: [],
      cite: { messageId: patch.messageId, line: patch.firstLine },
    });
  }
  return effects;
}
