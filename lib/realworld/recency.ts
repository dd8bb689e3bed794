/**
 * Recency weighting: older ratings count less, because tastes drift and catalogues age.
 *
 *   age_k = (now − t_k) / 86400            (days; now defaults to the newest timestamp of the data)
 *   w_k   = 2^(−age_k / halfLife) = exp(−ln 2 · age_k / halfLife)
 *
 * so a rating one half-life old weighs ½, two half-lives ¼. This exponential time decay is the
 * weighting of Ding & Li 2005, "Time weight collaborative filtering" (CIKM), where a rating's
 * weight is f(t) = e^(−λt) with the half-life T₀ = ln 2 / λ; Koren 2009 ("Collaborative filtering
 * with temporal dynamics", KDD) discusses decaying the influence of old data and its limits.
 *
 * `RecencyPopularity` applies it to the popularity baseline: an item's score is the sum of the
 * weights of its train interactions, i.e. a popularity count in which last week's views count
 * more than those of ten years ago (a "trending" list).
 */
import type { RatingDataset } from "../data/dataset";
import type { ParamSchema } from "../algorithms/params";
import { type Prediction, type Recommendation, type RecommendOptions, type Recommender, checkUser } from "../model/recommender";

export const SECONDS_PER_DAY = 86400;

export interface RecencyOptions {
  /** Half-life in days, > 0 (Infinity = no decay). */
  halfLifeDays: number;
  /** Reference time in seconds since the epoch (default: the newest timestamp in the data). */
  now?: number;
}

/**
 * One weight per rating (same order as `data.ratings`): w = 2^(−age/halfLife), age in days. A
 * rating newer than `now` (possible only with an explicit `now`) gets age 0, i.e. weight 1.
 * Throws when the data has no timestamps (or any timestamp is not finite) or on a bad option.
 */
export function recencyWeights(data: RatingDataset, options: RecencyOptions): Float64Array {
  const h = options?.halfLifeDays;
  if (typeof h !== "number" || !(h > 0)) {
    throw new Error(`recencyWeights: halfLifeDays must be a number > 0 (days; Infinity = no decay), got ${h}`);
  }
  const t = data.timestamps;
  const n = data.nRatings;
  let newest = -Infinity;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(t[k])) {
      throw new Error(
        data.hasTimestamps
          ? `recencyWeights: rating ${k} of dataset ${data.name} has timestamp ${t[k]}, not a finite number`
          : `recencyWeights: dataset ${data.name} has no timestamps, so ratings have no age`,
      );
    }
    if (t[k] > newest) newest = t[k];
  }
  const now = options.now ?? newest;
  if (!Number.isFinite(now)) throw new Error(`recencyWeights: now must be a finite time in seconds, got ${now}`);
  const w = new Float64Array(n);
  const rate = Math.LN2 / (h * SECONDS_PER_DAY); // per second
  for (let k = 0; k < n; k++) {
    const age = now - t[k];
    w[k] = age > 0 ? Math.exp(-rate * age) : 1;
  }
  return w;
}

/** Parameter schema for the algorithm registry (`recent-popularity`). */
export const RECENT_POPULARITY_PARAMS = {
  halfLifeDays: { type: "number", default: 365, min: 0, doc: "half-life of a rating's weight in days (> 0)" },
} satisfies ParamSchema;

export interface RecencyPopularityOptions {
  /** Half-life in days (default 365). */
  halfLifeDays?: number;
}

/**
 * Time-decayed popularity (`recent-popularity`): a pure ranker.
 *
 *   score(u, i) = Σ_{k: rating k is of item i} 2^(−age_k / halfLife)
 *
 * with ages measured from the newest train timestamp (see `recencyWeights`). Items are ranked by
 * score, ties by the smaller inner id; items without train interactions are never recommended.
 * With halfLife → ∞ this is the `popularity` baseline. Needs timestamps. Cost as `popularity`:
 * fit O(R + I log I), recommend O(n + |I_u|).
 */
export class RecencyPopularity implements Recommender {
  readonly id = "recent-popularity";
  readonly predictsRatings = false;
  readonly halfLifeDays: number;
  private train: RatingDataset | null = null;
  private scores = new Float64Array(0);
  private ranking = new Int32Array(0);
  private mark = new Uint8Array(0);

  constructor(options: RecencyPopularityOptions = {}) {
    const h = options.halfLifeDays ?? 365;
    if (typeof h !== "number" || !(h > 0)) throw new Error(`recent-popularity: halfLifeDays must be a number > 0, got ${h}`);
    this.halfLifeDays = h;
  }

  fit(train: RatingDataset): this {
    const w = recencyWeights(train, { halfLifeDays: this.halfLifeDays });
    const scores = new Float64Array(train.nItems);
    for (let k = 0; k < train.nRatings; k++) scores[train.items[k]] += w[k];
    const order: number[] = [];
    for (let i = 0; i < train.nItems; i++) if (train.itemCounts[i] > 0) order.push(i);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    this.train = train;
    this.scores = scores;
    this.ranking = Int32Array.from(order);
    this.mark = new Uint8Array(train.nItems);
    return this;
  }

  /** The decayed interaction count of `item`: NOT a rating. */
  predict(_user: number, item: number): Prediction {
    if (this.train === null) throw new Error("recent-popularity: predict called before fit");
    if (!(item >= 0 && item < this.scores.length) || !Number.isInteger(item)) {
      throw new Error(`recent-popularity: item index ${item} is outside 0..${this.scores.length - 1}`);
    }
    return { value: this.scores[item], impossible: false };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.train;
    if (train === null) throw new Error("recent-popularity: recommend called before fit");
    checkUser(train, user);
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`recent-popularity: n must be a non-negative integer, got ${n}`);
    const excludeSeen = options.excludeSeen ?? true;
    const a = train.userPtr[user];
    const b = train.userPtr[user + 1];
    const mark = this.mark;
    if (excludeSeen) for (let p = a; p < b; p++) mark[train.userItems[p]] = 1;
    const out: Recommendation[] = [];
    for (let r = 0; r < this.ranking.length && out.length < n; r++) {
      const i = this.ranking[r];
      if (mark[i] === 1 || options.exclude?.has(i)) continue;
      out.push({ item: i, score: this.scores[i] });
    }
    if (excludeSeen) for (let p = a; p < b; p++) mark[train.userItems[p]] = 0;
    return out;
  }
}
