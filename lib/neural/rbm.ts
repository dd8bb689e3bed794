/**
 * Restricted Boltzmann machine for collaborative filtering (`rbm`): Salakhutdinov, Mnih & Hinton,
 * "Restricted Boltzmann machines for collaborative filtering", ICML 2007, with the training
 * defaults of F. Kane's course *Building Recommender Systems with Machine Learning and AI*
 * (100 hidden units, 20 epochs, learning rate 0.001, 100 users per mini-batch).
 *
 * Model. One training example per user. The visible layer has one softmax unit per item with K
 * states, one per rating value (ratings 1…5 → K = 5): a rating is the one-hot vector v_i with
 * v_i^k = 1 for its value. Only the items the user rated are present in the user's RBM (every
 * user has their own RBM; all of them share the weights). With F binary hidden units h_j:
 *
 *     p(h_j = 1 | V) = σ(b_j + Σ_{i rated} Σ_k v_i^k W_i^{k j})                   (σ = logistic)
 *     p(v_i^k = 1 | h) = exp(b_i^k + Σ_j h_j W_i^{k j}) / Σ_l exp(b_i^l + Σ_j h_j W_i^{l j})
 *
 * Training: contrastive divergence with one Gibbs step (CD-1, Hinton 2002). For each user:
 *   1. p⁰ = p(h | V⁰) from the user's ratings V⁰;
 *   2. sample h⁰ ~ Bernoulli(p⁰);
 *   3. reconstruct the rated items only: V¹ = p(v | h⁰), the per-item softmax (probabilities);
 *   4. p¹ = p(h | V¹);
 *   5. ΔW_i^{kj} = ε (v⁰_i^k p⁰_j − v¹_i^k p¹_j),  Δb_i^k = ε (v⁰_i^k − v¹_i^k),  Δb_j = ε (p⁰_j − p¹_j).
 * Positive statistics use the probabilities p⁰ rather than the sampled h⁰ (less sampling noise;
 * Hinton, "A practical guide to training RBMs", 2010, §3.3); the hidden units that drive the
 * reconstruction are sampled. The updates of a mini-batch are summed over its users (the course
 * sums its weight updates the same way) and applied at the end of the batch; users are visited
 * in a fresh seeded random order every epoch.
 *
 * Prediction (the paper's mean-field rule): p̂ = p(h | V_u) from the user's train ratings, then the
 * per-item softmax p(v_i^k = 1 | p̂) and the expected rating r̂_ui = Σ_k value_k · p(v_i^k = 1 | p̂).
 *
 * Two mistakes of the course's code that this module does not copy:
 * - its trainer shuffled the training matrix *in place* (np.random.shuffle) and the predictions
 *   were then read back by the original row order, so user u got the predictions computed from
 *   another user's ratings. Here the data are never permuted: only the visiting order is, and
 *   `predict(u, ·)` always uses user u's own row (`predictUsingRowOf` exists to show the pitfall);
 * - its reconstruction gave every *unrated* item a uniform softmax that then entered the negative
 *   statistics; here unrated items are absent from the user's RBM, as in the paper.
 *
 * Initialisation: W ~ U(−a, a) with a = 4·sqrt(6 / (F + nItems·K)) (Glorot & Bengio's range for
 * logistic units, the range the course meant), biases 0. Cost per epoch O(ratings × K × F);
 * memory O(nItems × K × F). Plain TypeScript over typed arrays: on these 2 cores it is faster
 * than dense TensorFlow.js matrices because only the rated items are touched.
 */
import type { ParamSchema } from "../algorithms/params";
import type { RatingDataset } from "../data/dataset";
import { checkInt, checkItem, checkNonNegative, checkTrain } from "../mf/factor-model";
import { TopN, checkUser, clip, predictKnownOrMean } from "../model/recommender";
import type { Prediction, Recommendation, RecommendOptions, Recommender } from "../model/recommender";
import { Rng } from "../random";

export interface RBMOptions {
  /** Number of hidden units F (default 100). */
  hidden?: number;
  /** Passes over the users (default 20). */
  epochs?: number;
  /** Learning rate ε (default 0.001). */
  learningRate?: number;
  /** Users per mini-batch (default 100). */
  batchSize?: number;
  /** Seed of the initialisation, the visiting order and the hidden samples (default 0). */
  seed?: number;
  /** Called after every epoch with the epoch number (1-based) and its reconstruction RMSE. */
  onEpoch?: (epoch: number, rmse: number) => void;
}

export const RBM_DEFAULTS = { hidden: 100, epochs: 20, learningRate: 0.001, batchSize: 100, seed: 0 } as const;

/** Largest number of distinct rating values the softmax units accept. */
const MAX_LEVELS = 32;

/** The parameters of an RBM, views of the model's own arrays. */
export interface RBMParameters {
  /** Rating value of each softmax state k (increasing). */
  levels: Float64Array;
  /** Hidden units F. */
  hidden: number;
  /** Weights W_i^{kj} at ((i·K + k)·F + j). */
  weights: Float32Array;
  /** Visible biases b_i^k at (i·K + k). */
  visibleBias: Float32Array;
  /** Hidden biases b_j. */
  hiddenBias: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * p(h_j = 1 | V) for one user's ratings: `items[k]` rated at level `levels[k]` (level = index of
 * the rating value). Written into `out` (length F) and returned.
 */
export function hiddenFromVisible(
  p: RBMParameters,
  items: ArrayLike<number>,
  levels: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const F = p.hidden;
  const K = p.levels.length;
  const W = p.weights;
  for (let j = 0; j < F; j++) out[j] = p.hiddenBias[j];
  for (let r = 0; r < items.length; r++) {
    const o = (items[r] * K + levels[r]) * F;
    for (let j = 0; j < F; j++) out[j] += W[o + j];
  }
  for (let j = 0; j < F; j++) out[j] = sigmoid(out[j]);
  return out;
}

/**
 * The per-item softmax p(v_i^k = 1 | h) for one item and hidden activities `h` (probabilities or
 * a binary sample), written into `out` (length K). Returns the expected rating Σ_k value_k · p_k.
 */
export function visibleSoftmax(p: RBMParameters, item: number, h: Float64Array, out: Float64Array): number {
  const F = p.hidden;
  const K = p.levels.length;
  const W = p.weights;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    const o = (item * K + k) * F;
    let a = p.visibleBias[item * K + k];
    for (let j = 0; j < F; j++) a += h[j] * W[o + j];
    out[k] = a;
    if (a > max) max = a;
  }
  let z = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(out[k] - max);
    z += out[k];
  }
  let e = 0;
  for (let k = 0; k < K; k++) {
    out[k] /= z;
    e += out[k] * p.levels[k];
  }
  return e;
}

/** Scratch buffers of one CD-1 step (reused across users). */
export interface CD1Scratch {
  p0: Float64Array;
  h0: Float64Array;
  p1: Float64Array;
  /** Reconstruction V¹ of the rated items, K per rated item. */
  v1: Float64Array;
  soft: Float64Array;
}

export function cd1Scratch(F: number, K: number, maxRated: number): CD1Scratch {
  return {
    p0: new Float64Array(F),
    h0: new Float64Array(F),
    p1: new Float64Array(F),
    v1: new Float64Array(Math.max(1, maxRated) * K),
    soft: new Float64Array(K),
  };
}

/** Gradient accumulators: same layout as the parameters. */
export interface CD1Gradients {
  weights: Float64Array;
  visibleBias: Float64Array;
  hiddenBias: Float64Array;
}

/**
 * One CD-1 step for one user (see the module comment), ADDING the statistics
 * (v⁰ p⁰ − v¹ p¹ etc., not yet multiplied by ε) to `grad`. `uniform()` draws the U(0, 1) numbers
 * that sample h⁰ (h⁰_j = 1 when the draw is below p⁰_j), one per hidden unit in order.
 * Returns the squared error Σ (expected rating of V¹_i − r_ui)² over the user's ratings.
 */
export function cd1Accumulate(
  p: RBMParameters,
  items: ArrayLike<number>,
  levels: ArrayLike<number>,
  uniform: () => number,
  grad: CD1Gradients,
  s: CD1Scratch,
): number {
  const F = p.hidden;
  const K = p.levels.length;
  const W = p.weights;
  const n = items.length;
  const { p0, h0, p1, v1, soft } = s;
  hiddenFromVisible(p, items, levels, p0);
  for (let j = 0; j < F; j++) h0[j] = uniform() < p0[j] ? 1 : 0;
  let sse = 0;
  for (let j = 0; j < F; j++) p1[j] = p.hiddenBias[j];
  for (let r = 0; r < n; r++) {
    const i = items[r];
    const e = visibleSoftmax(p, i, h0, soft);
    const d = e - p.levels[levels[r]];
    sse += d * d;
    for (let k = 0; k < K; k++) {
      const q = soft[k];
      v1[r * K + k] = q;
      const o = (i * K + k) * F;
      for (let j = 0; j < F; j++) p1[j] += q * W[o + j];
    }
  }
  for (let j = 0; j < F; j++) p1[j] = sigmoid(p1[j]);
  const gW = grad.weights;
  for (let r = 0; r < n; r++) {
    const i = items[r];
    const lv = levels[r];
    for (let k = 0; k < K; k++) {
      const q = v1[r * K + k];
      const o = (i * K + k) * F;
      if (k === lv) {
        for (let j = 0; j < F; j++) gW[o + j] += p0[j] - q * p1[j];
        grad.visibleBias[i * K + k] += 1 - q;
      } else {
        for (let j = 0; j < F; j++) gW[o + j] -= q * p1[j];
        grad.visibleBias[i * K + k] -= q;
      }
    }
  }
  for (let j = 0; j < F; j++) grad.hiddenBias[j] += p0[j] - p1[j];
  return sse;
}

/** Parameter schema for the algorithm registry (`rbm`). */
export const RBM_PARAMS = {
  hidden: { type: "integer", default: 100, min: 1, doc: "hidden units" },
  epochs: { type: "integer", default: 20, min: 0, doc: "passes over the users" },
  learningRate: { type: "number", default: 0.001, min: 0, doc: "learning rate ε of contrastive divergence" },
  batchSize: { type: "integer", default: 100, min: 1, doc: "users per mini-batch" },
  seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation and the visiting order" },
} satisfies ParamSchema;

export class RBM implements Recommender {
  readonly id = "rbm";
  readonly predictsRatings = true;
  readonly options: Readonly<Required<Omit<RBMOptions, "onEpoch">>>;
  private readonly onEpoch?: (epoch: number, rmse: number) => void;
  /** Reconstruction RMSE of each epoch: expected rating of V¹ against the train rating, over all train ratings. */
  epochRmse: number[] = [];
  private train: RatingDataset | null = null;
  private params: RBMParameters | null = null;
  /** Level index of every train rating, in CSR-by-user order. */
  private userLevels: Uint8Array = new Uint8Array(0);
  // cache of the last user's hidden probabilities (predict is called user by user by the evaluators)
  private cacheUser = -1;
  private cacheHidden: Float64Array = new Float64Array(0);
  private soft: Float64Array = new Float64Array(0);

  constructor(options: RBMOptions = {}) {
    const o = { ...RBM_DEFAULTS, ...dropUndefined(options) };
    checkInt("rbm", "hidden", o.hidden, 1);
    checkInt("rbm", "epochs", o.epochs, 0);
    checkInt("rbm", "batchSize", o.batchSize, 1);
    checkNonNegative("rbm", "learningRate", o.learningRate);
    if (!Number.isFinite(o.seed)) throw new Error(`rbm: seed must be a finite number, got ${o.seed}`);
    this.options = { hidden: o.hidden, epochs: o.epochs, learningRate: o.learningRate, batchSize: o.batchSize, seed: o.seed };
    this.onEpoch = options.onEpoch;
  }

  fit(train: RatingDataset): this {
    checkTrain("rbm", train);
    const o = this.options;
    const F = o.hidden;
    const levels = ratingLevels(train);
    const K = levels.length;
    const index = new Map<number, number>();
    levels.forEach((v, k) => index.set(v, k));
    const userLevels = new Uint8Array(train.nRatings);
    for (let p = 0; p < train.nRatings; p++) userLevels[p] = index.get(train.userRatings[p])!;

    const rng = new Rng(o.seed);
    const nV = train.nItems * K;
    const a = 4 * Math.sqrt(6 / (F + nV));
    const weights = new Float32Array(nV * F);
    for (let x = 0; x < weights.length; x++) weights[x] = rng.uniform(-a, a);
    const params: RBMParameters = {
      levels,
      hidden: F,
      weights,
      visibleBias: new Float32Array(nV),
      hiddenBias: new Float32Array(F),
    };
    const grad: CD1Gradients = {
      weights: new Float64Array(nV * F),
      visibleBias: new Float64Array(nV),
      hiddenBias: new Float64Array(F),
    };
    let maxRated = 0;
    const active: number[] = [];
    for (let u = 0; u < train.nUsers; u++) {
      const c = train.userPtr[u + 1] - train.userPtr[u];
      if (c > 0) active.push(u);
      if (c > maxRated) maxRated = c;
    }
    const scratch = cd1Scratch(F, K, maxRated);
    const touched = new Uint8Array(train.nItems);
    const uniform = (): number => rng.next();
    const order = Int32Array.from(active);
    const lr = o.learningRate;
    this.epochRmse = [];
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      rng.shuffle(order); // the visiting order is shuffled, never the data
      let sse = 0;
      for (let b0 = 0; b0 < order.length; b0 += o.batchSize) {
        const b1 = Math.min(order.length, b0 + o.batchSize);
        for (let b = b0; b < b1; b++) {
          const u = order[b];
          const s = train.userPtr[u];
          const e = train.userPtr[u + 1];
          const items = train.userItems.subarray(s, e);
          for (let r = 0; r < items.length; r++) touched[items[r]] = 1;
          sse += cd1Accumulate(params, items, userLevels.subarray(s, e), uniform, grad, scratch);
        }
        // apply the summed statistics of the batch to the touched items only, then clear them
        for (let i = 0; i < train.nItems; i++) {
          if (!touched[i]) continue;
          touched[i] = 0;
          for (let x = i * K * F, end = (i + 1) * K * F; x < end; x++) {
            weights[x] += lr * grad.weights[x];
            grad.weights[x] = 0;
          }
          for (let x = i * K; x < (i + 1) * K; x++) {
            params.visibleBias[x] += lr * grad.visibleBias[x];
            grad.visibleBias[x] = 0;
          }
        }
        for (let j = 0; j < F; j++) {
          params.hiddenBias[j] += lr * grad.hiddenBias[j];
          grad.hiddenBias[j] = 0;
        }
      }
      const rmse = Math.sqrt(sse / train.nRatings);
      this.epochRmse.push(rmse);
      this.onEpoch?.(epoch + 1, rmse);
    }
    this.train = train;
    this.params = params;
    this.userLevels = userLevels;
    this.cacheUser = -1;
    this.cacheHidden = new Float64Array(F);
    this.soft = new Float64Array(K);
    return this;
  }

  private fitted(): { train: RatingDataset; params: RBMParameters } {
    if (!this.train || !this.params) throw new Error("rbm: call fit(train) before predict or recommend");
    return { train: this.train, params: this.params };
  }

  /** The learned parameters (views, not copies). */
  parameters(): RBMParameters {
    return this.fitted().params;
  }

  /** p(h | V_u) computed from the train ratings of `rowUser` (a fresh array). */
  hiddenProbabilities(rowUser: number): Float64Array {
    const { train, params } = this.fitted();
    checkUser(train, rowUser);
    return this.hiddenOf(rowUser, new Float64Array(params.hidden));
  }

  private hiddenOf(u: number, out: Float64Array): Float64Array {
    const { train, params } = this.fitted();
    const s = train.userPtr[u];
    const e = train.userPtr[u + 1];
    return hiddenFromVisible(params, train.userItems.subarray(s, e), this.userLevels.subarray(s, e), out);
  }

  private cachedHidden(u: number): Float64Array {
    if (this.cacheUser !== u) {
      this.hiddenOf(u, this.cacheHidden);
      this.cacheUser = u;
    }
    return this.cacheHidden;
  }

  predict(user: number, item: number): Prediction {
    const { train, params } = this.fitted();
    return predictKnownOrMean(train, user, item, () => visibleSoftmax(params, item, this.cachedHidden(user), this.soft));
  }

  /**
   * The pitfall of the course's code, on purpose: the expected rating of `item` computed from the
   * train ratings of `rowUser` (what user u receives when rows were shuffled and u's predictions
   * are read from row `rowUser`). `predict(u, i)` equals `predictUsingRowOf(u, i)` for known pairs.
   */
  predictUsingRowOf(rowUser: number, item: number): number {
    const { train, params } = this.fitted();
    checkUser(train, rowUser);
    checkItem(train, item);
    return clip(visibleSoftmax(params, item, this.cachedHidden(rowUser), this.soft), train.ratingScale);
  }

  /**
   * Top-n for one user: p(h | V_u) once, then one softmax per candidate item; O(items × K × F)
   * time, O(n) memory. Items unknown to the train set score the global mean (as `predict`).
   */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const { train, params } = this.fitted();
    checkUser(train, user);
    const excludeSeen = options.excludeSeen ?? true;
    const minScore = options.minScore ?? -Infinity;
    const heap = new TopN(n);
    const seen = train.userItems;
    let p = train.userPtr[user];
    const end = train.userPtr[user + 1];
    const knownUser = end > p;
    const h = this.cachedHidden(user);
    const fallback = clip(train.globalMean, train.ratingScale);
    for (let i = 0; i < train.nItems; i++) {
      while (p < end && seen[p] < i) p++;
      if (excludeSeen && p < end && seen[p] === i) continue;
      if (options.exclude?.has(i)) continue;
      const s = knownUser && train.itemCounts[i] > 0 ? clip(visibleSoftmax(params, i, h, this.soft), train.ratingScale) : fallback;
      if (s >= minScore) heap.push(i, s);
    }
    return heap.result();
  }
}

/** The distinct rating values of a train set, increasing; throws when there are too many for softmax units. */
export function ratingLevels(train: RatingDataset): Float64Array {
  const set = new Set<number>();
  for (let k = 0; k < train.nRatings; k++) {
    set.add(train.ratings[k]);
    if (set.size > MAX_LEVELS) {
      throw new Error(
        `rbm: the train set ${train.name} has more than ${MAX_LEVELS} distinct rating values; the RBM needs a small set of discrete ratings`,
      );
    }
  }
  return Float64Array.from(Array.from(set).sort((a, b) => a - b));
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
