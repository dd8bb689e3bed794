/**
 * The hit-rate family of leave-one-out top-N metrics.
 *
 * Protocol: one rating per user is left out of the train set; the model recommends a top-N list
 * to each user from the rest; a "hit" is a left-out item that appears in its user's list.
 * - Hit rate and ARHR: Deshpande & Karypis 2004, "Item-based top-N recommendation algorithms",
 *   ACM TOIS 22(1), §6 ("HR" and "ARHR").
 * - Cumulative hit rate and rating hit rate: F. Kane, "Building Recommender Systems with Machine
 *   Learning and AI" (course, `RecommenderMetrics.py`).
 *
 * Left-out ratings are given as parallel arrays (a `RatingDataset` such as the test set of
 * `leaveOneOut` fits the `LeftOut` shape directly); each entry counts once, so a user with
 * several left-out ratings counts several times.
 */
import type { TopNLists } from "./topn";

/** Left-out ratings as parallel arrays: rating k is (users[k], items[k], ratings[k]). */
export interface LeftOut {
  users: ArrayLike<number>;
  items: ArrayLike<number>;
  ratings: ArrayLike<number>;
}

/**
 * Rank (1 = first) of each left-out item in its user's top-N list, or 0 when it is absent
 * (a user without a list has no hits).
 */
export function hitRanks(lists: TopNLists, leftOut: LeftOut): Int32Array {
  const n = leftOut.users.length;
  if (leftOut.items.length !== n || leftOut.ratings.length !== n) {
    throw new Error(`left-out ratings: users, items and ratings have different lengths`);
  }
  const ranks = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const list = lists.get(leftOut.users[k]);
    if (!list) continue;
    const item = leftOut.items[k];
    for (let r = 0; r < list.length; r++) {
      if (list[r].item === item) {
        ranks[k] = r + 1;
        break;
      }
    }
  }
  return ranks;
}

/**
 * Hit rate: HR = #hits / #left-out ratings, where a hit is a left-out item found in its user's
 * top-N list (Deshpande & Karypis 2004).
 */
export function hitRate(lists: TopNLists, leftOut: LeftOut): number {
  nonEmpty("hitRate", leftOut);
  const ranks = hitRanks(lists, leftOut);
  let hits = 0;
  for (let k = 0; k < ranks.length; k++) if (ranks[k] > 0) hits++;
  return hits / ranks.length;
}

/**
 * Cumulative hit rate: the hit rate over only the left-out ratings r ≥ cutoff (default 4.0), i.e.
 * how often we recommend an item the user actually liked (Kane's course, `CumulativeHitRate`).
 * cHR = #{hits with r ≥ cutoff} / #{left-out with r ≥ cutoff}. Note that the course's evaluator
 * calls it with its default cutoff 0, which makes cHR equal to HR; its metrics demo uses 4.0.
 * Throws when no left-out rating reaches the cutoff.
 */
export function cumulativeHitRate(lists: TopNLists, leftOut: LeftOut, cutoff = 4.0): number {
  nonEmpty("cumulativeHitRate", leftOut);
  const ranks = hitRanks(lists, leftOut);
  let hits = 0;
  let total = 0;
  for (let k = 0; k < ranks.length; k++) {
    if (leftOut.ratings[k] >= cutoff) {
      total++;
      if (ranks[k] > 0) hits++;
    }
  }
  if (total === 0) throw new Error(`cumulativeHitRate: no left-out rating is ≥ the cutoff ${cutoff}`);
  return hits / total;
}

/**
 * Rating hit rate: the hit rate broken down by the left-out rating value (Kane's course,
 * `RatingHitRate`): for each value v, #{hits with r = v} / #{left-out with r = v}.
 * Returns a Map from rating value to hit rate, in increasing order of rating.
 */
export function ratingHitRate(lists: TopNLists, leftOut: LeftOut): Map<number, number> {
  nonEmpty("ratingHitRate", leftOut);
  const ranks = hitRanks(lists, leftOut);
  const hits = new Map<number, number>();
  const totals = new Map<number, number>();
  for (let k = 0; k < ranks.length; k++) {
    const r = leftOut.ratings[k];
    totals.set(r, (totals.get(r) ?? 0) + 1);
    if (ranks[k] > 0) hits.set(r, (hits.get(r) ?? 0) + 1);
  }
  const out = new Map<number, number>();
  for (const r of Array.from(totals.keys()).sort((a, b) => a - b)) out.set(r, (hits.get(r) ?? 0) / totals.get(r)!);
  return out;
}

/**
 * Average reciprocal hit rank: ARHR = (1/#left-out) · Σ_{hits} 1/rank, where rank is the
 * 1-based position of the left-out item in its user's list (Deshpande & Karypis 2004).
 * A hit at rank 1 counts fully, at rank 2 half, and so on; ARHR ≤ HR.
 */
export function arhr(lists: TopNLists, leftOut: LeftOut): number {
  nonEmpty("arhr", leftOut);
  const ranks = hitRanks(lists, leftOut);
  let s = 0;
  for (let k = 0; k < ranks.length; k++) if (ranks[k] > 0) s += 1 / ranks[k];
  return s / ranks.length;
}

function nonEmpty(name: string, leftOut: LeftOut): void {
  if (leftOut.users.length === 0) throw new Error(`${name}: no left-out ratings (empty input)`);
}
