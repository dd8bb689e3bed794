/**
 * User-based AutoRec (`autorec`): an autoencoder that reconstructs each user's rating vector
 * (Sedhain, Menon, Sanner & Xie, "AutoRec: autoencoders meet collaborative filtering", WWW 2015;
 * the paper's U-AutoRec).
 *
 * Input: the user's partially observed vector r_u ∈ ℝ^nItems (the train ratings; missing
 * entries are 0 in the input). With H hidden units:
 *
 *     h(r_u) = f(W · g(V r_u + μ) + b),   g = logistic sigmoid, f = identity
 *     V: H × nItems (encoder), μ ∈ ℝ^H, W: nItems × H (decoder), b ∈ ℝ^nItems
 *
 * Objective, two variants (`masked`):
 * - masked (the paper): only observed ratings count,
 *       Σ_u Σ_{i ∈ R(u)} (r_ui − h(r_u)_i)²  +  (λ/2)(‖W‖²_F + ‖V‖²_F);
 * - zeros (the naive version): missing ratings are taken as ratings of 0 and every entry counts,
 *       Σ_u Σ_i (r_ui·[i ∈ R(u)] − h(r_u)_i)²  +  (λ/2)(‖W‖²_F + ‖V‖²_F).
 *   On MovieLens 100K about 94% of the entries are missing, so the best fit outputs values near 0
 *   for almost everything: predictions collapse towards 0 (and clip to the bottom of the scale).
 * The prediction is r̂_ui = h(r_u)_i, clipped to the rating scale.
 *
 * Training: mini-batches of users in a fresh seeded random order each epoch; the gradient of a
 * batch is the sum over its users plus the batch's share (batch/users) of the L2 term; Adam
 * (Kingma & Ba 2015; β₁ = 0.9, β₂ = 0.999, ε = 1e-8) updates all parameters after each batch.
 * Initialisation: V, W ~ U(±sqrt(6 / (nItems + H))) (Glorot & Bengio 2010), μ = 0, and the output
 * bias b = the train set's global mean, so the masked model starts from a sensible baseline (the
 * zeros model collapses anyway). The paper trains with resilient propagation / L-BFGS; Adam is the
 * modern default. Cost per epoch: O(ratings × H) for the masked loss, O(users × nItems × H) for the
 * zeros loss (every output is needed). Plain TypeScript over typed arrays.
 */
import type { ParamSchema } from "../algorithms/params";
import type { RatingDataset } from "../data/dataset";
import { checkInt, checkItem, checkNonNegative, checkTrain } from "../mf/factor-model";
import { checkUser, clip, topNByRawScore, predictKnownOrMean } from "../model/recommender";
import type { Prediction, Recommendation, RecommendOptions, Recommender } from "../model/recommender";
import { Rng } from "../random";

export interface AutoRecOptions {
  /** Hidden units H (default 100). */
  hidden?: number;
  /** Passes over the users (default 20). */
  epochs?: number;
  /** Adam step size (default 0.001). */
  learningRate?: number;
  /** Users per mini-batch (default 32). */
  batchSize?: number;
  /** L2 weight λ on W and V (default 100; the squared errors are summed, not averaged). */
  lambda?: number;
  /** true: loss on observed ratings only (the paper); false: missing ratings count as 0 (default true). */
  masked?: boolean;
  /** Seed of the initialisation and the visiting order (default 0). */
  seed?: number;
  /** Called after every epoch with the epoch number (1-based) and the training RMSE on observed ratings. */
  onEpoch?: (epoch: number, rmse: number) => void;
}

export const AUTOREC_DEFAULTS = { hidden: 100, epochs: 20, learningRate: 0.001, batchSize: 32, lambda: 100, masked: true, seed: 0 } as const;

/** The parameters of a user-based AutoRec (views of the model's arrays). */
export interface AutoRecParameters {
  hidden: number;
  nItems: number;
  /** Encoder V, stored item-major: V[i·H + j] is the weight from item i to hidden unit j. */
  encoder: Float32Array;
  /** Encoder bias μ (length H). */
  encoderBias: Float32Array;
  /** Decoder W, item-major: W[i·H + j] is the weight from hidden unit j to output i. */
  decoder: Float32Array;
  /** Decoder bias b (length nItems). */
  decoderBias: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** g(V r + μ) for a user's ratings (`items`, `ratings`), written into `out` (length H). */
export function encodeUser(p: AutoRecParameters, items: ArrayLike<number>, ratings: ArrayLike<number>, out: Float64Array): Float64Array {
  const H = p.hidden;
  const V = p.encoder;
  for (let j = 0; j < H; j++) out[j] = p.encoderBias[j];
  for (let r = 0; r < items.length; r++) {
    const o = items[r] * H;
    const x = ratings[r];
    for (let j = 0; j < H; j++) out[j] += V[o + j] * x;
  }
  for (let j = 0; j < H; j++) out[j] = sigmoid(out[j]);
  return out;
}

/** Output i of the decoder for hidden activities `a`: b_i + Σ_j W_ij a_j (unclipped). */
export function decodeItem(p: AutoRecParameters, item: number, a: Float64Array): number {
  const H = p.hidden;
  const W = p.decoder;
  const o = item * H;
  let s = p.decoderBias[item];
  for (let j = 0; j < H; j++) s += W[o + j] * a[j];
  return s;
}

/**
 * The loss of one user's reconstruction (without the L2 term): the sum of squared errors over the
 * observed entries (masked) or over all entries with missing ratings as 0 (zeros). `output` holds
 * h(r_u) for every item; `items`/`ratings` the user's observed ratings (items increasing).
 */
export function reconstructionLoss(
  output: ArrayLike<number>,
  items: ArrayLike<number>,
  ratings: ArrayLike<number>,
  masked: boolean,
): number {
  let loss = 0;
  let r = 0;
  if (masked) {
    for (; r < items.length; r++) {
      const d = output[items[r]] - ratings[r];
      loss += d * d;
    }
    return loss;
  }
  for (let i = 0; i < output.length; i++) {
    const target = r < items.length && items[r] === i ? ratings[r++] : 0;
    const d = output[i] - target;
    loss += d * d;
  }
  return loss;
}

interface Grads {
  encoder: Float64Array;
  encoderBias: Float64Array;
  decoder: Float64Array;
  decoderBias: Float64Array;
}

/**
 * Adds the gradient of one user's reconstruction loss (see `reconstructionLoss`) to `g`;
 * returns the squared error over the user's observed ratings. `a`, `ga` are scratch of length H.
 */
export function accumulateUserGradient(
  p: AutoRecParameters,
  items: ArrayLike<number>,
  ratings: ArrayLike<number>,
  masked: boolean,
  g: Grads,
  a: Float64Array,
  ga: Float64Array,
): number {
  const H = p.hidden;
  const W = p.decoder;
  encodeUser(p, items, ratings, a);
  ga.fill(0);
  let sseObserved = 0;
  const backOutput = (i: number, target: number, observed: boolean): void => {
    const e = decodeItem(p, i, a) - target;
    if (observed) sseObserved += e * e;
    const d = 2 * e;
    const o = i * H;
    g.decoderBias[i] += d;
    for (let j = 0; j < H; j++) {
      g.decoder[o + j] += d * a[j];
      ga[j] += d * W[o + j];
    }
  };
  if (masked) {
    for (let r = 0; r < items.length; r++) backOutput(items[r], ratings[r], true);
  } else {
    let r = 0;
    for (let i = 0; i < p.nItems; i++) {
      if (r < items.length && items[r] === i) backOutput(i, ratings[r++], true);
      else backOutput(i, 0, false);
    }
  }
  // through the sigmoid: ∂/∂z_j = ga_j · a_j (1 − a_j); input x_i = r_ui (0 for missing → no gradient)
  for (let j = 0; j < H; j++) {
    ga[j] *= a[j] * (1 - a[j]);
    g.encoderBias[j] += ga[j];
  }
  for (let r = 0; r < items.length; r++) {
    const o = items[r] * H;
    const x = ratings[r];
    for (let j = 0; j < H; j++) g.encoder[o + j] += ga[j] * x;
  }
  return sseObserved;
}

/** Adam state of one parameter array. */
class AdamSlot {
  readonly m: Float64Array;
  readonly v: Float64Array;
  constructor(n: number) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }
  /** θ ← θ − lr·m̂/(sqrt(v̂)+ε) with gradient g (+ l2·θ); clears g. */
  step(theta: Float32Array, g: Float64Array, lr: number, t: number, l2: number): void {
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
    const { m, v } = this;
    for (let x = 0; x < theta.length; x++) {
      const gx = g[x] + l2 * theta[x];
      g[x] = 0;
      m[x] = b1 * m[x] + (1 - b1) * gx;
      v[x] = b2 * v[x] + (1 - b2) * gx * gx;
      theta[x] -= (lr * (m[x] / c1)) / (Math.sqrt(v[x] / c2) + eps);
    }
  }
}

/** Parameter schema for the algorithm registry (`autorec`). */
export const AUTOREC_PARAMS = {
  hidden: { type: "integer", default: 100, min: 1, doc: "hidden units" },
  epochs: { type: "integer", default: 20, min: 0, doc: "passes over the users" },
  learningRate: { type: "number", default: 0.001, min: 0, doc: "Adam's step size" },
  batchSize: { type: "integer", default: 32, min: 1, doc: "users per mini-batch" },
  lambda: { type: "number", default: 100, min: 0, doc: "L2 weight λ on the encoder and decoder weights" },
  masked: { type: "boolean", default: true, doc: "loss on observed ratings only (false: missing ratings count as 0)" },
  seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation and the visiting order" },
} satisfies ParamSchema;

export class AutoRec implements Recommender {
  readonly id = "autorec";
  readonly predictsRatings = true;
  readonly options: Readonly<Required<Omit<AutoRecOptions, "onEpoch">>>;
  private readonly onEpoch?: (epoch: number, rmse: number) => void;
  /** Training RMSE on the observed ratings after each epoch (measured during the epoch). */
  epochRmse: number[] = [];
  private train: RatingDataset | null = null;
  private params: AutoRecParameters | null = null;
  private cacheUser = -1;
  private cacheHidden: Float64Array = new Float64Array(0);

  constructor(options: AutoRecOptions = {}) {
    const o = { ...AUTOREC_DEFAULTS, ...dropUndefined(options) };
    checkInt("autorec", "hidden", o.hidden, 1);
    checkInt("autorec", "epochs", o.epochs, 0);
    checkInt("autorec", "batchSize", o.batchSize, 1);
    checkNonNegative("autorec", "learningRate", o.learningRate);
    checkNonNegative("autorec", "lambda", o.lambda);
    if (typeof o.masked !== "boolean") throw new Error(`autorec: masked must be a boolean, got ${o.masked}`);
    if (!Number.isFinite(o.seed)) throw new Error(`autorec: seed must be a finite number, got ${o.seed}`);
    this.options = {
      hidden: o.hidden,
      epochs: o.epochs,
      learningRate: o.learningRate,
      batchSize: o.batchSize,
      lambda: o.lambda,
      masked: o.masked,
      seed: o.seed,
    };
    this.onEpoch = options.onEpoch;
  }

  fit(train: RatingDataset): this {
    checkTrain("autorec", train);
    const o = this.options;
    const H = o.hidden;
    const nI = train.nItems;
    const rng = new Rng(o.seed);
    const a0 = Math.sqrt(6 / (nI + H));
    const p: AutoRecParameters = {
      hidden: H,
      nItems: nI,
      encoder: new Float32Array(nI * H),
      encoderBias: new Float32Array(H),
      decoder: new Float32Array(nI * H),
      decoderBias: new Float32Array(nI).fill(train.globalMean),
    };
    for (let x = 0; x < p.encoder.length; x++) p.encoder[x] = rng.uniform(-a0, a0);
    for (let x = 0; x < p.decoder.length; x++) p.decoder[x] = rng.uniform(-a0, a0);
    const g: Grads = {
      encoder: new Float64Array(nI * H),
      encoderBias: new Float64Array(H),
      decoder: new Float64Array(nI * H),
      decoderBias: new Float64Array(nI),
    };
    const slots = [new AdamSlot(nI * H), new AdamSlot(H), new AdamSlot(nI * H), new AdamSlot(nI)];
    const active: number[] = [];
    for (let u = 0; u < train.nUsers; u++) if (train.userPtr[u + 1] > train.userPtr[u]) active.push(u);
    const order = Int32Array.from(active);
    const a = new Float64Array(H);
    const ga = new Float64Array(H);
    let t = 0;
    this.epochRmse = [];
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      rng.shuffle(order);
      let sse = 0;
      for (let b0 = 0; b0 < order.length; b0 += o.batchSize) {
        const b1 = Math.min(order.length, b0 + o.batchSize);
        for (let b = b0; b < b1; b++) {
          const u = order[b];
          const s = train.userPtr[u];
          const e = train.userPtr[u + 1];
          sse += accumulateUserGradient(p, train.userItems.subarray(s, e), train.userRatings.subarray(s, e), o.masked, g, a, ga);
        }
        // this batch's share of (λ/2)(‖W‖² + ‖V‖²): gradient λ·(batch/users)·θ
        const l2 = (o.lambda * (b1 - b0)) / order.length;
        t++;
        slots[0].step(p.encoder, g.encoder, o.learningRate, t, l2);
        slots[1].step(p.encoderBias, g.encoderBias, o.learningRate, t, 0);
        slots[2].step(p.decoder, g.decoder, o.learningRate, t, l2);
        slots[3].step(p.decoderBias, g.decoderBias, o.learningRate, t, 0);
      }
      const rmse = Math.sqrt(sse / train.nRatings);
      this.epochRmse.push(rmse);
      this.onEpoch?.(epoch + 1, rmse);
    }
    this.train = train;
    this.params = p;
    this.cacheUser = -1;
    this.cacheHidden = new Float64Array(H);
    return this;
  }

  private fitted(): { train: RatingDataset; params: AutoRecParameters } {
    if (!this.train || !this.params) throw new Error("autorec: call fit(train) before predict or recommend");
    return { train: this.train, params: this.params };
  }

  /** The learned parameters (views, not copies). */
  parameters(): AutoRecParameters {
    return this.fitted().params;
  }

  private hidden(u: number): Float64Array {
    if (this.cacheUser !== u) {
      const { train, params } = this.fitted();
      const s = train.userPtr[u];
      const e = train.userPtr[u + 1];
      encodeUser(params, train.userItems.subarray(s, e), train.userRatings.subarray(s, e), this.cacheHidden);
      this.cacheUser = u;
    }
    return this.cacheHidden;
  }

  /** The unclipped reconstruction h(r_u)_i from user u's own train ratings. */
  rawPredict(user: number, item: number): number {
    const { train, params } = this.fitted();
    checkUser(train, user);
    checkItem(train, item);
    return decodeItem(params, item, this.hidden(user));
  }

  /** The whole reconstruction h(r_u) of user u (unclipped; one user: O(items) memory). */
  reconstruct(user: number): Float64Array {
    const { train, params } = this.fitted();
    checkUser(train, user);
    const h = this.hidden(user);
    const out = new Float64Array(train.nItems);
    for (let i = 0; i < train.nItems; i++) out[i] = decodeItem(params, i, h);
    return out;
  }

  predict(user: number, item: number): Prediction {
    return predictKnownOrMean(this.fitted().train, user, item, () => this.rawPredict(user, item));
  }

  /**
   * Top-n for one user: encode once, decode each candidate; ranked by the unclipped output, the
   * reported score clipped like `predict`. O(items × H) time, O(n) memory.
   */
  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const { train, params } = this.fitted();
    checkUser(train, user);
    const knownUser = train.userPtr[user + 1] > train.userPtr[user];
    const h = this.hidden(user);
    return topNByRawScore(train, user, n, options, (i) => (knownUser && train.itemCounts[i] > 0 ? decodeItem(params, i, h) : train.globalMean));
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
