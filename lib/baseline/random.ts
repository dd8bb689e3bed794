/**
 * Random baseline (`random`): predicts a rating drawn from a normal distribution fitted to the
 * train set, like Surprise's `NormalPredictor` (Hug, "Surprise: a Python library for recommender
 * systems", JOSS 2020; surprise.readthedocs.io › prediction_algorithms › random_pred).
 *
 *   fit:      μ = (1/|R|) Σ r_ui,   σ = sqrt((1/|R|) Σ (r_ui − μ)²)   (maximum likelihood)
 *   predict:  r̂_ui = clip(μ + σ·z_ui, scale),   z_ui ~ N(0, 1)
 *
 * Determinism: z_ui is not taken from a shared random stream. It is a pure function of
 * (seed, u, i): two 32-bit hashes of (seed, u, i) give two uniforms and the Box–Muller transform
 * turns them into one standard normal deviate. So a prediction for (u, i) is the same whatever
 * order predictions are requested in, however often it is asked for, and whichever other pairs
 * were predicted before (unlike Surprise, which draws anew on every call). Different seeds give
 * independent-looking predictions. Pairs are identified by inner ids, so the same dataset gives
 * the same predictions on every machine.
 *
 * The hash is MurmurHash3's 32-bit mixing (Appleby 2011) over the words (u, i, k) with the seed
 * as its initial value, k = 0, 1 for the two uniforms.
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
} from "../model/recommender";
import { murmurFinish, murmurMix } from "../random";

export interface RandomOptions {
  /** Seed of the hash that makes each (user, item) draw; default 0. */
  seed?: number;
}

export class RandomRecommender implements Recommender {
  readonly id = "random";
  readonly predictsRatings = true;
  readonly seed: number;
  /** Mean of the train ratings (NaN before fit). */
  mu = NaN;
  /** Maximum-likelihood standard deviation of the train ratings (NaN before fit). */
  sigma = NaN;
  private train: RatingDataset | null = null;
  private scale: [number, number] = [-Infinity, Infinity];

  constructor(options: RandomOptions = {}) {
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) throw new Error(`random: seed must be a finite number, got ${seed}`);
    this.seed = Math.trunc(seed) >>> 0;
  }

  fit(train: RatingDataset): this {
    const n = train.nRatings;
    if (n === 0) throw new Error(`random: cannot fit on the empty dataset ${train.name}`);
    const r = train.ratings;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += r[k];
    const mu = sum / n;
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const d = r[k] - mu;
      ss += d * d;
    }
    this.mu = mu;
    this.sigma = Math.sqrt(ss / n);
    this.train = train;
    this.scale = train.ratingScale;
    return this;
  }

  /** The standard normal deviate z_ui used for (user, item): a pure function of (seed, user, item). */
  deviate(user: number, item: number): number {
    return standardNormalFromHash(this.seed, user, item);
  }

  predict(user: number, item: number): Prediction {
    if (this.train === null) throw new Error("random: predict called before fit");
    return { value: clip(this.mu + this.sigma * this.deviate(user, item), this.scale), impossible: false };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    if (this.train === null) throw new Error("random: recommend called before fit");
    checkUser(this.train, user);
    // Rank by the unclipped draw μ + σ·z: about one prediction in ten is clipped to the top of the
    // scale, and ranking those ties by item id would favour low ids (skewing coverage and novelty).
    // minScore compares the same way (for a threshold inside the scale, unclipped ≥ t ⇔ clipped ≥ t);
    // the reported score is the clipped predicted rating.
    const unclipped = {
      predictsRatings: true,
      predict: (u: number, i: number): Prediction => ({ value: this.mu + this.sigma * this.deviate(u, i), impossible: false }),
    };
    return topNByPrediction(unclipped, this.train, user, n, options).map((r) => ({
      item: r.item,
      score: clip(r.score, this.scale),
    }));
  }
}

/**
 * A standard normal deviate determined by (seed, a, b): Box–Muller on two hash-derived uniforms
 * u1, u2 ∈ (0, 1):  z = sqrt(−2 ln u1) · cos(2π u2).
 */
export function standardNormalFromHash(seed: number, a: number, b: number): number {
  const u1 = (murmur3(seed, a, b, 0) + 0.5) / 4294967296;
  const u2 = (murmur3(seed, a, b, 1) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** MurmurHash3 (x86, 32-bit) of the three 32-bit words (a, b, c) with the given seed. */
function murmur3(seed: number, a: number, b: number, c: number): number {
  return murmurFinish(murmurMix(murmurMix(murmurMix(seed >>> 0, a), b), c), 12);
}
