/**
 * Neural collaborative filtering with a multi-layer perceptron (`ncf`): user and item embeddings
 * concatenated and fed to dense ReLU layers instead of a dot product — the MLP part of He, Liao,
 * Zhang, Nie, Hu & Chua, "Neural collaborative filtering", WWW 2017, here as a rating regressor
 * (fastai's `collab_learner(use_nn=True)`, Howard & Gugger 2020, ch. 8, "Deep learning for
 * collaborative filtering").
 *
 *     x = [p_u ; q_i] ∈ ℝ^{2k}
 *     h₁ = ReLU(W₁ x + c₁), …, h_L = ReLU(W_L h_{L−1} + c_L)       (default: one layer of 1024)
 *     r̂_ui = μ + w · h_L + c                                        (μ = train mean: ratings are centred)
 *
 * Loss: mean squared error of the centred ratings r_ui − μ on mini-batches in a fresh seeded random
 * order each epoch; Adam with Keras's defaults (β₁ = 0.9, β₂ = 0.999, ε = 1e-7), constant learning
 * rate. The embeddings are `tf.layers.embedding` layers; the dense layers are variables used
 * through `denseOp` (the same arithmetic as `tf.layers.dense`, with a gradient that is fast on the
 * wasm backend). Initial weights come from lib/random (embeddings U(−0.05, 0.05) as Keras, dense
 * kernels Glorot-uniform, biases 0), so the same seed gives the same model.
 *
 * After `fit` the weights are copied into typed arrays and the tensors disposed; predictions are
 * plain TypeScript. The first layer splits into a user part and an item part,
 * W₁ x = W₁ᵘ p_u + W₁ⁱ q_i, so the item part (plus c₁) is computed once per item after training and
 * the user part once per user: a top-n list then costs O(items × H₁) for the default network.
 * Unknown users or items (no train rating) get the train mean μ, flagged `impossible`.
 */
import type { ParamSchema } from "../algorithms/params";
import type * as tfjs from "@tensorflow/tfjs";
import type { RatingDataset } from "../data/dataset";
import { checkInt, checkNonNegative, checkTrain } from "../mf/factor-model";
import { checkUser, topNByRawScore, predictKnownOrMean } from "../model/recommender";
import type { Prediction, Recommendation, RecommendOptions, Recommender } from "../model/recommender";
import { Rng } from "../random";
import { getTf } from "./backend";
import { ShuffledBatches, permutedRatings } from "./dotbias";
import { ScheduledAdam } from "./onecycle";
import { trainLoopSync, type ProgressOptions, type TrainHistory } from "./training";
import { evaluateRatings } from "../mf/crossval";

export interface NCFOptions {
  /** Embedding size k of users and of items (default 50). */
  factors?: number;
  /** Units of each hidden ReLU layer (default [1024]). */
  hidden?: readonly number[];
  /** Passes over the train ratings (default 5). */
  epochs?: number;
  /** Ratings per mini-batch (default 256). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  learningRate?: number;
  /** Decoupled weight decay (default 0). */
  wd?: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
  /** Evaluated after every epoch: adds `val_mse` (original scale) to the history. */
  validation?: RatingDataset;
  /** Progress display (default: a bar in the notebook, nothing elsewhere). */
  progress?: ProgressOptions;
}

export const NCF_DEFAULTS = { factors: 50, hidden: [1024] as readonly number[], epochs: 5, batchSize: 256, learningRate: 1e-3, wd: 0, seed: 0 };

/** Parses "1024" or "256,128" into layer sizes (for the registry's string parameter). */
export function parseHidden(s: string): number[] {
  const parts = s.split(",").map((x) => x.trim()).filter((x) => x !== "");
  if (parts.length === 0) throw new Error(`ncf: hidden needs at least one layer size, got ${JSON.stringify(s)}`);
  return parts.map((x) => {
    const v = Number(x);
    if (!Number.isInteger(v) || v < 1) throw new Error(`ncf: hidden layer sizes must be positive integers, got ${JSON.stringify(x)} in ${JSON.stringify(s)}`);
    return v;
  });
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let x = 0; x < out.length; x++) out[x] = rng.uniform(-a, a);
  return out;
}

function uniform(rng: Rng, n: number, a: number): Float32Array {
  const out = new Float32Array(n);
  for (let x = 0; x < n; x++) out[x] = rng.uniform(-a, a);
  return out;
}

/** The trained weights as typed arrays (dense kernels are [in, out] row-major, as in TensorFlow). */
export interface NCFWeights {
  factors: number;
  hidden: number[];
  userEmbedding: Float32Array;
  itemEmbedding: Float32Array;
  /** Kernels of the hidden layers then of the output layer. */
  kernels: Float32Array[];
  biases: Float32Array[];
}

/**
 * y = x·W + b with the gradients written as products of explicitly transposed matrices:
 * ∂x = dy·transpose(W), ∂W = transpose(x)·dy, ∂b = Σ_rows dy. Mathematically what `tf.layers.dense`
 * does; but its gradient asks the backend for products with the transpose flags set, which the
 * wasm backend of tfjs 4.22 runs through a slow generic loop (measured here on a 256 × 100 by
 * 100 × 1024 product: 2 ms plain, 24 ms with transposeB, 84 ms with transposeA), whereas an
 * explicit transpose followed by a plain product costs about as much as the forward product.
 */
export function denseOp(x: tfjs.Tensor2D, w: tfjs.Tensor2D, b: tfjs.Tensor1D): tfjs.Tensor2D {
  const tf = getTf();
  const op = tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
    const [xx, ww, bb] = args as tfjs.Tensor2D[];
    const save = args[3] as tfjs.GradSaveFunc;
    save([xx, ww]);
    return {
      value: tf.add(tf.matMul(xx, ww), bb),
      gradFunc: (dy: tfjs.Tensor, saved: tfjs.Tensor[]) => {
        const d = dy as tfjs.Tensor2D;
        const [xs, ws] = saved as [tfjs.Tensor2D, tfjs.Tensor2D];
        return [tf.matMul(d, tf.transpose(ws)), tf.matMul(tf.transpose(xs), d), tf.sum(d, 0)];
      },
    };
  });
  return op(x, w, b) as tfjs.Tensor2D;
}

/**
 * The network in TensorFlow.js: embedding layers, dense layers (variables used through
 * `denseOp`), an Adam optimiser, and one training step. Exported for the input-pipeline
 * experiment of notebook 12; `NCF.fit` uses it too.
 */
export class NCFNetwork {
  readonly uLayer: tfjs.layers.Layer;
  readonly iLayer: tfjs.layers.Layer;
  /** Kernel [in, out] and bias [out] of each dense layer (hidden layers, then the output). */
  readonly kernels: tfjs.Variable[];
  readonly biases: tfjs.Variable[];
  readonly vars: tfjs.Variable[];
  private readonly adam: ScheduledAdam;

  constructor(
    readonly nUsers: number,
    readonly nItems: number,
    readonly factors: number,
    readonly hidden: readonly number[],
    readonly mu: number,
    seed: number,
    wd = 0,
  ) {
    const tf = getTf();
    const rng = new Rng(seed);
    const k = factors;
    const uInit = tf.tensor2d(uniform(rng, nUsers * k, 0.05), [nUsers, k]);
    const iInit = tf.tensor2d(uniform(rng, nItems * k, 0.05), [nItems, k]);
    this.uLayer = tf.layers.embedding({ inputDim: nUsers, outputDim: k, weights: [uInit] });
    this.iLayer = tf.layers.embedding({ inputDim: nItems, outputDim: k, weights: [iInit] });
    tf.tidy(() => {
      this.uLayer.apply(tf.zeros([1], "int32"));
      this.iLayer.apply(tf.zeros([1], "int32"));
    });
    uInit.dispose();
    iInit.dispose();
    const sizes = [2 * k, ...hidden, 1];
    this.kernels = [];
    this.biases = [];
    for (let l = 1; l < sizes.length; l++) {
      const w = glorot(rng, sizes[l - 1], sizes[l]);
      this.kernels.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [sizes[l - 1], sizes[l]]))));
      this.biases.push(tf.tidy(() => tf.variable(tf.zeros([sizes[l]]))));
    }
    this.vars = [
      ...[this.uLayer, this.iLayer].map((layer) => layer.trainableWeights[0].read() as tfjs.Variable),
      ...this.kernels,
      ...this.biases,
    ];
    this.adam = new ScheduledAdam(this.vars, { sqrMom: 0.999, eps: 1e-7, wd });
  }

  /** Centred predictions r̂ − μ for a batch of (user, item) ids, shape [batch]. */
  forward(u: tfjs.Tensor1D, i: tfjs.Tensor1D): tfjs.Tensor1D {
    const tf = getTf();
    let x = tf.concat([this.uLayer.apply(u) as tfjs.Tensor2D, this.iLayer.apply(i) as tfjs.Tensor2D], 1) as tfjs.Tensor2D;
    const L = this.kernels.length;
    for (let l = 0; l < L; l++) {
      x = denseOp(x, this.kernels[l] as tfjs.Tensor as tfjs.Tensor2D, this.biases[l] as tfjs.Tensor as tfjs.Tensor1D);
      if (l < L - 1) x = tf.relu(x);
    }
    return tf.reshape(x, [-1]) as tfjs.Tensor1D;
  }

  /** One Adam step on a batch (ratings on the original scale); returns the batch's MSE (a scalar tensor). */
  trainStep(u: tfjs.Tensor1D, i: tfjs.Tensor1D, ratings: tfjs.Tensor1D, learningRate: number): tfjs.Scalar {
    const tf = getTf();
    const y = tf.sub(ratings, this.mu);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.squaredDifference(this.forward(u, i), y)) as tfjs.Scalar, this.vars);
    this.adam.step(grads, learningRate, 0.9);
    return value;
  }

  /** Copies the weights out of TensorFlow.js. */
  weights(): NCFWeights {
    const read = (v: tfjs.Tensor): Float32Array => Float32Array.from(v.dataSync() as Float32Array);
    return {
      factors: this.factors,
      hidden: [...this.hidden],
      userEmbedding: read(this.uLayer.trainableWeights[0].read()),
      itemEmbedding: read(this.iLayer.trainableWeights[0].read()),
      kernels: this.kernels.map(read),
      biases: this.biases.map(read),
    };
  }

  dispose(): void {
    this.adam.dispose();
    this.uLayer.dispose();
    this.iLayer.dispose();
    for (const v of [...this.kernels, ...this.biases]) v.dispose();
  }
}

/** Parameter schema for the algorithm registry (`ncf`); `hidden` is a comma-separated list ("1024", "256,128"). */
export const NCF_PARAMS = {
  factors: { type: "integer", default: 50, min: 1, doc: "embedding size of users and of items" },
  hidden: { type: "string", default: "1024", doc: "units of the hidden ReLU layers, comma-separated" },
  epochs: { type: "integer", default: 5, min: 1, doc: "passes over the train ratings" },
  batchSize: { type: "integer", default: 256, min: 1, doc: "ratings per mini-batch" },
  learningRate: { type: "number", default: 1e-3, min: 0, doc: "Adam's learning rate" },
  wd: { type: "number", default: 0, min: 0, doc: "decoupled weight decay" },
  seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation and the visiting order" },
} satisfies ParamSchema;

export class NCF implements Recommender {
  readonly id = "ncf";
  readonly predictsRatings = true;
  readonly options: Readonly<{ factors: number; hidden: readonly number[]; epochs: number; batchSize: number; learningRate: number; wd: number; seed: number }>;
  private readonly validation?: RatingDataset;
  private readonly progressOptions: ProgressOptions;
  /** Mean training loss (MSE of centred ratings) per epoch, seconds per epoch, and `val_mse` with a validation set. */
  history: TrainHistory = { epoch: [], metrics: {}, seconds: [] };
  private train: RatingDataset | null = null;
  private w: NCFWeights | null = null;
  private mu = 0;
  /** Item part of the first layer plus its bias, nItems × H₁. */
  private itemPart: Float32Array = new Float32Array(0);
  private cacheUser = -1;
  private userPart: Float64Array = new Float64Array(0);
  private scratch: Float64Array[] = [];

  constructor(options: NCFOptions = {}) {
    const o = { ...NCF_DEFAULTS, ...dropUndefined(options) };
    checkInt("ncf", "factors", o.factors, 1);
    checkInt("ncf", "epochs", o.epochs, 1);
    checkInt("ncf", "batchSize", o.batchSize, 1);
    if (!Array.isArray(o.hidden) || o.hidden.length === 0) throw new Error("ncf: hidden must list at least one layer size");
    for (const h of o.hidden) checkInt("ncf", "hidden layer size", h, 1);
    if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw new Error(`ncf: learningRate must be a positive number, got ${o.learningRate}`);
    checkNonNegative("ncf", "wd", o.wd);
    if (!Number.isFinite(o.seed)) throw new Error(`ncf: seed must be a finite number, got ${o.seed}`);
    this.options = { factors: o.factors, hidden: [...o.hidden], epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, wd: o.wd, seed: o.seed };
    this.validation = options.validation;
    this.progressOptions = options.progress ?? {};
  }

  fit(train: RatingDataset): this {
    checkTrain("ncf", train);
    const tf = getTf();
    const o = this.options;
    const net = new NCFNetwork(train.nUsers, train.nItems, o.factors, o.hidden, train.globalMean, o.seed, o.wd);
    const rng = new Rng(o.seed + 1);
    const batches = new ShuffledBatches(train, o.batchSize, rng);
    try {
      this.history = trainLoopSync({
        epochs: o.epochs,
        steps: batches.steps,
        label: this.progressOptions.label ?? "ncf",
        write: this.progressOptions.write,
        silent: this.progressOptions.silent,
        onEpochBegin: () => batches.shuffle(),
        step: (b) => {
          const batch = batches.batch(b);
          return net.trainStep(
            tf.tensor1d(batch.users, "int32"),
            tf.tensor1d(batch.items, "int32"),
            tf.tensor1d(batch.ratings),
            o.learningRate,
          );
        },
        onEpochEnd: () => {
          if (!this.validation) return;
          this.setWeights(train, net.weights());
          return { val_mse: this.mse(this.validation) };
        },
      });
      this.setWeights(train, net.weights());
    } finally {
      net.dispose();
    }
    return this;
  }

  private setWeights(train: RatingDataset, w: NCFWeights): void {
    this.train = train;
    this.w = w;
    this.mu = train.globalMean;
    const k = w.factors;
    const H = w.hidden[0];
    const K1 = w.kernels[0]; // [2k, H]
    const part = new Float32Array(train.nItems * H);
    for (let i = 0; i < train.nItems; i++) {
      for (let j = 0; j < H; j++) {
        let s = w.biases[0][j];
        for (let f = 0; f < k; f++) s += w.itemEmbedding[i * k + f] * K1[(k + f) * H + j];
        part[i * H + j] = s;
      }
    }
    this.itemPart = part;
    this.cacheUser = -1;
    this.userPart = new Float64Array(H);
    this.scratch = w.hidden.map((h) => new Float64Array(h));
  }

  /** The trained weights (copies made at the end of fit). */
  weights(): NCFWeights {
    return this.fitted().w;
  }

  private fitted(): { train: RatingDataset; w: NCFWeights } {
    if (!this.train || !this.w) throw new Error("ncf: call fit(train) before predict or recommend");
    return { train: this.train, w: this.w };
  }

  private userFirstLayer(u: number): Float64Array {
    if (this.cacheUser !== u) {
      const w = this.w!;
      const k = w.factors;
      const H = w.hidden[0];
      const K1 = w.kernels[0];
      const out = this.userPart;
      out.fill(0);
      for (let f = 0; f < k; f++) {
        const p = w.userEmbedding[u * k + f];
        const o = f * H;
        for (let j = 0; j < H; j++) out[j] += p * K1[o + j];
      }
      this.cacheUser = u;
    }
    return this.userPart;
  }

  /** r̂ (unclipped) for a known user and item. */
  private raw(u: number, i: number): number {
    const w = this.w!;
    const up = this.userFirstLayer(u);
    const H1 = w.hidden[0];
    let h = this.scratch[0];
    for (let j = 0; j < H1; j++) {
      const v = up[j] + this.itemPart[i * H1 + j];
      h[j] = v > 0 ? v : 0;
    }
    for (let l = 1; l < w.hidden.length; l++) {
      const nIn = w.hidden[l - 1];
      const nOut = w.hidden[l];
      const K = w.kernels[l];
      const out = this.scratch[l];
      for (let j = 0; j < nOut; j++) out[j] = w.biases[l][j];
      for (let a = 0; a < nIn; a++) {
        const x = h[a];
        if (x === 0) continue;
        const o = a * nOut;
        for (let j = 0; j < nOut; j++) out[j] += x * K[o + j];
      }
      for (let j = 0; j < nOut; j++) if (out[j] < 0) out[j] = 0;
      h = out;
    }
    const L = w.hidden.length;
    const K = w.kernels[L];
    let s = this.mu + w.biases[L][0];
    const nIn = w.hidden[L - 1];
    for (let a = 0; a < nIn; a++) s += h[a] * K[a];
    return s;
  }

  predict(user: number, item: number): Prediction {
    return predictKnownOrMean(this.fitted().train, user, item, () => this.raw(user, item));
  }

  /** Mean squared error of the (clipped) predictions on a test set sharing the train set's ids. */
  mse(test: RatingDataset): number {
    return evaluateRatings(this, test).rmse ** 2;
  }

  /** Top-n for one user, ranked by the unclipped output; O(items × network) time, O(n) memory. */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const { train } = this.fitted();
    checkUser(train, user);
    const knownUser = train.userPtr[user + 1] > train.userPtr[user];
    return topNByRawScore(train, user, n, options, (i) => (knownUser && train.itemCounts[i] > 0 ? this.raw(user, i) : train.globalMean));
  }
}

/** Seconds of training steps measured for one input pipeline. */
export interface PipelineTiming {
  pipeline: "per-sample tensors" | "pre-batched typed arrays";
  steps: number;
  /** Wall-clock seconds per step. */
  secondsPerStep: number;
  /** That, times the steps of one epoch over the train set. */
  secondsPerEpoch: number;
  /** Of that, seconds per step spent building the batch's input tensors. */
  inputSecondsPerStep: number;
  /** Input seconds times the steps of one epoch. */
  inputSecondsPerEpoch: number;
  /** Tensors created per step by the pipeline (before the model's own). */
  tensorsPerStep: number;
}

/**
 * The input-pipeline lesson: the same `steps` training steps of the same network, fed two ways.
 * - per-sample tensors: every rating becomes its own little tensors (user id, item id, rating), and
 *   each batch is assembled with `tf.stack` — how code ends up when a dataset is a list of samples;
 * - pre-batched typed arrays: the ratings sit in typed arrays in batch order and a batch is three
 *   `subarray` views turned into three tensors.
 * Each pipeline trains its own freshly initialised network (same seed) on the same batches.
 */
export function timeInputPipelines(
  train: RatingDataset,
  options: { factors?: number; hidden?: readonly number[]; batchSize?: number; learningRate?: number; steps?: number; seed?: number } = {},
): PipelineTiming[] {
  checkTrain("ncf", train);
  const tf = getTf();
  const factors = options.factors ?? NCF_DEFAULTS.factors;
  const hidden = options.hidden ?? NCF_DEFAULTS.hidden;
  const batchSize = options.batchSize ?? NCF_DEFAULTS.batchSize;
  const lr = options.learningRate ?? NCF_DEFAULTS.learningRate;
  const seed = options.seed ?? 0;
  const n = train.nRatings;
  const steps = Math.min(options.steps ?? 50, Math.ceil(n / batchSize));
  const rng = new Rng(seed + 1);
  const order = rng.permutation(n);
  const b = permutedRatings(train, order);
  const epochSteps = Math.ceil(n / batchSize);
  const run = (pipeline: PipelineTiming["pipeline"]): PipelineTiming => {
    const net = new NCFNetwork(train.nUsers, train.nItems, factors, hidden, train.globalMean, seed);
    let tensors = 0;
    let inputMs = 0;
    try {
      const t0 = performance.now();
      for (let step = 0; step < steps; step++) {
        const s = step * batchSize;
        const e = Math.min(n, s + batchSize);
        tf.tidy(() => {
          const before = tf.memory().numTensors;
          const tIn = performance.now();
          let u: tfjs.Tensor1D, i: tfjs.Tensor1D, y: tfjs.Tensor1D;
          if (pipeline === "per-sample tensors") {
            const us: tfjs.Tensor[] = [], is: tfjs.Tensor[] = [], ys: tfjs.Tensor[] = [];
            for (let x = s; x < e; x++) {
              us.push(tf.scalar(b.users[x], "int32"));
              is.push(tf.scalar(b.items[x], "int32"));
              ys.push(tf.scalar(b.ratings[x]));
            }
            u = tf.stack(us) as tfjs.Tensor1D;
            i = tf.stack(is) as tfjs.Tensor1D;
            y = tf.stack(ys) as tfjs.Tensor1D;
          } else {
            u = tf.tensor1d(b.users.subarray(s, e), "int32");
            i = tf.tensor1d(b.items.subarray(s, e), "int32");
            y = tf.tensor1d(b.ratings.subarray(s, e));
          }
          inputMs += performance.now() - tIn;
          tensors += tf.memory().numTensors - before;
          net.trainStep(u, i, y, lr).dataSync();
        });
      }
      const seconds = (performance.now() - t0) / 1000;
      const input = inputMs / 1000 / steps;
      return {
        pipeline,
        steps,
        secondsPerStep: seconds / steps,
        secondsPerEpoch: (seconds / steps) * epochSteps,
        inputSecondsPerStep: input,
        inputSecondsPerEpoch: input * epochSteps,
        tensorsPerStep: tensors / steps,
      };
    } finally {
      net.dispose();
    }
  };
  return [run("per-sample tensors"), run("pre-batched typed arrays")];
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
