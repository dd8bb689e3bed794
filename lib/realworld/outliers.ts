/**
 * Outlier users: accounts with far more (or far fewer) ratings than anyone else — bots, shared
 * family accounts, professional critics, test accounts — whose ratings dominate similarities and
 * popularity counts. F. Kane's course ("Building Recommender Systems with Machine Learning and AI",
 * real-world challenges) drops users whose rating count is more than 3 standard deviations from
 * the mean before training; the "3σ rule" itself is the classical outlier rule (under a normal
 * distribution 99.7% of values lie within 3σ; Pukelsheim 1994, "The three sigma rule", The
 * American Statistician 48(2)). Rating counts are far from normal (long right tail), so in
 * practice the rule only ever removes heavy raters.
 */
import type { RatingDataset } from "../data/dataset";

export interface OutlierOptions {
  /** How many standard deviations count as an outlier (default 3); must be > 0. */
  k?: number;
  /**
   * 0 (default): population standard deviation (divide by the number of users); 1: sample
   * standard deviation (divide by users − 1), the default of pandas' `Series.std`.
   */
  ddof?: 0 | 1;
}

export interface OutlierResult {
  /** The ratings of the kept users (a `subset`: inner ids kept; removed users have no ratings in it). */
  data: RatingDataset;
  /** Inner ids of the removed users, increasing. */
  removedUsers: number[];
  keptUsers: number;
  keptRatings: number;
  removedRatings: number;
  /** Mean and standard deviation of the rating count over users with at least one rating. */
  mean: number;
  std: number;
  /** Kept range: a user with count c is kept when low ≤ c ≤ high (= mean ∓ k·std). */
  low: number;
  high: number;
  k: number;
}

/**
 * Removes the users whose rating count c satisfies |c − mean| > k·std, where mean and std are
 * taken over the users with at least one rating in `data` (users without ratings, possible in a
 * subset, are ignored). A user exactly k·std away is kept. With std = 0 nobody is removed.
 * Returns the input itself (not a copy) when nobody is removed.
 */
export function filterOutlierUsers(data: RatingDataset, options: OutlierOptions = {}): OutlierResult {
  const k = options.k ?? 3;
  if (typeof k !== "number" || !(k > 0) || !Number.isFinite(k)) {
    throw new Error(`filterOutlierUsers: k must be a finite number > 0 (standard deviations), got ${k}`);
  }
  const ddof = options.ddof ?? 0;
  if (ddof !== 0 && ddof !== 1) throw new Error(`filterOutlierUsers: ddof must be 0 or 1, got ${ddof}`);
  if (data.nRatings === 0) throw new Error(`filterOutlierUsers: dataset ${data.name} is empty (no ratings)`);
  let active = 0;
  let sum = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const c = data.userCount(u);
    if (c > 0) {
      active++;
      sum += c;
    }
  }
  const mean = sum / active;
  let ss = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const c = data.userCount(u);
    if (c > 0) ss += (c - mean) * (c - mean);
  }
  const std = active - ddof > 0 ? Math.sqrt(ss / (active - ddof)) : 0;
  const low = mean - k * std;
  const high = mean + k * std;
  const removed = new Uint8Array(data.nUsers);
  const removedUsers: number[] = [];
  let removedRatings = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const c = data.userCount(u);
    if (c > 0 && Math.abs(c - mean) > k * std) {
      removed[u] = 1;
      removedUsers.push(u);
      removedRatings += c;
    }
  }
  const keptRatings = data.nRatings - removedRatings;
  if (keptRatings === 0) throw new Error(`filterOutlierUsers on dataset ${data.name}: every user is an outlier at k = ${k}`);
  let filtered = data;
  if (removedUsers.length > 0) {
    const keep = new Int32Array(keptRatings);
    let j = 0;
    for (let r = 0; r < data.nRatings; r++) if (!removed[data.users[r]]) keep[j++] = r;
    filtered = data.subset(keep, `${data.name} [outliers > ${k}σ removed]`);
  }
  return {
    data: filtered,
    removedUsers,
    keptUsers: active - removedUsers.length,
    keptRatings,
    removedRatings,
    mean,
    std,
    low,
    high,
    k,
  };
}
