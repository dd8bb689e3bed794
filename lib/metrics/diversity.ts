/**
 * Diversity of top-N lists as one minus their average intra-list similarity
 * (Ziegler et al. 2005, "Improving recommendation lists through topic diversification", WWW;
 * the pooled form below is the one of Kane's course, `RecommenderMetrics.Diversity`).
 */
import type { TopNLists } from "./topn";

/** Similarity of two items (inner ids), usually in [0, 1]. */
export type ItemSimilarity = (i: number, j: number) => number;

/**
 * Diversity = 1 − S, where S is the mean of sim(i, j) over ALL unordered pairs {i, j} inside each
 * list, pooled across users: S = Σ_u Σ_{a<b} sim(L_u[a], L_u[b]) / Σ_u C(|L_u|, 2).
 * This is the course's definition (it averages over all pairs of all users, so longer lists
 * weigh more), not the mean of per-list diversities. Throws when no list has two items.
 */
export function diversity(lists: TopNLists, sim: ItemSimilarity): number {
  let total = 0;
  let pairs = 0;
  for (const list of lists.values()) {
    const m = list.length;
    for (let a = 0; a < m; a++) {
      const i = list[a].item;
      for (let b = a + 1; b < m; b++) {
        const s = sim(i, list[b].item);
        if (!Number.isFinite(s)) throw new Error(`diversity: similarity of items ${i} and ${list[b].item} is ${s}`);
        total += s;
        pairs++;
      }
    }
  }
  if (pairs === 0) throw new Error("diversity: no list has two or more items, so there is no pair to compare");
  return 1 - total / pairs;
}
