/**
 * Content-based KNN (`content-knn`), as in the "Building Recommender Systems with Machine Learning
 * and AI" course (F. Kane, 2018, "Content-Based Filtering": ContentKNNAlgorithm): item–item
 * similarity from item CONTENT (genres, release year, optionally mise-en-scène trailer features;
 * see contentSimilarity.ts), then a similarity-weighted average of the user's own ratings:
 *
 *   N_k(u, i) = the k items rated by u with the largest sim(i, j) > 0
 *               (ties: the smaller inner item id first)
 *   r̂_ui      = Σ_{j ∈ N_k(u,i)} sim(i, j) · r_uj  /  Σ_{j ∈ N_k(u,i)} sim(i, j)
 *
 * with k = 40 by default. When no item the user rated has a positive similarity to i (no genre in
 * common, unknown year, no trailer features, or a user without ratings), the prediction is
 * IMPOSSIBLE and falls back to the train set's global mean (the default, as Surprise does for
 * PredictionImpossible) or to the user's mean (`fallback: "userMean"`).
 *
 * Similarities are computed on demand from small tables built in fit (genre-combination cosines,
 * a year-difference table, standardised trailer features; see contentSimilarity.ts), so fit costs
 * O(items + combinations²) and memory stays O(items) whatever the catalogue size. A dense
 * nItems × nItems matrix would take 4·nItems² bytes (11 MB on MovieLens 100K, 329 MB on the 9,066
 * movies of ml-latest-small) and measured SLOWER here (ML-100K, 75/25 split: fit 99 ms vs 9 ms,
 * top-10 for all users 5.2 s vs 4.0 s — the small tables stay in cache); `ContentSimilarity.dense()`
 * still builds it for small catalogues (plots, exercises). Items with the same genre combination
 * and year (a "content class"; 699 classes for ML-100K's 1,682 movies) have identical similarities
 * to everything, so `recommend` scores each class once per user when mise is off.
 *
 * `recommend` scores every unseen item, skips impossible ones (no content evidence), and breaks
 * equal scores by popularity in the train set (more ratings first, then the smaller inner id):
 * weighted averages of whole-star ratings tie often (a user who rated everything 5 gets 5 for every
 * item with a neighbour).
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  TopN,
  checkUser,
  clip,
} from "../model/recommender";
import { type ContentSimilarityOptions, ContentSimilarity } from "./contentSimilarity";

export interface ContentKnnOptions extends ContentSimilarityOptions {
  /** Number of neighbours (default 40). */
  k?: number;
  /** Prediction when no neighbour has a positive similarity: "globalMean" (default) or "userMean". */
  fallback?: "globalMean" | "userMean";
}

export interface ContentNeighbour {
  item: number;
  similarity: number;
  rating: number;
}

export class ContentKNN implements Recommender {
  readonly id = "content-knn";
  readonly predictsRatings = true;
  readonly k: number;
  readonly fallback: "globalMean" | "userMean";
  readonly similarityOptions: ContentSimilarityOptions;
  private train: RatingDataset | null = null;
  private content: ContentSimilarity | null = null;
  private userMean: Float64Array = new Float64Array(0);
  /** Item of each popularity rank − 1 (for the tie-breaker). */
  private byRank: Int32Array = new Int32Array(0);
  // scratch buffers, sized to the largest user row
  private sims: Float64Array = new Float64Array(0);
  private rats: Float64Array = new Float64Array(0);
  private items: Int32Array = new Int32Array(0);
  private chosen: Int32Array = new Int32Array(0);
  private work: Float64Array = new Float64Array(0);
  private classScore: Float64Array = new Float64Array(0);
  /** predict's per-class cache (−∞ = not computed) and the user it belongs to. */
  private predictClass: Float64Array = new Float64Array(0);
  private predictUser = -1;

  constructor(options: ContentKnnOptions = {}) {
    const k = options.k ?? 40;
    if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`content-knn: k must be a positive integer, got ${options.k}`);
    this.k = k;
    const fb = options.fallback ?? "globalMean";
    if (fb !== "globalMean" && fb !== "userMean") {
      throw new Error(`content-knn: fallback must be "globalMean" or "userMean", got ${JSON.stringify(options.fallback)}`);
    }
    this.fallback = fb;
    this.similarityOptions = {
      features: options.features,
      mise: options.mise,
      yearScale: options.yearScale,
      miseMissing: options.miseMissing,
    };
  }

  fit(train: RatingDataset): this {
    if (train.nRatings === 0) throw new Error(`content-knn: cannot fit on the empty dataset ${train.name}`);
    const content = new ContentSimilarity(train, this.similarityOptions);
    this.content = content;
    let maxRow = 0;
    for (let u = 0; u < train.nUsers; u++) maxRow = Math.max(maxRow, train.userCount(u));
    this.sims = new Float64Array(maxRow);
    this.rats = new Float64Array(maxRow);
    this.items = new Int32Array(maxRow);
    this.chosen = new Int32Array(this.k);
    this.work = new Float64Array(maxRow);
    this.classScore = new Float64Array(content.nClasses);
    this.predictClass = new Float64Array(content.nClasses);
    this.predictUser = -1;
    this.userMean = train.userMeans();
    const byRank = new Int32Array(train.nItems);
    for (let i = 0; i < train.nItems; i++) byRank[train.popularityRank[i] - 1] = i;
    this.byRank = byRank;
    this.train = train;
    return this;
  }

  /** The content similarity in use (after fit). */
  get contentSimilarity(): ContentSimilarity {
    if (this.content === null) throw new Error("content-knn: contentSimilarity read before fit");
    return this.content;
  }

  /** Content similarity of two items (after fit). */
  similarity(i: number, j: number): number {
    const train = this.requireFit("similarity");
    checkItem(train, i);
    checkItem(train, j);
    return this.content!.sim(i, j);
  }

  predict(user: number, item: number): Prediction {
    const train = this.requireFit("predict");
    checkUser(train, user);
    checkItem(train, item);
    // The prediction depends on the item only through its content class (when classes exist), so
    // it is kept per class for the current user: predicting every item for one user (a hybrid's
    // top-n) costs one neighbourhood per class instead of one per item.
    const content = this.content!;
    let v: number;
    if (content.nClasses > 0) {
      if (this.predictUser !== user) {
        this.predictUser = user;
        this.predictClass.fill(-Infinity);
      }
      const c = content.classOf[item];
      v = this.predictClass[c];
      if (v === -Infinity) {
        const m = this.neighbours(train, user, item);
        v = m > 0 ? this.weightedAverage(m) : NaN;
        this.predictClass[c] = v;
      }
    } else {
      const m = this.neighbours(train, user, item);
      v = m > 0 ? this.weightedAverage(m) : NaN;
    }
    if (Number.isNaN(v)) return this.fallbackPrediction(train, user);
    return { value: clip(v, train.ratingScale), impossible: false };
  }

  /** The neighbours N_k(u, i) used for a prediction, most similar first, and the prediction. */
  explain(user: number, item: number): { prediction: Prediction; neighbours: ContentNeighbour[] } {
    const train = this.requireFit("explain");
    checkUser(train, user);
    checkItem(train, item);
    const m = this.neighbours(train, user, item);
    const used = m > 0 ? this.select(m) : 0;
    const neighbours: ContentNeighbour[] = [];
    for (let t = 0; t < used; t++) {
      const p = this.chosen[t];
      neighbours.push({ item: this.items[p], similarity: this.sims[p], rating: this.rats[p] });
    }
    neighbours.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
    return { prediction: this.predict(user, item), neighbours };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.requireFit("recommend");
    checkUser(train, user);
    const excludeSeen = options.excludeSeen ?? true;
    const minScore = options.minScore ?? -Infinity;
    const scale = train.ratingScale;
    const rank = train.popularityRank;
    // keyed by popularity rank − 1, so TopN's "smaller key first" tie-break means "more ratings first"
    const heap = new TopN(n);
    const seen = train.userItems;
    let p = train.userPtr[user];
    const end = train.userPtr[user + 1];
    if (p === end) return [];
    // Items of the same content class get the same prediction: compute it once per class
    // (NaN = impossible). Only without mise, where classes exist.
    const content = this.content!;
    const classOf = content.classOf;
    const useClasses = content.nClasses > 0;
    if (useClasses) this.classScore.fill(-Infinity);
    for (let i = 0; i < train.nItems; i++) {
      while (p < end && seen[p] < i) p++;
      if (excludeSeen && p < end && seen[p] === i) continue;
      if (options.exclude?.has(i)) continue;
      let v: number;
      if (useClasses && this.classScore[classOf[i]] !== -Infinity) {
        v = this.classScore[classOf[i]];
      } else {
        const m = this.neighbours(train, user, i);
        v = m === 0 ? NaN : clip(this.weightedAverage(m), scale);
        if (useClasses) this.classScore[classOf[i]] = v;
      }
      if (v >= minScore) heap.push(rank[i] - 1, v);
    }
    return heap.result().map((r) => ({ item: this.byRank[r.item], score: r.score }));
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Collects (sim > 0, rating, item) of the user's rated items into the scratch arrays; returns how many. */
  private neighbours(train: RatingDataset, user: number, item: number): number {
    const a = train.userPtr[user];
    const b = train.userPtr[user + 1];
    const rowItems = train.userItems;
    const rowRatings = train.userRatings;
    const sims = this.sims;
    const rats = this.rats;
    const its = this.items;
    this.content!.simMany(item, rowItems, a, b, sims);
    let m = 0;
    for (let t = 0; t < b - a; t++) {
      const s = sims[t];
      if (s > 0) {
        sims[m] = s;
        rats[m] = rowRatings[a + t];
        its[m] = rowItems[a + t];
        m++;
      }
    }
    return m;
  }

  /**
   * Puts the positions of the k best of the m candidates (largest similarity; on ties the earlier
   * position, i.e. the smaller item id, as rows are sorted by item) into `chosen[0..]`, in position
   * order; returns how many. O(m) on average: the k-th largest similarity τ is found by
   * quickselect, then every candidate above τ is taken, and the earliest ones equal to τ fill up to k.
   */
  private select(m: number): number {
    const chosen = this.chosen;
    const k = this.k;
    if (m <= k) {
      for (let p = 0; p < m; p++) chosen[p] = p;
      return m;
    }
    const sims = this.sims;
    const work = this.work;
    work.set(sims.subarray(0, m));
    const tau = kthLargest(work, m, k);
    let above = 0;
    for (let p = 0; p < m; p++) if (sims[p] > tau) above++;
    let ties = k - above;
    let c = 0;
    for (let p = 0; p < m; p++) {
      const s = sims[p];
      if (s > tau || (s === tau && ties-- > 0)) chosen[c++] = p;
    }
    return c;
  }

  /** Σ sim·r / Σ sim over the k best of the m collected candidates. */
  private weightedAverage(m: number): number {
    const sims = this.sims;
    const rats = this.rats;
    let num = 0;
    let den = 0;
    if (m <= this.k) {
      for (let p = 0; p < m; p++) {
        num += sims[p] * rats[p];
        den += sims[p];
      }
    } else {
      const used = this.select(m);
      const chosen = this.chosen;
      for (let t = 0; t < used; t++) {
        const p = chosen[t];
        num += sims[p] * rats[p];
        den += sims[p];
      }
    }
    return den > 0 ? num / den : NaN;
  }

  private fallbackPrediction(train: RatingDataset, user: number): Prediction {
    const um = this.userMean[user];
    if (this.fallback === "userMean" && !Number.isNaN(um)) {
      return { value: clip(um, train.ratingScale), impossible: true, details: "no rated item with positive content similarity: user mean" };
    }
    return {
      value: clip(train.globalMean, train.ratingScale),
      impossible: true,
      details: Number.isNaN(um)
        ? "user has no ratings in the train set: global mean"
        : "no rated item with positive content similarity: global mean",
    };
  }

  private requireFit(what: string): RatingDataset {
    if (this.train === null) throw new Error(`content-knn: ${what} called before fit`);
    return this.train;
  }
}

function checkItem(train: RatingDataset, item: number): void {
  if (!(item >= 0 && item < train.nItems) || !Number.isInteger(item)) {
    throw new Error(`content-knn: item index ${item} is outside 0..${train.nItems - 1} of dataset ${train.name}`);
  }
}

/**
 * The k-th largest of a[0..n) (1 ≤ k ≤ n), by quickselect with a median-of-three pivot and a
 * three-way partition (many similarities are equal). Reorders a[0..n).
 */
export function kthLargest(a: Float64Array, n: number, k: number): number {
  if (!(k >= 1 && k <= n)) throw new Error(`kthLargest: k = ${k} outside 1..${n}`);
  let lo = 0;
  let hi = n - 1;
  const target = k - 1; // index in descending order
  for (;;) {
    if (lo >= hi) return a[lo];
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // descending three-way partition: [lo, lt) > pivot, [lt, i) = pivot, (gt, hi] < pivot
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i];
      if (v > pivot) {
        a[i] = a[lt];
        a[lt] = v;
        lt++;
        i++;
      } else if (v < pivot) {
        a[i] = a[gt];
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (target < lt) hi = lt - 1;
    else if (target > gt) lo = gt + 1;
    else return pivot;
  }
}
