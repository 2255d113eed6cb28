// Subject prefixes as kernel lists write them, read the way b4 reads them
// (b4's LoreSubject): "Re: [PATCH v2 3/7]", "[RFC PATCH net-next]", "[PATCH RESEND]",
// "[PATCH -next]", patchwork's "[net,v2,1/2]", "[PATCH V2]", "[PATCH v3 00/10]",
// and the hand-typed ones: "[PATCHv3]", "[RFCv2 PATCH]", "[PATCH1/8]", "[PATCH [net] 1/2]",
// Mercurial's "[PATCH 1 of 2]",
// "[PATCH v3][PATCH 2/3]", "[GIT PULL]".

import { LIMITS } from '../core/limits.js';
import type { SubjectInfo } from '../core/types.js';

// Reply words of the mail clients kernel people use (English, German, Scandinavian,
// Finnish, Dutch, Italian, Polish, Hungarian, Spanish/Portuguese, Turkish, Latvian).
const REPLY_WORDS = /^(re|aw|sv|svar|antw|vs|ref|r|rif|odp|vá|res|ynt|atb)\s*(?:(\[\d+\])\s*)?:\s*/i;
const FWD_WORDS = /^(fwd?|wg|tr|rv|enc)\s*:\s*/i;

/**
 * The end of the bracket group opening at s[0] ('['), or -1. Inner brackets nest
 * ("[PATCH [net] 1/2]"); when they never balance, the first ']' closes the group
 * ("[PATCH [net 1/2] x"), as b4 reads it. A linear scan of at most LIMITS.maxSubjectPrefixChars.
 */
function closingBracket(s: string): number {
  let depth = 0;
  let firstClose = -1;
  const end = Math.min(s.length, LIMITS.maxSubjectPrefixChars + 2);
  for (let i = 0; i < end; i++) {
    const ch = s[i];
    if (ch === '[') depth++;
    else if (ch === ']') {
      if (firstClose < 0) firstClose = i;
      if (--depth === 0) return i;
    }
  }
  return firstClose;
}

/**
 * Words of one prefix group. Separators are spaces, commas and semicolons
 * (patchwork's "[net,v2,1/2]"); glued words are split as b4 does for "PATCHv3",
 * and likewise "PATCH1/8" and "RFC/PATCH".
 */
function prefixWords(inner: string): string[] {
  const out: string[] = [];
  // Mercurial's patchbomb writes "[PATCH 1 of 2]" (and "PATCH1 of 8"): the counter as N/M
  const hg = inner.replace(/(^|[\s,;]|patch)(\d{1,4}) of (\d{1,4})(?=$|[\s,;])/gi, (_m, pre: string, n: string, m: string) => `${pre}${/patch$/i.test(pre) ? ' ' : ''}${n}/${m}`);
  for (const raw of hg.split(/[\s,;[\]]+/)) {
    if (!raw) continue;
    const glued = /^(patch|rfc)(v\d{1,3}|\d{1,4}\/\d{1,4})$/i.exec(raw);
    if (glued) {
      out.push(glued[1]!, glued[2]!);
      continue;
    }
    const pair = /^(rfc|patch)\/(rfc|patch)$/i.exec(raw);
    if (pair) {
      out.push(pair[1]!, pair[2]!);
      continue;
    }
    out.push(raw);
  }
  return out;
}

export function parseSubject(raw: string): SubjectInfo {
  let s = (raw ?? '').replace(/\s+/g, ' ').trim();
  let isReply = false;
  let isForward = false;
  const prefixes: string[] = [];
  // Peel "Re:", "Fwd:" and "[...]" groups in any order, as mail clients stack them.
  for (let guard = 0; guard < LIMITS.maxSubjectPrefixGroups; guard++) {
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
    if (s.startsWith('[')) {
      const close = closingBracket(s);
      if (close > 0) {
        prefixes.push(...prefixWords(s.slice(1, close)));
        s = s.slice(close + 1).trimStart();
        continue;
      }
    }
    break;
  }
  const upper = prefixes.map((p) => p.toUpperCase());
  // "[GIT PULL]", "[PULL REQUEST]", "[GIT PULL v2]": a pull request, never a patch
  const isPull = upper.includes('PULL');
  let revision = 1;
  let revisionInferred = true;
  let counter: number | undefined;
  let expected: number | undefined;
  for (const p of prefixes) {
    const v = /^v(\d{1,3})$/i.exec(p);
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
  const isPatch = !isPull && (upper.includes('PATCH') || counter !== undefined);
  return {
    isReply,
    isForward,
    prefixes,
    isPatch,
    isPull,
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
