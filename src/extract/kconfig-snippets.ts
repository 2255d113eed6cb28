// Kconfig blocks quoted in mail ("config NEED_PER_CPU_KM / depends on !SMP /
// bool / default y"): what the thread says a symbol looks like, which may be
// older than the indexed tree. Works on flattened text too.

import type { KconfigSnippet } from '../core/types.js';
import type { BodyLine } from './lines.js';

const KEYWORDS = /^(depends on|bool|tristate|def_bool|def_tristate|default|select|imply|prompt|help)\b/;
// symbols are upper case (64BIT too); Kconfig keywords are lower case and end an expression
const EXPR_TOKEN = /^(!|&&|\|\||\(|\)|=|!=|\d*[A-Z_][\dA-Z_]*|y|m|n|\d+)$/;

/** Parse attributes after "config NAME" until something that is not Kconfig. */
function parseBlock(tokens: string[]): Omit<KconfigSnippet, 'name' | 'cite'> {
  const out: Omit<KconfigSnippet, 'name' | 'cite'> = { dependsOn: [], defaults: [], selects: [] };
  let i = 0;
  const expr = (): string => {
    const parts: string[] = [];
    while (i < tokens.length && EXPR_TOKEN.test(tokens[i]!)) parts.push(tokens[i++]!);
    return parts.join(' ').replace(/! /g, '!').replace(/\( /g, '(').replace(/ \)/g, ')');
  };
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === 'depends' && tokens[i + 1] === 'on') {
      i += 2;
      const e = expr();
      if (!e) break;
      out.dependsOn.push(e);
    } else if (t === 'bool' || t === 'tristate') {
      out.type = t;
      i++;
      if (tokens[i]?.startsWith('"')) while (i < tokens.length && !tokens[i]!.endsWith('"')) i++;
      if (tokens[i]?.endsWith('"')) i++;
    } else if (t === 'def_bool' || t === 'def_tristate' || t === 'default') {
      if (t !== 'default') out.type = t === 'def_bool' ? 'bool' : 'tristate';
      i++;
      const value = tokens[i++] ?? '';
      let cond: string | undefined;
      if (tokens[i] === 'if') {
        i++;
        cond = expr();
      }
      out.defaults.push({ value, cond });
    } else if (t === 'select' || t === 'imply') {
      i++;
      const s = tokens[i++];
      if (s && /^[A-Z][A-Z0-9_]*$/.test(s)) out.selects.push(s);
      if (tokens[i] === 'if') {
        i++;
        expr();
      }
    } else break;
  }
  return out;
}

function tokenize(s: string): string[] {
  return s.match(/depends|"[^"]*"|!=|&&|\|\||[!()=]|[A-Za-z0-9_]+/g) ?? [];
}

export function findKconfigSnippets(messageId: string, lines: BodyLine[], diffLines: Set<number>): KconfigSnippet[] {
  const out: KconfigSnippet[] = [];
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (diffLines.has(l.n)) continue;
    const re = /(?:^|\s)(?:menu)?config\s+([A-Z][A-Z0-9_]{2,})\b/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(l.text))) {
      // the block: the rest of this line, plus following lines at the same depth
      let text = l.text.slice(m.index + m[0].length);
      for (let j = k + 1; j < lines.length && j < k + 12 && lines[j]!.depth === l.depth && !diffLines.has(lines[j]!.n); j++) {
        const t = lines[j]!.text.trim();
        if (!t || !KEYWORDS.test(t)) break;
        text += ' ' + t;
      }
      const block = parseBlock(tokenize(text));
      if (!block.dependsOn.length && !block.defaults.length && !block.type) continue;
      out.push({ name: `CONFIG_${m[1]}`, ...block, cite: { messageId, line: l.n } });
    }
  }
  return out;
}
