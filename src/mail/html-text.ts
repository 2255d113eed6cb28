// HTML archive pages (pipermail, public-inbox/lore) to text. Not a general HTML
// renderer: these pages keep mail inside <pre>, so whitespace there is kept and
// everything else is flattened. Links that carry mail identity (lore's ".../raw",
// pipermail's mailto with In-Reply-To) are collected as hints.

export interface HtmlHints {
  /** Message-IDs from lore/public-inbox 'raw' links, in page order, consecutive duplicates removed */
  rawMessageIds: string[];
  /** pipermail: In-Reply-To from the reply mailto link */
  inReplyTo?: string;
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  copy: '©',
  middot: '·',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'hr',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'title',
  'body',
  'html',
  'head',
  'dt',
  'dd',
  'dl',
  'form',
]);
const DROP_CONTENT = new Set(['script', 'style', 'head']);

export function looksLikeHtml(head: string): boolean {
  return /<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|pre[\s>]|title>)/i.test(head.slice(0, 4096));
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function collectHints(html: string): HtmlHints {
  const hints: HtmlHints = { rawMessageIds: [] };
  // lore: <a href="../20211130172954.129587-1-x@arm.com/raw">raw</a>, also absolute URLs
  const rawRe = /href="([^"]{1,1000}?)\/raw"/gi;
  let m: RegExpExecArray | null;
  while ((m = rawRe.exec(html))) {
    const parts = m[1]!.split('/');
    const id = percentDecode(decodeEntities(parts[parts.length - 1] ?? ''));
    if (!id || !id.includes('@')) continue;
    const wrapped = `<${id}>`;
    if (hints.rawMessageIds[hints.rawMessageIds.length - 1] !== wrapped) hints.rawMessageIds.push(wrapped);
  }
  // pipermail: <A HREF="mailto:list%40host?Subject=...&In-Reply-To=%3C...%3E"
  const irt = /In-Reply-To=([^"&]{3,1000})/i.exec(html);
  if (irt) {
    const v = percentDecode(decodeEntities(irt[1]!)).trim();
    if (/^<[^>]+>$/.test(v)) hints.inReplyTo = v;
  }
  return hints;
}

/** Drop trailing spaces and tabs (a loop: /[ \t]+$/ is quadratic on a long blank run). */
function trimEndBlanks(l: string): string {
  let end = l.length;
  while (end > 0 && (l[end - 1] === ' ' || l[end - 1] === '\t')) end--;
  return end === l.length ? l : l.slice(0, end);
}

export function htmlToText(html: string): { text: string; hints: HtmlHints } {
  const hints = collectHints(html);
  const out: string[] = [];
  let preDepth = 0;
  let dropUntil: string | null = null;
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--[\s\S]*?-->|<![^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const emitText = (raw: string) => {
    if (dropUntil) return;
    const t = decodeEntities(raw);
    out.push(preDepth > 0 ? t : t.replace(/[ \t\r\n]+/g, ' '));
  };
  while ((m = tagRe.exec(html))) {
    emitText(html.slice(last, m.index));
    last = tagRe.lastIndex;
    const name = (m[2] ?? '').toLowerCase();
    if (!name) continue; // comment or doctype
    const closing = m[1] === '/';
    if (dropUntil) {
      if (closing && name === dropUntil) dropUntil = null;
      continue;
    }
    if (!closing && DROP_CONTENT.has(name)) {
      dropUntil = name;
      continue;
    }
    if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    if (BLOCK_TAGS.has(name)) out.push('\n');
  }
  emitText(html.slice(last));
  const text = out
    .join('')
    .split('\n')
    .map(trimEndBlanks)
    .join('\n')
    .replace(/\n{4,}/g, '\n\n\n');
  return { text: text.trim() + '\n', hints };
}
