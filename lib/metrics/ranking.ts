/**
 * Ranking metrics at a cut-off k with binary relevance.
 *
 * Relevance rule: an item is relevant to a user when it is in the user's test ratings with a
 * rating ≥ a threshold (default 4.0; see `relevantItems`). Recommended lists are ranked item ids,
 * best first, assumed to hold distinct items (as `Recommender.recommend` returns); only their
 * first k entries count.
 *
 * Sources: precision, recall and F1 — Herlocker et al. 2004, "Evaluating collaborative filtering
 * recommender systems", ACM TOIS 22(1), §4.2 (top-N classification metrics); NDCG — Järvelin &
 * Kekäläinen 2002, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4), with the
 * log2(rank + 1) discount; MAP@k — Manning, Raghavan & Schütze 2008, "Introduction to Information
 * Retrieval", §8.4, truncated at k and normalised by min(k, |R|).
 */
import type { TopNLists } from "./topn";

/** A per-user metric: (ranked item ids, relevant items, k) → value. */
export type PerUserMetric = (recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number) => number;

/**
 * Relevant items of every user in a test set: item i is relevant to u when (u, i) is a test rating
 * ≥ threshold. Every user with a test rating gets an entry, possibly an empty set (such users are
 * skipped, and counted, by the means below).
 */
export function relevantItems(
  test: { users: ArrayLike<number>; items: ArrayLike<number>; ratings: ArrayLike<number> },
  threshold = 4.0,
): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (let k = 0; k < test.users.length; k++) {
    const u = test.users[k];
    let set = out.get(u);
    if (!set) out.set(u, (set = new Set()));
    if (test.ratings[k] >= threshold) set.add(test.items[k]);
  }
  return out;
}

/** Hits among the first k recommendations, as a 0/1 array of length min(k, |L|). */
function hits(name: string, recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): Uint8Array {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`${name}: k must be an integer ≥ 1, got ${k}`);
  const m = Math.min(k, recommended.length);
  const rel = new Uint8Array(m);
  for (let r = 0; r < m; r++) {
    const item = recommended[r];
    for (let q = 0; q < r; q++) {
      if (recommended[q] === item) throw new Error(`${name}: the recommended list holds item ${item} twice`);
    }
    if (relevant.has(item)) rel[r] = 1;
  }
  return rel;
}

function needRelevant(name: string, relevant: ReadonlySet<number>): void {
  if (relevant.size === 0) throw new Error(`${name}: the user has no relevant items, so the metric is undefined`);
}

function sum(a: Uint8Array): number {
  let s = 0;
  for (let r = 0; r < a.length; r++) s += a[r];
  return s;
}

/** Precision@k = |L_k ∩ R| / k (a list shorter than k still divides by k). 0 when R is empty. */
export function precisionAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return sum(hits("precisionAtK", recommended, relevant, k)) / k;
}

/** Recall@k = |L_k ∩ R| / |R|. Throws when R is empty. */
export function recallAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  needRelevant("recallAtK", relevant);
  return sum(hits("recallAtK", recommended, relevant, k)) / relevant.size;
}

/** F1@k = 2·P@k·R@k / (P@k + R@k), and 0 when both are 0. Throws when R is empty. */
export function f1AtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  needRelevant("f1AtK", relevant);
  const h = sum(hits("f1AtK", recommended, relevant, k));
  const p = h / k;
  const r = h / relevant.size;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * NDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{r=1}^{min(k,|L|)} rel_r / log2(r + 1) and the ideal
 * IDCG@k = Σ_{r=1}^{min(k,|R|)} 1 / log2(r + 1) (all relevant items ranked first).
 * Throws when R is empty.
 */
export function ndcgAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  needRelevant("ndcgAtK", relevant);
  const rel = hits("ndcgAtK", recommended, relevant, k);
  let dcg = 0;
  for (let r = 0; r < rel.length; r++) if (rel[r]) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  const m = Math.min(k, relevant.size);
  for (let r = 0; r < m; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

/**
 * Average precision@k = (1 / min(k, |R|)) · Σ_{r=1}^{min(k,|L|)} P@r · rel_r, where P@r is the
 * precision of the first r items. MAP@k is its mean over users. Throws when R is empty.
 */
export function averagePrecisionAtK(recommended: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  needRelevant("averagePrecisionAtK", relevant);
  const rel = hits("averagePrecisionAtK", recommended, relevant, k);
  let h = 0;
  let s = 0;
  for (let r = 0; r < rel.length; r++) {
    if (rel[r]) {
      h++;
      s += h / (r + 1);
    }
  }
  return s / Math.min(k, relevant.size);
}

/** A mean over users, with how many users it averaged and how many it skipped. */
export interface UserMean {
  mean: number;
  /** Users averaged (those with at least one relevant item). */
  users: number;
  /** Users with test ratings but no relevant item, left out of the mean. */
  skipped: number;
}

function itemsOf(lists: TopNLists, u: number): number[] {
  const list = lists.get(u);
  return list ? list.map((r) => r.item) : [];
}

/**
 * Mean of a per-user metric over the users of `relevant` (each user with test ratings): users with
 * no relevant item are skipped and counted; a user without a list is scored on an empty list.
 * Throws when every user is skipped.
 */
export function meanOverUsers(
  metric: PerUserMetric,
  lists: TopNLists,
  relevant: ReadonlyMap<number, ReadonlySet<number>>,
  k: number,
): UserMean {
  let s = 0;
  let users = 0;
  let skipped = 0;
  for (const [u, rel] of relevant) {
    if (rel.size === 0) {
      skipped++;
      continue;
    }
    s += metric(itemsOf(lists, u), rel, k);
    users++;
  }
  if (users === 0) throw new Error(`meanOverUsers: none of the ${skipped} users has a relevant item`);
  return { mean: s / users, users, skipped };
}

export interface RankingSummary {
  k: number;
  precision: number;
  recall: number;
  /** Mean over users of the per-user F1@k (not the F1 of the mean precision and recall). */
  f1: number;
  ndcg: number;
  map: number;
  users: number;
  skipped: number;
}

/** Precision, recall, F1, NDCG and MAP at k, each averaged over the same users (see `meanOverUsers`). */
export function rankingMetrics(
  lists: TopNLists,
  relevant: ReadonlyMap<number, ReadonlySet<number>>,
  k: number,
): RankingSummary {
  let p = 0;
  let r = 0;
  let f = 0;
  let n = 0;
  let m = 0;
  let users = 0;
  let skipped = 0;
  for (const [u, rel] of relevant) {
    if (rel.size === 0) {
      skipped++;
      continue;
    }
    const rec = itemsOf(lists, u);
    p += precisionAtK(rec, rel, k);
    r += recallAtK(rec, rel, k);
    f += f1AtK(rec, rel, k);
    n += ndcgAtK(rec, rel, k);
    m += averagePrecisionAtK(rec, rel, k);
    users++;
  }
  if (users === 0) throw new Error(`rankingMetrics: none of the ${skipped} users has a relevant item`);
  return { k, precision: p / users, recall: r / users, f1: f / users, ndcg: n / users, map: m / users, users, skipped };
}
