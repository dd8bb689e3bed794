/**
 * The contract every algorithm in the course implements, and the shared top-N machinery.
 *
 * All ids here are inner ids of the `RatingDataset` the model was fitted on (a split's train set
 * shares inner ids with its parent and its test set, so they can be used interchangeably).
 */
import type { RatingDataset } from "../data/dataset";

/** A rating prediction. `impossible` is true when the model had to fall back (see `details`). */
export interface Prediction {
  /** Predicted rating, clipped to the train set's rating scale. */
  value: number;
  /** The model could not make a real prediction (unknown user or item, no neighbours …) and used its fallback. */
  impossible: boolean;
  /** Why the prediction was impossible, or other model-specific notes. */
  details?: string;
}

export interface Recommendation {
  item: number;
  /** The model's score: a predicted rating for rating predictors, an arbitrary score for rankers. */
  score: number;
}

export interface RecommendOptions {
  /** Leave out items the user rated in the train set (default true). */
  excludeSeen?: boolean;
  /** Keep only items whose score is at least this (applied by rating predictors; rankers ignore it). */
  minScore?: number;
  /** Items never to recommend (e.g. a stoplist), by inner id. */
  exclude?: ReadonlySet<number>;
}

export interface Recommender {
  /** Registry id, e.g. "popularity". */
  readonly id: string;
  /**
   * True when `predict` returns ratings on the data's scale (RMSE/MAE and the minimum-rating
   * threshold apply); false for pure rankers, whose scores only order items.
   */
  readonly predictsRatings: boolean;
  /** Learns from a train set. Returns the model for chaining. */
  fit(train: RatingDataset): this;
  /** Predicted rating of `item` for `user`; pure rankers return their score (not a rating). */
  predict(user: number, item: number): Prediction;
  /**
   * Top-n items for a user, best first. Must never build all users × items: it scores one user's
   * candidates at a time with O(items) memory.
   */
  recommend(user: number, n: number, options?: RecommendOptions): Recommendation[];
}

/**
 * A bounded min-heap that keeps the n best (highest score) candidates; ties are broken by the
 * smaller item id so results do not depend on the order candidates arrive in.
 * Pushing m candidates costs O(m log n) time and O(n) memory.
 */
export class TopN {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly n: number) {
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`TopN: n must be a non-negative integer, got ${n}`);
    this.items = new Int32Array(n);
    this.scores = new Float64Array(n);
  }

  /** `a` ranks below `b` (worse score, or equal score and larger id). */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  push(item: number, score: number): void {
    if (this.n === 0 || Number.isNaN(score)) return;
    if (this.size < this.n) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.worse(score, item, this.scores[p], this.items[p])) break;
        this.items[c] = this.items[p];
        this.scores[c] = this.scores[p];
        c = p;
      }
      this.items[c] = item;
      this.scores[c] = score;
      return;
    }
    if (!this.worse(this.scores[0], this.items[0], score, item)) return;
    // replace the root (the worst kept) and sift down
    let c = 0;
    const size = this.size;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= size) break;
      const r = l + 1;
      let m = l;
      if (r < size && this.worse(this.scores[r], this.items[r], this.scores[l], this.items[l])) m = r;
      if (!this.worse(this.scores[m], this.items[m], score, item)) break;
      this.items[c] = this.items[m];
      this.scores[c] = this.scores[m];
      c = m;
    }
    this.items[c] = item;
    this.scores[c] = score;
  }

  /** The kept candidates, best first. */
  result(): Recommendation[] {
    const out: Recommendation[] = [];
    for (let k = 0; k < this.size; k++) out.push({ item: this.items[k], score: this.scores[k] });
    return out.sort((a, b) => b.score - a.score || a.item - b.item);
  }
}

/**
 * Generic top-n for any model with a `predict`: scores every item the user has not rated in
 * `train` (and not in `options.exclude`), keeps the best n in a bounded heap.
 * Memory O(n) beyond the model itself; time O(items × cost of predict).
 */
export function topNByPrediction(
  model: Pick<Recommender, "predict" | "predictsRatings">,
  train: RatingDataset,
  user: number,
  n: number,
  options: RecommendOptions = {},
): Recommendation[] {
  const minScore = model.predictsRatings ? (options.minScore ?? -Infinity) : -Infinity;
  const heap = new TopN(n);
  forEachCandidate(train, user, options, (i) => {
    const pred = model.predict(user, i);
    if (pred.value >= minScore) heap.push(i, pred.value);
  });
  return heap.result();
}

/**
 * Top-n of a rating predictor that scores items with a raw, unclipped output `raw(i)`: the
 * candidates of `forEachCandidate`, ranked by the raw value (so outputs beyond the scale keep their
 * order), kept when the clipped value is ≥ `options.minScore`, reported clipped like `predict`.
 */
export function topNByRawScore(
  train: RatingDataset,
  user: number,
  n: number,
  options: RecommendOptions,
  raw: (item: number) => number,
): Recommendation[] {
  const scale = train.ratingScale;
  const minScore = options.minScore ?? -Infinity;
  const heap = new TopN(n);
  forEachCandidate(train, user, options, (i) => {
    const s = raw(i);
    if (clip(s, scale) >= minScore) heap.push(i, s);
  });
  return heap.result().map((r) => ({ item: r.item, score: clip(r.score, scale) }));
}

/**
 * Calls `fn` for every item, in id order, that may be recommended to `user`: not rated by them in
 * `train` (unless `options.excludeSeen` is false) and not in `options.exclude`.
 */
export function forEachCandidate(train: RatingDataset, user: number, options: RecommendOptions, fn: (item: number) => void): void {
  const excludeSeen = options.excludeSeen ?? true;
  const seen = train.userItems;
  let p = train.userPtr[user];
  const end = train.userPtr[user + 1];
  for (let i = 0; i < train.nItems; i++) {
    // user rows are sorted by item, so walking them alongside i skips seen items in O(1)
    while (p < end && seen[p] < i) p++;
    if (excludeSeen && p < end && seen[p] === i) continue;
    if (options.exclude?.has(i)) continue;
    fn(i);
  }
}

/** Clips a value to [lo, hi]. */
export function clip(x: number, [lo, hi]: readonly [number, number]): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Checks that an inner user id belongs to the train set; throws a clear error otherwise. */
export function checkUser(train: RatingDataset, user: number): void {
  if (!(user >= 0 && user < train.nUsers) || !Number.isInteger(user)) {
    throw new Error(`user index ${user} is outside 0..${train.nUsers - 1} of dataset ${train.name}`);
  }
}

/** Checks that an inner item id belongs to the train set; throws a clear error otherwise. */
export function checkItem(train: RatingDataset, item: number): void {
  if (!(item >= 0 && item < train.nItems) || !Number.isInteger(item)) {
    throw new Error(`item index ${item} is outside 0..${train.nItems - 1} of dataset ${train.name}`);
  }
}

/** Why (user, item) cannot get a real prediction from `train` (no ratings there), or null when both are known. */
export function unknownReason(train: RatingDataset, user: number, item: number): string | null {
  const knownUser = train.userPtr[user + 1] > train.userPtr[user];
  const knownItem = train.itemCounts[item] > 0;
  if (knownUser && knownItem) return null;
  if (!knownUser && !knownItem) return "user and item unknown to the train set";
  return knownUser ? "item unknown to the train set" : "user unknown to the train set";
}

/**
 * The common fallback for a user or item without train ratings: the global mean, clipped, flagged
 * impossible. Null when both are known (the model predicts for real).
 */
export function globalMeanFallback(train: RatingDataset, user: number, item: number): Prediction | null {
  const details = unknownReason(train, user, item);
  return details === null ? null : { value: clip(train.globalMean, train.ratingScale), impossible: true, details };
}

/**
 * `predict` of a model that only knows users and items with train ratings: checks both ids, falls
 * back to the global mean (`globalMeanFallback`) when either is unknown, else clips `raw()` to the
 * rating scale.
 */
export function predictKnownOrMean(train: RatingDataset, user: number, item: number, raw: () => number): Prediction {
  checkUser(train, user);
  checkItem(train, item);
  return globalMeanFallback(train, user, item) ?? { value: clip(raw(), train.ratingScale), impossible: false };
}
