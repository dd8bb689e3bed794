/**
 * What every matrix-factorisation model in `lib/mf` shares once it is trained: the prediction rule
 *
 *     r̂_ui = μ + b_u + b_i + p_u · q_i          (biased models: SVD, SVD++, ALS, biased NMF)
 *     r̂_ui = p_u · q_i                          (unbiased models: PMF, NMF)
 *
 * (for SVD++ `p_u` here is the user's effective vector p_u + |N(u)|^(-1/2) Σ_{j∈N(u)} y_j),
 * the fallbacks for users and items the train set knows nothing about, and a fast top-n loop.
 *
 * Fallbacks follow Surprise (Hug 2020, "Surprise: a Python library for recommender systems",
 * JOSS 5(52):2174; docs of `surprise.prediction_algorithms.matrix_factorization`): a user or an
 * item is *unknown* when it has no rating in the train set.
 * - Biased model: an unknown user has b_u = 0 and no factor term; an unknown item has b_i = 0 and
 *   no factor term. So unknown user → μ + b_i, unknown item → μ + b_u, both unknown → μ.
 * - Unbiased model: Surprise raises `PredictionImpossible` and answers the train set's global mean μ.
 * Either way the prediction is flagged `impossible` and says why in `details`. Values are clipped
 * to the train set's rating scale.
 */
import type { RatingDataset } from "../data/dataset";
import {
  Prediction,
  Recommendation,
  RecommendOptions,
  Recommender,
  TopN,
  checkUser,
  clip,
  checkItem,
} from "../model/recommender";

/** The learned parameters of a factor model (all Float64Array, factors row-major, `k` per row). */
export interface FactorParameters {
  /** Global mean μ of the train set (0 in the prediction rule of an unbiased model). */
  mu: number;
  /** User biases b_u (all 0 for an unbiased model). */
  bu: Float64Array;
  /** Item biases b_i. */
  bi: Float64Array;
  /** User vectors used for prediction, nUsers × k (for SVD++: p_u + |N(u)|^-½ Σ y_j). */
  userFactors: Float64Array;
  /** Item vectors q_i, nItems × k. */
  itemFactors: Float64Array;
  k: number;
}

export abstract class FactorModel implements Recommender {
  abstract readonly id: string;
  readonly predictsRatings = true;

  /** Set by `fit`: the train set the model was fitted on. */
  protected train: RatingDataset | null = null;
  /** Whether μ + b_u + b_i are part of the prediction rule. */
  protected abstract readonly usesBiases: boolean;
  protected mu = 0;
  protected bu: Float64Array = new Float64Array(0);
  protected bi: Float64Array = new Float64Array(0);
  protected pu: Float64Array = new Float64Array(0);
  protected qi: Float64Array = new Float64Array(0);
  protected k = 0;

  abstract fit(train: RatingDataset): this;

  /** Stores trained parameters (called at the end of each `fit`). */
  protected setParameters(train: RatingDataset, p: FactorParameters): void {
    this.train = train;
    this.mu = p.mu;
    this.bu = p.bu;
    this.bi = p.bi;
    this.pu = p.userFactors;
    this.qi = p.itemFactors;
    this.k = p.k;
  }

  protected fitted(): RatingDataset {
    if (!this.train) throw new Error(`${this.id}: call fit(train) before predict or recommend`);
    return this.train;
  }

  /** The learned parameters (views, not copies), e.g. to plot item vectors in a notebook. */
  parameters(): FactorParameters {
    this.fitted();
    return { mu: this.mu, bu: this.bu, bi: this.bi, userFactors: this.pu, itemFactors: this.qi, k: this.k };
  }

  /** The model's raw (unclipped) estimate for a known user and a known item. */
  protected rawScore(user: number, item: number): number {
    const k = this.k;
    const pu = this.pu;
    const qi = this.qi;
    const a = user * k;
    const b = item * k;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += pu[a + f] * qi[b + f];
    return this.usesBiases ? this.mu + this.bu[user] + this.bi[item] + dot : dot;
  }

  /** Estimate when the user or the item is unknown (see the module comment). */
  protected fallback(knownUser: boolean, user: number, knownItem: boolean, item: number): number {
    if (!this.usesBiases) return this.fitted().globalMean;
    return this.mu + (knownUser ? this.bu[user] : 0) + (knownItem ? this.bi[item] : 0);
  }

  predict(user: number, item: number): Prediction {
    const train = this.fitted();
    checkUser(train, user);
    checkItem(train, item);
    const knownUser = train.userPtr[user + 1] > train.userPtr[user];
    const knownItem = train.itemCounts[item] > 0;
    if (knownUser && knownItem) return { value: clip(this.rawScore(user, item), train.ratingScale), impossible: false };
    const details =
      !knownUser && !knownItem
        ? "user and item unknown to the train set"
        : !knownUser
          ? "user unknown to the train set"
          : "item unknown to the train set";
    return {
      value: clip(this.fallback(knownUser, user, knownItem, item), train.ratingScale),
      impossible: true,
      details,
    };
  }

  /**
   * Top-n items for one user: one pass over the item vectors, O(items × k) time and O(n) memory
   * beyond the model. Items are ranked by the unclipped estimate (so two items both predicted
   * above the top of the scale keep their order); the reported score is clipped like `predict`'s
   * value, and `minScore` applies to it. Unknown items get their fallback score (as in `predict`).
   */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted();
    checkUser(train, user);
    const excludeSeen = options.excludeSeen ?? true;
    const minScore = options.minScore ?? -Infinity;
    const exclude = options.exclude;
    const scale = train.ratingScale;
    const [lo, hi] = scale;
    const heap = new TopN(n);
    const k = this.k;
    const pu = this.pu;
    const qi = this.qi;
    const bi = this.bi;
    const counts = train.itemCounts;
    const seen = train.userItems;
    let p = train.userPtr[user];
    const end = train.userPtr[user + 1];
    const knownUser = end > p;
    const biased = this.usesBiases;
    const base = biased ? this.mu + (knownUser ? this.bu[user] : 0) : 0;
    const a = user * k;
    for (let i = 0; i < train.nItems; i++) {
      while (p < end && seen[p] < i) p++;
      if (excludeSeen && p < end && seen[p] === i) continue;
      if (exclude !== undefined && exclude.has(i)) continue;
      let s: number;
      if (knownUser && counts[i] > 0) {
        const b = i * k;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += pu[a + f] * qi[b + f];
        s = biased ? base + bi[i] + dot : dot;
      } else {
        s = this.fallback(knownUser, user, counts[i] > 0, i);
      }
      const shown = s < lo ? lo : s > hi ? hi : s;
      if (shown >= minScore) heap.push(i, s);
    }
    return heap.result().map((r) => ({ item: r.item, score: clip(r.score, scale) }));
  }
}

/** Re-exported for the modules that import it from here. */
export { checkItem };

/** Throws unless `x` is an integer ≥ `min`. */
export function checkInt(algo: string, name: string, x: number, min: number): number {
  if (!Number.isInteger(x) || x < min) throw new Error(`${algo}: ${name} must be an integer ≥ ${min}, got ${x}`);
  return x;
}

/** Throws unless `x` is a finite number ≥ 0. */
export function checkNonNegative(algo: string, name: string, x: number): number {
  if (!(Number.isFinite(x) && x >= 0)) throw new Error(`${algo}: ${name} must be a finite number ≥ 0, got ${x}`);
  return x;
}

/** Throws when the train set has no ratings. */
export function checkTrain(algo: string, train: RatingDataset): void {
  if (train.nRatings === 0) throw new Error(`${algo}: the train set ${train.name} has no ratings`);
}
