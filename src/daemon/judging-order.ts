// Which dirty thread goes to a free worker first. Oldest first let one long
// series (a vendored crate of 60 postings, each judgement 0.5 s, judged again as
// each posting arrives) hold up every small thread behind it; the small ones are
// most of what the bot posts. So: the cheapest first, by what the thread's last
// judgement cost, except that a thread waiting longer than STARVATION_MS goes
// before all others (oldest wait first), so a long one is late, never left behind.
// Keyed by root Message-ID: a thread's row (and id) is replaced whenever mail joins it.

export const STARVATION_MS = 1500;
/** how many threads' costs are remembered (the oldest forgotten first) */
export const COSTS_KEPT = 5000;

export interface Candidate {
  id: number;
  rootId: string;
}

/** Remembers each thread's last judgement cost and since when it has waited. */
export class JudgingOrder {
  private readonly costMs = new Map<string, number>();
  private readonly waitingSince = new Map<string, number>();

  /**
   * The threads in the order they should be judged. `complete`: `dirty` is every dirty
   * thread (the query was not cut short), so a wait noted for any other thread is over.
   */
  order<T extends Candidate>(dirty: readonly T[], now: number, complete = true): T[] {
    if (complete) {
      const current = new Set(dirty.map((t) => t.rootId));
      for (const root of this.waitingSince.keys()) if (!current.has(root)) this.waitingSince.delete(root);
    }
    for (const t of dirty) if (!this.waitingSince.has(t.rootId)) this.waitingSince.set(t.rootId, now);
    const waited = (t: T) => now - this.waitingSince.get(t.rootId)!;
    return [...dirty].sort((a, b) => {
      const sa = waited(a) >= STARVATION_MS;
      const sb = waited(b) >= STARVATION_MS;
      if (sa !== sb) return sa ? -1 : 1;
      if (sa) return waited(b) - waited(a) || a.id - b.id;
      return (this.costMs.get(a.rootId) ?? 0) - (this.costMs.get(b.rootId) ?? 0) || a.id - b.id;
    });
  }

  /** the thread went to a worker: its wait is over */
  taken(rootId: string): void {
    this.waitingSince.delete(rootId);
  }

  /** what judging it cost (ms): a verdict's, or the time a failed attempt took */
  cost(rootId: string, ms: number): void {
    this.costMs.delete(rootId);
    this.costMs.set(rootId, ms);
    if (this.costMs.size > COSTS_KEPT) this.costMs.delete(this.costMs.keys().next().value!);
  }

  /** how many waits are noted (for tests: it must not grow without bound) */
  get waiting(): number {
    return this.waitingSince.size;
  }
}
