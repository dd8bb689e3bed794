/**
 * Top-N lists: each user's recommendations, best first, as a `Map` from inner user id to a list
 * of `{item, score}`. The metrics in this folder read these lists and know no algorithm; this
 * module only builds them from a fitted `Recommender`, one user at a time.
 */
import type { Recommendation, Recommender } from "../model/recommender";

/** Inner user id → that user's recommendations, best first. */
export type TopNLists = Map<number, Recommendation[]>;

export interface TopNListOptions {
  /**
   * Minimum predicted rating of a recommended item (the course's "minimumRating", 4.0 there).
   * Only applied when `model.predictsRatings`; a pure ranker's scores are not ratings.
   */
  minScore?: number;
}

/**
 * Top-n lists for the given users from a fitted model: calls
 * `model.recommend(u, n, {excludeSeen: true, minScore})` once per user, so memory stays at one
 * user's candidates at a time (never users × items). This mirrors the course's `GetTopN` over the
 * "anti-test set" (every item the user has not rated), with its minimum predicted rating.
 */
export function topNLists(
  model: Pick<Recommender, "recommend" | "predictsRatings">,
  users: Iterable<number>,
  n: number,
  options: TopNListOptions = {},
): TopNLists {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`topNLists: n must be an integer ≥ 1, got ${n}`);
  const minScore = model.predictsRatings ? options.minScore : undefined;
  const lists: TopNLists = new Map();
  for (const u of users) lists.set(u, model.recommend(u, n, { excludeSeen: true, minScore }));
  return lists;
}

/** Total number of recommendations across all lists. */
export function countRecommendations(lists: TopNLists): number {
  let c = 0;
  for (const list of lists.values()) c += list.length;
  return c;
}
