/**
 * Temporal splits: train on the past, test on the future.
 *
 * A random split lets a model learn from ratings made *after* the ones it is tested on (a user's
 * later taste, an item's later popularity), which a deployed recommender never can. Evaluating on
 * the future instead is the "temporal" or "time-aware" protocol (Campos, Díez & Cantador 2014,
 * "Time-aware recommender systems: a comprehensive survey and analysis of existing evaluation
 * protocols", UMUAI 24; Koren 2009, "Collaborative filtering with temporal dynamics", KDD, whose
 * Netflix Prize probe set held out each user's latest ratings).
 *
 * - `temporalSplit`: one global cutoff time; the newest `testSize` share of ALL ratings is the test
 *   set (so the test set may hold users and items the train set has never seen: cold start).
 * - `temporalLeaveOneOut`: each eligible user's latest rating is held out (the time-aware twin of
 *   `leaveOneOut`).
 *
 * Ties in time are broken by the rating's index in the dataset (its position in the source file):
 * among ratings with the same timestamp, the one with the larger index counts as the later one.
 * Both splits are deterministic: no seed.
 */
import type { RatingDataset } from "../data/dataset";
import { Split, checkNotEmpty, checkTestSize, splitByMask } from "./common";

/** Throws a clear error unless every rating has a finite timestamp. */
export function checkTimestamps(data: RatingDataset, what: string): void {
  const t = data.timestamps;
  for (let k = 0; k < data.nRatings; k++) {
    if (!Number.isFinite(t[k])) {
      throw new Error(
        k === 0 && !data.hasTimestamps
          ? `${what} of dataset ${data.name}: the data has no timestamps (needed to order ratings in time)`
          : `${what} of dataset ${data.name}: rating ${k} has timestamp ${t[k]}, not a finite number`,
      );
    }
  }
}

/**
 * Indices 0..n-1 of the ratings in time order: by timestamp, ties by index (so the result is a
 * total order and does not depend on the sort algorithm). Timestamps must be finite.
 */
export function timeOrder(data: RatingDataset): Int32Array {
  const t = data.timestamps;
  const order = Array.from({ length: data.nRatings }, (_, k) => k);
  order.sort((a, b) => t[a] - t[b] || a - b);
  return Int32Array.from(order);
}

/**
 * True when rating a is later than rating b: a larger timestamp, or the same timestamp and a
 * larger index. A NaN timestamp compares equal to everything, so data without times falls back to
 * index order (used by `latestOfUser`).
 */
export function isLater(data: RatingDataset, a: number, b: number): boolean {
  const ta = data.timestamps[a];
  const tb = data.timestamps[b];
  return ta > tb || (!(ta < tb) && a > b);
}

/**
 * The indices (into users/items/ratings) of user u's ratings, oldest first, by the order of
 * `isLater` (timestamp, then index).
 */
export function userRatingsInTime(data: RatingDataset, u: number): number[] {
  const out: number[] = [];
  for (let p = data.userPtr[u]; p < data.userPtr[u + 1]; p++) out.push(data.userEntry[p]);
  const t = data.timestamps;
  return out.sort((a, b) => {
    const d = t[a] - t[b];
    return d > 0 || d < 0 ? d : a - b; // NaN difference → tie → index order
  });
}

export interface TemporalSplitOptions {
  /** Share of the ratings (the newest ones) that go to the test set, in (0, 1); default 0.25. */
  testSize?: number;
}

export interface TemporalSplit extends Split {
  /** Timestamp of the oldest test rating (every train rating is at or before it). */
  cutoff: number;
}

/**
 * Global temporal hold-out: the ratings are put in time order (timestamp, ties by index) and the
 * last `round(testSize × nRatings)` of them (halves round up, as `randomSplit`) form the test set;
 * everything older is the train set. Every train rating is at or before `cutoff`, every test
 * rating at or after it; when several ratings share the cutoff timestamp, those with the larger
 * indices go to the test set.
 * Throws on data without timestamps, a bad testSize, or a split that leaves a side empty.
 */
export function temporalSplit(data: RatingDataset, options: TemporalSplitOptions = {}): TemporalSplit {
  const name = "temporal split";
  checkNotEmpty(data, name);
  const testSize = options.testSize ?? 0.25;
  checkTestSize(testSize, name);
  checkTimestamps(data, name);
  const n = data.nRatings;
  const nTest = Math.round(testSize * n);
  if (nTest === 0 || nTest === n) {
    throw new Error(
      `${name} of dataset ${data.name}: testSize ${testSize} of ${n} ratings leaves the ${nTest === 0 ? "test" : "train"} set empty`,
    );
  }
  const order = timeOrder(data);
  const inTest = new Uint8Array(n);
  for (let j = n - nTest; j < n; j++) inTest[order[j]] = 1;
  const split = splitByMask(data, inTest, name);
  return { ...split, cutoff: data.timestamps[order[n - nTest]] };
}

export interface TemporalLeaveOneOutOptions {
  /**
   * Users with fewer ratings than this keep all of them in the train set (default 2, as
   * `leaveOneOut`, so every test user still has a train rating).
   */
  minRatings?: number;
}

/**
 * Temporal leave-one-out: for every user with at least `minRatings` ratings, the user's latest
 * rating (largest timestamp; among equal timestamps the one with the larger index) is the test
 * rating; everything else is the train set. Unlike a global cutoff, each user's own "now" is used,
 * so the train set still holds other users' later ratings (Koren 2009's probe set is built this
 * way). Deterministic: no seed.
 */
export function temporalLeaveOneOut(data: RatingDataset, options: TemporalLeaveOneOutOptions = {}): Split {
  const name = "temporal leave-one-out split";
  checkNotEmpty(data, name);
  const minRatings = options.minRatings ?? 2;
  if (!(Number.isInteger(minRatings) && minRatings >= 1)) {
    throw new Error(`${name}: minRatings must be an integer ≥ 1, got ${minRatings}`);
  }
  checkTimestamps(data, name);
  const inTest = new Uint8Array(data.nRatings);
  let eligible = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const a = data.userPtr[u];
    const b = data.userPtr[u + 1];
    if (b - a < minRatings) continue;
    let best = data.userEntry[a];
    for (let p = a + 1; p < b; p++) {
      const k = data.userEntry[p];
      if (isLater(data, k, best)) best = k;
    }
    inTest[best] = 1;
    eligible++;
  }
  if (eligible === 0) {
    throw new Error(`${name} of dataset ${data.name}: no user has at least ${minRatings} ratings, so the test set would be empty`);
  }
  return splitByMask(data, inTest, name);
}
