// A cheap "could this pattern match here?" test for the vocabularies that run
// on every sentence. V8 compiles a regular expression the first time it runs,
// and for these long case-insensitive alternations that costs more than the
// matching; most sentences contain none of a pattern's words, so the pattern
// need not run (or be compiled) there. The hints are words every match must
// contain one of, read from the pattern's own source: in a sequence, the
// required part with the rarest words; in an alternation, every branch's; an
// optional part or a lookaround requires nothing. A pattern whose matches need
// no literal word gets no hints and always runs. Our own patterns only, so the
// small recursive reader below is safe; tests check it over real mail.

/** Words too common in mail to be worth a hint. */
const COMMON = new Set(
  (
    'the this that for not and you your was are with will would have has had can could should but from its all any one now ing ed es is it to of in on be do we me my an as at or if so up by no ' +
    'just only about think make use need like see good right way time also then there here what when which more some other into than them they been were get got does did done ' +
    'patch patches fix fixes fixed build error errors warning warnings issue problem thanks please change changes code'
  ).split(' '),
);

type Need = string[] | null; // null: nothing required (no filter possible)

class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  /** alternation := sequence ('|' sequence)* */
  alternation(): Need {
    const branches: Need[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.some((b) => b === null)) return null;
    return [...new Set(branches.flat() as string[])];
  }

  /** The best required part of a sequence: the one whose shortest word is longest. */
  private sequence(): Need {
    let best: Need = null;
    // a rare long word filters best; a common word still filters a little
    const scoreOf = (need: string[]) => Math.min(...need.map((w) => (COMMON.has(w) ? 0 : w.length))) - need.length / 100;
    const consider = (need: Need) => {
      if (!need || !need.length) return;
      if (!best || scoreOf(need) > scoreOf(best)) best = need;
    };
    let word = '';
    const endWord = (optional: boolean) => {
      // a quantifier applies to the last character only: the rest of the word stays required
      const w = (optional ? word.slice(0, -1) : word).toLowerCase();
      if (w.length >= 2) consider([w]);
      word = '';
    };
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === '|' || c === ')') break;
      if (c === '(') {
        endWord(false);
        this.i++;
        const look = /^\?(?:[=!]|<[=!])/.test(this.src.slice(this.i));
        if (this.src[this.i] === '?') this.i += this.src[this.i + 1] === '<' && /[=!]/.test(this.src[this.i + 2] ?? '') ? 3 : 2; // (?: (?= (?! (?<= (?<!
        const inner = this.alternation();
        this.i++; // ')'
        if (!look && !this.quantifiedOptional()) consider(inner);
        continue;
      }
      if (c === '[') {
        endWord(false);
        this.skipClass();
        this.quantifiedOptional();
        continue;
      }
      if (c === '\\') {
        endWord(false);
        this.i += 2;
        this.quantifiedOptional();
        continue;
      }
      if (/[A-Za-z]/.test(c)) {
        word += c;
        this.i++;
        if (this.quantifiedOptional()) endWord(true);
        continue;
      }
      endWord(false);
      this.i++;
      this.quantifiedOptional();
    }
    endWord(false);
    return best;
  }

  /** Reads a quantifier after an atom; true when it makes the atom optional. */
  private quantifiedOptional(): boolean {
    const q = /^(?:\?|\*|\+|\{(\d*)(?:,\d*)?\})\??/.exec(this.src.slice(this.i));
    if (!q) return false;
    this.i += q[0].length;
    return q[0][0] === '?' || q[0][0] === '*' || (q[0][0] === '{' && (q[1] === '' || q[1] === '0'));
  }

  private skipClass(): void {
    this.i++;
    while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
    this.i++;
  }
}

/** Words one of which every match of the pattern contains (lowercase); empty when there are none. */
export function literalHints(re: RegExp): string[] {
  try {
    return new Reader(re.source).alternation() ?? [];
  } catch {
    return [];
  }
}

/** Could the pattern match this lowercased text? */
export function mayMatch(hints: string[], lower: string): boolean {
  if (!hints.length) return true;
  for (const h of hints) if (lower.includes(h)) return true;
  return false;
}
