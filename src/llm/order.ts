// The order in which excerpts claim the token budget: failures first (those
// the patch answers, then the earliest), then the patch mail, then thread
// mail (cited by evidence first, then newest first). Ranks are set by case.ts.

import type { Excerpt } from './types.js';

const KIND_ORDER: Record<Excerpt['kind'], number> = { failure: 0, patch: 1, review: 2 };

export function budgetOrder(excerpts: Excerpt[]): Excerpt[] {
  return [...excerpts].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.rank - a.rank);
}
