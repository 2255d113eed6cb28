// Who speaks in a thread, and with what standing towards a patch. One person
// often appears under several forms ("Arnd Bergmann", "Bergmann, Arnd", a
// trailer's address, an attribution line's first name); they are one voice.
// Standing follows kernel practice: the maintainers of the touched files (the
// MAINTAINERS `M:` of the most specific `F:` match, when an index has it), the
// person who applies patches in the thread, and the people git send-email put
// in `To:` (get_maintainer.pl's maintainers) outrank reviewers (`R:`, `Cc:`,
// people giving Reviewed-by/Acked-by), who outrank passers-by.

import type { Address, Message, ReviewSignal } from '../core/types.js';

export type Role = 'author' | 'maintainer' | 'reviewer' | 'other';

/** A person from MAINTAINERS, as an index answers for a set of paths. */
export interface MaintainerPerson {
  name: string;
  email: string;
  role: 'maintainer' | 'reviewer';
}

export type MaintainerLookup = (paths: string[]) => MaintainerPerson[];

const ROBOT = /\b(?:lkp@intel\.com|kernel test robot|hulk robot|kbuild test robot|syzbot|patchwork-bot|kernelci|lkft)\b/i;

/** "Bergmann, Arnd" and "Arnd Bergmann" → "arnd bergmann". */
export function nameKey(name: string): string {
  const tokens = blankAsides(name.toLowerCase())
    .split(/[\s,]+/)
    .filter(Boolean);
  return tokens.sort().join(' ');
}

/**
 * "(comment)", "<address>" and quote marks each made one blank: what
 * `s.replace(/\([^)]*\)|<[^>]*>|["']/g, ' ')` does, in one pass (the pattern
 * searched to the end from every '(' or '<' that nothing closed).
 */
function blankAsides(s: string): string {
  let out = '';
  let kept = 0;
  // the next ')' and the next '>' from where we look: both only move forward
  let paren = -1;
  let angle = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    let end = -1;
    if (c === '"' || c === "'") end = i;
    else if (c === '(') {
      if (paren < i) paren = s.indexOf(')', i);
      if (paren < 0) paren = s.length;
      if (paren < s.length) end = paren;
    } else if (c === '<') {
      if (angle < i) angle = s.indexOf('>', i);
      if (angle < 0) angle = s.length;
      if (angle < s.length) end = angle;
    }
    if (end < 0) continue;
    out += s.slice(kept, i) + ' ';
    kept = end + 1;
    i = end;
  }
  return out + s.slice(kept);
}

export function isRobot(nameOrAddress: string): boolean {
  return ROBOT.test(nameOrAddress);
}

/** People of a thread: each name form and address leads to one key (an address when known). */
export class People {
  private byName = new Map<string, string>();
  private byFirst = new Map<string, Set<string>>();

  constructor(messages: Message[], signals: ReviewSignal[] = []) {
    for (const m of messages) {
      this.add(m.from.name, m.from.address);
      for (const a of [...m.to, ...m.cc]) this.add(a.name, a.address);
    }
    for (const s of signals) if (s.speakerAddress) this.add(s.speaker, s.speakerAddress);
  }

  private add(name: string, address: string): void {
    const addr = address.toLowerCase().trim();
    if (!addr.includes('@')) return;
    const k = nameKey(name);
    if (k && !this.byName.has(k)) this.byName.set(k, addr);
    const first =
      k.split(' ').length > 1
        ? name
            .trim()
            .split(/[\s,]+/)[0]!
            .toLowerCase()
        : '';
    if (first) this.byFirst.set(first, (this.byFirst.get(first) ?? new Set()).add(addr));
  }

  /** The key of a speaker: their address, else the address their name is known under, else the name. */
  key(name: string, address?: string): string {
    if (address && address.includes('@')) return address.toLowerCase();
    const k = nameKey(name);
    const known = this.byName.get(k);
    if (known) return known;
    // a first name alone ("Matt wrote:") names someone only when one person in the thread has it
    const firsts = this.byFirst.get(k);
    if (firsts && firsts.size === 1) return [...firsts][0]!;
    return k;
  }

  same(a: { name: string; address?: string }, b: { name: string; address?: string }): boolean {
    return this.key(a.name, a.address) === this.key(b.name, b.address);
  }
}

export interface Standing {
  /** person key → role for one patch */
  roleOf(key: string): Role;
  /** why each non-default role was given, for the evidence */
  why(key: string): string | undefined;
}

/**
 * The standing of each person towards one patch posting: its author, the
 * maintainers (MAINTAINERS, the thread's appliers, the posting's To:), the
 * reviewers (MAINTAINERS R:, the posting's Cc:, anyone giving a review trailer).
 */
export function standingFor(opts: {
  people: People;
  author: { name: string; address?: string };
  posting?: Message;
  files: string[];
  appliers: Set<string>;
  trailerGivers: Set<string>;
  lookup?: MaintainerLookup;
}): Standing {
  const { people } = opts;
  const roles = new Map<string, { role: Role; why: string }>();
  const give = (key: string, role: Role, why: string) => {
    const had = roles.get(key);
    const rank: Record<Role, number> = { author: 4, maintainer: 3, reviewer: 2, other: 1 };
    if (!had || rank[role] > rank[had.role]) roles.set(key, { role, why });
  };
  for (const k of opts.trailerGivers) give(k, 'reviewer', 'gave a review trailer');
  const persons = (as: Address[]) =>
    as.filter((a) => a.address.includes('@') && !/^(?:linux-|lkml|[\w.-]*-(?:devel|kernel|list)@|[\w.-]+@vger\.|[\w.-]+@lists\.)/i.test(a.address) && !/\blist\b/i.test(a.name));
  if (opts.posting) {
    for (const a of persons(opts.posting.cc)) give(people.key(a.name, a.address), 'reviewer', 'Cc: of the posting');
    for (const a of persons(opts.posting.to)) give(people.key(a.name, a.address), 'maintainer', 'To: of the posting (get_maintainer.pl puts maintainers there)');
  }
  if (opts.lookup && opts.files.length) {
    for (const p of opts.lookup(opts.files)) give(people.key(p.name, p.email), p.role, `MAINTAINERS ${p.role === 'maintainer' ? 'M:' : 'R:'} for the files it touches`);
  }
  for (const k of opts.appliers) give(k, 'maintainer', 'applies patches in this thread');
  give(people.key(opts.author.name, opts.author.address), 'author', 'wrote the patch');
  return {
    roleOf: (key) => roles.get(key)?.role ?? 'other',
    why: (key) => roles.get(key)?.why,
  };
}
