// Fixture threads judged with the kernel index (test/fixtures/index-threads) and
// the fixture tree they are about (test/fixtures/trees/gamma): the expected-file
// schema, and the parts of a JSON report each check reads.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TREES } from './index-fixtures.js';

export const INDEX_THREADS = join(REPO, 'test', 'fixtures', 'index-threads');
export const GAMMA = join(TREES, 'gamma');
/** the tree name the index gives gamma (from its top Makefile) */
export const GAMMA_VERSION = '6.9.0-kt3';

/** The effect classes of issue 4's acceptance: every one needs at least one fixture. */
export const EFFECT_CLASSES = ['guard narrowing', 'depends on !X', 'export added', 'stub', 'call replaced', 'Kconfig select of an alternative', 'revert', 'partial across arches'] as const;

/** The checks run on every fixture; `knownMissChecks` names some of them. */
export const CHECKS = ['verdict', 'patches', 'failureSymbols', 'indexMentions', 'indexAbsent', 'evidenceMentions', 'summaryMentions', 'blindVerdict', 'withoutIndex'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface IndexThreadExpected {
  /** the thread verdict with the gamma index */
  verdict: string;
  /** the verdict with --blind (messages up to the first answering patch), when it legitimately differs */
  blindVerdict?: string;
  /** Message-ID -> verdict of that patch */
  patches?: Record<string, string>;
  /** symbols that must appear among failures[].symbol */
  failureSymbols?: string[];
  /** strings that must appear in the index evidence, the patch reasons or the xrefs */
  indexMentions?: string[];
  /** strings that must not appear there (a wrong index fact) */
  indexAbsent?: string[];
  /** strings that must appear in the summary, evidence, effects or reasons */
  evidenceMentions?: string[];
  /** strings the summary itself (the text of a reply on the list) must carry */
  summaryMentions?: string[];
  /** without the index the verdict must differ: the index decides this one */
  indexDecides?: boolean;
  effectClass: (typeof EFFECT_CLASSES)[number];
  /** the kernel fact or review convention behind the verdict */
  why: string;
  /** what the tool gets wrong today (the gap, precisely) */
  knownMiss?: string;
  /** the checks the knownMiss is about; without it, every check is a TODO */
  knownMissChecks?: CheckName[];
}

export interface Ev {
  source: string;
  cite: string;
  text: string;
}

export interface ReportJson {
  verdict: string;
  summary: string;
  messages: number;
  evidence: Ev[];
  patches: { messageId: string; verdict: string; reason: string; effects: { kind: string; detail: string }[]; evidence: Ev[] }[];
  failures: { kind: string; symbol: string | null; arch: string | null; configs: string[] }[];
  index: { tree: string; version: string | null; chosenBecause?: string | null } | null;
  xrefs: unknown[];
  blindCutAfter?: string;
}

export function listIndexThreads(): string[] {
  return readdirSync(INDEX_THREADS)
    .filter((f) => f.endsWith('.mbox'))
    .sort();
}

export function readIndexThreadExpected(fixture: string): IndexThreadExpected {
  const path = join(INDEX_THREADS, fixture.replace(/\.mbox$/, '.expected.json'));
  assert.ok(existsSync(path), `${fixture}: no expected file beside it`);
  const e = JSON.parse(readFileSync(path, 'utf8')) as IndexThreadExpected;
  assert.equal(typeof e.verdict, 'string', `${path}: "verdict" missing`);
  assert.equal(typeof e.why, 'string', `${path}: "why" missing`);
  assert.ok((EFFECT_CLASSES as readonly string[]).includes(e.effectClass), `${path}: "effectClass" must be one of ${EFFECT_CLASSES.join(', ')}`);
  for (const c of e.knownMissChecks ?? []) assert.ok((CHECKS as readonly string[]).includes(c), `${path}: unknown check "${c}" in knownMissChecks`);
  if (e.knownMissChecks) assert.ok(e.knownMiss, `${path}: knownMissChecks without knownMiss`);
  return e;
}

/** Index evidence (thread and patches), patch reasons and the xrefs: what the index said. */
export function indexText(j: ReportJson): string {
  const parts: string[] = [];
  const ev = (e: Ev) => {
    if (e.source === 'index') parts.push(e.cite, e.text);
  };
  j.evidence.forEach(ev);
  for (const p of j.patches) {
    parts.push(p.reason);
    p.evidence.forEach(ev);
  }
  parts.push(JSON.stringify(j.xrefs));
  return parts.join('\n');
}

/** The text a maintainer reads: summary, evidence, effects and reasons. */
export function proseText(j: Pick<ReportJson, 'summary' | 'evidence' | 'patches'>): string {
  const parts: string[] = [j.summary];
  for (const e of j.evidence) parts.push(e.cite, e.text);
  for (const p of j.patches) {
    parts.push(p.reason);
    for (const e of p.effects) parts.push(e.detail);
    for (const e of p.evidence) parts.push(e.cite, e.text);
  }
  return parts.join('\n');
}

export function indexEvidenceCount(j: ReportJson): number {
  return j.evidence.filter((e) => e.source === 'index').length + j.patches.reduce((n, p) => n + p.evidence.filter((e) => e.source === 'index').length, 0);
}
