// The configuration a failure happens in: the arch (toolchain triplets, robot
// config names, ARCH=, prose) and CONFIG_ symbols with polarity ("!SMP",
// "without CONFIG_SMP", "CONFIG_SMP=n", "SMP+NOMMU", "UP").

import type { ConfigContext, ConfigSetting } from '../core/types.js';

const ARCH_ALIASES: [RegExp, string][] = [
  [/^(aarch64|arm64)(_be)?$/, 'arm64'],
  [/^(arm|armeb|armv\d\w*|armhf|armel)$/, 'arm'],
  [/^(i[3-6]86|x86_64|x86|amd64|x86-64|ia32)$/, 'x86'],
  [/^mips(el|64|64el|isa\w*)?$/, 'mips'],
  [/^(powerpc|powerpc64|powerpc64le|powerpcle|ppc|ppc32|ppc64|ppc64le)$/, 'powerpc'],
  [/^riscv(32|64)?$/, 'riscv'],
  [/^s390x?$/, 's390'],
  [/^sparc(64|32)?$/, 'sparc'],
  [/^(parisc|parisc64|hppa|hppa64)$/, 'parisc'],
  [/^(sh|sh4|sh4a|sh3|shle|sh64)$/, 'sh'],
  [/^(or1k|openrisc)$/, 'openrisc'],
  [/^(microblaze|microblazeel)$/, 'microblaze'],
  [/^(loongarch|loongarch64)$/, 'loongarch'],
  [/^(alpha|hexagon|m68k|xtensa|nios2|arc|csky|um|ia64|nds32|h8300|c6x|unicore32)$/, ''],
];

export function normaliseArch(word: string): string | undefined {
  const w = word.toLowerCase();
  for (const [re, name] of ARCH_ALIASES) if (re.test(w)) return name || w;
  return undefined;
}

const ARCH_WORDS =
  'aarch64|arm64|armeb|armv\\d\\w*|arm|i[3-6]86|x86_64|x86|mips64el|mips64|mipsel|mips|powerpc64le|powerpc64|powerpc|ppc64le|ppc64|ppc32|ppc|riscv64|riscv32|riscv|s390x|s390|sparc64|sparc|parisc64|parisc|hppa64|hppa|sh4|sh|or1k|openrisc|microblazeel|microblaze|loongarch64|loongarch|alpha|hexagon|m68k|xtensa|nios2|arc|csky|um|ia64';
const TRIPLET = new RegExp(`\\b(${ARCH_WORDS})(?:-[a-z0-9_.]+){1,4}-(?:gcc|g\\+\\+|ld|ld\\.bfd|as|cc|objdump|nm)\\b`, 'gi');
const ROBOT_CONFIG = new RegExp(`\\bconfig: ((${ARCH_WORDS})-([\\w.-]+))`, 'gi');
const ARCH_CONFIG_PROSE = new RegExp(`\\b(${ARCH_WORDS})[:\\s]+(\\w*(?:def|rand|allyes|allmod|allno|tiny|kvm_guest)config)\\b`, 'gi');
const TOOL_ARCH = new RegExp(`^(${ARCH_WORDS})-`, 'i');
const MAKE_ARCH = /\bARCH=(\w+)/g;
const ON_ARCH = new RegExp(`\\b(?:on|for|with|an?) (ARM64|ARM|MIPS|PowerPC|PPC64|PPC|x86_64|x86|i386|RISC-V|s390|SPARC|Alpha|Hexagon|m68k|LoongArch|arm64|arm|mips|powerpc|riscv|sparc|alpha)\\b`, 'g');
const COMPILER = /\bcompiler: (.{3,80}?)(?:\s*$|\s+reproduce)/gim;

const CONFIG_EQ = /\bCONFIG_([A-Z0-9_]+)=([ymn])\b/g;
const CONFIG_NOT_SET = /# CONFIG_([A-Z0-9_]+) is not set/g;
const BANG = /(?:^|[\s(,;:'"`])!(?:CONFIG_)?([A-Z][A-Z0-9_]{1,})\b(?!\s*\()/g;
// verbs may start a sentence ("Without CONFIG_SMP ..."); the name stays case-sensitive
const WITHOUT = /\b(?:[Ww]ithout|[Dd]isabling|[Dd]isabled|[Uu]nset)\s+(?:CONFIG_)?([A-Z][A-Z0-9_]{1,})\b/g;
const WITH = /\b(?:[Ww]ith|[Ee]nabling|[Ee]nabled)\s+CONFIG_([A-Z0-9_]+)\b(?!\s*=)(?!\s+(?:disabled|unset|not set))/g;
// "FOO is disabled", "the CONFIG_FOO option has been disabled"
const IS_DISABLED =
  /\b(?:CONFIG_)?([A-Z][A-Z0-9_]{1,}) (?:(?:configuration |config |Kconfig )?(?:option |symbol )?)?(?:is |was |are |being |has been |gets |got )?(?:disabled|not set|not enabled|turned off|deselected|unset)\b/g;
const IS_ENABLED = /\bCONFIG_([A-Z0-9_]+) (?:(?:configuration |config |Kconfig )?(?:option |symbol )?)?(?:is |was |being |has been |gets |got )?(?:enabled|set|turned on)\b(?! to [ymn]\b)/g;
// without the prefix only "enabled" ("has NUMA disabled and SGI_FOO enabled"): "X set" is too common in prose
const BARE_ENABLED = /\b([A-Z][A-Z0-9_]{2,}) (?:is |was |being |has been |gets |got )?(?:enabled|turned on)\b/g;
// "FOO is a module", "when CONFIG_FOO is built as a module": the tristate's m
const IS_MODULE = /\b(?:CONFIG_)?([A-Z][A-Z0-9_]{1,}) (?:is|was|are|being|gets|get) (?:built |configured |compiled |enabled |set )?(?:as )?(?:a )?(?:loadable )?(?:module|modular)\b/g;
const IS_BUILTIN = /\b(?:CONFIG_)?([A-Z][A-Z0-9_]{1,}) (?:is|was|are|being) built[- ]?in\b/g;
// "If CONFIG_FOO is n", "FOO is set to m"
const IS_VALUE = /\b(?:CONFIG_)?([A-Z][A-Z0-9_]{1,}) (?:is|was) (?:set to )?([ymn])\b(?![\w'’-])/g;
// a Kconfig name without its prefix, assigned: "NET_FOO=y and NET_BAR=m"
const BARE_EQ = /(?<![\w$])(?!CONFIG_)([A-Z][A-Z0-9_]{2,})=([ymn])\b/g;
// "bar() is only defined when CONFIG_FOO is set": what fails is the configuration without it
const ONLY_WHEN =
  /\bonly (?:defined|declared|built|compiled|available|exported|implemented|provided|present|selected|enabled)\b[^.;]{1,40}?\b(?:when|if|with|for|under|on) (?:CONFIG_)?([A-Z][A-Z0-9_]{1,})\b( (?:is |being )?(?:disabled|not set|=n))?|\b(?:defined|declared|built|compiled|available|exported|implemented|provided) only (?:when|if|with|for|under) (?:CONFIG_)?([A-Z][A-Z0-9_]{1,})\b( (?:is |being )?(?:disabled|not set|=n))?/g;
// "gcc-13 warns", "with clang 17": the compiler named in prose
const COMPILER_PROSE = /\b(gcc|GCC|clang|Clang)[- ](\d{1,2})(?:\.\d{1,3}){0,2}\b/g;
const PLUS_COMBO = /\b(!?[A-Z][A-Z0-9_]*(?:\+!?[A-Z][A-Z0-9_]*)+)\b/g;
const UP_WORD = /\b(?:on|for|with) UP\b(?! (?:or|and) SMP)|\bUP(?: build| kernel| config(?:uration)?| systems?| machines?|\+)/;
const NOMMU = /\b(?:NOMMU|nommu|no-MMU|!MMU)\b/;

// words that look like configs but are not, in uppercase prose
const NOT_CONFIGS = new Set([
  'I',
  'A',
  'OK',
  'NAK',
  'NACK',
  'ACK',
  'TODO',
  'FIXME',
  'PATCH',
  'RFC',
  'RESEND',
  'BUG',
  'WARNING',
  'ERROR',
  'NULL',
  'EINVAL',
  'API',
  'ABI',
  'CPU',
  'CPUS',
  'IRQ',
  'PID',
  'HW',
  'SW',
  'IMHO',
  'IIRC',
  'AFAIK',
  'AFAICT',
  'FWIW',
  'LGTM',
  'TLB',
  'DMA',
  'LTS',
  'ASAP',
]);

function isConfigish(name: string): boolean {
  return !NOT_CONFIGS.has(name) && /^[A-Z][A-Z0-9_]+$/.test(name);
}

export function emptyContext(): ConfigContext {
  return { arches: [], configs: [], configNames: [], compilers: [] };
}

// names already in each list: a pasted .config has thousands of CONFIG_ lines,
// and a linear search per line made findContext quadratic
const configIndex = new WeakMap<ConfigSetting[], Set<string>>();

/** One value per symbol, the first seen: a context is an assignment, not a list of claims. */
function addConfig(out: ConfigSetting[], name: string, value: ConfigSetting['value']): void {
  if (!isConfigish(name)) return;
  let seen = configIndex.get(out);
  if (!seen) {
    seen = new Set(out.map((c) => c.name));
    configIndex.set(out, seen);
  }
  if (seen.has(name)) return;
  seen.add(name);
  out.push({ name, value });
}

function addArch(ctx: ConfigContext, word: string): void {
  const a = normaliseArch(
    word
      .replace(/^riscv-v$/i, 'riscv')
      .replace(/^risc-v$/i, 'riscv')
      .replace(/^i386$/i, 'i386'),
  );
  if (a && !ctx.arches.includes(a)) ctx.arches.push(a);
}

// A sentence about a configuration that works ("with CONFIG_SMP=y it builds",
// "UP+NOMMU doesn't run into the same issue") names a config that is not failing.
// "it builds", "builds fine": success; a bare "the build" is just the noun
const WORKS =
  /\b(builds(?: fine| ok| cleanly)?|build (?:fine|ok|cleanly)|compiles? fine|works(?: fine)?|is fine|no problem|(?:doesn't|does not|don't|do not) (?:run into|hit|see|have) (?:the same|this|that)|not affected|unaffected|succeeds?)\b/i;
const FAILS = /\b(fail\w*|error|undefined|break\w*|broken|FTBFS|warning|without|disabled|not set)\b/i;

// keywords followed by a space: the robot's "config: arm-randconfig-..." line is not Kconfig
const KCONFIG_OR_CPP_LINE =
  /^\s*(?:[-+]\s*)?(?:(?:depends on|select|imply|default|def_bool|def_tristate|bool|tristate|config|menuconfig)(?=\s|$)|#\s*(?:if|ifdef|ifndef|elif|else|endif|define)\b|obj-)/;
const DEPENDS_PHRASE = /\bdepends on\s+[!A-Z0-9_&|() ]{1,120}/g;

const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z(])/;

/** Split lines into sentences, so polarity can be judged per sentence. */
export function sentences(texts: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const t of texts) {
    if (!t.trim()) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    // split only the new line: `cur` holds no sentence end, so the one place a
    // split can fall between them is the seam (re-splitting cur was quadratic)
    const tt = t.trim();
    const parts = tt.split(SENTENCE_END);
    if (cur) {
      if (/[.!?]$/.test(cur) && /^[A-Z(]/.test(tt)) out.push(cur);
      else parts[0] = `${cur} ${parts[0]}`;
    }
    cur = parts.pop() ?? '';
    for (const p of parts) out.push(p);
    // a long line (flattened text) is its own unit when it ends a sentence
    if (cur.length > 4000) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Context from a set of text lines (already stripped of quote markers and diffs). */
export function findContext(texts: string[]): ConfigContext {
  const ctx = emptyContext();
  // Kconfig and preprocessor text states dependencies, not the failing config
  const prose = texts.filter((t) => !KCONFIG_OR_CPP_LINE.test(t)).map((t) => t.replace(DEPENDS_PHRASE, ' '));
  for (const t of sentences(prose)) {
    const working = WORKS.test(t) && !FAILS.test(t);
    if (t.length < 2) continue;
    let m: RegExpExecArray | null;
    for (const re of [TRIPLET, MAKE_ARCH]) {
      re.lastIndex = 0;
      while ((m = re.exec(t))) addArch(ctx, m[1]!);
    }
    ROBOT_CONFIG.lastIndex = 0;
    while ((m = ROBOT_CONFIG.exec(t))) {
      addArch(ctx, m[2]!);
      const name = m[1]!;
      if (!ctx.configNames.includes(name)) ctx.configNames.push(name);
    }
    ARCH_CONFIG_PROSE.lastIndex = 0;
    while ((m = ARCH_CONFIG_PROSE.exec(t))) {
      addArch(ctx, m[1]!);
      const name = `${m[1]!.toLowerCase()} ${m[2]}`;
      if (!ctx.configNames.includes(name)) ctx.configNames.push(name);
    }
    ON_ARCH.lastIndex = 0;
    while ((m = ON_ARCH.exec(t)))
      addArch(
        ctx,
        m[1]!
          .replace(/^PPC64$/i, 'ppc64')
          .replace(/^i386$/i, 'i386')
          .replace(/^RISC-V$/i, 'riscv'),
      );
    COMPILER.lastIndex = 0;
    while ((m = COMPILER.exec(t))) if (!ctx.compilers.includes(m[1]!.trim())) ctx.compilers.push(m[1]!.trim());

    COMPILER_PROSE.lastIndex = 0;
    while ((m = COMPILER_PROSE.exec(t))) {
      const name = `${m[1]!.toLowerCase()}-${m[2]}`;
      // the robot's "compiler: gcc-12 (Debian 12.2.0-14) 12.2.0" already names it
      if (!ctx.compilers.some((c) => c.toLowerCase().startsWith(name))) ctx.compilers.push(name);
    }

    if (working) continue;
    ONLY_WHEN.lastIndex = 0;
    while ((m = ONLY_WHEN.exec(t))) addConfig(ctx.configs, (m[1] ?? m[3])!, (m[2] ?? m[4]) ? 'y' : 'n');
    CONFIG_EQ.lastIndex = 0;
    while ((m = CONFIG_EQ.exec(t))) addConfig(ctx.configs, m[1]!, m[2] as ConfigSetting['value']);
    CONFIG_NOT_SET.lastIndex = 0;
    while ((m = CONFIG_NOT_SET.exec(t))) addConfig(ctx.configs, m[1]!, 'n');
    for (const re of [BANG, WITHOUT, IS_DISABLED]) {
      re.lastIndex = 0;
      while ((m = re.exec(t))) {
        const name = m[1]!;
        // uppercase words after "without" must look like Kconfig names, not shouting
        if (re === WITHOUT && !/^CONFIG_/.test(m[0].split(/\s+/).pop() ?? '') && name.length < 3) continue;
        addConfig(ctx.configs, name.replace(/^CONFIG_/, ''), 'n');
      }
    }
    for (const re of [IS_VALUE, BARE_EQ]) {
      re.lastIndex = 0;
      while ((m = re.exec(t))) addConfig(ctx.configs, m[1]!.replace(/^CONFIG_/, ''), m[2] as ConfigSetting['value']);
    }
    IS_MODULE.lastIndex = 0;
    while ((m = IS_MODULE.exec(t))) addConfig(ctx.configs, m[1]!.replace(/^CONFIG_/, ''), 'm');
    for (const re of [WITH, IS_ENABLED, IS_BUILTIN, BARE_ENABLED]) {
      re.lastIndex = 0;
      while ((m = re.exec(t))) addConfig(ctx.configs, m[1]!.replace(/^CONFIG_/, ''), 'y');
    }
    PLUS_COMBO.lastIndex = 0;
    while ((m = PLUS_COMBO.exec(t))) {
      for (const part of m[1]!.split('+')) {
        if (part === 'NOMMU') addConfig(ctx.configs, 'MMU', 'n');
        else if (part === 'UP') addConfig(ctx.configs, 'SMP', 'n');
        else if (part.startsWith('!')) addConfig(ctx.configs, part.slice(1), 'n');
        else if (part.length > 1) addConfig(ctx.configs, part, 'y');
      }
    }
    if (NOMMU.test(t)) addConfig(ctx.configs, 'MMU', 'n');
    if (UP_WORD.test(t)) addConfig(ctx.configs, 'SMP', 'n');
  }
  return ctx;
}

export function mergeContexts(a: ConfigContext, b: ConfigContext): ConfigContext {
  const out: ConfigContext = { arches: [...a.arches], configs: [...a.configs], configNames: [...a.configNames], compilers: [...a.compilers] };
  for (const x of b.arches) if (!out.arches.includes(x)) out.arches.push(x);
  for (const c of b.configs) addConfig(out.configs, c.name, c.value);
  for (const x of b.configNames) if (!out.configNames.includes(x)) out.configNames.push(x);
  for (const x of b.compilers) if (!out.compilers.includes(x)) out.compilers.push(x);
  return out;
}

/** The arch a toolchain name implies: "arm-none-linux-gnueabihf-ld" → arm. */
export function archOfTool(tool: string | undefined): string | undefined {
  if (!tool) return undefined;
  const m = TOOL_ARCH.exec(tool);
  return m ? normaliseArch(m[1]!) : undefined;
}
