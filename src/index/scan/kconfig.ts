// Kconfig files: every config/menuconfig symbol with its type, prompt,
// `depends on`, `select`, `imply`, `default`, help text, and the conditions of
// the blocks around it (`if`, `menu ... depends on`, `choice ... depends on`).
// `source` lines are recorded so a tree walk can follow them; Kconfig
// expressions (`!SMP || !MMU`, `FOO && (BAR || m)`) are kept as written.

export interface KconfigSymbol {
  name: string;
  line: number;
  type?: 'bool' | 'tristate' | 'int' | 'hex' | 'string';
  prompt?: string;
  /** each `depends on` as written, in order */
  dependsOn: string[];
  /** `if`/`menu`/`choice` conditions around the definition, outermost first */
  enclosing: string[];
  selects: { symbol: string; cond?: string }[];
  implies: { symbol: string; cond?: string }[];
  defaults: { value: string; cond?: string }[];
  help?: string;
  menuconfig: boolean;
  inChoice: boolean;
}

export interface KconfigScan {
  symbols: KconfigSymbol[];
  sources: { path: string; line: number }[];
}

/**
 * `X if Y` at the first ` if ` with something after it: what `/^(.*?)\s+if\s+(.+)$/`
 * split, the blanks read from where they start (that pattern split them every
 * way between its parts). After `if` and blanks alone the condition is empty.
 */
function splitIf(v: string): { head: string; cond?: string } {
  const m = /(?<!\s)\s+if\s+(\S.*)$/.exec(v) ?? /(?<!\s)\s+if\s+([^\S\n\r\u2028\u2029])$/.exec(v);
  const head = m ? v.slice(0, m.index) : '';
  return m && !/[\n\r\u2028\u2029]/.test(head) ? { head: head.trim(), cond: m[1]!.trim() } : { head: v.trim() };
}

function unquote(s: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(s.trim());
  return m ? (m[1] ?? m[2] ?? '') : s.trim();
}

/** A line without its # comment; a # inside quotes ("errata #46", "#!") is text. */
function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) return s.slice(0, i);
  }
  return s;
}

function indentOf(s: string): number {
  let w = 0;
  for (const c of s) {
    if (c === ' ') w++;
    else if (c === '\t') w = (Math.floor(w / 8) + 1) * 8;
    else break;
  }
  return w;
}

export function scanKconfig(text: string): KconfigScan {
  const symbols: KconfigSymbol[] = [];
  const sources: { path: string; line: number }[] = [];
  // block stack: if-blocks and menus/choices with their conditions
  const blocks: { kind: 'if' | 'menu' | 'choice'; cond?: string }[] = [];
  let cur: KconfigSymbol | undefined;
  let pendingMenu: { kind: 'menu' | 'choice' } | undefined;
  let help: { indent: number; lines: string[] } | undefined;
  const lines = text.split('\n');

  const enclosing = () => blocks.filter((b) => b.cond).map((b) => b.cond!);

  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    while (raw.endsWith('\\') && i + 1 < lines.length) raw = raw.slice(0, -1) + ' ' + lines[++i]!;
    const lineNo = i + 1;
    if (help) {
      // help text runs while lines are blank or indented deeper than its first line
      if (!raw.trim()) {
        help.lines.push('');
        continue;
      }
      const ind = indentOf(raw);
      if (help.indent < 0) help.indent = ind;
      if (ind >= help.indent && ind > 0) {
        help.lines.push(raw.trim());
        continue;
      }
      if (cur) cur.help = help.lines.join('\n').trim();
      help = undefined;
    }
    const t = stripComment(raw).trim();
    if (!t) continue;
    const [kw, ...restParts] = t.split(/\s+/);
    const rest = t.slice(kw!.length).trim();
    switch (kw) {
      case 'config':
      case 'menuconfig': {
        cur = {
          name: restParts[0] ?? '',
          line: lineNo,
          dependsOn: [],
          enclosing: enclosing(),
          selects: [],
          implies: [],
          defaults: [],
          menuconfig: kw === 'menuconfig',
          inChoice: blocks.some((b) => b.kind === 'choice'),
        };
        symbols.push(cur);
        pendingMenu = undefined;
        continue;
      }
      case 'menu':
      case 'choice':
        blocks.push({ kind: kw });
        pendingMenu = { kind: kw };
        cur = undefined;
        continue;
      case 'endmenu':
      case 'endchoice': {
        const k = kw === 'endmenu' ? 'menu' : 'choice';
        for (let b = blocks.length - 1; b >= 0; b--) {
          if (blocks[b]!.kind === k) {
            blocks.splice(b);
            break;
          }
        }
        cur = undefined;
        pendingMenu = undefined;
        continue;
      }
      case 'if':
        blocks.push({ kind: 'if', cond: rest });
        cur = undefined;
        pendingMenu = undefined;
        continue;
      case 'endif':
        for (let b = blocks.length - 1; b >= 0; b--) {
          if (blocks[b]!.kind === 'if') {
            blocks.splice(b);
            break;
          }
        }
        cur = undefined;
        continue;
      case 'source':
      case 'rsource':
      case 'osource':
      case 'orsource':
        sources.push({ path: unquote(rest), line: lineNo });
        cur = undefined;
        continue;
      case 'comment':
      case 'mainmenu':
        cur = undefined;
        pendingMenu = undefined;
        continue;
      case 'help':
      case '---help---':
        help = { indent: -1, lines: [] };
        continue;
      default:
        break;
    }
    if (kw === 'depends' && restParts[0] === 'on') {
      const expr = t.replace(/^depends\s+on\s+/, '');
      if (cur) cur.dependsOn.push(expr);
      else if (pendingMenu) {
        const top = blocks[blocks.length - 1];
        if (top) top.cond = top.cond ? `(${top.cond}) && (${expr})` : expr;
      }
      continue;
    }
    if (!cur) continue;
    switch (kw) {
      case 'bool':
      case 'tristate':
      case 'int':
      case 'hex':
      case 'string': {
        cur.type = kw;
        // the prompt's own `if` only decides whether it is shown
        const { head } = splitIf(rest);
        if (head) cur.prompt = unquote(head);
        break;
      }
      case 'def_bool':
      case 'def_tristate': {
        cur.type = kw === 'def_bool' ? 'bool' : 'tristate';
        const { head, cond } = splitIf(rest);
        cur.defaults.push({ value: head, cond });
        break;
      }
      case 'prompt':
        cur.prompt = unquote(splitIf(rest).head);
        break;
      case 'default': {
        const { head, cond } = splitIf(rest);
        cur.defaults.push({ value: head, cond });
        break;
      }
      case 'select':
      case 'imply': {
        const { head, cond } = splitIf(rest);
        (kw === 'select' ? cur.selects : cur.implies).push({ symbol: head, cond });
        break;
      }
      default:
        break;
    }
  }
  if (help && cur) cur.help = help.lines.join('\n').trim();
  return { symbols, sources };
}
