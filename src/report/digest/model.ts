// The weekly digest's content, from what the store holds: threads active in the
// window with their latest verdict and its history, routed to subsystems. Pure:
// rows in, a Digest out; text, HTML, the chart and the email render it.

export const DIGEST_KINDS = ['no-patch', 'hides', 'partial', 'breaks', 'fixes', 'no-failure', 'unclear'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

export interface DigestWindow {
  start: Date;
  end: Date;
  /** "2026-W49" or "7 days to 2026-12-07" */
  label: string;
}

/** One stored thread as the digest reads it. */
export interface DigestThreadRow {
  rootId: string;
  subject: string;
  lists: string[];
  firstDate: string | null;
  lastActivity: string | null;
  /** the latest verdict's JSON (report/render.ts toJson), as stored */
  verdictJson: string | null;
  /** the thread's verdict rows in order: what it was judged, and when */
  history: { verdict: string; confidence: number; patchId: string | null; judgedAt: string }[];
  /** patches in other threads that name this thread's report (Closes:/Link:, a Fixes: of the blamed commit) */
  answeredBy?: { messageId: string; subject: string | null }[];
  /** the text of the judged patch postings (commit message and diff), for MAINTAINERS' K: keywords */
  patchText?: string;
}

export interface DigestItem {
  rootId: string;
  subject: string;
  kind: DigestKind;
  confidence: number;
  /** https://lore.kernel.org/r/<msgid> of the judged patch, or of the thread */
  link: string;
  /** the failure, one line */
  failure?: string;
  /** the report that started it: the robot or a person, and its link */
  startedBy?: string;
  /** the judged patch's subject */
  patch?: string;
  /** why, one line (hides/partial/fixes) */
  why?: string;
  /** what would fix it (hides/partial), from the summary */
  remedy?: string;
  /** configurations still broken (partial) */
  stillBroken?: string[];
  /** first report's date, for "open since" */
  since?: string;
  subsystems: string[];
  lists: string[];
  /** verdict changes inside the window: "no-patch → fixes" */
  changes: string[];
  /** a patch elsewhere answers this report: its subject and link */
  answeredElsewhere?: string;
}

export interface Digest {
  window: DigestWindow;
  /** counts by verdict this window and the one before */
  counts: Record<DigestKind, number>;
  previous: Record<DigestKind, number>;
  /** per subsystem: counts by verdict */
  bySubsystem: { name: string; counts: Record<DigestKind, number> }[];
  /** reports / fixes / hides per day of the window (per few days for a long one), for the chart */
  perDay: { day: string; reports: number; fixes: number; hides: number }[];
  open: DigestItem[];
  hides: DigestItem[];
  partial: DigestItem[];
  breaks: DigestItem[];
  fixes: DigestItem[];
  changed: DigestItem[];
  /** reports with no patch in their own thread that a patch elsewhere answers */
  answeredElsewhere: DigestItem[];
  /** filters that made this digest (list, subsystem) */
  scope: string[];
}

interface StoredJson {
  verdict: string;
  confidence: number;
  summary: string;
  subject: string;
  rootId: string;
  patches: { messageId: string; subject: string; verdict: string; reason: string; answers: number[]; introduces: number[]; files: string[] }[];
  failures: {
    kind: string;
    message: string;
    cite: string;
    fromRobot?: boolean;
    configs: string[];
    configName: string | null;
    arch: string | null;
    reference?: { named?: string; reporter?: string; robot: boolean; link?: string } | null;
  }[];
}

export const loreLink = (msgid: string): string => `https://lore.kernel.org/r/${encodeURIComponent(msgid.replace(/^<|>$/g, '')).replace(/%40/g, '@')}`;

const emptyCounts = (): Record<DigestKind, number> => Object.fromEntries(DIGEST_KINDS.map((k) => [k, 0])) as Record<DigestKind, number>;

function asKind(v: string): DigestKind {
  return (DIGEST_KINDS as readonly string[]).includes(v) ? (v as DigestKind) : 'unclear';
}

function parseJson(text: string | null): StoredJson | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as StoredJson;
  } catch {
    return undefined;
  }
}

/** The summary's "What would fix it" sentence, when it has one. */
function remedyOf(summary: string): string | undefined {
  const m = /What would fix it:\s*([^\n]{1,400}(?:\n(?!\n)[^\n]{1,400}){0,4})/.exec(summary);
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : undefined;
}

function oneLine(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.lastIndexOf(' ', max - 1);
  return `${t.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

/** The message id part of a "<id>:L12" citation. */
function citedMessage(cite: string): string {
  const i = cite.lastIndexOf(':L');
  return i > 0 ? cite.slice(0, i) : cite;
}

/** "kernel test robot <lkp@intel.com>" → "the kernel test robot"; a person by name. */
function reporterName(reporter: string | undefined): string {
  if (!reporter) return 'a report';
  if (/lkp@intel\.com|test robot/i.test(reporter)) return 'the kernel test robot';
  const lt = reporter.indexOf('<');
  return (lt > 0 ? reporter.slice(0, lt) : reporter).trim() || reporter;
}

export interface BuildDigestOptions {
  window: DigestWindow;
  previousWindow: DigestWindow;
  /** subsystems for a set of changed files (MAINTAINERS, most specific first, then K: keywords of the patch text); none → the list */
  route?: (files: string[], patchText?: string) => string[];
  list?: string;
  subsystem?: string;
}

const inWindow = (iso: string | null | undefined, w: DigestWindow): boolean => {
  if (!iso) return false;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t >= w.start.getTime() && t < w.end.getTime();
};

export function buildDigest(rows: readonly DigestThreadRow[], opts: BuildDigestOptions): Digest {
  const { window } = opts;
  const counts = emptyCounts();
  const previous = emptyCounts();
  const bySub = new Map<string, Record<DigestKind, number>>();
  const days = new Map<string, { reports: number; fixes: number; hides: number }>();
  // a day per bar for a week or a month; longer windows in at most 31 equal steps
  const span = window.end.getTime() - window.start.getTime();
  const step = Math.max(1, Math.ceil(span / 86_400_000 / 31)) * 86_400_000;
  const bucketOf = (iso: string): string | undefined => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t) || t < window.start.getTime() || t >= window.end.getTime()) return undefined;
    return new Date(window.start.getTime() + Math.floor((t - window.start.getTime()) / step) * step).toISOString().slice(0, 10);
  };
  for (let t = window.start.getTime(); t < window.end.getTime(); t += step) days.set(new Date(t).toISOString().slice(0, 10), { reports: 0, fixes: 0, hides: 0 });
  const d: Digest = { window, counts, previous, bySubsystem: [], perDay: [], open: [], hides: [], partial: [], breaks: [], fixes: [], changed: [], answeredElsewhere: [], scope: [] };
  if (opts.list) d.scope.push(`list ${opts.list}`);
  if (opts.subsystem) d.scope.push(`subsystem ${opts.subsystem}`);

  for (const row of rows) {
    const v = parseJson(row.verdictJson);
    if (!v) continue;
    if (opts.list && !row.lists.includes(opts.list)) continue;
    const kind = asKind(v.verdict);
    const judged = v.patches.filter((p) => p.verdict === v.verdict && (p.answers.length || p.introduces.length)).pop() ?? v.patches.filter((p) => p.verdict === v.verdict).pop();
    const files = [...new Set(v.patches.flatMap((p) => p.files))];
    const routed = files.length && opts.route ? opts.route(files, row.patchText) : [];
    const subsystems = routed.length ? routed : row.lists.length ? row.lists.map((l) => `list ${l}`) : ['(no list)'];
    const scoped = opts.subsystem ? subsystems.filter((s) => s.toLowerCase().includes(opts.subsystem!.toLowerCase())) : subsystems;
    if (!scoped.length) continue;
    if (inWindow(row.lastActivity, opts.previousWindow) && !inWindow(row.lastActivity, window)) {
      previous[kind]++;
      continue;
    }
    if (!inWindow(row.lastActivity, window)) continue;
    counts[kind]++;
    // once, under its most specific section; in one subsystem's digest, under that one (it may reach it by K: only)
    for (const s of scoped.slice(0, 1)) {
      const c = bySub.get(s) ?? emptyCounts();
      c[kind]++;
      bySub.set(s, c);
    }
    const answered = judged ? judged.answers.map((k) => v.failures[k]).filter((f) => f !== undefined) : [];
    const failure = answered[0] ?? v.failures[0];
    const firstMail = failure ? citedMessage(failure.cite) : undefined;
    const startedBy = failure
      ? failure.reference
        ? `${reporterName(failure.reference.reporter)}${failure.reference.link ? `: ${failure.reference.link}` : ' (no link)'}`
        : `${failure.fromRobot || /lkp@intel/i.test(firstMail ?? '') ? 'the kernel test robot: ' : ''}${firstMail ? loreLink(firstMail) : ''}`.trim()
      : undefined;
    const changes: string[] = [];
    for (let i = 1; i < row.history.length; i++) {
      const h = row.history[i]!;
      // a row that only made the same verdict surer (or less sure) is no change of verdict
      if (h.verdict === row.history[i - 1]!.verdict) continue;
      if (inWindow(h.judgedAt, window) || inWindow(row.lastActivity, window)) changes.push(`${row.history[i - 1]!.verdict} → ${h.verdict}`);
    }
    const item: DigestItem = {
      rootId: row.rootId,
      subject: row.subject || v.subject,
      kind,
      confidence: v.confidence,
      link: loreLink(judged?.messageId ?? row.rootId),
      ...(failure ? { failure: failure.reference ? `${failure.reference.named ?? 'a problem'}, not quoted in the thread` : oneLine(failure.message) } : {}),
      ...(startedBy ? { startedBy } : {}),
      ...(judged ? { patch: judged.subject } : {}),
      ...(judged && kind !== 'no-patch' ? { why: oneLine(judged.reason, 200) } : {}),
      ...((kind === 'hides' || kind === 'partial') && remedyOf(v.summary) ? { remedy: remedyOf(v.summary) } : {}),
      ...(kind === 'partial' ? { stillBroken: [...new Set(v.failures.flatMap((f) => [...(f.configName ? [f.configName] : []), ...f.configs]))].slice(0, 6) } : {}),
      ...(row.firstDate ? { since: row.firstDate } : {}),
      subsystems,
      lists: row.lists,
      changes,
    };
    const day = row.lastActivity ? bucketOf(row.lastActivity) : undefined;
    const bucket = day ? days.get(day) : undefined;
    if (bucket) {
      if (kind === 'no-patch' || kind === 'breaks') bucket.reports++;
      if (kind === 'fixes' || kind === 'partial') bucket.fixes++;
      if (kind === 'hides') bucket.hides++;
    }
    const elsewhere = row.answeredBy?.[0];
    if (elsewhere) item.answeredElsewhere = `${elsewhere.subject ?? '(a patch)'} ${loreLink(elsewhere.messageId)}`;
    // a report a patch in another thread answers is not open any more: it is listed with the answers
    if (kind === 'no-patch' && elsewhere) d.answeredElsewhere.push(item);
    else if (kind === 'no-patch') d.open.push(item);
    else if (kind === 'hides') d.hides.push(item);
    else if (kind === 'partial') d.partial.push(item);
    else if (kind === 'breaks') d.breaks.push(item);
    else if (kind === 'fixes') d.fixes.push(item);
    if (changes.length) d.changed.push(item);
  }
  // oldest open report first: it has waited longest
  d.open.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
  for (const list of [d.hides, d.partial, d.breaks, d.fixes]) list.sort((a, b) => b.confidence - a.confidence);
  d.bySubsystem = [...bySub.entries()].map(([name, c]) => ({ name, counts: c })).sort((a, b) => total(b.counts) - total(a.counts) || a.name.localeCompare(b.name));
  d.perDay = [...days.entries()].map(([day, c]) => ({ day, ...c }));
  return d;
}

export function total(c: Record<DigestKind, number>): number {
  return DIGEST_KINDS.reduce((a, k) => a + c[k], 0);
}
