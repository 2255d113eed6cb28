// The built CLI: ktriage index build/list/lookup/explain/kconfig/refs with
// --db and with KTRIAGE_INDEX, JSON output, and bad input answered with one
// "ktriage: ..." line on stderr and a nonzero exit, never a stack trace.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureDist, runCli, type CliResult } from '../helpers/index-cli.js';
import { openIndex } from '../../src/store/index-db.js';
import { ALPHA, ALPHA_VERSION, BETA, BETA_VERSION, lineOf, makeTarball, tempDir } from '../helpers/index-fixtures.js';

/** a failure: exactly one stderr line "ktriage: <message>", no stack, nothing on stdout */
function assertOneLineError(r: CliResult, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 2, `one line, got: ${JSON.stringify(r.stderr)}`);
  assert.equal(lines[1], '');
  assert.match(lines[0]!, /^ktriage: /);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.ok(
    !r.stderr
      .split('\n')
      .slice(1)
      .some((l) => /^\s+at /.test(l)),
    'no stack frame',
  );
  assert.match(lines[0]!.slice('ktriage: '.length), message);
}

describe('ktriage index (the built CLI)', () => {
  let dir: string;
  let db: string;
  before(() => {
    ensureDist();
    dir = tempDir('ktriage-cli-');
    db = join(dir, 'index.sqlite');
    const b = runCli(['index', 'build', ALPHA, '--db', db]);
    assert.equal(b.code, 0, b.stderr);
  });

  it('build: one summary line on stdout, nothing on stderr; --format json parses', () => {
    const other = join(dir, 'beta.sqlite');
    const r = runCli(['index', 'build', BETA, '--db', other]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(
      r.stdout,
      new RegExp(
        `^indexed ${BETA_VERSION.replace(/\./g, '\\.')} \\(dir, version ${BETA_VERSION.replace(/\./g, '\\.')}\\): 30 files, 37 entries in \\d+\\.\\d s -> ${other.replace(/[.]/g, '\\.')}\\n$`,
      ),
    );
    const j = runCli(['index', 'build', BETA, '--db', other, '--name', 'beta-json', '--format', 'json', '--jobs', '0']);
    assert.equal(j.code, 0, j.stderr);
    const s = JSON.parse(j.stdout) as { tree: string; kind: string; version: string; files: number; entries: number; errors: string[]; db: string };
    assert.deepEqual([s.tree, s.kind, s.version, s.files, s.entries, s.errors, s.db], ['beta-json', 'dir', BETA_VERSION, 30, 37, [], other]);
  });

  it('list: one line per tree; JSON too', () => {
    const r = runCli(['index', 'list', '--db', db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^${ALPHA_VERSION.replace(/\./g, '\\.')} +dir +91 files +155 entries  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  ${ALPHA}\\n$`));
    const j = JSON.parse(runCli(['index', 'list', '--db', db, '--format', 'json']).stdout) as { name: string; files: number }[];
    assert.deepEqual(
      j.map((t) => [t.name, t.files]),
      [[ALPHA_VERSION, 91]],
    );
  });

  it('lookup --arch corvid: grouped by arch, with #if and build conditions and the Makefile citation', () => {
    const r = runCli(['index', 'lookup', 'flush_tlb_kernel_span', '--arch', 'corvid', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const h = 'arch/corvid/include/asm/tlbflush.h';
    const span = 'extern void flush_tlb_kernel_span';
    assert.equal(
      r.stdout,
      [
        `flush_tlb_kernel_span in tree ${ALPHA_VERSION} (arch corvid and tree-wide files)`,
        'tree-wide:',
        `  static inline function include/asm-generic/tlbflush.h:${lineOf(ALPHA, 'include/asm-generic/tlbflush.h', 'flush_tlb_kernel_span')}`,
        'arch/corvid:',
        `  prototype              ${h}:${lineOf(ALPHA, h, span, 1)}`,
        '      #if defined(CONFIG_MMU) && !defined(__ASSEMBLY__)',
        `  prototype              ${h}:${lineOf(ALPHA, h, span, 2)}`,
        '      #if !defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)',
        `  function               arch/corvid/kernel/smp_tlb.c:${lineOf(ALPHA, 'arch/corvid/kernel/smp_tlb.c', '^void flush_tlb_kernel_span(')}`,
        `      built when defined(CONFIG_MMU) && defined(CONFIG_SMP) (arch/corvid/kernel/Makefile:${lineOf(ALPHA, 'arch/corvid/kernel/Makefile', 'smp_tlb.o')})`,
        '',
      ].join('\n'),
    );
    const plover = runCli(['index', 'lookup', 'flush_tlb_kernel_span', '--arch', 'plover', '--db', db]);
    assert.equal(plover.stdout.split('\n').filter((l) => l.includes('arch/corvid')).length, 0);
    assert.match(plover.stdout, /^tree-wide:\n {2}static inline function include\/asm-generic\/tlbflush\.h:\d+\n$/m);
    const j = JSON.parse(runCli(['index', 'lookup', 'flush_tlb_kernel_span', '--db', db, '--format', 'json']).stdout) as {
      rows: { path: string; kind: string; cond: string; buildCond: string | null; arch: string | null }[];
    };
    assert.deepEqual(
      j.rows.map((x) => `${x.arch} ${x.kind} ${x.buildCond}`),
      ['corvid proto null', 'corvid proto null', 'corvid func defined(CONFIG_MMU) && defined(CONFIG_SMP)', 'null func null'],
    );
  });

  it('lookup of a symbol the tree does not have: unknown there (not "undefined"), with why it may be missing, exit 0', () => {
    const r = runCli(['index', 'lookup', 'no_such_symbol', '--db', db]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `no_such_symbol is unknown in tree ${ALPHA_VERSION}: the index has no entry for it (it may be newer or older than the tree, or generated at build time)\n`);
  });

  it('explain, the ARM-like case: declared, not defined, will not link, with the file:line citations', () => {
    const r = runCli(['index', 'explain', 'flush_tlb_kernel_span', '--arch', 'corvid', '--config', 'CONFIG_SMP=y,CONFIG_MMU=n', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const mk = `arch/corvid/kernel/Makefile:${lineOf(ALPHA, 'arch/corvid/kernel/Makefile', 'smp_tlb.o')}`;
    const def = `arch/corvid/kernel/smp_tlb.c:${lineOf(ALPHA, 'arch/corvid/kernel/smp_tlb.c', '^void flush_tlb_kernel_span(')}`;
    assert.deepEqual(lines.slice(0, 6), [
      `flush_tlb_kernel_span on corvid with CONFIG_SMP=y CONFIG_MMU=n (tree ${ALPHA_VERSION})`,
      '  declared:    yes',
      '  defined:     no',
      '  exported:    no',
      `  built-in code can use it: no: declared but not defined in this configuration (${def} is built only when defined(CONFIG_MMU) && defined(CONFIG_SMP) (${mk})): a reference compiles and will not link`,
      `  a module can use it:      no: declared but not defined in this configuration (${def} is built only when defined(CONFIG_MMU) && defined(CONFIG_SMP) (${mk})): a reference compiles and will not link`,
    ]);
    const h = 'arch/corvid/include/asm/tlbflush.h';
    assert.ok(lines.includes(`  prototype              ${h}:${lineOf(ALPHA, h, 'extern void flush_tlb_kernel_span', 2)}: present in this configuration`));
    assert.ok(lines.includes('      #if !defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)  -> true'));
    assert.ok(lines.includes(`      built when defined(CONFIG_MMU) && defined(CONFIG_SMP) (${mk})  -> false`));
    const j = JSON.parse(runCli(['index', 'explain', 'flush_tlb_kernel_span', '--arch', 'corvid', '--config', 'SMP=y MMU=n', '--db', db, '--format', 'json']).stdout) as {
      tree: string;
      declared: string;
      defined: string;
      builtinUse: { answer: string };
    };
    assert.deepEqual([j.tree, j.declared, j.defined, j.builtinUse.answer], [ALPHA_VERSION, 'true', 'false', 'false']);
  });

  it('kconfig: depends, default, and what selects a symbol', () => {
    const r = runCli(['index', 'kconfig', 'CONFIG_NEED_PER_CPU_KM', '--db', db]);
    assert.equal(
      r.stdout,
      [
        `CONFIG_NEED_PER_CPU_KM in tree ${ALPHA_VERSION}`,
        `mm/Kconfig:${lineOf(ALPHA, 'mm/Kconfig', 'config NEED_PER_CPU_KM')}: bool (no prompt: set only by defaults and selects)`,
        '  depends on !SMP || !MMU',
        '  default y',
        '',
      ].join('\n'),
    );
    const area = runCli(['index', 'kconfig', 'GIZMO_AREA', '--db', db]).stdout;
    assert.match(area, /\nselected or implied by:\n {2}select by CONFIG_SMP if GIZMO && !CORVID_MPU \(arch\/corvid\/Kconfig:\d+\)\n {2}select by CONFIG_PLOVER \(arch\/plover\/Kconfig:\d+\)\n$/);
    const j = JSON.parse(runCli(['index', 'kconfig', 'CONFIG_GIZMO', '--db', db, '--format', 'json']).stdout) as { symbol: string; definitions: { dependsOn: string[]; help: string }[] };
    assert.equal(j.symbol, 'CONFIG_GIZMO');
    assert.deepEqual(j.definitions[0]!.dependsOn, ['HAS_IOMEM', '!UML']);
    assert.equal(
      runCli(['index', 'kconfig', 'CONFIG_NOPE', '--db', db]).stdout,
      `CONFIG_NOPE is unknown in tree ${ALPHA_VERSION}: the index has no entry for it (it may be newer or older than the tree, or generated at build time)\n`,
    );
  });

  it('KTRIAGE_INDEX names the index when --db is not given; --db wins over it', () => {
    const env = { KTRIAGE_INDEX: db };
    const r = runCli(['index', 'lookup', 'gizmo_register', '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { tree: string }).tree, ALPHA_VERSION);
    const refs = runCli(['index', 'refs', 'gizmo_register'], { env });
    assert.equal(refs.code, 0, refs.stderr);
    assert.match(refs.stdout, new RegExp(`^gizmo_register: 2 files in tree ${ALPHA_VERSION.replace(/\./g, '\\.')}\\n`));
    assert.match(runCli(['index', 'refs', 'gizmo_register'], { env }).stdout, /\(cached\)/);
    const wins = runCli(['index', 'list', '--db', join(dir, 'nowhere.sqlite')], { env });
    assert.equal(wins.code, 1);
    assert.match(wins.stderr, /nowhere\.sqlite: no index there/);
  });

  it('without --db or KTRIAGE_INDEX the index lives under $XDG_DATA_HOME/ktriage/', () => {
    const xdg = join(tempDir('ktriage-xdg-'), 'data');
    const r = runCli(['index', 'build', BETA], { env: { XDG_DATA_HOME: xdg } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(xdg, 'ktriage', 'index.sqlite')));
    assert.match(runCli(['index', 'list'], { env: { XDG_DATA_HOME: xdg } }).stdout, new RegExp(`^${BETA_VERSION.replace(/\./g, '\\.')} `));
  });

  it('index --help prints the usage on stdout, exit 0', () => {
    const r = runCli(['index', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ktriage index build <tree>/);
    assert.match(r.stdout, /--db PATH/);
  });

  describe('bad input: one "ktriage:" line, nonzero exit, no stack trace', () => {
    it('a tree path that does not exist', () => {
      assertOneLineError(runCli(['index', 'build', join(dir, 'no-such-tree'), '--db', join(dir, 'e1.sqlite')]), 1, /no-such-tree: no such file or directory$/);
    });

    it('a file that is not a tarball', () => {
      const f = join(dir, 'notes.txt');
      writeFileSync(f, 'not a kernel\n');
      assertOneLineError(runCli(['index', 'build', f, '--db', join(dir, 'e2.sqlite')]), 1, /notes\.txt: not a kernel tree \(a directory\) or a source tarball/);
      const fake = join(dir, 'fake.tar.xz');
      writeFileSync(fake, 'this is not xz data at all, just text with a tarball name\n');
      assertOneLineError(runCli(['index', 'build', fake, '--db', join(dir, 'e2.sqlite')]), 1, /fake\.tar\.xz: not a kernel tree/);
    });

    it('a truncated .tar.xz: an error, and no half-built tree left in the index', () => {
      const ball = makeTarball(ALPHA, join(dir, 'cut.tar.xz'), 'linux-cut');
      truncateSync(ball, Math.floor(statSync(ball).size / 2));
      const e = join(dir, 'e3.sqlite');
      assertOneLineError(runCli(['index', 'build', ball, '--db', e]), 1, /cut\.tar\.xz: /);
      const list = runCli(['index', 'list', '--db', e, '--format', 'json']);
      assert.deepEqual(JSON.parse(list.stdout), []);
    });

    it('an empty directory', () => {
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      assertOneLineError(runCli(['index', 'build', empty, '--db', join(dir, 'e4.sqlite')]), 1, /empty: no C, Makefile or Kconfig files found; is this a kernel tree\?$/);
    });

    it('a --db path that is a text file, for a query and for a build', () => {
      const text = join(dir, 'index.txt');
      writeFileSync(text, 'I am not a database\n'.repeat(100));
      assertOneLineError(runCli(['index', 'lookup', 'panic', '--db', text]), 1, /index\.txt: not a ktriage index/);
      assertOneLineError(runCli(['index', 'build', BETA, '--db', text]), 1, /index\.txt: not a ktriage index/);
      assert.equal(readFileSync(text, 'utf8'), 'I am not a database\n'.repeat(100));
    });

    it('--tree naming no tree', () => {
      assertOneLineError(runCli(['index', 'lookup', 'panic', '--tree', '9.9', '--db', db]), 1, new RegExp(`^no tree named "9\\.9" in the index \\(have: ${ALPHA_VERSION.replace(/\./g, '\\.')}\\)$`));
    });

    it('explain without --config, and with a garbage --config', () => {
      assertOneLineError(runCli(['index', 'explain', 'panic', '--db', db]), 2, /^index explain needs --config/);
      assertOneLineError(runCli(['index', 'explain', 'panic', '--config', 'SMP=perhaps', '--db', db]), 2, /^cannot read config setting "SMP=perhaps"/);
      assertOneLineError(runCli(['index', 'explain', 'panic', '--config', 'CONFIG_SMP=y;rm -rf', '--db', db]), 2, /^cannot read config setting/);
    });

    it('--jobs abc, --format xml, an unknown option, an unknown subcommand, a missing symbol argument', () => {
      assertOneLineError(runCli(['index', 'build', ALPHA, '--jobs', 'abc', '--db', join(dir, 'e5.sqlite')]), 2, /^--jobs takes a whole number from 0 to 64$/);
      assertOneLineError(runCli(['index', 'lookup', 'panic', '--format', 'xml', '--db', db]), 2, /^--format must be one of text, json \(got "xml"\)$/);
      assertOneLineError(runCli(['index', 'lookup', 'panic', '--frobnicate', '--db', db]), 2, /^Unknown option '--frobnicate'/);
      assertOneLineError(runCli(['index', 'frob', '--db', db]), 2, /^unknown index command "frob"/);
      assertOneLineError(runCli(['index', 'lookup', '--db', db]), 2, /^expected a symbol/);
      assert.equal(existsSync(join(dir, 'e5.sqlite')), false); // refused before any index is created
    });

    it('lookup on an index file that does not exist (and it is not created)', () => {
      const missing = join(dir, 'never', 'index.sqlite');
      assertOneLineError(runCli(['index', 'lookup', 'panic', '--db', missing]), 1, /never\/index\.sqlite: no index there \(build one with "ktriage index build <tree>"\)$/);
      assert.equal(existsSync(missing), false);
    });

    it('a build that fails part-way (an SQLite error in a batch): one line, and the tree it would replace is still there', () => {
      const e = join(dir, 'e7.sqlite');
      copyFileSync(db, e);
      const before = runCli(['index', 'list', '--db', e, '--format', 'json']).stdout;
      const raw = openIndex(e);
      raw.exec(`CREATE TRIGGER fail_build BEFORE INSERT ON files WHEN NEW.path = 'mm/Makefile' BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`);
      raw.close();
      for (const jobs of ['2', '0']) {
        assertOneLineError(runCli(['index', 'build', ALPHA, '--db', e, '--jobs', jobs]), 1, /alpha: the index build failed and the index is as it was \(disk I\/O error \(simulated\)\)$/);
        assert.equal(runCli(['index', 'list', '--db', e, '--format', 'json']).stdout, before);
      }
      assert.equal(runCli(['index', 'lookup', 'panic', '--db', e]).code, 0);
    });

    it('arguments are checked before the index is opened: an unknown subcommand, a symbol that is no name; refs never creates an index', () => {
      const missing = join(dir, 'not-there', 'index.sqlite');
      assertOneLineError(runCli(['index', 'lokup', 'foo', '--db', missing]), 2, /^unknown index command "lokup"/);
      for (const sub of ['lookup', 'refs', 'kconfig']) {
        assertOneLineError(runCli(['index', sub, '', '--db', missing]), 2, /^"" is not a symbol name/);
        assertOneLineError(runCli(['index', sub, 'a b', '--db', missing]), 2, /^"a b" is not a symbol name/);
      }
      assertOneLineError(runCli(['index', 'explain', '1st', '--config', 'SMP=y', '--db', missing]), 2, /^"1st" is not a symbol name/);
      assertOneLineError(runCli(['index', 'refs', 'panic', '--db', missing]), 1, /not-there\/index\.sqlite: no index there/);
      assert.equal(existsSync(join(dir, 'not-there')), false);
      // an empty symbol against a real index: refused, not a scan that never ends
      assertOneLineError(runCli(['index', 'refs', '', '--db', db]), 2, /^"" is not a symbol name/);
    });

    it('an update of a tree the index never built', () => {
      const e = join(dir, 'e6.sqlite');
      copyFileSync(db, e);
      assertOneLineError(runCli(['index', 'update', BETA, '--db', e]), 1, /^no tree in the index was built from .*beta \(build it first\)$/);
    });
  });
});
