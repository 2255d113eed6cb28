// Thread facts: the failures (each once, however often quoted), the patches
// (each once: quoted copies fold into the posting), and for each patch the
// review signals that are about it and the failures it answers.

import type { BuildFailure, ConfigContext, Extraction, LinkedReports, Message, Patch, ReviewSignal, Thread } from '../core/types.js';
import { answerByReference } from './by-reference.js';
import { emptyContext, mergeContexts } from '../extract/context.js';
import { failureKey } from '../extract/failures.js';
import { changedFiles } from './effects/diff-view.js';
import { displayName } from '../mail/names.js';
import { classifyLaterLog } from './later-logs.js';
import { introducedByPatch } from '../extract/history.js';
import { wordIn } from '../extract/literal.js';
import { LIMITS } from '../core/limits.js';
import { isConcreteFailure } from './concrete.js';
import { isRobot, People, standingFor, type MaintainerLookup, type Role } from './people.js';

export interface FailureRecord {
  failure: BuildFailure;
  /** every place it was shown, first one first */
  mentions: BuildFailure[];
  /** chronological index of the message that first showed it */
  index: number;
  /** the posting the report is about: the patch it replies under (a robot's or a tester's reply to N/M) */
  about?: number;
  /** the report says that posting introduces the failure (the robot built it and it broke) */
  introduced?: boolean;
  /** a reply shows the diagnostic the posting itself adds, at work: no failure */
  newBehaviour?: boolean;
  /** whoever showed it said it has nothing to do with the posting ("a different problem, there before my change") */
  unrelated?: boolean;
}

export interface TargetedSignal extends ReviewSignal {
  /** the signal came from the patch's own author */
  self: boolean;
  /** chronological index of the message it came from */
  index: number;
  /** one key per person, whatever name form the signal used */
  person: string;
  /** the speaker's standing towards this patch */
  role: Role;
}

export interface BuildFactsOptions {
  /** MAINTAINERS from the kernel index: who maintains and reviews a set of paths */
  maintainers?: MaintainerLookup;
  /** reports the patches link to that are not in the thread, as the caller found them */
  linked?: LinkedReports;
}

export interface PatchRecord {
  patch: Patch;
  index: number;
  copies: Patch[];
  signals: TargetedSignal[];
  answers: number[];
  /** failures named in the patch's own commit message */
  ownFailures: number[];
  /** failures a report under this posting says it introduces */
  introduces: number[];
  /** the earlier posting of this patch it replaces (a new revision, a RESEND), when in the thread */
  replaces?: number;
}

export interface ThreadFacts {
  thread: Thread;
  messages: Message[];
  extractions: Extraction[];
  failures: FailureRecord[];
  patches: PatchRecord[];
  context: ConfigContext;
}

const FAILURE_WORDS =
  /\b(build (?:error|failure|fix|breakage|warning)s?|fix(?:es)? (?:the )?(?:build|compil\w*|link\w*)|(?:link|linker|linking|compile|compiler|compilation|modpost|kconfig) (?:error|failure|warning)s?|undefined (?:reference|symbol)|modpost|implicit declaration|(?:fix|silence|suppress|avoid)(?:es|ed|s)? (?:a |the |this |these )?(?:\w+ )?warnings?|(?:sparse|smatch|gcc|clang|W=1) warnings?|-W[\w-]+|randconfig|allmodconfig|allyesconfig|unmet (?:direct )?dependenc|FTBFS|kernel test robot|Reported-by: .*(?:robot|lkp@intel\.com))\b/i;

// a patch's changed lines, read once per Patch object (a daemon judges a growing thread again with the same ones)
const signatures = new WeakMap<Patch, Set<string>>();

function signature(p: Patch): Set<string> {
  const known = signatures.get(p);
  if (known) return known;
  const s = new Set<string>();
  for (const f of p.files) for (const h of f.hunks) for (const l of h.lines) if (l.kind !== 'ctx' && l.text.trim()) s.add(`${l.kind}:${l.text.replace(/\s+/g, ' ').trim()}`);
  signatures.set(p, s);
  return s;
}

// a patch's diff as one text, to look a failing symbol up in: made when first asked, once per Patch
const diffTexts = new WeakMap<Patch, string>();

function diffTextOf(p: Patch): string {
  let t = diffTexts.get(p);
  if (t === undefined) {
    t = p.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text))).join('\n');
    diffTexts.set(p, t);
  }
  return t;
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / Math.min(a.size, b.size);
}

interface PersonName {
  x: string;
  xs: string[];
}

function personName(s: string): PersonName {
  const x = s.toLowerCase().replace(/["']/g, '').replace(/\s+/g, ' ').trim();
  return { x, xs: x.split(/[\s,]+/) };
}

function sameName(a: PersonName, b: PersonName): boolean {
  if (!a.x || !b.x) return false;
  if (a.x === b.x) return true;
  // "Arnd Bergmann" vs "arnd@arndb.de" or "Bergmann, Arnd"
  return a.xs.length > 1 && b.xs.length > 1 ? a.xs.every((t) => b.xs.includes(t)) : a.xs[0] === b.xs[0] && a.xs[0]!.length > 2;
}

function samePerson(a: string, b: string): boolean {
  return sameName(personName(a), personName(b));
}

export { samePerson };

/**
 * A compile error in a file the patch changes, about a name only the patch's added lines
 * use: the patch's own new code fails to build (a reviewer's "this doesn't compile").
 */
function failsInNewCode(f: BuildFailure, p: Patch): boolean {
  if (f.kind !== 'compile-error' || !f.symbol || f.symbol.length < 3 || !f.file) return false;
  const base = f.file.replace(/^.*\//, '');
  const file = p.files.find((x) => x.newPath.replace(/^.*\//, '') === base);
  if (!file) return false;
  let added = false;
  for (const h of file.hunks) {
    for (const l of h.lines) {
      if (!wordIn(l.text, f.symbol)) continue;
      if (l.kind === 'add') added = true;
      else return false; // the name was there before the patch
    }
  }
  return added;
}

const isConcreteKind = (f: BuildFailure) => f.kind !== 'build-prose' && f.kind !== 'runtime';

/**
 * Each posting's earlier posting of the same patch (the subject's topic, the same author, a
 * revision no higher: a v2, a RESEND, a re-post), read from the subjects mail/subject.ts parsed.
 */
function linkRevisions(patches: PatchRecord[]): void {
  const latest = new Map<string, number>();
  patches.forEach((r, k) => {
    const p = r.patch;
    if (p.source === 'quoted' || !p.subjectInfo.isPatch || p.subjectInfo.isReply) return;
    const key = `${p.author.toLowerCase().replace(/\s+/g, ' ').trim()}|${p.subjectInfo.topic.toLowerCase()}`;
    const before = latest.get(key);
    if (before !== undefined && before !== k && patches[before]!.patch.foundIn !== p.foundIn && patches[before]!.patch.subjectInfo.revision <= p.subjectInfo.revision) r.replaces = before;
    if (before === undefined || patches[before]!.patch.subjectInfo.revision <= p.subjectInfo.revision) latest.set(key, k);
  });
}

const FORWARD_REF = /\b(following|below|attached|this patch|untested|something like|like this|how about)\b/i;

export function buildFacts(thread: Thread, extractions: Extraction[], opts: BuildFactsOptions = {}): ThreadFacts {
  const messages = thread.messages;
  const indexOf = new Map(messages.map((m, i) => [m.messageId, i]));
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  const parentOf = new Map(thread.nodes.map((n) => [n.messageId, n.parentId]));

  // failures, deduplicated in time order
  const failures: FailureRecord[] = [];
  const byKey = new Map<string, FailureRecord>();
  extractions.forEach((x, i) => {
    for (const f of x.failures) {
      const key = failureKey(f);
      const rec = byKey.get(key);
      if (rec) rec.mentions.push(f);
      else {
        const r = { failure: f, mentions: [f], index: i };
        byKey.set(key, r);
        failures.push(r);
      }
    }
  });

  // patches: inline postings make records, quoted copies fold into them
  const patches: PatchRecord[] = [];
  const sigs: Set<string>[] = [];
  extractions.forEach((x, i) => {
    const msg = messages[i]!;
    for (const p of x.patches) {
      if (p.source === 'quoted') {
        const refs = [...msg.references, ...(msg.inReplyTo && !msg.references.includes(msg.inReplyTo) ? [msg.inReplyTo] : [])];
        const quotedFrom = refs.length >= p.quoteDepth ? refs[refs.length - p.quoteDepth] : undefined;
        const sig = signature(p);
        let best = -1;
        let bestScore = 0;
        patches.forEach((r, k) => {
          const byId = quotedFrom && (r.patch.messageId === quotedFrom || r.patch.foundIn === quotedFrom) ? 1 : 0;
          // the posting the reply answers wins over an identical earlier revision
          const score = byId ? 2 : similarity(sig, sigs[k]!);
          if (score > bestScore) {
            bestScore = score;
            best = k;
          }
        });
        if (best >= 0 && bestScore >= 0.6) {
          patches[best]!.copies.push(p);
          continue;
        }
        // only quoted: the posting itself is not in the thread
        const postedIn = quotedFrom && !indexOf.has(quotedFrom) ? quotedFrom : msg.messageId;
        patches.push({ patch: { ...p, messageId: postedIn }, index: i, copies: [], signals: [], answers: [], ownFailures: [], introduces: [] });
        sigs.push(sig);
        continue;
      }
      // a pull request's diffstat names commits that live elsewhere: not a patch to judge
      if (p.pull) continue;
      if (p.source === 'diffstat') {
        const files = changedFiles(p).map((f) => f.replace(/^.*\//, ''));
        const covered = extractions.some((y) => y.patches.some((q) => q.source === 'inline' && changedFiles(q).some((f) => files.includes(f.replace(/^.*\//, '')))));
        if (covered) continue; // a cover letter whose patches are in the thread
      }
      patches.push({ patch: p, index: i, copies: [], signals: [], answers: [], ownFailures: [], introduces: [] });
      sigs.push(signature(p));
    }
  });

  // which patch a message is about: its own quote, then its ancestors, then the latest before it
  // postings by Message-ID (the first record of a message), and the nearest one above a message
  const postingAt = new Map<string, number>();
  const recordAt = new Map<string, number>();
  patches.forEach((r, k) => {
    for (const id of [r.patch.messageId, r.patch.foundIn]) if (!recordAt.has(id)) recordAt.set(id, k);
    if (r.patch.source !== 'quoted' && !postingAt.has(r.patch.foundIn)) postingAt.set(r.patch.foundIn, k);
  });
  const recordPostedIn = (id: string) => recordAt.get(id) ?? -1;
  // the members of a series, under the cover letter they reply to
  const membersUnder = new Map<string, number[]>();
  patches.forEach((r, k) => {
    const parent = parentOf.get(r.patch.foundIn);
    if (r.patch.source === 'quoted' || !parent || !r.patch.subjectInfo.isPatch || r.patch.subjectInfo.isReply || !r.patch.subjectInfo.counter) return;
    const list = membersUnder.get(parent);
    if (list) list.push(k);
    else membersUnder.set(parent, [k]);
  });
  const nearestPosting = (id: string): number | undefined => {
    let a = parentOf.get(id);
    for (let guard = 0; a && guard < LIMITS.maxThreadDepth; guard++, a = parentOf.get(a)) {
      const k = postingAt.get(a);
      if (k !== undefined) return k;
    }
    return undefined;
  };
  const dateOf = (id: string) => {
    const d = byId.get(id)?.date;
    const t = d ? Date.parse(String(d)) : NaN;
    return Number.isFinite(t) ? t : undefined;
  };
  const postedBefore = (a: string, b: string): boolean => {
    const x = dateOf(a);
    const y = dateOf(b);
    return x !== undefined && y !== undefined ? x < y : (indexOf.get(a) ?? 0) < (indexOf.get(b) ?? 0);
  };
  linkRevisions(patches);
  const targetOf = (i: number): number => {
    const msg = messages[i]!;
    const x = extractions[i]!;
    const quoted = x.patches.find((p) => p.source === 'quoted');
    if (quoted) {
      const k = patches.findIndex((r) => r.copies.includes(quoted) || (r.patch.foundIn === quoted.foundIn && r.patch.firstLine === quoted.firstLine));
      if (k >= 0) return k;
    }
    let p = parentOf.get(msg.messageId);
    let guard = 0;
    while (p && guard++ < LIMITS.maxThreadDepth) {
      const k = recordPostedIn(p);
      if (k >= 0) return k;
      // a reply to a cover letter is about its series: the latest member posted before it,
      // not a diff someone posted in another branch of the discussion
      const members = (membersUnder.get(p) ?? []).filter((m) => patches[m]!.index < i);
      if (members.length) return members[members.length - 1]!;
      p = parentOf.get(p);
    }
    // records are in message order: the last one before message i
    let lo = 0;
    let hi = patches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (patches[mid]!.index < i) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };

  // who is who: one key per person, and who applies or gives review trailers here
  const allSignals = extractions.flatMap((x) => x.signals);
  const people = new People(messages, allSignals);
  const appliers = new Set(allSignals.filter((s) => s.kind === 'applied' && !isRobot(s.speaker)).map((s) => people.key(s.speaker, s.speakerAddress)));
  const trailerGivers = new Set(allSignals.filter((s) => s.phrase?.endsWith('-by')).map((s) => people.key(s.speaker, s.speakerAddress)));
  // a patch's standings are worked out when a signal about it needs them (MAINTAINERS is not free)
  const standingCache = new Map<number, { authorKey: string; standing: ReturnType<typeof standingFor> }>();
  const standingOf = (k: number) => {
    let got = standingCache.get(k);
    if (!got) {
      const r = patches[k]!;
      const posting = r.patch.source === 'quoted' ? undefined : byId.get(r.patch.foundIn);
      const address = posting && samePerson(r.patch.author, posting.from.name || posting.from.address) ? posting.from.address : undefined;
      got = {
        authorKey: people.key(r.patch.author, address),
        standing: standingFor({ people, author: { name: r.patch.author, address }, posting, files: changedFiles(r.patch), appliers, trailerGivers, lookup: opts.maintainers }),
      };
      standingCache.set(k, got);
    }
    return got;
  };

  // a quote repeats what its speaker said in a message that may be in the thread too
  const said = new Set<string>();
  const sayKey = (s: ReviewSignal) => `${people.key(s.speaker, s.speakerAddress)}|${s.kind}|${s.text.replace(/\s+/g, ' ').trim()}`;
  for (const x of extractions) for (const s of x.signals) if (!s.quoted) said.add(sayKey(s));
  extractions.forEach((x, i) => {
    const msg = messages[i]!;
    const own = postingAt.get(msg.messageId) ?? -1;
    const parentTarget = targetOf(i);
    const replyToPatch = parentTarget >= 0 && parentTarget !== own && patches[parentTarget]!.index < i;
    for (const s of x.signals) {
      if (s.quoted) {
        if (said.has(sayKey(s))) continue;
        said.add(sayKey(s));
      }
      let k: number;
      if (own >= 0) {
        const ownPatch = patches[own]!.patch;
        // a patch posting (series members reply to their cover) speaks about itself
        const posting = msg.subjectInfo.isPatch && !msg.subjectInfo.isReply;
        const inOwnRegion = posting || !replyToPatch || s.cite.line >= ownPatch.firstLine || FORWARD_REF.test(s.text) || (ownPatch.subject !== msg.subject && ownPatch.description.includes(s.text));
        k = inOwnRegion ? own : parentTarget;
      } else k = parentTarget;
      if (k < 0) continue;
      const rec = patches[k]!;
      const person = people.key(s.speaker, s.speakerAddress);
      const { authorKey, standing } = standingOf(k);
      const self = person === authorKey || samePerson(s.speaker, rec.patch.author);
      rec.signals.push({ ...s, self, index: i, person, role: self ? 'author' : standing.roleOf(person) });
    }
  });

  // a RESEND or a re-posting of the same diff is the same patch: what was said about one is said about both
  // compared within groups of equal diff size only (equal sizes are required below): linear
  // in the number of postings however many a thread holds
  const bySize = new Map<number, number[]>();
  patches.forEach((r, k) => {
    if (r.patch.source === 'quoted' || !sigs[k]!.size) return;
    const list = bySize.get(sigs[k]!.size);
    if (list) list.push(k);
    else bySize.set(sigs[k]!.size, [k]);
  });
  // names read once per posting, compared (cheaply) before the diffs are
  const authors = patches.map((r) => personName(r.patch.author));
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    for (let x = 0; x < group.length; x++) for (let y = x + 1; y < group.length; y++) mergeResent(group[x]!, group[y]!);
  }
  function mergeResent(i: number, j: number): void {
    const a = patches[i]!;
    const b = patches[j]!;
    {
      if (!sameName(authors[i]!, authors[j]!) || similarity(sigs[i]!, sigs[j]!) < 0.95) return;
      const known = (r: PatchRecord, s: TargetedSignal) => r.signals.some((x) => x.cite.messageId === s.cite.messageId && x.cite.line === s.cite.line && x.kind === s.kind);
      const fromA = a.signals.filter((s) => !known(b, s));
      const fromB = b.signals.filter((s) => !known(a, s));
      for (const s of fromA) b.signals.push(s);
      for (const s of fromB) a.signals.push(s);
    }
  }

  // where each report belongs: the posting it replies under (reports are test results of
  // what was posted before them); a robot's report, or a tester's saying "this patch breaks",
  // says that posting introduces the failure
  for (const fr of failures) {
    const first = fr.mentions[0]!;
    const at = first.cite.messageId;
    const own = postingAt.get(at);
    if (own !== undefined) {
      fr.about = own; // shown in a posting's changelog: that posting's own failure
      continue;
    }
    const k = nearestPosting(at);
    if (k === undefined || patches[k]!.index >= fr.index) continue;
    fr.about = k;
    const msg = byId.get(at);
    if (!msg) continue;
    const robot = first.fromRobot || isRobot(`${msg.from.name} ${msg.from.address}`);
    if (robot) {
      fr.introduced = true;
      continue;
    }
    const said = classifyLaterLog(msg, first.cite.line, isConcreteKind(fr.failure) ? undefined : first.message).means;
    // its poster says it has nothing to do with the posting: no patch here answers or causes it
    if (said === 'unrelated') {
      fr.unrelated = true;
      continue;
    }
    // a reviewer showing the diagnostic the posting adds at work shows its new behaviour
    if (introducedByPatch(fr.failure, [patches[k]!.patch])) fr.newBehaviour = true;
    else fr.introduced = isConcreteKind(fr.failure) && (said === 'regression' || (said === 'unknown' && failsInNewCode(fr.failure, patches[k]!.patch)));
  }
  const shown = failures.filter((fr) => !fr.newBehaviour);
  if (shown.length < failures.length) {
    failures.length = 0;
    failures.push(...shown);
  }
  // the discussion under such a report (the author's "X is only defined when …") is about
  // the same breakage, not a failure the posting answers
  const breakReports = new Set(failures.filter((fr) => fr.introduced).map((fr) => fr.mentions[0]!.cite.messageId));
  for (const fr of failures) {
    if (fr.introduced || fr.about === undefined || !breakReports.size) continue;
    let a = parentOf.get(fr.mentions[0]!.cite.messageId);
    for (let guard = 0; a && guard < LIMITS.maxThreadDepth && !fr.introduced; guard++, a = parentOf.get(a)) if (breakReports.has(a)) fr.introduced = true;
  }
  failures.forEach((fr, k) => {
    if (fr.introduced && fr.about !== undefined) patches[fr.about]!.introduces.push(k);
  });

  // what each patch answers: failures in its own message; failures reported
  // (not in another patch's posting) before it that it is a reply to, that
  // touch what it changes, or of the kind its description says it fixes; a report
  // under another posting only by that posting's later revision or a reply to the report
  const descendsFrom = (id: string, ancestor: string): boolean => {
    let a = parentOf.get(id);
    for (let guard = 0; a && guard < LIMITS.maxThreadDepth; guard++, a = parentOf.get(a)) if (a === ancestor) return true;
    return false;
  };
  const revisionOf = (k: number, of: number): boolean => {
    let r = patches[k]!.replaces;
    for (let guard = 0; r !== undefined && guard < patches.length; guard++, r = patches[r]!.replaces) if (r === of) return true;
    return false;
  };
  // which failures a patch can answer, found by lookups rather than a scan of every failure
  // (a thread of thousands of postings, each with its log, stays linear): its own message's,
  // those about it or a revision it replaces, those reported above it, and the free reports
  const byMention = new Map<string, number[]>();
  const byAbout = new Map<number, number[]>();
  const free: number[] = [];
  const add = <K>(m: Map<K, number[]>, key: K, k: number) => {
    const list = m.get(key);
    if (!list) m.set(key, [k]);
    else if (list[list.length - 1] !== k) list.push(k);
  };
  failures.forEach((fr, k) => {
    for (const m of fr.mentions) add(byMention, m.cite.messageId, k);
    if (fr.about === undefined) free.push(k);
    else add(byAbout, fr.about, k);
  });
  const candidatesFor = (self: number, ancestors: Set<string>): number[] => {
    const p = patches[self]!.patch;
    const out = new Set<number>(free);
    for (const k of byMention.get(p.foundIn) ?? []) out.add(k);
    for (const k of byMention.get(p.messageId) ?? []) out.add(k);
    for (const k of byAbout.get(self) ?? []) out.add(k);
    let r = patches[self]!.replaces;
    for (let guard = 0; r !== undefined && guard < patches.length; guard++, r = patches[r]!.replaces) for (const k of byAbout.get(r) ?? []) out.add(k);
    for (const a of ancestors) {
      for (const k of byMention.get(a) ?? []) out.add(k);
      const posting = postingAt.get(a);
      if (posting !== undefined) for (const k of byAbout.get(posting) ?? []) out.add(k);
    }
    return [...out].sort((x, y) => x - y);
  };

  patches.forEach((rec, self) => {
    const p = rec.patch;
    const files = changedFiles(p).map((f) => f.replace(/^.*\//, ''));
    const ancestors = new Set<string>();
    let a = parentOf.get(p.foundIn);
    let guard = 0;
    while (a && guard++ < LIMITS.maxThreadDepth) {
      ancestors.add(a);
      a = parentOf.get(a);
    }
    const describesFailure = FAILURE_WORDS.test(`${p.subjectInfo.topic}\n${p.description}`);
    // a member of a series hangs off its cover: the cover's failure is the series', not every patch's
    const seriesMember = p.source !== 'quoted' && p.subjectInfo.isPatch && !p.subjectInfo.isReply && (p.subjectInfo.expected ?? 1) > 1;
    const inOwnMessage = (fr: FailureRecord) => fr.mentions.some((m) => m.cite.messageId === p.foundIn || m.cite.messageId === p.messageId);
    // a diagnostic the posting quotes, not its changelog's words about the problem
    const showsOwn = [...(byMention.get(p.foundIn) ?? []), ...(byMention.get(p.messageId) ?? [])].some((k) => isConcreteFailure(failures[k]!.failure));
    for (const k of candidatesFor(self, ancestors)) {
      const fr = failures[k]!;
      const f = fr.failure;
      if (inOwnMessage(fr)) {
        rec.ownFailures.push(k);
        rec.answers.push(k);
        continue;
      }
      if (fr.unrelated) continue;
      if (fr.about !== undefined && fr.about !== self) {
        // reported under another posting: answered by its later revision, or by a patch
        // posted in reply to the report; a sibling of the series was not what was tested
        const reportAt = fr.mentions[0]!.cite.messageId;
        if (revisionOf(self, fr.about) || descendsFrom(p.foundIn, reportAt)) rec.answers.push(k);
        else if (!fr.introduced && !seriesMember && descendsFrom(p.foundIn, patches[fr.about]!.patch.foundIn) && fr.index < rec.index) {
          // another approach posted in the same sub-thread, to the failure discussed there
          const symbolInDiff = Boolean(f.symbol && f.symbol.length > 3 && diffTextOf(p).includes(f.symbol));
          if (symbolInDiff || describesFailure) rec.answers.push(k);
        }
        continue;
      }
      if (fr.introduced) continue; // this posting breaks it: that is not an answer
      const concrete0 = isConcreteKind(f);
      if (fr.index > rec.index) {
        // a log posted in reply to the patch: the failure it answers, or one it does not fix or causes
        const first = fr.mentions[0]!;
        const msg = byId.get(first.cite.messageId);
        if (!msg || !concrete0 || f.fromRobot || isRobot(`${msg.from.name} ${msg.from.address}`)) continue;
        if (!descendsFrom(first.cite.messageId, p.foundIn)) continue;
        const said = classifyLaterLog(msg, first.cite.line);
        const byAuthor = samePerson(displayName(msg.from), p.author);
        const related =
          Boolean(f.symbol && f.symbol.length > 3 && (diffTextOf(p).includes(f.symbol!) || p.description.includes(f.symbol!))) || Boolean(f.file && files.includes(f.file.replace(/^.*\//, '')));
        if (said.means === 'answers' || (said.means === 'unknown' && (byAuthor || related))) rec.answers.push(k);
        continue;
      }
      const reportedOutsidePatches = fr.mentions.some((m) => !postingAt.has(m.cite.messageId));
      if (!reportedOutsidePatches) continue;
      // a robot's report is a test of what was posted before it: no earlier posting answers it
      if (f.fromRobot && postedBefore(p.foundIn, fr.mentions[0]!.cite.messageId)) continue;
      const concrete = concrete0;
      const fromAncestor = fr.mentions.some((m) => ancestors.has(m.cite.messageId));
      // the failing symbol in the diff links a patch to a failure; the failing file only
      // for errors located in it (a link error's fix is usually elsewhere)
      const symbolInDiff = Boolean(f.symbol && f.symbol.length > 3 && diffTextOf(p).includes(f.symbol));
      const located = f.kind === 'compile-error' || f.kind === 'warning' || f.kind === 'static-check';
      const touches = symbolInDiff || Boolean(located && f.file && files.includes(f.file.replace(/^.*\//, '')));
      // a patch that shows the failure it answers is about that one: another failure further
      // up its thread only when the diff touches it
      const viaAncestor = fromAncestor && !showsOwn && (seriesMember ? describesFailure : concrete || describesFailure);
      if (viaAncestor || touches || (describesFailure && concrete)) rec.answers.push(k);
    }
  });

  answerByReference({ messages, extractions, failures, patches, postingAt, linked: opts.linked });

  const context = extractions.reduce((acc, x) => mergeContexts(acc, x.context), emptyContext());
  return { thread, messages, extractions, failures, patches, context };
}
