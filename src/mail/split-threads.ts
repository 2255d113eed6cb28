// A stream of list mail split into its threads: the messages linked by
// Message-ID through References and In-Reply-To (connected components, found
// with a union-find, no recursion), and a reply that lost its headers joined
// to the earliest message with its topic. Each thread is then given to
// buildThread, which orders and links it.

import type { Message } from '../core/types.js';
import { namesNoMessage } from './msgid.js';
import { subjectKey } from './subject.js';

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // path compression, iteratively
    let cur = x;
    while (cur !== root) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** Threads of a message stream, each in input order; threads in order of their first message. */
export function splitThreads(messages: readonly Message[]): Message[][] {
  const uf = new UnionFind();
  const firstByTopic = new Map<string, string>();
  const known = new Set(messages.map((m) => m.messageId));
  for (const m of messages) {
    uf.find(m.messageId);
    for (const r of m.references) if (!namesNoMessage(r, known)) uf.union(m.messageId, r);
    if (m.inReplyTo && !namesNoMessage(m.inReplyTo, known)) uf.union(m.messageId, m.inReplyTo);
  }
  // a reply that carries no threading headers: the earliest message with its topic
  for (const m of messages) {
    const key = subjectKey(m.subjectInfo);
    if (!key) continue;
    const first = firstByTopic.get(key);
    if (!first) firstByTopic.set(key, m.messageId);
    else if (m.subjectInfo.isReply && !m.inReplyTo && !m.references.length) uf.union(first, m.messageId);
  }
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const root = uf.find(m.messageId);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(m);
  }
  return [...groups.values()];
}
