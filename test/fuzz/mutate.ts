// Seeded mutations of real-looking mail: the fuzz test and `npm run fuzz`
// turn each seed into many hostile variants. Pure: the same seed and number
// give the same bytes, so a failing input can be rebuilt from its id.

/** mulberry32: small, fast, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Lines a hostile sender (or a broken mailer) puts in mail, each aimed at a known weak spot. */
export const HOSTILE_LINES: readonly string[] = [
  '\0\0\0',
  'ERROR: modpost: "foo(" [drivers/x/x.ko] undefined!',
  'ld.lld: error: undefined symbol: foo[',
  'ld.lld: error: undefined symbol: (a+)+$',
  "drivers/x/x.c:1:2: error: implicit declaration of function '(.*)*'",
  '>> ' + 'drivers/x/x.c:1:1: error: x '.repeat(50),
  'x'.repeat(40000),
  ' '.repeat(30000) + '=',
  '\t'.repeat(5000) + "undefined reference to `x'",
  '[PATCH [net] [PATCH1/8] 3/2]',
  'References: <y> <n> <linux-kernel@vger.kernel.org>',
  'Message-ID: <a\tb@x>',
  'diff --git a/x b/x\nGIT binary patch\nliteral 0\nHcmV?d00001',
  '@@@ -1,1 -1,1 +1,1 @@@',
  '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b',
  '=?utf-8?b?' + 'QUFB'.repeat(2000) + '?=',
  'Content-Transfer-Encoding: base64',
  'Content-Type: multipart/mixed; boundary=""',
  '_______________________________________________\nlinux-arm-kernel mailing list',
  'On Mon, 1 Jan 2024, ' + 'A'.repeat(3000) + ' wrote:',
  '> '.repeat(400) + 'NAK',
  'CONFIG_' + 'A'.repeat(5000) + '=y',
];

export type Mutation = (lines: string[], r: () => number) => string[];

export const MUTATIONS: { name: string; apply: Mutation }[] = [
  {
    name: 'flip-bytes',
    apply: (ls, r) => ls.map((l) => (r() < 0.02 && l.length ? l.slice(0, Math.floor(r() * l.length)) + String.fromCharCode(Math.floor(r() * 256)) + l.slice(Math.floor(r() * l.length) + 1) : l)),
  },
  {
    name: 'insert-hostile',
    apply: (ls, r) => {
      const out = ls.slice();
      out.splice(Math.floor(r() * (out.length + 1)), 0, pick(r, HOSTILE_LINES));
      return out;
    },
  },
  {
    name: 'repeat-line',
    apply: (ls, r) => {
      if (!ls.length) return ls;
      const i = Math.floor(r() * ls.length);
      const n = 1 + Math.floor(r() * 3000);
      return [...ls.slice(0, i), ...Array.from({ length: n }, () => ls[i]!), ...ls.slice(i)];
    },
  },
  { name: 'drop-lines', apply: (ls, r) => ls.filter(() => r() > 0.1) },
  { name: 'truncate', apply: (ls, r) => ls.slice(0, Math.floor(r() * ls.length)) },
  {
    name: 'drop-header',
    apply: (ls, r) => {
      const end = ls.indexOf('');
      if (end <= 0) return ls;
      const i = Math.floor(r() * end);
      return [...ls.slice(0, i), ...ls.slice(i + 1)];
    },
  },
  {
    name: 'duplicate-header',
    apply: (ls, r) => {
      const end = ls.indexOf('');
      if (end <= 0) return ls;
      const i = Math.floor(r() * end);
      return [...ls.slice(0, end), ls[i]!, ...ls.slice(end)];
    },
  },
  {
    name: 'quote-everything',
    apply: (ls, r) => {
      const end = Math.max(0, ls.indexOf(''));
      const depth = '> '.repeat(1 + Math.floor(r() * 5));
      return [...ls.slice(0, end + 1), ...ls.slice(end + 1).map((l) => depth + l)];
    },
  },
  {
    name: 'strip-newlines',
    apply: (ls) => {
      const end = Math.max(0, ls.indexOf(''));
      return [...ls.slice(0, end + 1), ls.slice(end + 1).join(' ')];
    },
  },
  { name: 'crlf', apply: (ls) => ls.map((l) => l + '\r') },
  {
    name: 'long-line',
    apply: (ls, r) => {
      if (!ls.length) return ls;
      const i = Math.floor(r() * ls.length);
      return ls.map((l, k) => (k === i ? l.repeat(1 + Math.floor(r() * 2000)).slice(0, 200000) : l));
    },
  },
];

/** The n-th variant of a seed text: 1 to 3 mutations, chosen by the seeded generator. */
export function mutate(seedText: string, n: number, seed = 1): { text: string; applied: string[] } {
  const r = rng(seed * 1_000_003 + n);
  let lines = seedText.split('\n');
  const applied: string[] = [];
  const count = 1 + Math.floor(r() * 3);
  for (let k = 0; k < count; k++) {
    const m = pick(r, MUTATIONS);
    lines = m.apply(lines, r);
    applied.push(m.name);
  }
  let text = lines.join('\n');
  // keep the final newline the seed had, unless the point was to cut the input short: a file
  // that only lost its last newline is refused as truncated, which would hide the deeper stages
  if (seedText.endsWith('\n') && !text.endsWith('\n') && !applied.includes('truncate')) text += '\n';
  return { text, applied };
}
