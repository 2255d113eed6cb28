// A reported problem known by reference: the trailers a fix carries for the report
// it answers (Documentation/process/submitting-patches.rst, "Using Reported-by:,
// Tested-by:, Reviewed-by:, Suggested-by: and Fixes:"; checkpatch wants a
// Reported-by: followed by Closes: with the report's URL). Pure: trailers in,
// references out; what the links name is looked up by the caller.

import type { MailCite, Trailer } from '../core/types.js';

export interface ReportRef {
  /** the trailer that names it: Reported-by, Reported-and-tested-by, Closes, Link */
  trailer: string;
  /** who reported it (Reported-by's value), when named */
  reporter?: string;
  /** a robot or CI reported it (the kernel test robot, syzbot, …) */
  robot: boolean;
  /** the report's URL or Message-ID as written */
  link?: string;
  /** the Message-ID the link names, bare (no brackets) */
  messageId?: string;
  cite: MailCite;
}

/** At most this many links are followed per patch; a mail with a thousand Link: lines is noted, not read whole. */
export const MAX_REPORT_LINKS = 8;

const REPORTER_TRAILERS = new Set(['Reported-by', 'Reported-and-tested-by']);
/** Robots and CI systems that post reports to the lists. */
const ROBOT = /\b(?:lkp@intel\.com|kernel test robot|kbuild test robot|syzbot|syzkaller|oliver\.sang@intel\.com|kernelci|linux-next@|lkft)\b/i;
/** Lists and hosts that carry only reports (the robot's own lists; syzkaller's dashboard). */
const REPORT_PLACES = /\/(?:oe-kbuild-all|oe-lkp|lkp|kbuild-all)\/|syzkaller\.appspot\.com|bugzilla\.kernel\.org/i;

export function isRobotReporter(name: string): boolean {
  return ROBOT.test(name);
}

/**
 * The Message-ID a report link names: a lore-style URL (`…/<list>/<id>/`, `/r/<id>`),
 * `<id>` or a bare `id@host`; nothing for other links (a bug tracker, a web page).
 */
export function messageIdOfLink(link: string): string | undefined {
  let text = link.trim();
  while (text && '.,;)'.includes(text[text.length - 1]!)) text = text.slice(0, -1);
  const url = /^https?:\/\/\S{1,2000}$/i.test(text) ? safeUrl(text) : undefined;
  if (url) {
    for (const seg of url.pathname.split('/')) {
      const s = safeDecode(seg);
      if (s && /^[^\s@<>]{1,500}@[^\s@<>]{1,500}$/.test(s)) return s.replace(/^<|>$/g, '');
    }
    return undefined;
  }
  const m = /^<?([^\s<>@]{1,500}@[^\s<>@]{1,500})>?$/.exec(text);
  return m && !/^mailto:/i.test(m[1]!) ? m[1] : undefined;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function safeDecode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

export interface ReportRefs {
  refs: ReportRef[];
  /** links beyond MAX_REPORT_LINKS, not followed */
  dropped: number;
}

/**
 * The report references among a message's own trailers (quoted ones are someone
 * else's; trailers inside a diff were never trailers). A Link: counts as a report
 * only right after a Reported-by:/Suggested-by: (the convention checkpatch
 * enforces) or when it points at a robot's own list; otherwise it is the patch's
 * own or a discussion's.
 */
export function reportRefs(trailers: readonly Trailer[]): ReportRefs {
  const own = trailers.filter((t) => t.quoteDepth === 0);
  const refs: ReportRef[] = [];
  let dropped = 0;
  let links = 0;
  let reporter: { name: string; robot: boolean } | undefined;
  let afterCredit = false;
  for (const t of own) {
    if (REPORTER_TRAILERS.has(t.key)) {
      reporter = { name: t.value, robot: isRobotReporter(t.value) };
      refs.push({ trailer: t.key, reporter: t.value, robot: reporter.robot, cite: t.cite });
      afterCredit = true;
      continue;
    }
    if (t.key === 'Suggested-by') {
      afterCredit = true;
      continue;
    }
    if (t.key === 'Closes' || t.key === 'Link') {
      const isReport = t.key === 'Closes' || afterCredit || REPORT_PLACES.test(t.value);
      if (isReport) {
        if (++links > MAX_REPORT_LINKS) {
          dropped++;
          continue;
        }
        const robot = Boolean(reporter?.robot) || REPORT_PLACES.test(t.value);
        const messageId = messageIdOfLink(t.value);
        refs.push({ trailer: t.key, ...(reporter ? { reporter: reporter.name } : {}), robot, link: t.value, ...(messageId ? { messageId } : {}), cite: t.cite });
      }
      continue;
    }
    afterCredit = false;
  }
  return { refs, dropped };
}

/** Every Message-ID a message's trailers name as a report (what a caller may fetch). */
export function reportMessageIds(trailers: readonly Trailer[]): string[] {
  return [...new Set(reportRefs(trailers).refs.flatMap((r) => (r.messageId ? [r.messageId] : [])))];
}
