// The failure a patch answers when its thread does not quote it (issue 14): most fixes
// that reach the subsystem trees credit the report (Reported-by:, Closes:) and name
// the problem in their subject, and the log lives in another thread. Such a patch
// answers a reported problem all the same: the report in the thread that its link
// names, or the report fetched from outside (LinkedReports), or else a failure known
// only by reference, never quoted, so below posting confidence (decide.ts caps it).

import type { BuildFailure, Extraction, LinkedReports, Message } from '../core/types.js';
import { extractMessage } from '../extract/message.js';
import { reportRefs, type ReportRef } from '../extract/report-refs.js';
import { namedProblem, subjectWords } from '../extract/vocab/reported-problems.js';
import type { FailureRecord, PatchRecord } from './facts.js';

export interface ByReferenceInput {
  messages: readonly Message[];
  extractions: readonly Extraction[];
  failures: FailureRecord[];
  patches: PatchRecord[];
  /** the posting record of each message (its first, not a quoted copy) */
  postingAt: ReadonlyMap<string, number>;
  linked?: LinkedReports;
}

const bracketed = (id: string) => (id.startsWith('<') ? id : `<${id}>`);

/** A reporter as the summary names it: the robot by its name, a person by name without the address. */
function reporterName(r: ReportRef): string | undefined {
  if (!r.reporter) return undefined;
  if (r.robot && /lkp@intel\.com|test robot/i.test(r.reporter)) return 'the kernel test robot';
  const lt = r.reporter.indexOf('<');
  return (lt > 0 ? r.reporter.slice(0, lt) : r.reporter).trim() || r.reporter;
}

/** Who runs the build the robot reports come from: lkp@intel.com's reports are builds; others (syzbot, the LKP performance robot) run the kernel. */
function kindWithoutWords(refs: readonly ReportRef[]): BuildFailure['kind'] {
  return refs.some((r) => r.reporter && /lkp@intel\.com/i.test(r.reporter)) ? 'build-prose' : 'runtime';
}

export function answerByReference(input: ByReferenceInput): void {
  const { messages, extractions, failures, patches, postingAt, linked } = input;
  const byId = new Map(messages.map((m, i) => [m.messageId, i]));
  const failuresShownIn = new Map<string, number[]>();
  failures.forEach((fr, k) => {
    const id = fr.mentions[0]!.cite.messageId;
    const list = failuresShownIn.get(id);
    if (list) list.push(k);
    else failuresShownIn.set(id, [k]);
  });
  const linkedFailures = new Map<string, BuildFailure[]>();
  const linkedFailuresOf = (id: string): BuildFailure[] | undefined => {
    const got = linkedFailures.get(id);
    if (got) return got;
    const report = linked?.get(id);
    if (!report || !('messages' in report)) return undefined;
    // the report itself, not the discussion under it (replies may quote other logs)
    const msg = report.messages.find((m) => m.messageId === id) ?? report.messages[0];
    const fs = msg ? extractMessage(msg).failures.map((f) => ({ ...f, linked: true })) : [];
    linkedFailures.set(id, fs);
    return fs;
  };

  patches.forEach((rec, self) => {
    const p = rec.patch;
    if (p.source === 'quoted' || postingAt.get(p.foundIn) !== self || p.subjectInfo.isReply) return;
    const x = extractions[rec.index];
    if (!x) return;
    const { refs } = reportRefs(x.trailers);
    const fromReport: number[] = [];
    const add = (k: number) => {
      if (!fromReport.includes(k) && !rec.introduces.includes(k)) fromReport.push(k);
    };
    for (const r of refs) {
      if (!r.messageId) continue;
      const id = bracketed(r.messageId);
      if (id === p.foundIn || id === p.messageId) continue; // a link to itself (b4's Link: to the posting)
      if (byId.has(id)) {
        // the report is in this thread: what it shows is what this patch answers
        for (const k of failuresShownIn.get(id) ?? []) if (failures[k]!.about !== self || !failures[k]!.introduced) add(k);
        continue;
      }
      for (const f of linkedFailuresOf(id) ?? []) {
        failures.push({ failure: f, mentions: [f], index: rec.index, about: self });
        add(failures.length - 1);
      }
    }
    if (fromReport.length) {
      // the report the patch names comes first: its diagnostic is what the summary shows
      rec.answers = [...fromReport, ...rec.answers.filter((k) => !fromReport.includes(k))];
      return;
    }
    // what the changelog tells in its own words is the same problem the credit names
    const toldInWords = rec.answers.every((k) => failures[k]!.failure.inWords && failures[k]!.mentions[0]!.cite.messageId === p.foundIn);
    if (!toldInWords) return;
    // known only by reference: credited by a trailer, or named by the subject's own words
    const named = namedProblem(subjectWords(p.subjectInfo.topic)) ?? (refs.length ? namedProblem(changelogOf(p.description)) : undefined);
    if (!refs.length && !named) return;
    if (rec.answers.length && !refs.length) return; // the subject's words name what the changelog already tells
    const credit = refs.find((r) => r.reporter) ?? refs[0];
    const withLink = refs.find((r) => r.link);
    const who = credit ? reporterName(credit) : undefined;
    const unavailable = withLink?.messageId ? linked?.get(bracketed(withLink.messageId)) : undefined;
    const where = withLink?.link ? `: ${withLink.link}` : '';
    const label = named?.label ?? 'a problem';
    const message = who
      ? `${label} reported by ${who}${where}, not quoted in this thread${unavailable && 'note' in unavailable ? ` (linked report not available: ${unavailable.note})` : ''}`
      : `${label} named in the patch's subject, not quoted in this thread`;
    const f: BuildFailure = {
      kind: named?.kind ?? kindWithoutWords(refs),
      message,
      configs: [],
      fromRobot: Boolean(credit?.robot),
      cite: credit ? credit.cite : { messageId: p.foundIn, line: 0 },
      quoteDepth: 0,
      reference: {
        ...(named ? { named: named.label } : {}),
        ...(credit?.reporter ? { reporter: credit.reporter } : {}),
        robot: Boolean(credit?.robot),
        ...(withLink?.link ? { link: withLink.link } : {}),
      },
    };
    failures.push({ failure: f, mentions: [f], index: rec.index, about: self });
    rec.ownFailures.push(failures.length - 1);
    rec.answers.unshift(failures.length - 1);
  });
}

/** The changelog proper: the version notes and trailers below it are history and credits, not the problem. */
function changelogOf(description: string): string {
  const lines = description.split('\n');
  const end = lines.findIndex((l) => /^\s*(?:-{3}\s*$|(?:changes|changelog|v\d+)\b.{0,40}(?:since|from|->|:)|[A-Z][\w-]{1,40}-by:)/i.test(l));
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}
