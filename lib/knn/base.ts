/**
 * Shared machinery of the k-NN rating predictors (KNNBasic, KNNWithMeans, KNNWithZScore,
 * KNNBaseline), with Surprise's semantics
 * (https://surprise.readthedocs.io/en/stable/knn_inspired.html):
 *
 * - user-based (default): x = the user, y = the item; item-based: x = the item, y = the user.
 * - N^k_y(x): among the x-side entities that rated y (the other users who rated the item, or the
 *   other items the user rated), the k with the highest sim(x, ·). Only POSITIVE similarities
 *   contribute (Surprise takes the k largest and then skips those ≤ 0, which is the same as
 *   taking the k largest positive ones). Ties at the k-th place go to the smaller inner id.
 *   As in Surprise, when x itself rated y (predicting a train rating) x is among the candidates,
 *   with sim(x, x) = 1.
 * - actual_k = |N^k_y(x)|; fewer than minK → the algorithm's fallback, flagged `impossible`
 *   (KNNBasic: the global mean; WithMeans / WithZScore: the mean of x; KNNBaseline: b_ui).
 * - a user or item without train ratings → the global mean (KNNBaseline: what is left of b_ui),
 *   flagged `impossible`.
 * - predictions are clipped to the rating scale.
 *
 * Defaults as Surprise: k = 40, minK = 1, sim = "msd", userBased = true, minSupport = 1,
 * shrinkage = 100 (pearson_baseline only). The similarity matrix is dense (lib/similarity/matrix.ts),
 * so the x side may have at most DENSE_SIMILARITY_LIMIT entities.
 *
 * `recommend` scores every item that has train ratings and that the user has not seen (the
 * Surprise "anti-testset" of the course), best first; items with no train rating are not
 * candidates.
 */
import type { RatingDataset } from "../data/dataset";
import { type BaselineOptions, type Baselines, checkItem, fitBaselines } from "../baseline/baselines";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  TopN,
  checkUser,
  clip,
} from "../model/recommender";
import { type SimilarityMatrix, computeSimilarity } from "../similarity/matrix";
import { type SimilarityMeasure, resolveSimilarityOptions } from "../similarity/measures";

export interface KNNOptions {
  /** Maximum number of neighbours (default 40). */
  k?: number;
  /** Minimum number of (positive-similarity) neighbours for a real prediction (default 1). */
  minK?: number;
  /** Similarity measure (default "msd"). */
  sim?: SimilarityMeasure;
  /** User–user (true, default) or item–item neighbourhoods. */
  userBased?: boolean;
  /** Pairs with fewer common ratings get similarity 0 (default 1). */
  minSupport?: number;
  /** Shrinkage of the pearson_baseline similarity (default 100). */
  shrinkage?: number;
  /** How baselines are fitted, for KNNBaseline and for sim = "pearson_baseline" (default ALS). */
  baseline?: BaselineOptions;
}

export interface ResolvedKNNOptions {
  k: number;
  minK: number;
  sim: SimilarityMeasure;
  userBased: boolean;
  minSupport: number;
  shrinkage: number;
  baseline: BaselineOptions;
}

export function resolveKNNOptions(options: KNNOptions, who: string): ResolvedKNNOptions {
  const k = options.k ?? 40;
  const minK = options.minK ?? 1;
  if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`${who}: k must be a positive integer, got ${k}`);
  if (!(minK >= 0) || !Number.isInteger(minK)) throw new Error(`${who}: minK must be a non-negative integer, got ${minK}`);
  const s = resolveSimilarityOptions({
    measure: options.sim,
    userBased: options.userBased,
    minSupport: options.minSupport,
    shrinkage: options.shrinkage,
  });
  return {
    k,
    minK,
    sim: s.measure,
    userBased: s.userBased,
    minSupport: s.minSupport,
    shrinkage: s.shrinkage,
    baseline: { ...(options.baseline ?? {}) },
  };
}

export abstract class KNNBase implements Recommender {
  abstract readonly id: string;
  readonly predictsRatings = true;
  readonly options: ResolvedKNNOptions;
  protected trainSet: RatingDataset | null = null;
  protected simMatrix: SimilarityMatrix | null = null;
  protected fittedBaselines: Baselines | null = null;
  /** Scratch: the selected neighbours of the current prediction. */
  protected readonly nbIds: Int32Array;
  protected readonly nbSims: Float64Array;
  protected readonly nbRatings: Float64Array;
  /** Scratch: every positive-similarity candidate of the current prediction. */
  private candIds = new Int32Array(0);
  private candSims = new Float64Array(0);
  private candRatings = new Float64Array(0);
  /** Scratch of the user-based batch `recommend`: per-item neighbour count, Σ sim, Σ sim · term. */
  private aggCount = new Int32Array(0);
  private aggSim = new Float64Array(0);
  private aggTerm = new Float64Array(0);

  constructor(options: KNNOptions, who: string) {
    this.options = resolveKNNOptions(options, who);
    const k = this.options.k;
    this.nbIds = new Int32Array(k);
    this.nbSims = new Float64Array(k);
    this.nbRatings = new Float64Array(k);
  }

  /** Whether fit must estimate baselines (KNNBaseline, or the pearson_baseline similarity). */
  protected needsBaselines(): boolean {
    return this.options.sim === "pearson_baseline";
  }

  /** Per-algorithm statistics computed after the similarities (means, deviations …). */
  protected abstract afterFit(train: RatingDataset): void;

  /**
   * The contribution of one neighbour before weighting: r (KNNBasic), r − μ_nb (WithMeans),
   * (r − μ_nb) / σ_nb (WithZScore), r − b_nb (KNNBaseline). `nb` is an x-side id (a user when
   * user-based), r its rating of y.
   */
  protected abstract term(nb: number, user: number, item: number, r: number): number;

  /**
   * The prediction (before clipping) from the aggregates over the `count` selected neighbours:
   * sumSim = Σ sim, sumTerm = Σ sim · term. count may be below minK (then the algorithm's
   * fallback applies, flagged impossible).
   */
  protected abstract finish(user: number, item: number, x: number, count: number, sumSim: number, sumTerm: number): Prediction;

  /** Whether `count` neighbours are too few for a real prediction. */
  protected tooFew(count: number): boolean {
    return count === 0 || count < this.options.minK;
  }

  /** The `details` of a fallback for too few neighbours. */
  protected tooFewDetails(count: number, fallback: string): string {
    return `not enough neighbours (actual_k = ${count} < ${Math.max(1, this.options.minK)}): ${fallback}`;
  }

  /** Prediction for a user or item unknown to the train set. */
  protected unknown(user: number, item: number, knowsUser: boolean): Prediction {
    const train = this.train;
    return {
      value: train.globalMean,
      impossible: true,
      details: `${knowsUser ? "item" : "user"} has no train ratings: global mean`,
    };
  }

  fit(train: RatingDataset): this {
    const o = this.options;
    if (train.nRatings === 0) throw new Error(`${this.id}: train set ${train.name} has no ratings`);
    this.fittedBaselines = this.needsBaselines() ? fitBaselines(train, o.baseline) : null;
    this.simMatrix = computeSimilarity(train, {
      measure: o.sim,
      userBased: o.userBased,
      minSupport: o.minSupport,
      shrinkage: o.shrinkage,
      baselines: this.fittedBaselines ?? undefined,
    });
    this.trainSet = train;
    this.afterFit(train);
    return this;
  }

  /** The train set (throws before fit). */
  get train(): RatingDataset {
    if (this.trainSet === null) throw new Error(`${this.id}: not fitted yet (call fit first)`);
    return this.trainSet;
  }

  /** The similarity matrix of the x side (throws before fit). */
  get similarity(): SimilarityMatrix {
    if (this.simMatrix === null) throw new Error(`${this.id}: not fitted yet (call fit first)`);
    return this.simMatrix;
  }

  predict(user: number, item: number): Prediction {
    const train = this.train;
    checkUser(train, user);
    checkItem(train, item);
    const knowsUser = train.userPtr[user + 1] > train.userPtr[user];
    const knowsItem = train.itemCounts[item] > 0;
    let p: Prediction;
    if (!knowsUser || !knowsItem) {
      p = this.unknown(user, item, knowsUser);
    } else {
      const ub = this.options.userBased;
      const x = ub ? user : item;
      const y = ub ? item : user;
      const count = this.selectNeighbours(x, y);
      let sumSim = 0;
      let sumTerm = 0;
      for (let j = 0; j < count; j++) {
        const sim = this.nbSims[j];
        sumSim += sim;
        sumTerm += sim * this.term(this.nbIds[j], user, item, this.nbRatings[j]);
      }
      p = this.finish(user, item, x, count, sumSim, sumTerm);
    }
    p.value = clip(p.value, train.ratingScale);
    return p;
  }

  /**
   * Fills nbIds / nbSims / nbRatings with the (at most k) x-side entities that rated y with the
   * highest positive sim(x, ·), ties to the smaller id; returns how many (actual_k). The kept
   * neighbours are in no particular order.
   */
  protected selectNeighbours(x: number, y: number): number {
    const train = this.train;
    const ub = this.options.userBased;
    const ptr = ub ? train.itemPtr : train.userPtr;
    const idx = ub ? train.itemUsers : train.userItems;
    const val = ub ? train.itemRatings : train.userRatings;
    const S = this.similarity.values;
    const n = this.similarity.n;
    // sim(x, nb) = S[x·n + nb] = S[nb·n + x]. Item-based, consecutive calls for one user (as in
    // recommend) change x (the item) but keep the neighbours (the user's items): reading the
    // column touches the same few cache lines call after call. User-based, x's row is read.
    const base = ub ? x * n : x;
    const step = ub ? 1 : n;
    const a = ptr[y];
    const m = ptr[y + 1] - a;
    if (this.candIds.length < m) this.growCandidates(m);
    const ids = this.candIds;
    const sims = this.candSims;
    const rs = this.candRatings;
    let c = 0;
    for (let p = 0; p < m; p++) {
      const nb = idx[a + p];
      const s = S[base + nb * step];
      if (s > 0) {
        ids[c] = nb;
        sims[c] = s;
        rs[c] = val[a + p];
        c++;
      }
    }
    const k = this.options.k;
    if (c > k) selectTop(ids, sims, rs, c, k);
    const count = c < k ? c : k;
    for (let j = 0; j < count; j++) {
      this.nbIds[j] = ids[j];
      this.nbSims[j] = sims[j];
      this.nbRatings[j] = rs[j];
    }
    return count;
  }

  private growCandidates(m: number): void {
    const size = Math.max(m, 2 * this.candIds.length, 64);
    this.candIds = new Int32Array(size);
    this.candSims = new Float64Array(size);
    this.candRatings = new Float64Array(size);
  }

  /** The neighbours a prediction of (user, item) uses, most similar first: ids are x-side ids. */
  neighboursOf(user: number, item: number): { id: number; sim: number; rating: number }[] {
    const train = this.train;
    checkUser(train, user);
    checkItem(train, item);
    const ub = this.options.userBased;
    const count = this.selectNeighbours(ub ? user : item, ub ? item : user);
    const out: { id: number; sim: number; rating: number }[] = [];
    for (let j = 0; j < count; j++) out.push({ id: this.nbIds[j], sim: this.nbSims[j], rating: this.nbRatings[j] });
    return out.sort((a, b) => b.sim - a.sim || a.id - b.id);
  }

  /**
   * Top-n unseen items by predicted rating (items without train ratings are not candidates).
   * Item-based, each candidate is predicted in turn. User-based, all items are scored in one pass:
   * u's positive-similarity users are visited from the most similar down (ties: smaller id), and
   * each of their ratings is added to its item's aggregates until that item has k neighbours —
   * the same neighbourhoods as `predict`, without a selection per item. Scores equal `predict`'s
   * values up to floating-point rounding (the sums run in another order).
   */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.train;
    checkUser(train, user);
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`${this.id}: n must be a non-negative integer, got ${n}`);
    const excludeSeen = options.excludeSeen ?? true;
    const minScore = options.minScore ?? -Infinity;
    const batch = this.options.userBased && train.userPtr[user + 1] > train.userPtr[user];
    if (batch) this.aggregateAllItems(user);
    const heap = new TopN(n);
    const seen = train.userItems;
    let p = train.userPtr[user];
    const end = train.userPtr[user + 1];
    const scale = train.ratingScale;
    for (let i = 0; i < train.nItems; i++) {
      while (p < end && seen[p] < i) p++;
      if (excludeSeen && p < end && seen[p] === i) continue;
      if (train.itemCounts[i] === 0 || options.exclude?.has(i)) continue;
      const v = batch
        ? clip(this.finish(user, i, user, this.aggCount[i], this.aggSim[i], this.aggTerm[i]).value, scale)
        : this.predict(user, i).value;
      if (v >= minScore) heap.push(i, v);
    }
    return heap.result();
  }

  /** User-based: aggCount / aggSim / aggTerm of every item for `user` (see `recommend`). */
  private aggregateAllItems(user: number): void {
    const train = this.train;
    const S = this.similarity;
    const row = S.row(user);
    if (this.aggCount.length !== train.nItems) {
      this.aggCount = new Int32Array(train.nItems);
      this.aggSim = new Float64Array(train.nItems);
      this.aggTerm = new Float64Array(train.nItems);
    } else {
      this.aggCount.fill(0);
      this.aggSim.fill(0);
      this.aggTerm.fill(0);
    }
    const order: number[] = [];
    for (let v = 0; v < S.n; v++) if (row[v] > 0) order.push(v);
    order.sort((a, b) => row[b] - row[a] || a - b);
    const { aggCount, aggSim, aggTerm } = this;
    const k = this.options.k;
    const { userPtr, userItems, userRatings } = train;
    for (const v of order) {
      const sim = row[v];
      for (let q = userPtr[v]; q < userPtr[v + 1]; q++) {
        const i = userItems[q];
        if (aggCount[i] >= k) continue;
        aggCount[i]++;
        aggSim[i] += sim;
        aggTerm[i] += sim * this.term(v, user, i, userRatings[q]);
      }
    }
  }
}

/**
 * Moves the k best of the first m candidates (highest sim, ties to the smaller id) to the front,
 * in no particular order: Hoare-style quickselect, O(m) on average, no allocation.
 */
export function selectTop(ids: Int32Array, sims: Float64Array, rs: Float64Array, m: number, k: number): void {
  let lo = 0;
  let hi = m - 1;
  // invariant: the answer's boundary (position k − 1) lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const ps = sims[mid];
    const pi = ids[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      // "better" = higher sim, or equal sim and smaller id
      while (sims[i] > ps || (sims[i] === ps && ids[i] < pi)) i++;
      while (sims[j] < ps || (sims[j] === ps && ids[j] > pi)) j--;
      if (i <= j) {
        const ti = ids[i];
        ids[i] = ids[j];
        ids[j] = ti;
        const ts = sims[i];
        sims[i] = sims[j];
        sims[j] = ts;
        const tr = rs[i];
        rs[i] = rs[j];
        rs[j] = tr;
        i++;
        j--;
      }
    }
    // now [lo, j] are all ≥ pivot-better-or-equal, [i, hi] worse-or-equal, (j, i) equal to the pivot
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** Mean and population standard deviation of each x-side entity's train ratings (NaN if none). */
export function rowStats(train: RatingDataset, userBased: boolean): { means: Float64Array; sigmas: Float64Array } {
  const ptr = userBased ? train.userPtr : train.itemPtr;
  const val = userBased ? train.userRatings : train.itemRatings;
  const n = ptr.length - 1;
  const means = new Float64Array(n);
  const sigmas = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    const a = ptr[x];
    const b = ptr[x + 1];
    let s = 0;
    for (let p = a; p < b; p++) s += val[p];
    const m = s / (b - a);
    let ss = 0;
    for (let p = a; p < b; p++) ss += (val[p] - m) * (val[p] - m);
    means[x] = m;
    sigmas[x] = Math.sqrt(ss / (b - a));
  }
  return { means, sigmas };
}
