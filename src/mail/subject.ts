// Subject prefixes as kernel lists write them, read the way b4 reads them:
// "Re: [PATCH v2 3/7]", "[RFC PATCH net-next]", "[PATCH RESEND]", "[PATCH -next]",
// patchwork's "[net,v2,1/2]", "[PATCH V2]", "[PATCH v3 00/10]".

import type { SubjectInfo } from '../core/types.js';

const REPLY_WORDS = /^(re|aw|sv|antw|vs|ref|r|rif|odp|vá|res)\s*(\[\d+\])?\s*:\s*/i;
const FWD_WORDS = /^(fwd?|wg|tr|rv|enc)\s*:\s*/i;

export function parseSubject(raw: string): SubjectInfo {
  let s = (raw ?? '').replace(/\s+/g, ' ').trim();
  let isReply = false;
  let isForward = false;
  const prefixes: string[] = [];
  // Peel "Re:", "Fwd:" and "[...]" groups in any order, as mail clients stack them.
  for (let guard = 0; guard < 20; guard++) {
    const re = REPLY_WORDS.exec(s);
    if (re) {
      isReply = true;
      s = s.slice(re[0].length);
      continue;
    }
    const fw = FWD_WORDS.exec(s);
    if (fw) {
      isForward = true;
      s = s.slice(fw[0].length);
      continue;
    }
    const br = /^\[([^\]]{0,100})\]\s*/.exec(s);
    if (br) {
      prefixes.push(...br[1]!.split(/[\s,]+/).filter(Boolean));
      s = s.slice(br[0].length);
      continue;
    }
    break;
  }
  const upper = prefixes.map((p) => p.toUpperCase());
  const isPatch = upper.some((p) => p === 'PATCH' || p === 'PATCHV' || /^PATCH(V\d+)?$/.test(p)) || (prefixes.length > 0 && prefixes.some((p) => /^\d+\/\d+$/.test(p)));
  let revision = 1;
  let revisionInferred = true;
  let counter: number | undefined;
  let expected: number | undefined;
  for (const p of prefixes) {
    const v = /^(?:patch)?v(\d{1,3})$/i.exec(p);
    if (v) {
      revision = Number(v[1]);
      revisionInferred = false;
      continue;
    }
    const c = /^(\d{1,4})\/(\d{1,4})$/.exec(p);
    if (c) {
      counter = Number(c[1]);
      expected = Number(c[2]);
    }
  }
  return {
    isReply,
    isForward,
    prefixes,
    isPatch,
    isRfc: upper.includes('RFC'),
    isResend: upper.includes('RESEND'),
    revision,
    revisionInferred,
    counter,
    expected,
    topic: s.trim(),
  };
}

/** Key for subject-based threading: topic lowercased with whitespace folded. */
export function subjectKey(info: SubjectInfo): string {
  return info.topic.toLowerCase().replace(/\s+/g, ' ').trim();
}
