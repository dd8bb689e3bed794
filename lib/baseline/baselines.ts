/**
 * Baseline estimates and the baseline-only predictor (`baseline`).
 *
 *   b_ui = μ + b_u + b_i
 *
 * μ is the global mean of the train ratings, b_u and b_i are the user and item deviations. They
 * minimise the regularised squared error
 *
 *   Σ_{(u,i) ∈ R} (r_ui − μ − b_u − b_i)² + λ_u Σ_u b_u² + λ_i Σ_i b_i²
 *
 * (Koren, "Factor in the neighbors: scalable and accurate collaborative filtering", ACM TKDD 2010,
 * §2.1; Surprise's `BaselineOnly` and `bsl_options`, https://surprise.readthedocs.io/en/stable/
 * prediction_algorithms.html#baselines-estimates-configuration). Two fitting methods, with
 * Surprise's defaults:
 *
 * - ALS (`method: "als"`, default): starting from b = 0, each epoch first sets every item bias
 *   given the user biases, then every user bias given the item biases, each a closed-form ridge
 *   solution:
 *     b_i ← Σ_{u ∈ U_i} (r_ui − μ − b_u) / (λ_i + |U_i|)
 *     b_u ← Σ_{i ∈ I_u} (r_ui − μ − b_i) / (λ_u + |I_u|)
 *   Defaults: nEpochs 10, regI (λ_i) 10, regU (λ_u) 15.
 * - SGD (`method: "sgd"`): starting from b = 0, for each rating in turn
 *     e = r_ui − (μ + b_u + b_i);  b_u ← b_u + γ (e − λ b_u);  b_i ← b_i + γ (e − λ b_i)
 *   Defaults: nEpochs 20, reg (λ) 0.02, learningRate (γ) 0.005. Ratings are visited user by user
 *   (inner id order), each user's ratings by item id (the CSR order): deterministic, no seed.
 *
 * The same fit serves `BaselineOnly`, `KNNBaseline` (lib/knn/knnBaseline.ts) and the
 * Pearson-baseline similarity (lib/similarity).
 *
 * A user or item without train ratings keeps a bias of 0, so its estimate falls back to the
 * remaining terms (Surprise does the same).
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  checkUser,
  clip,
  topNByPrediction,
  checkItem,
} from "../model/recommender";

/** Fitted baselines: b_ui = mu + bu[u] + bi[i]. */
export interface Baselines {
  readonly mu: number;
  readonly bu: Float64Array;
  readonly bi: Float64Array;
}

export interface BaselineOptions {
  /** "als" (default) or "sgd". */
  method?: "als" | "sgd";
  /** Passes over the data (default 10 for ALS, 20 for SGD). */
  nEpochs?: number;
  /** ALS: regularisation of the user biases (default 15). */
  regU?: number;
  /** ALS: regularisation of the item biases (default 10). */
  regI?: number;
  /** SGD: regularisation of both biases (default 0.02). */
  reg?: number;
  /** SGD: step size (default 0.005). */
  learningRate?: number;
}

function checkNonNegative(what: string, x: number): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new Error(`baselines: ${what} must be a finite number ≥ 0, got ${x}`);
}

function checkEpochs(n: number): void {
  if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`baselines: nEpochs must be a non-negative integer, got ${n}`);
}

function checkTrain(train: RatingDataset): void {
  if (train.nRatings === 0) throw new Error(`baselines: train set ${train.name} has no ratings`);
}

/** Baselines by alternating least squares (see the module doc). */
export function fitBaselinesALS(
  train: RatingDataset,
  options: { nEpochs?: number; regU?: number; regI?: number } = {},
): Baselines {
  const nEpochs = options.nEpochs ?? 10;
  const regU = options.regU ?? 15;
  const regI = options.regI ?? 10;
  checkEpochs(nEpochs);
  checkNonNegative("regU", regU);
  checkNonNegative("regI", regI);
  checkTrain(train);
  const mu = train.globalMean;
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nItems);
  const { itemPtr, itemUsers, itemRatings, userPtr, userItems, userRatings } = train;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    for (let i = 0; i < train.nItems; i++) {
      const a = itemPtr[i];
      const b = itemPtr[i + 1];
      let dev = 0;
      for (let p = a; p < b; p++) dev += itemRatings[p] - mu - bu[itemUsers[p]];
      bi[i] = b > a ? dev / (regI + (b - a)) : 0;
    }
    for (let u = 0; u < train.nUsers; u++) {
      const a = userPtr[u];
      const b = userPtr[u + 1];
      let dev = 0;
      for (let p = a; p < b; p++) dev += userRatings[p] - mu - bi[userItems[p]];
      bu[u] = b > a ? dev / (regU + (b - a)) : 0;
    }
  }
  return { mu, bu, bi };
}

/** Baselines by stochastic gradient descent (see the module doc). */
export function fitBaselinesSGD(
  train: RatingDataset,
  options: { nEpochs?: number; reg?: number; learningRate?: number } = {},
): Baselines {
  const nEpochs = options.nEpochs ?? 20;
  const reg = options.reg ?? 0.02;
  const lr = options.learningRate ?? 0.005;
  checkEpochs(nEpochs);
  checkNonNegative("reg", reg);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`baselines: learningRate must be a finite number > 0, got ${lr}`);
  checkTrain(train);
  const mu = train.globalMean;
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nItems);
  const { userPtr, userItems, userRatings } = train;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    for (let u = 0; u < train.nUsers; u++) {
      for (let p = userPtr[u]; p < userPtr[u + 1]; p++) {
        const i = userItems[p];
        const err = userRatings[p] - (mu + bu[u] + bi[i]);
        const bu0 = bu[u];
        bu[u] += lr * (err - reg * bu0);
        bi[i] += lr * (err - reg * bi[i]);
      }
    }
  }
  return { mu, bu, bi };
}

/** Baselines by the method named in `options.method` (default ALS). */
export function fitBaselines(train: RatingDataset, options: BaselineOptions = {}): Baselines {
  const method = options.method ?? "als";
  if (method === "als") return fitBaselinesALS(train, options);
  if (method === "sgd") return fitBaselinesSGD(train, options);
  throw new Error(`baselines: unknown method ${JSON.stringify(method)} (use "als" or "sgd")`);
}

/** b_ui = μ + b_u + b_i (not clipped). */
export function baselineEstimate(b: Baselines, user: number, item: number): number {
  return b.mu + b.bu[user] + b.bi[item];
}

/**
 * The baseline-only rating predictor: r̂_ui = clip(μ + b_u + b_i). A user (item) without train
 * ratings contributes no b_u (b_i); such a prediction is flagged `impossible` (it is a fallback),
 * though its value is Surprise's.
 */
export class BaselineOnly implements Recommender {
  readonly id = "baseline";
  readonly predictsRatings = true;
  readonly options: BaselineOptions;
  private train: RatingDataset | null = null;
  private fitted: Baselines | null = null;

  constructor(options: BaselineOptions = {}) {
    this.options = { ...options };
  }

  fit(train: RatingDataset): this {
    this.fitted = fitBaselines(train, this.options);
    this.train = train;
    return this;
  }

  /** The fitted baselines (throws before fit). */
  get baselines(): Baselines {
    if (this.fitted === null) throw new Error("baseline: not fitted yet (call fit first)");
    return this.fitted;
  }

  predict(user: number, item: number): Prediction {
    const train = this.train;
    if (train === null) throw new Error("baseline: predict called before fit");
    checkUser(train, user);
    checkItem(train, item);
    const value = clip(baselineEstimate(this.baselines, user, item), train.ratingScale);
    const knowsUser = train.userPtr[user + 1] > train.userPtr[user];
    const knowsItem = train.itemCounts[item] > 0;
    if (knowsUser && knowsItem) return { value, impossible: false };
    return { value, impossible: true, details: `${knowsUser ? "item" : "user"} has no train ratings: partial baseline` };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    if (this.train === null) throw new Error("baseline: recommend called before fit");
    checkUser(this.train, user);
    return topNByPrediction(this, this.train, user, n, options);
  }
}

/** Re-exported for the modules that import it from here. */
export { checkItem };
