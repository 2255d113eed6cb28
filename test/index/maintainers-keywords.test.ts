// MAINTAINERS K: keywords, matched the way get_maintainer.pl --keywords (its
// default) reads a patch: anything before the first file header, then only
// added and removed lines. Both directions: a keyword the patch adds or
// removes routes it; the same word in context, in a file name or a hunk
// header does not. Perl's inline (?i) forms, which Node 20 lacks, are
// translated. The fixture is test/fixtures/trees/delta/MAINTAINERS (K: gizmo_trace_).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keywordLines, keywordRegex, keywordSections, matchMaintainersForPatch, parseMaintainers, type MaintainerSection } from '../../src/index/maintainers.js';
import { TREES } from '../helpers/index-fixtures.js';

const sections = parseMaintainers(readFileSync(join(TREES, 'delta', 'MAINTAINERS'), 'utf8'));
const titles = (ms: { title: string }[]) => ms.map((m) => m.title);

function patch(body: string, file = 'drivers/misc/widget.c', message = 'Add a widget counter.'): string {
  return [
    'From: Jo Doe <jo@example.org>',
    'Subject: [PATCH] misc: widget: count resets',
    '',
    message,
    '',
    'Signed-off-by: Jo Doe <jo@example.org>',
    '---',
    ` ${file} | 2 ++`,
    ' 1 file changed, 2 insertions(+)',
    '',
    `diff --git a/${file} b/${file}`,
    'index 1111111..2222222 100644',
    `--- a/${file}`,
    `+++ b/${file}`,
    '@@ -10,6 +10,8 @@ static int widget_reset(struct widget *w)',
    body,
    '-- ',
    '2.39.5',
  ].join('\n');
}

describe('K: keywords in a patch', () => {
  it('an added line with the keyword adds its section after the sections of the files', () => {
    const m = matchMaintainersForPatch(sections, ['drivers/misc/widget.c'], patch(' \tw->count = 0;\n+\tgizmo_trace_reset(w);'));
    assert.deepEqual(titles(m), ['THE REST', 'GIZMO TRACE HELPERS']);
    assert.deepEqual(m[1]!.keywords, ['gizmo_trace_']);
    assert.deepEqual(m[1]!.matched, []);
  });

  it('a removed line counts too (the script matches ^[+-])', () => {
    assert.deepEqual(titles(matchMaintainersForPatch(sections, ['drivers/misc/widget.c'], patch('-\tgizmo_trace_reset(w);'))), ['THE REST', 'GIZMO TRACE HELPERS']);
  });

  it('the commit message counts (anything before the first file header)', () => {
    const p = patch('+\tw->count = 0;', 'drivers/misc/widget.c', 'Unlike gizmo_trace_reset(), keep the count.');
    assert.deepEqual(titles(matchMaintainersForPatch(sections, ['drivers/misc/widget.c'], p)), ['THE REST', 'GIZMO TRACE HELPERS']);
  });

  it('near misses: a context line, a hunk header, a file header name do not count', () => {
    const context = patch(' \tgizmo_trace_reset(w);\n+\tw->count = 0;');
    assert.deepEqual(titles(matchMaintainersForPatch(sections, ['drivers/misc/widget.c'], context)), ['THE REST']);
    const hunk = patch('+\tw->count = 0;').replace('static int widget_reset', 'static int gizmo_trace_widget');
    assert.deepEqual(titles(matchMaintainersForPatch(sections, ['drivers/misc/widget.c'], hunk)), ['THE REST']);
    // the name is in the diffstat, which is before the headers: the script counts that line, so does this
    const named = patch('+\tw->count = 0;', 'drivers/misc/gizmo_trace_widget.c');
    assert.deepEqual(
      keywordLines(named).filter((l) => l.includes('gizmo_trace_')),
      [' drivers/misc/gizmo_trace_widget.c | 2 ++'],
    );
    assert.ok(!keywordLines(named).some((l) => l.startsWith('+++') || l.startsWith('--- a/')));
  });

  it('a section found by its files and by a keyword is listed once, where its files put it', () => {
    const m = matchMaintainersForPatch(sections, ['drivers/gizmo/gizmo-trace.c'], patch('+\tgizmo_trace_reset(w);', 'drivers/gizmo/gizmo-trace.c'));
    assert.deepEqual(titles(m), ['GIZMO TRACE HELPERS', 'GIZMO SUBSYSTEM', 'THE REST']);
    assert.deepEqual(m[0]!.keywords, ['gizmo_trace_']);
  });
});

describe('K: regexes as Perl reads them (/x, inline (?i))', () => {
  const section = (k: string): MaintainerSection[] => [{ title: 'K', line: 1, status: null, persons: [], lists: [], patterns: [], keywords: [k] }];
  const hits = (k: string, text: string) => keywordSections(section(k), text, 'file').length === 1;

  it('a leading (?i) ignores case for the whole keyword', () => {
    assert.ok(hits('(?i)pidfd', 'int PIDFD_open;'));
    assert.ok(!hits('(?i)pidfd', 'int pid_fd;'));
  });

  it('a (?i:…) group ignores case inside it only', () => {
    assert.ok(hits('\\b(?i:clang|llvm)\\b', 'built with Clang 16'));
    assert.ok(hits('\\b(?i:rust)\\b', 'the Rust bindings'));
    assert.ok(!hits('\\b(?i:rust)\\b', 'we trust it'), 'word boundary kept');
    assert.ok(!hits('x(?i:a)Y', 'xAy'), 'Y outside the group keeps its case');
    assert.equal(keywordRegex('x(?i:a)Y')!.source, 'x(?:[aA])Y');
  });

  it('/x: blanks in the keyword are not significant; an escaped blank is', () => {
    assert.ok(hits('struct \\s+ phylink', 'struct  phylink *pl;'));
    assert.ok(hits('a\\ b', 'a b'));
    assert.ok(!hits('a\\ b', 'ab'));
  });

  it('a keyword that does not compile matches nothing (and throws nothing)', () => {
    assert.equal(keywordRegex('(unclosed'), null);
    assert.ok(!hits('(unclosed', '(unclosed'));
  });
});
