/**
 * Item-based top-N collaborative filtering (`itemcf`), as taught in F. Kane's course "Building
 * Recommender Systems with Machine Learning and AI" (SimpleItemCF): a pure ranker.
 *
 *   S(u)        = u's k highest-rated items (ties to the smaller item id), or, when
 *                 `minSourceRating` is set, every item u rated ≥ minSourceRating
 *   score(u, j) = Σ_{i ∈ S(u)} sim(i, j) · r_ui / r_max
 *
 * r_max is the top of the rating scale (5 on MovieLens). Candidates are the items with a non-zero
 * similarity to some source item, minus the items u has seen; the list can be shorter than n. Defaults: k = 10,
 * sim = "cosine" (item–item, co-rated entries only), minSupport = 1.
 * `predictsRatings` is false: predict(u, j).value is score(u, j), not a rating.
 *
 * Cost: fit = one dense item–item similarity matrix (lib/similarity/matrix.ts); recommend(u) =
 * O(|I_u| log |I_u|) to pick the sources + O(|S(u)| · I) to score, O(I) scratch memory.
 */
import type { RatingDataset } from "../data/dataset";
import { checkItem } from "../baseline/baselines";
import { type Prediction, type Recommendation, type RecommendOptions, type Recommender, checkUser } from "../model/recommender";
import { type SimilarityMatrix, computeSimilarity } from "../similarity/matrix";
import { type SimilarityMeasure, resolveSimilarityOptions } from "../similarity/measures";
import { collect } from "./userCF";

export interface ItemCFOptions {
  /** Number of source items (the user's highest rated; default 10); ignored with `minSourceRating`. */
  k?: number;
  /** Use every item the user rated ≥ this instead of the top k (default: unset). */
  minSourceRating?: number;
  /** Item–item similarity measure (default "cosine"). */
  sim?: SimilarityMeasure;
  /** Pairs with fewer common ratings get similarity 0 (default 1). */
  minSupport?: number;
}

export class ItemCF implements Recommender {
  readonly id = "itemcf";
  readonly predictsRatings = false;
  readonly options: { k: number; minSourceRating: number | undefined; sim: SimilarityMeasure; minSupport: number };
  private trainSet: RatingDataset | null = null;
  private simMatrix: SimilarityMatrix | null = null;
  private scores = new Float64Array(0);
  private touched = new Uint8Array(0);

  constructor(options: ItemCFOptions = {}) {
    const k = options.k ?? 10;
    if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`itemcf: k must be a positive integer, got ${k}`);
    const m = options.minSourceRating;
    if (m !== undefined && !Number.isFinite(m)) throw new Error(`itemcf: minSourceRating must be a finite number, got ${m}`);
    const s = resolveSimilarityOptions({ measure: options.sim ?? "cosine", userBased: false, minSupport: options.minSupport });
    this.options = { k, minSourceRating: m, sim: s.measure, minSupport: s.minSupport };
  }

  fit(train: RatingDataset): this {
    this.simMatrix = computeSimilarity(train, { measure: this.options.sim, userBased: false, minSupport: this.options.minSupport });
    this.trainSet = train;
    this.scores = new Float64Array(train.nItems);
    this.touched = new Uint8Array(train.nItems);
    return this;
  }

  get train(): RatingDataset {
    if (this.trainSet === null) throw new Error("itemcf: not fitted yet (call fit first)");
    return this.trainSet;
  }

  get similarity(): SimilarityMatrix {
    if (this.simMatrix === null) throw new Error("itemcf: not fitted yet (call fit first)");
    return this.simMatrix;
  }

  /** The source items S(u) with u's ratings, highest rated first. */
  sources(user: number): { items: Int32Array; ratings: Float32Array } {
    const train = this.train;
    checkUser(train, user);
    const { items, ratings } = train.userRow(user);
    const order: number[] = [];
    const m = this.options.minSourceRating;
    for (let p = 0; p < items.length; p++) if (m === undefined || ratings[p] >= m) order.push(p);
    order.sort((a, b) => ratings[b] - ratings[a] || items[a] - items[b]);
    const keep = m === undefined ? order.slice(0, this.options.k) : order;
    return { items: Int32Array.from(keep, (p) => items[p]), ratings: Float32Array.from(keep, (p) => ratings[p]) };
  }

  /** score(u, j) (see the module doc); not a rating. */
  predict(user: number, item: number): Prediction {
    const train = this.train;
    checkItem(train, item);
    const S = this.similarity;
    const rMax = train.ratingScale[1];
    const { items, ratings } = this.sources(user);
    let score = 0;
    for (let s = 0; s < items.length; s++) score += (S.values[items[s] * S.n + item] * ratings[s]) / rMax;
    return { value: score, impossible: false };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.train;
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`itemcf: n must be a non-negative integer, got ${n}`);
    const S = this.similarity;
    const rMax = train.ratingScale[1];
    const { scores, touched } = this;
    const { items, ratings } = this.sources(user);
    const list: number[] = [];
    for (let s = 0; s < items.length; s++) {
      const row = S.row(items[s]);
      const r = ratings[s];
      for (let j = 0; j < S.n; j++) {
        const sim = row[j];
        if (sim === 0) continue;
        if (touched[j] === 0) {
          touched[j] = 1;
          list.push(j);
        }
        scores[j] += (sim * r) / rMax;
      }
    }
    return collect(train, user, n, options, list, scores, touched);
  }
}
