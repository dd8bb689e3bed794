/**
 * The dot-product model with biases, trained the fastai way in TensorFlow.js (`dotbias`):
 * Howard & Gugger, *Deep Learning for Coders with fastai and PyTorch* (2020), chapter 8
 * ("Collaborative filtering deep dive"), fastai's `EmbeddingDotBias` / `collab_learner`.
 *
 *     r̂_ui = lo + (hi − lo) · σ(p_u · q_i + b_u + b_i)        (σ = logistic; "sigmoid range")
 *
 * with user and item embeddings p_u, q_i ∈ ℝ^k (k = 50) and biases b_u, b_i, the output squashed
 * into (lo, hi) = (0, 5.5) (a little beyond the 1–5 scale, because a sigmoid only reaches its
 * ends asymptotically). Loss: mean squared error on mini-batches of 64 ratings in a fresh seeded
 * random order every epoch. Optimiser: Adam with the one-cycle schedule (peak learning rate 5e-3)
 * and weight decay 0.1 (see `onecycle.ts`), 5 epochs. Parameters, two ways (`parameters`):
 * - "embedding": `tf.layers.embedding` layers (the Keras way; fastai's Embedding starts from a
 *   truncated normal with standard deviation 0.01, so the same here);
 * - "own": plain tensors created from N(0, 0.01) (fastai's `create_params`), looked up with
 *   `tf.gather`. An embedding lookup is nothing more than that indexing; its gradient scatters
 *   the batch's gradient rows back onto the table (`UnsortedSegmentSum`, see segmentSum.ts).
 * Biases start at 0 in both. Initial values are drawn from lib/random (seeded), so the same seed
 * gives the same model.
 *
 * After `fit` the parameters are copied into typed arrays and every TensorFlow.js tensor is
 * disposed: `predict` and `recommend` are plain TypeScript (O(k) per prediction, O(items · k) per
 * top-n list, O(n) memory). `fit` needs an initialised TensorFlow.js (`await initBackend()`).
 *
 * Unknown users or items (no train rating) have no trained parameters: an unknown user is scored
 * with b_i only, an unknown item with b_u only (the missing part taken as 0, as Surprise does for
 * biased SVD), both unknown → the train mean; such predictions are flagged `impossible`.
 */
import type { ParamSchema } from "../algorithms/params";
import type * as tfjs from "@tensorflow/tfjs";
import type { RatingDataset } from "../data/dataset";
import { checkInt, checkItem, checkNonNegative, checkTrain } from "../mf/factor-model";
import { checkUser, clip, topNByRawScore, globalMeanFallback, unknownReason } from "../model/recommender";
import type { Prediction, Recommendation, RecommendOptions, Recommender } from "../model/recommender";
import { Rng } from "../random";
import { getTf } from "./backend";
import { ScheduledAdam, oneCycleSchedule, type WeightDecayMode } from "./onecycle";
import { trainLoopSync, type ProgressOptions, type TrainHistory } from "./training";
import { evaluateRatings } from "../mf/crossval";

export interface DotBiasOptions {
  /** Embedding size k (default 50). */
  factors?: number;
  /** Passes over the train ratings (default 5). */
  epochs?: number;
  /** Ratings per mini-batch (default 64). */
  batchSize?: number;
  /** Peak learning rate of the one-cycle schedule, or the constant rate (default 5e-3). */
  lrMax?: number;
  /** "onecycle" (default) or "constant" (lrMax with β₁ = 0.9 throughout). */
  schedule?: "onecycle" | "constant";
  /** Weight decay (default 0.1; 0 = none). */
  wd?: number;
  /** "decoupled" (fastai's default, AdamW) or "l2" (wd·θ added to the gradient). */
  wdMode?: WeightDecayMode;
  /** Squash with a sigmoid into (yMin, yMax) (default true); false = the raw dot product + biases. */
  sigmoidRange?: boolean;
  /** Lower end of the sigmoid range (default 0). */
  yMin?: number;
  /** Upper end of the sigmoid range (default 5.5). */
  yMax?: number;
  /** Learn user and item biases (default true). */
  biases?: boolean;
  /** "embedding" (tf.layers.embedding) or "own" (tensors created by hand); default "own". */
  parameters?: "embedding" | "own";
  /** Standard deviation of the initial embeddings (default 0.01). */
  initStd?: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
  /** A held-out set evaluated after every epoch: adds `val_mse` to the history. */
  validation?: RatingDataset;
  /** Progress display (default: a bar in the notebook, nothing elsewhere). */
  progress?: ProgressOptions;
}

export const DOTBIAS_DEFAULTS = {
  factors: 50,
  epochs: 5,
  batchSize: 64,
  lrMax: 5e-3,
  schedule: "onecycle",
  wd: 0.1,
  wdMode: "decoupled",
  sigmoidRange: true,
  yMin: 0,
  yMax: 5.5,
  biases: true,
  parameters: "own",
  initStd: 0.01,
  seed: 0,
} as const;

type Resolved = {
  factors: number;
  epochs: number;
  batchSize: number;
  lrMax: number;
  schedule: "onecycle" | "constant";
  wd: number;
  wdMode: WeightDecayMode;
  sigmoidRange: boolean;
  yMin: number;
  yMax: number;
  biases: boolean;
  parameters: "embedding" | "own";
  initStd: number;
  seed: number;
};

/** A mini-batch order: the train ratings permuted, as parallel typed arrays (batches are slices). */
export interface Batches {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
}

/** The train ratings in the order `order` (indices into the dataset's rating arrays). */
export function permutedRatings(train: RatingDataset, order: Int32Array, out?: Batches): Batches {
  const n = order.length;
  const b = out ?? { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n) };
  for (let x = 0; x < n; x++) {
    const k = order[x];
    b.users[x] = train.users[k];
    b.items[x] = train.items[k];
    b.ratings[x] = train.ratings[k];
  }
  return b;
}

/**
 * Mini-batches of the train ratings: `shuffle()` draws a new seeded order for an epoch and lays
 * the ratings out in it (`permutedRatings`); `batch(b)` is the b-th slice of `batchSize` ratings.
 */
export class ShuffledBatches {
  readonly steps: number;
  private readonly order: Int32Array;
  private readonly data: Batches;

  constructor(
    private readonly train: RatingDataset,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    const n = train.nRatings;
    this.steps = Math.ceil(n / batchSize);
    this.order = Int32Array.from({ length: n }, (_, x) => x);
    this.data = { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n) };
  }

  shuffle(): void {
    this.rng.shuffle(this.order);
    permutedRatings(this.train, this.order, this.data);
  }

  batch(b: number): Batches {
    const s = b * this.batchSize;
    const e = Math.min(this.order.length, s + this.batchSize);
    return { users: this.data.users.subarray(s, e), items: this.data.items.subarray(s, e), ratings: this.data.ratings.subarray(s, e) };
  }
}

/** Values drawn from N(0, std²), truncated at two standard deviations (redrawn), as PyTorch's trunc_normal_. */
export function truncatedNormal(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    let z = rng.normal();
    while (z < -2 || z > 2) z = rng.normal();
    out[x] = z * std;
  }
  return out;
}

/** Parameter schema for the algorithm registry (`dotbias`); names and defaults are the options'. */
export const DOTBIAS_PARAMS = {
  factors: { type: "integer", default: 50, min: 1, doc: "embedding size k" },
  epochs: { type: "integer", default: 5, min: 1, doc: "passes over the train ratings" },
  batchSize: { type: "integer", default: 64, min: 1, doc: "ratings per mini-batch" },
  lrMax: { type: "number", default: 5e-3, min: 0, doc: "peak learning rate of the one-cycle schedule (or the constant rate)" },
  schedule: { type: "enum", default: "onecycle", choices: ["onecycle", "constant"], doc: "learning-rate schedule of Adam" },
  wd: { type: "number", default: 0.1, min: 0, doc: "weight decay" },
  wdMode: { type: "enum", default: "decoupled", choices: ["decoupled", "l2"], doc: "decoupled (AdamW, fastai) or l2 (added to the gradient)" },
  sigmoidRange: { type: "boolean", default: true, doc: "squash the output into (yMin, yMax) with a sigmoid" },
  yMin: { type: "number", default: 0, doc: "lower end of the sigmoid range" },
  yMax: { type: "number", default: 5.5, doc: "upper end of the sigmoid range" },
  biases: { type: "boolean", default: true, doc: "learn user and item biases" },
  parameters: { type: "enum", default: "own", choices: ["own", "embedding"], doc: "parameters created by hand (N(0, 0.01)) or tf.layers.embedding layers" },
  initStd: { type: "number", default: 0.01, min: 0, doc: "standard deviation of the initial embeddings" },
  seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation and the visiting order" },
} satisfies ParamSchema;

export class DotBias implements Recommender {
  readonly id = "dotbias";
  readonly predictsRatings = true;
  readonly options: Readonly<Resolved>;
  private readonly validation?: RatingDataset;
  private readonly progressOptions: ProgressOptions;
  /** Mean training loss (MSE) per epoch, seconds per epoch, and `val_mse` when a validation set was given. */
  history: TrainHistory = { epoch: [], metrics: {}, seconds: [] };
  private train: RatingDataset | null = null;
  private k = 0;
  /** User embeddings p_u, nUsers × k row-major. */
  userFactors: Float32Array = new Float32Array(0);
  /** Item embeddings q_i, nItems × k row-major. */
  itemFactors: Float32Array = new Float32Array(0);
  /** User biases b_u (zeros without biases). */
  userBias: Float32Array = new Float32Array(0);
  /** Item biases b_i (zeros without biases). */
  itemBias: Float32Array = new Float32Array(0);

  constructor(options: DotBiasOptions = {}) {
    const o = { ...DOTBIAS_DEFAULTS, ...dropUndefined(options) } as Resolved & DotBiasOptions;
    checkInt("dotbias", "factors", o.factors, 1);
    checkInt("dotbias", "epochs", o.epochs, 1);
    checkInt("dotbias", "batchSize", o.batchSize, 1);
    if (!(o.lrMax > 0) || !Number.isFinite(o.lrMax)) throw new Error(`dotbias: lrMax must be a positive number, got ${o.lrMax}`);
    checkNonNegative("dotbias", "wd", o.wd);
    checkNonNegative("dotbias", "initStd", o.initStd);
    if (o.schedule !== "onecycle" && o.schedule !== "constant") throw new Error(`dotbias: schedule must be "onecycle" or "constant", got ${o.schedule}`);
    if (o.parameters !== "embedding" && o.parameters !== "own") throw new Error(`dotbias: parameters must be "embedding" or "own", got ${o.parameters}`);
    if (o.wdMode !== "decoupled" && o.wdMode !== "l2") throw new Error(`dotbias: wdMode must be "decoupled" or "l2", got ${o.wdMode}`);
    if (o.sigmoidRange && !(o.yMax > o.yMin)) throw new Error(`dotbias: the sigmoid range needs yMin < yMax, got (${o.yMin}, ${o.yMax})`);
    if (!Number.isFinite(o.seed)) throw new Error(`dotbias: seed must be a finite number, got ${o.seed}`);
    this.options = {
      factors: o.factors,
      epochs: o.epochs,
      batchSize: o.batchSize,
      lrMax: o.lrMax,
      schedule: o.schedule,
      wd: o.wd,
      wdMode: o.wdMode,
      sigmoidRange: o.sigmoidRange,
      yMin: o.yMin,
      yMax: o.yMax,
      biases: o.biases,
      parameters: o.parameters,
      initStd: o.initStd,
      seed: o.seed,
    };
    this.validation = options.validation;
    this.progressOptions = options.progress ?? {};
  }

  fit(train: RatingDataset): this {
    checkTrain("dotbias", train);
    const tf = getTf();
    const o = this.options;
    const k = o.factors;
    const nU = train.nUsers;
    const nI = train.nItems;
    const rng = new Rng(o.seed);
    const userInit = truncatedOr(rng, nU * k, o.initStd, o.parameters);
    const itemInit = truncatedOr(rng, nI * k, o.initStd, o.parameters);

    // --- parameters: embedding layers or plain variables
    const disposables: { dispose(): void }[] = [];
    let lookupUser: (ids: tfjs.Tensor1D) => tfjs.Tensor2D;
    let lookupItem: (ids: tfjs.Tensor1D) => tfjs.Tensor2D;
    let uVar: tfjs.Variable;
    let iVar: tfjs.Variable;
    if (o.parameters === "embedding") {
      const uInit = tf.tensor2d(userInit, [nU, k]);
      const iInit = tf.tensor2d(itemInit, [nI, k]);
      const uLayer = tf.layers.embedding({ inputDim: nU, outputDim: k, weights: [uInit] });
      const iLayer = tf.layers.embedding({ inputDim: nI, outputDim: k, weights: [iInit] });
      // build the layers (creates their variables from `weights`)
      tf.tidy(() => {
        uLayer.apply(tf.zeros([1], "int32"));
        iLayer.apply(tf.zeros([1], "int32"));
      });
      uInit.dispose();
      iInit.dispose();
      uVar = uLayer.trainableWeights[0].read() as tfjs.Variable;
      iVar = iLayer.trainableWeights[0].read() as tfjs.Variable;
      lookupUser = (ids) => uLayer.apply(ids) as tfjs.Tensor2D;
      lookupItem = (ids) => iLayer.apply(ids) as tfjs.Tensor2D;
      disposables.push({ dispose: () => uLayer.dispose() }, { dispose: () => iLayer.dispose() });
    } else {
      // inside tidy: the initial tensors are freed once the variables hold their values
      uVar = tf.tidy(() => tf.variable(tf.tensor2d(userInit, [nU, k])));
      iVar = tf.tidy(() => tf.variable(tf.tensor2d(itemInit, [nI, k])));
      const u = uVar;
      const i = iVar;
      lookupUser = (ids) => tf.gather(u, ids) as tfjs.Tensor2D;
      lookupItem = (ids) => tf.gather(i, ids) as tfjs.Tensor2D;
      disposables.push(uVar, iVar);
    }
    const vars: tfjs.Variable[] = [uVar, iVar];
    let ubVar: tfjs.Variable | null = null;
    let ibVar: tfjs.Variable | null = null;
    if (o.biases) {
      ubVar = tf.tidy(() => tf.variable(tf.zeros([nU])));
      ibVar = tf.tidy(() => tf.variable(tf.zeros([nI])));
      vars.push(ubVar, ibVar);
      disposables.push(ubVar, ibVar);
    }
    const adam = new ScheduledAdam(vars, { wd: o.wd, wdMode: o.wdMode });
    disposables.push(adam);

    const forward = (u: tfjs.Tensor1D, i: tfjs.Tensor1D): tfjs.Tensor1D => {
      let x = tf.sum(tf.mul(lookupUser(u), lookupItem(i)), 1) as tfjs.Tensor1D;
      if (ubVar && ibVar) x = tf.add(x, tf.add(tf.gather(ubVar, u), tf.gather(ibVar, i)));
      if (o.sigmoidRange) x = tf.add(tf.mul(tf.sigmoid(x), o.yMax - o.yMin), o.yMin);
      return x;
    };

    // --- batches: the ratings permuted once per epoch into typed arrays, sliced per step
    const batches = new ShuffledBatches(train, o.batchSize, rng);
    const steps = batches.steps;
    const schedule =
      o.schedule === "onecycle"
        ? oneCycleSchedule({ lrMax: o.lrMax }, steps * o.epochs)
        : { lr: new Float64Array(steps * o.epochs).fill(o.lrMax), mom: new Float64Array(steps * o.epochs).fill(0.9) };
    let t = 0;
    try {
      this.history = trainLoopSync({
        epochs: o.epochs,
        steps,
        label: this.progressOptions.label ?? "dotbias",
        write: this.progressOptions.write,
        silent: this.progressOptions.silent,
        onEpochBegin: () => batches.shuffle(),
        step: (b) => {
          const batch = batches.batch(b);
          const u = tf.tensor1d(batch.users, "int32");
          const i = tf.tensor1d(batch.items, "int32");
          const y = tf.tensor1d(batch.ratings);
          const { value, grads } = tf.variableGrads(() => tf.mean(tf.squaredDifference(forward(u, i), y)) as tfjs.Scalar, vars);
          adam.step(grads, schedule.lr[t], schedule.mom[t]);
          t++;
          return value;
        },
        onEpochEnd: () => {
          if (!this.validation) return;
          this.copyParameters(train, uVar, iVar, ubVar, ibVar);
          return { val_mse: this.mse(this.validation) };
        },
      });
      this.copyParameters(train, uVar, iVar, ubVar, ibVar);
    } finally {
      for (const d of disposables) d.dispose();
    }
    return this;
  }

  private copyParameters(
    train: RatingDataset,
    u: tfjs.Variable,
    i: tfjs.Variable,
    ub: tfjs.Variable | null,
    ib: tfjs.Variable | null,
  ): void {
    this.train = train;
    this.k = this.options.factors;
    this.userFactors = Float32Array.from(u.dataSync() as Float32Array);
    this.itemFactors = Float32Array.from(i.dataSync() as Float32Array);
    this.userBias = ub ? Float32Array.from(ub.dataSync() as Float32Array) : new Float32Array(train.nUsers);
    this.itemBias = ib ? Float32Array.from(ib.dataSync() as Float32Array) : new Float32Array(train.nItems);
  }

  private fitted(): RatingDataset {
    if (!this.train) throw new Error("dotbias: call fit(train) before predict or recommend");
    return this.train;
  }

  /** The model's output (after the sigmoid range, before clipping to the scale) for known parts. */
  private raw(user: number, item: number, knownUser: boolean, knownItem: boolean): number {
    const k = this.k;
    let x = 0;
    if (knownUser && knownItem) {
      const a = user * k;
      const b = item * k;
      for (let f = 0; f < k; f++) x += this.userFactors[a + f] * this.itemFactors[b + f];
    }
    if (knownUser) x += this.userBias[user];
    if (knownItem) x += this.itemBias[item];
    const o = this.options;
    return o.sigmoidRange ? o.yMin + (o.yMax - o.yMin) / (1 + Math.exp(-x)) : x;
  }

  predict(user: number, item: number): Prediction {
    const train = this.fitted();
    checkUser(train, user);
    checkItem(train, item);
    const knownUser = train.userPtr[user + 1] > train.userPtr[user];
    const knownItem = train.itemCounts[item] > 0;
    if (knownUser && knownItem) return { value: clip(this.raw(user, item, true, true), train.ratingScale), impossible: false };
    if (!knownUser && !knownItem) return globalMeanFallback(train, user, item)!;
    // one side known: its bias still counts
    return {
      value: clip(this.raw(user, item, knownUser, knownItem), train.ratingScale),
      impossible: true,
      details: unknownReason(train, user, item)!,
    };
  }

  /** Mean squared error of the (clipped) predictions on a test set sharing the train set's ids. */
  mse(test: RatingDataset): number {
    return evaluateRatings(this, test).rmse ** 2;
  }

  /**
   * Top-n for one user: one pass over the item embeddings, O(items × k) time, O(n) memory. The
   * sigmoid is monotone, so items are ranked by the unclipped output; scores are clipped like
   * `predict`'s values.
   */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted();
    checkUser(train, user);
    const knownUser = train.userPtr[user + 1] > train.userPtr[user];
    return topNByRawScore(train, user, n, options, (i) => {
      const knownItem = train.itemCounts[i] > 0;
      return knownUser || knownItem ? this.raw(user, i, knownUser, knownItem) : train.globalMean;
    });
  }
}

function truncatedOr(rng: Rng, n: number, std: number, kind: "embedding" | "own"): Float32Array {
  if (kind === "embedding") return truncatedNormal(rng, n, std);
  const out = new Float32Array(n);
  for (let x = 0; x < n; x++) out[x] = rng.normal(0, std);
  return out;
}

/**
 * The first `k` principal components of the rows of a `rows × cols` matrix (row-major), by power
 * iteration with deflation on the covariance matrix of the centred columns (Golub & Van Loan,
 * *Matrix Computations*, §7.3 and §8.2). For small teaching-size matrices (cols up to a few
 * hundred). Returns the unit-length components (k × cols), the coordinates of every row on them
 * (rows × k) and the variance along each. Components are only defined up to sign; the sign is
 * fixed so that the largest-magnitude entry of each is positive.
 */
export function principalComponents(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  options: { seed?: number; iterations?: number; tol?: number } = {},
): { components: Float64Array; scores: Float64Array; variance: Float64Array } {
  if (x.length !== rows * cols) throw new Error(`principalComponents: ${x.length} values is not ${rows} rows × ${cols} columns`);
  if (rows < 2) throw new Error(`principalComponents: need at least 2 rows, got ${rows}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= cols)) throw new Error(`principalComponents: k must be an integer in 1..${cols}, got ${k}`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  const cov = new Float64Array(cols * cols);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) row[c] = x[r * cols + c] - mean[c];
    for (let a = 0; a < cols; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < cols; b++) cov[a * cols + b] += ra * row[b];
    }
  }
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const v = cov[a * cols + b] / (rows - 1);
      cov[a * cols + b] = v;
      cov[b * cols + a] = v;
    }
  }
  const rng = new Rng(options.seed ?? 0);
  const iterations = options.iterations ?? 1000;
  const tol = options.tol ?? 1e-12;
  const components = new Float64Array(k * cols);
  const variance = new Float64Array(k);
  const v = new Float64Array(cols);
  const w = new Float64Array(cols);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < cols; c++) v[c] = rng.normal();
    normalise(v);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      for (let a = 0; a < cols; a++) {
        let s = 0;
        for (let b = 0; b < cols; b++) s += cov[a * cols + b] * v[b];
        w[a] = s;
      }
      const norm = normalise(w);
      let change = 0;
      for (let c = 0; c < cols; c++) change = Math.max(change, Math.abs(w[c] - v[c]));
      v.set(w);
      lambda = norm;
      if (change < tol || norm === 0) break;
    }
    let big = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(v[c]) > Math.abs(v[big])) big = c;
    const sign = v[big] < 0 ? -1 : 1;
    for (let c = 0; c < cols; c++) components[j * cols + c] = sign * v[c];
    variance[j] = lambda;
    // deflate: C ← C − λ v vᵀ
    for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) cov[a * cols + b] -= lambda * v[a] * v[b];
  }
  const scores = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += (x[r * cols + c] - mean[c]) * components[j * cols + c];
      scores[r * k + j] = s;
    }
  }
  return { components, scores, variance };
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let c = 0; c < v.length; c++) s += v[c] * v[c];
  const n = Math.sqrt(s);
  if (n > 0) for (let c = 0; c < v.length; c++) v[c] /= n;
  return n;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
