// Fixtures of test/fixtures/mail/threads read the way `ktriage thread` reads them.

import { join } from 'node:path';
import { loadMessages } from '../../src/cli/load.js';
import type { Message, Series, Thread } from '../../src/core/types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'mail', 'threads');

export const load = (name: string): Promise<Message[]> => loadMessages(join(FIXTURES, name));

/** Message-ID without its angle brackets, to keep assertions short. */
export const bare = (id: string): string => id.replace(/^<|>$/g, '');

/** Every permutation of a few items (Heap's algorithm, iterative). */
export function permutations<T>(items: T[]): T[][] {
  const a = [...items];
  const c = a.map(() => 0);
  const out = [[...a]];
  let i = 1;
  while (i < a.length) {
    if (c[i]! < i) {
      const j = i % 2 ? c[i]! : 0;
      [a[j], a[i]] = [a[i]!, a[j]!];
      out.push([...a]);
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** The tree as comparable data: each message's parent and depth, by Message-ID. */
export function shape(t: Thread): { rootId: string; nodes: string[]; series: Series[] } {
  const nodes = t.nodes.map((n) => `${n.messageId} <- ${n.parentId ?? '(root)'}${n.parentBySubject ? ' (subject)' : ''} @${n.depth}`).sort();
  return { rootId: t.rootId, nodes, series: t.series };
}
