// Names read from mail (a failing symbol, a variable, a CONFIG_ name) matched
// as literal text. A symbol is whatever a log printed: `foo(` from a modpost
// line, `foo[` from an lld line, `(a+)+$` from a hostile one; compiled into a
// RegExp it throws ("Invalid regular expression") or backtracks without end.
// So: plain searches where a word is all we need, and escaping where a name
// sits inside a larger pattern.

/** `text` with every RegExp metacharacter escaped: matches itself and only itself. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Where `name` stands in `text` as a whole word (no letter, digit or '_' right
 * before or after it), from `from` on; -1 when it does not. What `\bname\b`
 * means for an identifier, for any name.
 */
export function wordAt(text: string, name: string, from = 0): number {
  if (!name) return -1;
  for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : -1;
    const after = at + name.length < text.length ? text.charCodeAt(at + name.length) : -1;
    if (!(before >= 0 && isWordChar(before) && isWordChar(name.charCodeAt(0))) && !(after >= 0 && isWordChar(after) && isWordChar(name.charCodeAt(name.length - 1)))) return at;
  }
  return -1;
}

/** Does `name` stand in `text` as a whole word? */
export function wordIn(text: string, name: string): boolean {
  return wordAt(text, name) >= 0;
}

/**
 * A pattern source for `name` as a whole word, for the few places where the
 * name is one part of a larger expression: the name escaped, and boundaries
 * that hold only where the name starts or ends with a word character (as `\b`
 * does for identifiers).
 */
export function wordSource(name: string): string {
  const first = name.charCodeAt(0);
  const last = name.charCodeAt(name.length - 1);
  return `${isWordChar(first) ? '(?<!\\w)' : ''}${escapeRegExp(name)}${isWordChar(last) ? '(?!\\w)' : ''}`;
}

/** Is `name` called in `text`: the whole word followed by '(' (spaces allowed between)? */
export function callsName(text: string, name: string): boolean {
  for (let at = wordAt(text, name); at >= 0; at = wordAt(text, name, at + 1)) {
    let k = at + name.length;
    while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
    if (text[k] === '(') return true;
  }
  return false;
}
