// Which dirty thread goes to a free worker first. Oldest first let one long
// series (a vendored crate of 60 postings, each judgement 0.5 s, judged again as
// each posting arrives) hold up every small thread behind it; the small ones are
// most of what the bot posts. So: the cheapest first, by what the thread's last
// judgement cost, except that a thread waiting longer than STARVATION_MS goes
// before all others (oldest wait first), so a long one is late, never left behind.

export const STARVATION_MS = 1500;
/** how many threads' costs are remembered (the oldest forgotten first) */
export const COSTS_KEPT = 5000;

export interface Candidate {
  id: number;
}

/** Remembers each thread's last judgement cost and since when it has waited. */
export class JudgingOrder {
  private readonly costMs = new Map<number, number>();
  private readonly waitingSince = new Map<number, number>();

  /** the threads in the order they should be judged */
  order<T extends Candidate>(dirty: readonly T[], now: number): T[] {
    for (const t of dirty) if (!this.waitingSince.has(t.id)) this.waitingSince.set(t.id, now);
    const waited = (t: T) => now - this.waitingSince.get(t.id)!;
    return [...dirty].sort((a, b) => {
      const sa = waited(a) >= STARVATION_MS;
      const sb = waited(b) >= STARVATION_MS;
      if (sa !== sb) return sa ? -1 : 1;
      if (sa) return waited(b) - waited(a) || a.id - b.id;
      return (this.costMs.get(a.id) ?? 0) - (this.costMs.get(b.id) ?? 0) || a.id - b.id;
    });
  }

  /** the thread went to a worker: its wait is over */
  taken(id: number): void {
    this.waitingSince.delete(id);
  }

  /** what judging it cost (ms in the worker) */
  cost(id: number, ms: number): void {
    this.costMs.delete(id);
    this.costMs.set(id, ms);
    if (this.costMs.size > COSTS_KEPT) this.costMs.delete(this.costMs.keys().next().value!);
  }
}
