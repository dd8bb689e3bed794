/**
 * User-based top-N collaborative filtering (`usercf`), as taught in F. Kane's course "Building
 * Recommender Systems with Machine Learning and AI" (SimpleUserCF): a pure ranker.
 *
 *   N(u)      = the k users most similar to u (v ≠ u, non-zero sim; ties to the smaller id), or,
 *               when `threshold` is set, every v ≠ u with sim(u, v) ≥ threshold
 *   score(u, i) = Σ_{v ∈ N(u), v rated i} sim(u, v) · r_vi / r_max
 *
 * r_max is the top of the rating scale (5 on MovieLens), so a neighbour's 5-star rating counts
 * sim(u, v) in full. Candidates are the items the neighbours rated, minus the items u has seen;
 * the list can be shorter than n. Defaults: k = 10, sim = "cosine"
 * (user–user, co-rated entries only), minSupport = 1.
 * `predictsRatings` is false: predict(u, i).value is score(u, i), not a rating.
 *
 * Cost: fit = one dense user–user similarity matrix (lib/similarity/matrix.ts); recommend(u) =
 * O(U) to pick the neighbours + O(Σ_{v ∈ N(u)} |I_v|) to score, O(I) scratch memory.
 */
import type { RatingDataset } from "../data/dataset";
import { checkItem } from "../baseline/baselines";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  TopN,
  checkUser,
} from "../model/recommender";
import { type SimilarityMatrix, computeSimilarity } from "../similarity/matrix";
import { type SimilarityMeasure, resolveSimilarityOptions } from "../similarity/measures";

export interface UserCFOptions {
  /** Number of neighbours (default 10); ignored when `threshold` is set. */
  k?: number;
  /** Use every user with similarity ≥ threshold instead of the top k (default: unset). */
  threshold?: number;
  /** User–user similarity measure (default "cosine"). */
  sim?: SimilarityMeasure;
  /** Pairs with fewer common ratings get similarity 0 (default 1). */
  minSupport?: number;
}

export class UserCF implements Recommender {
  readonly id = "usercf";
  readonly predictsRatings = false;
  readonly options: { k: number; threshold: number | undefined; sim: SimilarityMeasure; minSupport: number };
  private trainSet: RatingDataset | null = null;
  private simMatrix: SimilarityMatrix | null = null;
  private scores = new Float64Array(0);
  private touched = new Uint8Array(0);
  private cachedUser = -1;
  private cachedNeighbours: Int32Array = new Int32Array(0);

  constructor(options: UserCFOptions = {}) {
    const k = options.k ?? 10;
    if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`usercf: k must be a positive integer, got ${k}`);
    const threshold = options.threshold;
    if (threshold !== undefined && !Number.isFinite(threshold)) throw new Error(`usercf: threshold must be a finite number, got ${threshold}`);
    const s = resolveSimilarityOptions({ measure: options.sim ?? "cosine", userBased: true, minSupport: options.minSupport });
    this.options = { k, threshold, sim: s.measure, minSupport: s.minSupport };
  }

  fit(train: RatingDataset): this {
    this.simMatrix = computeSimilarity(train, { measure: this.options.sim, userBased: true, minSupport: this.options.minSupport });
    this.trainSet = train;
    this.scores = new Float64Array(train.nItems);
    this.touched = new Uint8Array(train.nItems);
    this.cachedUser = -1;
    return this;
  }

  get train(): RatingDataset {
    if (this.trainSet === null) throw new Error("usercf: not fitted yet (call fit first)");
    return this.trainSet;
  }

  get similarity(): SimilarityMatrix {
    if (this.simMatrix === null) throw new Error("usercf: not fitted yet (call fit first)");
    return this.simMatrix;
  }

  /** The neighbours N(u), most similar first. */
  neighbours(user: number): Int32Array {
    checkUser(this.train, user);
    if (user === this.cachedUser) return this.cachedNeighbours;
    const S = this.similarity;
    const row = S.row(user);
    let ids: Int32Array;
    if (this.options.threshold === undefined) {
      ids = S.mostSimilar(user, this.options.k).ids;
    } else {
      const t = this.options.threshold;
      const keep: number[] = [];
      for (let v = 0; v < S.n; v++) if (v !== user && row[v] !== 0 && row[v] >= t) keep.push(v);
      keep.sort((a, b) => row[b] - row[a] || a - b);
      ids = Int32Array.from(keep);
    }
    this.cachedUser = user;
    this.cachedNeighbours = ids;
    return ids;
  }

  /** score(u, i) (see the module doc); not a rating. */
  predict(user: number, item: number): Prediction {
    const train = this.train;
    checkItem(train, item);
    const nbs = this.neighbours(user);
    const row = this.similarity.row(user);
    const rMax = train.ratingScale[1];
    let score = 0;
    for (const v of nbs) {
      const r = train.rating(v, item);
      if (!Number.isNaN(r)) score += (row[v] * r) / rMax;
    }
    return { value: score, impossible: false };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.train;
    checkUser(train, user);
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`usercf: n must be a non-negative integer, got ${n}`);
    const nbs = this.neighbours(user);
    const row = this.similarity.row(user);
    const rMax = train.ratingScale[1];
    const { scores, touched } = this;
    const list: number[] = [];
    for (const v of nbs) {
      const sim = row[v];
      for (let p = train.userPtr[v]; p < train.userPtr[v + 1]; p++) {
        const i = train.userItems[p];
        if (touched[i] === 0) {
          touched[i] = 1;
          list.push(i);
        }
        scores[i] += (sim * train.userRatings[p]) / rMax;
      }
    }
    return collect(train, user, n, options, list, scores, touched);
  }
}

/**
 * Puts the touched candidates into a top-n heap (skipping seen / excluded ones) and clears the
 * scratch arrays. Shared by UserCF and ItemCF.
 */
export function collect(
  train: RatingDataset,
  user: number,
  n: number,
  options: RecommendOptions,
  list: number[],
  scores: Float64Array,
  touched: Uint8Array,
): Recommendation[] {
  const excludeSeen = options.excludeSeen ?? true;
  if (excludeSeen) for (let p = train.userPtr[user]; p < train.userPtr[user + 1]; p++) touched[train.userItems[p]] |= 2;
  const heap = new TopN(n);
  for (const i of list) {
    if ((touched[i] & 2) === 0 && !options.exclude?.has(i)) heap.push(i, scores[i]);
    scores[i] = 0;
    touched[i] = 0;
  }
  if (excludeSeen) for (let p = train.userPtr[user]; p < train.userPtr[user + 1]; p++) touched[train.userItems[p]] = 0;
  return heap.result();
}
