/**
 * GRU4Rec (`gru4rec`): a recurrent neural network that reads a session item by item and scores
 * every item as the next one — Hidasi, Karatzoglou, Baltrunas & Tikk, "Session-based
 * recommendations with recurrent neural networks", ICLR 2016; with the cross-entropy and
 * ranking-max losses and the additional negative samples of Hidasi & Karatzoglou, "Recurrent
 * neural networks with top-k gains for session-based recommendations", CIKM 2018. Trained with
 * TensorFlow.js (automatic differentiation), predicting in plain TypeScript.
 *
 * Model, for the events x₁ … x_t of a session (item ids), one GRU layer of H units over item
 * embeddings e_x ∈ ℝ^d (rows of E):
 *
 *     z_t = σ(e_{x_t} W_z + h_{t−1} U_z + b_z)                    update gate
 *     r_t = σ(e_{x_t} W_r + h_{t−1} U_r + b_r)                    reset gate
 *     h̃_t = tanh(e_{x_t} W_h + (r_t ⊙ h_{t−1}) U_h + b_h)         candidate state
 *     h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t                       (h₀ = 0)
 *     s_t(i) = h_t · o_i + c_i                                    score of item i as x_{t+1}
 *
 * (σ = logistic, ⊙ = element-wise product; row vectors, W_* ∈ ℝ^{d×H}, U_* ∈ ℝ^{H×H}; o_i and c_i
 * are the output embedding and bias of item i — the "output layer" of the paper.)
 * `embedding: 0` (the default) is the paper's one-hot input: e_x is the one-hot vector of item x,
 * so e_x·[W_z | W_r | W_h] is simply row x of one learned nItems × 3H table — an item embedding of
 * width 3H that feeds the gates directly. On ml-latest-small-2016 it was both more accurate and
 * faster than a 64-wide embedding followed by W (Recall@20 on all test events 0.128 vs 0.114 after 5 epochs).
 *
 * Training (Hidasi et al. 2016, §3.1):
 * - Session-parallel mini-batches (§3.1.1): B slots each run one session; at every step the
 *   input of a slot is its session's current item and the target the next one. When a slot's
 *   session ends it takes the next session of the (seeded, per-epoch) random order and its
 *   hidden state is reset to zero. As in the authors' code, the epoch ends when a finished slot
 *   finds no session left (the remaining events of the sessions still running are not used in
 *   that epoch; a new order each epoch cuts different ones — `trainedEvents` counts what was used).
 * - The hidden state is carried from step to step but not back-propagated through: each step's
 *   gradient treats h_{t−1} as a constant (one-step truncated back-propagation through time).
 * - Negatives (§3.1.2, "sampling on the output"): "in-batch" — the columns of a step's score
 *   matrix are the distinct targets of the B slots, so every slot's target is a negative for the
 *   others (popularity-proportional sampling for free; a target shared by two slots is one
 *   column, not a false negative) — plus `sample` extra items drawn once per step for the whole
 *   batch with P(i) ∝ count(i)^α (count = training targets of i, α = `sampleAlpha`; the 2018
 *   paper's additional samples). Scores B × C, C ≤ B + sample. "full": every candidate item is a
 *   column (exact softmax; about 10× slower here).
 * - Losses over the scores s_ij of row i (target column t_i, negatives N_i = the other columns),
 *   averaged over the rows of the batch:
 *     cross-entropy   −log softmax(s_i)_{t_i}                          (2018: "XE")
 *     bpr             −mean_{j∈N_i} log σ(s_{i t_i} − s_ij)             (2016, §3.1.3)
 *     top1            mean_{j∈N_i} [σ(s_ij − s_{i t_i}) + σ(s_ij²)]       (2016, §3.1.3)
 *     bpr-max         −log Σ_{j∈N_i} p_j σ(s_{i t_i} − s_ij) + λ Σ_{j∈N_i} p_j s_ij²,
 *                     p = softmax of the negatives' scores, λ = `bpreg`  (2018, ranking-max)
 *   `epochLoss` is the mean over an epoch's steps, `stepLoss` every step's value.
 * - Optimiser (in plain TypeScript): "adagrad" (GRU4Rec's choice; Duchi, Hazan & Singer 2011:
 *   G ← G + g², θ ← θ − lr·g/(√G + 1e-6)), applied to the touched rows only, which is exactly the
 *   dense update since rows without gradient do not move; or "adam" (Kingma & Ba 2015, β = 0.9 /
 *   0.999, ε = 1e-8), for the embedding rows the "lazy" variant (only the rows of the batch
 *   update their moments). Only the rows a step touches are copied to TensorFlow.js, so a step
 *   costs O(B·H·(d + H) + B·C·H), independent of the number of items (except with "full").
 * - Dropout (`dropout` = p > 0) on the GRU output before the scores (inverted: kept units scaled
 *   by 1/(1 − p)); the carried state itself is not dropped. Masks come from the seeded Rng.
 * - Initialisation (lib/random, seeded): every weight block uniform in ±√(6/(fan_in + fan_out))
 *   (Glorot & Bengio 2010, as the authors' code), biases 0. Same seed → same model (the wasm and
 *   cpu backends are deterministic).
 *
 * Defaults (tuned on ml-latest-small-2016 sessions, 2,259 train sessions / 70k events, 20 % newest
 * sessions held out): one-hot input, H = 100, B = 64, 128 uniform extra samples (α = 0: the
 * in-batch targets already bring the popular items), cross-entropy, Adagrad lr 0.05, 4 epochs —
 * 11–15 s of training on the wasm backend (2.7–4 s per epoch on a shared 2-core machine), Recall@20
 * ≈ 0.127 over all test events (session popularity 0.073, item-to-item kNN 0.134).
 *
 * Prediction: the GRU runs over the prefix from h₀ = 0 in plain TypeScript on the Float32Array
 * weights (Float64 arithmetic), then every candidate item is scored with h_t · o_i + c_i.
 * Candidates are the items that were a training target at least once (others never received a
 * gradient in their output row). The hidden state of the last prefix is cached, so evaluating
 * all prefixes of a session one after the other costs one GRU step each.
 */
import type { ParamSchema } from "../algorithms/params";
import type * as tfjs from "@tensorflow/tfjs";
import { TopN, type Recommendation } from "../model/recommender";
import { getTf, type Tf } from "../neural/backend";
import type { ProgressOptions, TrainHistory } from "../neural/training";
import { progress } from "../notebook/progress";
import { Rng } from "../random";
import { checkPrefix, prefixMask } from "./sessions";
import type { NextItemOptions, SessionRecommender, Sessions } from "./types";

export type GRU4RecLoss = "cross-entropy" | "bpr" | "top1" | "bpr-max";
export type GRU4RecNegatives = "in-batch" | "full";
export type GRU4RecOptimizer = "adagrad" | "adam";

export interface GRU4RecOptions {
  /** Size d of the input item embeddings; 0 (default) = one-hot input, as the original GRU4Rec (E is then the input kernel itself). */
  embedding?: number;
  /** Units H of the GRU layer (default 100). */
  hidden?: number;
  /** Passes over the training sessions (default 4). */
  epochs?: number;
  /** Parallel sessions B per mini-batch (default 64; ≥ 2 with in-batch negatives). */
  batchSize?: number;
  /** Learning rate of the optimiser (default 0.05). */
  learningRate?: number;
  /** "adagrad" (default, as GRU4Rec) or "adam" (lazy for the embedding rows). */
  optimizer?: GRU4RecOptimizer;
  /** Training loss (default "cross-entropy"). */
  loss?: GRU4RecLoss;
  /** "in-batch" (default: the other slots' targets, plus `sample` extra items) or "full" (all candidate items). */
  negatives?: GRU4RecNegatives;
  /**
   * Extra negatives per step with in-batch negatives (Hidasi & Karatzoglou 2018, §3.2): this many
   * items drawn (with replacement, shared by the whole batch) with probability ∝ count^sampleAlpha,
   * count = the item's training targets; added to the batch's targets as columns (default 128).
   * Ignored with "full" negatives.
   */
  sample?: number;
  /** Exponent α of the sampling distribution (0 = uniform over items, default; 1 = ∝ popularity). */
  sampleAlpha?: number;
  /** Dropout rate on the GRU output during training, in [0, 1) (default 0). */
  dropout?: number;
  /** Weight λ of the score regularisation of bpr-max (default 1). */
  bpreg?: number;
  /** Seed of the initialisation, the session orders and the dropout masks (default 0). */
  seed?: number;
  /** Progress display (default: a bar in the notebook, nothing elsewhere). */
  progress?: ProgressOptions;
}

export const GRU4REC_DEFAULTS = {
  embedding: 0,
  hidden: 100,
  epochs: 4,
  batchSize: 64,
  learningRate: 0.05,
  optimizer: "adagrad" as GRU4RecOptimizer,
  loss: "cross-entropy" as GRU4RecLoss,
  negatives: "in-batch" as GRU4RecNegatives,
  sample: 128,
  sampleAlpha: 0,
  dropout: 0,
  bpreg: 1,
  seed: 0,
};

const LOSSES: readonly GRU4RecLoss[] = ["cross-entropy", "bpr", "top1", "bpr-max"];
const NEGATIVES: readonly GRU4RecNegatives[] = ["in-batch", "full"];
const OPTIMIZERS: readonly GRU4RecOptimizer[] = ["adagrad", "adam"];

/** Parameter schema for the algorithm registry (`gru4rec`); names and defaults are the options'. */
export const GRU4REC_PARAMS = {
  embedding: { type: "integer", default: 0, min: 0, doc: "size of the input item embeddings (0 = one-hot input, as the original GRU4Rec)" },
  hidden: { type: "integer", default: 100, min: 1, doc: "units of the GRU layer" },
  epochs: { type: "integer", default: 4, min: 1, doc: "passes over the training sessions" },
  batchSize: { type: "integer", default: 64, min: 1, doc: "parallel sessions per mini-batch (≥ 2 with in-batch negatives and sample = 0)" },
  learningRate: { type: "number", default: 0.05, min: 0, doc: "learning rate of the optimiser" },
  optimizer: { type: "enum", default: "adagrad", choices: OPTIMIZERS, doc: "adagrad (as GRU4Rec) or adam (lazy on embedding rows)" },
  loss: { type: "enum", default: "cross-entropy", choices: LOSSES, doc: "training loss (Hidasi et al. 2016; Hidasi & Karatzoglou 2018)" },
  negatives: { type: "enum", default: "in-batch", choices: NEGATIVES, doc: "in-batch: the other sessions' targets; full: all items" },
  sample: { type: "integer", default: 128, min: 0, doc: "extra negatives per step, drawn ∝ count^sampleAlpha (in-batch negatives only)" },
  sampleAlpha: { type: "number", default: 0, min: 0, max: 1, doc: "exponent of the sampling distribution of the extra negatives" },
  dropout: { type: "number", default: 0, min: 0, max: 0.99, doc: "dropout rate on the GRU output while training" },
  bpreg: { type: "number", default: 1, min: 0, doc: "score regularisation λ of the bpr-max loss" },
  seed: { type: "integer", default: 0, min: 0, max: 4294967295, doc: "seed of the initialisation, session orders and dropout" },
} satisfies ParamSchema;

/** The weights as typed arrays, row-major (kernels are [in, out], as TensorFlow's). */
export interface GRU4RecWeights {
  nItems: number;
  /** d. */
  embedding: number;
  /** H. */
  hidden: number;
  /**
   * Input item embeddings E, nItems × d. With one-hot input (d = 0) the input kernel itself,
   * nItems × 3H (row i = e_i·[W_z | W_r | W_h] for the one-hot e_i).
   */
  E: Float32Array;
  /** Input kernels [W_z | W_r | W_h], d × 3H (empty with one-hot input). */
  Wx: Float32Array;
  /** Recurrent kernels of the gates [U_z | U_r], H × 2H. */
  Uzr: Float32Array;
  /** Recurrent kernel of the candidate state U_h, H × H. */
  Uh: Float32Array;
  /** Biases [b_z | b_r | b_h], 3H. */
  bg: Float32Array;
  /** Output item embeddings o_i, nItems × H. */
  O: Float32Array;
  /** Output biases c_i, nItems. */
  bo: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The input part of the gates for item i, a_i = e_i·[W_z | W_r | W_h] + [b_z | b_r | b_h]
 * (length 3H), written into `out`. With one-hot input (embedding = 0) e_i·W is row i of E.
 */
export function inputProjection(w: GRU4RecWeights, item: number, out: Float64Array): Float64Array {
  const d = w.embedding;
  const H3 = 3 * w.hidden;
  for (let j = 0; j < H3; j++) out[j] = w.bg[j];
  if (d === 0) {
    const e = item * H3;
    for (let j = 0; j < H3; j++) out[j] += w.E[e + j];
    return out;
  }
  const e = item * d;
  for (let k = 0; k < d; k++) {
    const xk = w.E[e + k];
    if (xk === 0) continue;
    const row = k * H3;
    for (let j = 0; j < H3; j++) out[j] += xk * w.Wx[row + j];
  }
  return out;
}

/**
 * One GRU step in plain TypeScript (the equations of the module comment) from the input part of
 * the gates `gx` (length 3H, see `inputProjection`) and the previous state `h` (length H); the
 * new state is written into `out` (which may be `h` itself).
 */
export function gruStep(w: GRU4RecWeights, gx: ArrayLike<number>, h: ArrayLike<number>, out: Float64Array): Float64Array {
  const H = w.hidden;
  const H2 = 2 * H;
  const Uzr = w.Uzr;
  const Uh = w.Uh;
  const a = new Float64Array(3 * H);
  for (let j = 0; j < 3 * H; j++) a[j] = gx[j];
  for (let k = 0; k < H; k++) {
    const hk = h[k];
    if (hk === 0) continue;
    const row = k * H2;
    for (let j = 0; j < H2; j++) a[j] += hk * Uzr[row + j];
  }
  for (let k = 0; k < H; k++) {
    const v = sigmoid(a[H + k]) * h[k];
    if (v === 0) continue;
    const row = k * H;
    for (let j = 0; j < H; j++) a[H2 + j] += v * Uh[row + j];
  }
  for (let j = 0; j < H; j++) {
    const z = sigmoid(a[j]);
    const hj = h[j];
    out[j] = hj + z * (Math.tanh(a[H2 + j]) - hj);
  }
  return out;
}

/** `gruStep` for input item `item`. */
export function gruCell(w: GRU4RecWeights, item: number, h: ArrayLike<number>, out: Float64Array): Float64Array {
  return gruStep(w, inputProjection(w, item, new Float64Array(3 * w.hidden)), h, out);
}

/**
 * One GRU step for a batch in TensorFlow.js (rows = sessions): input rows xe (B × d, or B × 3H
 * with one-hot input, `Wx` = null), h B × H, Wx d × 3H, Uzr H × 2H, Uh H × H, bg 3H → the new
 * state B × H. The same equations as `gruStep`; used for training (differentiable in every
 * argument).
 */
export function gruCellTf(tf: Tf, xe: tfjs.Tensor2D, h: tfjs.Tensor2D, Wx: tfjs.Tensor2D | null, Uzr: tfjs.Tensor2D, Uh: tfjs.Tensor2D, bg: tfjs.Tensor1D): tfjs.Tensor2D {
  const [B, H] = h.shape;
  const gx = tf.add(Wx ? tf.matMul(xe, Wx) : xe, bg) as tfjs.Tensor2D;
  const zr = tf.sigmoid(tf.add(tf.slice(gx, [0, 0], [B, 2 * H]), tf.matMul(h, Uzr)));
  const z = tf.slice(zr, [0, 0], [B, H]);
  const r = tf.slice(zr, [0, H], [B, H]);
  const c = tf.tanh(tf.add(tf.slice(gx, [0, 2 * H], [B, H]), tf.matMul(tf.mul(r, h), Uh)));
  return tf.add(h, tf.mul(z, tf.sub(c, h))) as tfjs.Tensor2D;
}

/**
 * Mean softmax cross-entropy of the rows of S against one-hot targets, (1/B) Σ_i (lse(s_i) − s_i·t_i),
 * with its gradient written by hand, ∂/∂S = (softmax(S) − T)/B (a single exp per entry; the
 * generic gradient of logSumExp costs a broadcast comparison and two more exps on wasm).
 */
function crossEntropyTf(tf: Tf, S: tfjs.Tensor2D, target: tfjs.Tensor2D): tfjs.Scalar {
  const B = S.shape[0];
  const op = tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
    const [s, t] = args as tfjs.Tensor2D[];
    const save = args[2] as tfjs.GradSaveFunc;
    const m = tf.max(s, 1, true);
    const e = tf.exp(tf.sub(s, m));
    const z = tf.sum(e, 1, true);
    save([tf.div(e, z), t]);
    const value = tf.div(tf.sum(tf.sub(tf.add(tf.log(z), m), tf.sum(tf.mul(s, t), 1, true))), B);
    return {
      value,
      gradFunc: (dy: tfjs.Tensor, saved: tfjs.Tensor[]) => {
        const [p, tt] = saved;
        return [tf.mul(tf.sub(p, tt), tf.div(dy, B)), tf.zerosLike(tt)];
      },
    };
  });
  return op(S, target) as tfjs.Scalar;
}

/**
 * The training loss (module comment) of scores S (B × C) whose target columns are marked by the
 * one-hot matrix `target` (B × C, one 1 per row), averaged over the rows. With a single column
 * there are no negatives: cross-entropy is then 0 and the ranking losses are defined as 0.
 */
export function sessionLossTf(tf: Tf, S: tfjs.Tensor2D, target: tfjs.Tensor2D, loss: GRU4RecLoss, bpreg = 1): tfjs.Scalar {
  const [B, C] = S.shape;
  if (loss === "cross-entropy") return crossEntropyTf(tf, S, target);
  const st = tf.sum(tf.mul(S, target), 1, true); // B × 1: the target's score
  const neg = tf.sub(1, target); // 1 on the negatives
  const diff = tf.sub(st, S); // s_target − s_j
  if (loss === "bpr") {
    // −log σ(x) = softplus(−x) (in tfjs 4.22 the gradient of tf.logSigmoid fails when its input is computed inside the differentiated function)
    return tf.div(tf.sum(tf.mul(tf.softplus(tf.neg(diff)), neg)), Math.max(1, B * (C - 1))) as tfjs.Scalar;
  }
  if (loss === "top1") {
    const terms = tf.add(tf.sigmoid(tf.neg(diff)), tf.sigmoid(tf.square(S)));
    return tf.div(tf.sum(tf.mul(terms, neg)), Math.max(1, B * (C - 1))) as tfjs.Scalar;
  }
  if (loss === "bpr-max") {
    if (C < 2) return tf.mul(tf.sum(S), 0) as tfjs.Scalar;
    // softmax over the negatives only: the target's column pushed to −∞ (1e9 below)
    const p = tf.softmax(tf.sub(S, tf.mul(target, 1e9)));
    const ranked = tf.sum(tf.mul(p, tf.sigmoid(diff)), 1);
    const reg = tf.sum(tf.mul(p, tf.square(S)), 1);
    return tf.mean(tf.add(tf.neg(tf.log(tf.add(ranked, 1e-24))), tf.mul(reg, bpreg))) as tfjs.Scalar;
  }
  throw new Error(`gru4rec: unknown loss ${JSON.stringify(loss)} (expected ${LOSSES.join(", ")})`);
}

/** Adagrad or Adam over typed arrays, dense or on selected rows (see the module comment). */
class Optimiser {
  private readonly acc: Float32Array[];
  private readonly mom: Float32Array[];
  private t = 0;
  private c1 = 1;
  private c2 = 1;

  constructor(
    readonly kind: GRU4RecOptimizer,
    readonly lr: number,
    params: Float32Array[],
  ) {
    this.acc = params.map((p) => new Float32Array(p.length));
    this.mom = kind === "adam" ? params.map((p) => new Float32Array(p.length)) : [];
  }

  /** Call once per step, before the updates. */
  next(): void {
    this.t++;
    this.c1 = 1 - Math.pow(0.9, this.t);
    this.c2 = 1 - Math.pow(0.999, this.t);
  }

  /** θ[at + x] for x < n with gradient g[from + x]. */
  private run(k: number, p: Float32Array, at: number, g: ArrayLike<number>, from: number, n: number): void {
    const acc = this.acc[k];
    const lr = this.lr;
    if (this.kind === "adagrad") {
      for (let x = 0; x < n; x++) {
        const gx = g[from + x];
        const G = acc[at + x] + gx * gx;
        acc[at + x] = G;
        p[at + x] -= (lr * gx) / (Math.sqrt(G) + 1e-6);
      }
      return;
    }
    const m = this.mom[k];
    const a = lr / this.c1;
    const c2 = this.c2;
    for (let x = 0; x < n; x++) {
      const gx = g[from + x];
      const mx = 0.9 * m[at + x] + 0.1 * gx;
      const vx = 0.999 * acc[at + x] + 0.001 * gx * gx;
      m[at + x] = mx;
      acc[at + x] = vx;
      p[at + x] -= (a * mx) / (Math.sqrt(vx / c2) + 1e-8);
    }
  }

  dense(k: number, p: Float32Array, g: ArrayLike<number>): void {
    this.run(k, p, 0, g, 0, p.length);
  }

  /** Rows `rows[r]` (distinct) of a matrix of width `width`, gradient row r of `g`. */
  rows(k: number, p: Float32Array, rows: ArrayLike<number>, g: Float32Array, width: number): void {
    if (this.kind !== "adagrad") {
      for (let r = 0; r < rows.length; r++) this.run(k, p, rows[r] * width, g, r * width, width);
      return;
    }
    const acc = this.acc[k];
    const lr = this.lr;
    for (let r = 0; r < rows.length; r++) {
      const at = rows[r] * width;
      const from = r * width;
      for (let x = 0; x < width; x++) {
        const gx = g[from + x];
        const G = acc[at + x] + gx * gx;
        acc[at + x] = G;
        p[at + x] -= (lr * gx) / (Math.sqrt(G) + 1e-6);
      }
    }
  }
}

function glorot(rng: Rng, fanIn: number, fanOut: number, n: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(n);
  for (let x = 0; x < n; x++) out[x] = rng.uniform(-a, a);
  return out;
}

/** Glorot-uniform for a kernel made of `blocks` side-by-side [rows × cols] blocks (row-major). */
function glorotBlocks(rng: Rng, rows: number, cols: number, blocks: number): Float32Array {
  const out = new Float32Array(rows * cols * blocks);
  const a = Math.sqrt(6 / (rows + cols));
  for (let b = 0; b < blocks; b++) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols * blocks + b * cols + c] = rng.uniform(-a, a);
  }
  return out;
}

function checkSessions(train: Sessions): void {
  if (!(Number.isInteger(train.nItems) && train.nItems >= 1)) throw new Error(`gru4rec: the sessions have no items (nItems = ${train.nItems})`);
  if (train.ptr.length !== train.nSessions + 1) throw new Error(`gru4rec: ptr has length ${train.ptr.length}, expected nSessions + 1 = ${train.nSessions + 1}`);
  const n = train.ptr[train.nSessions];
  if (n > train.items.length) throw new Error(`gru4rec: ptr ends at ${n} but there are only ${train.items.length} events`);
  for (let x = 0; x < n; x++) {
    const i = train.items[x];
    if (!(i >= 0 && i < train.nItems)) throw new Error(`gru4rec: event ${x} has item ${i}, outside 0..${train.nItems - 1}`);
  }
}

export class GRU4Rec implements SessionRecommender {
  readonly id = "gru4rec";
  readonly options: Readonly<Required<Omit<GRU4RecOptions, "progress">>>;
  private readonly progressOptions: ProgressOptions;
  /** Mean training loss per epoch (`history.metrics.loss`) and seconds per epoch. */
  history: TrainHistory = { epoch: [], metrics: {}, seconds: [] };
  /** Training pairs (input → next item) used in each epoch (see the module comment). */
  trainedEvents: number[] = [];
  /** The loss of every training step, in order (epochs one after the other). */
  stepLoss: number[] = [];
  /** Wall-clock seconds of the whole `fitSessions`. */
  seconds = 0;
  private w: GRU4RecWeights | null = null;
  private candidates: Int32Array = new Int32Array(0);
  private cache: { items: Int32Array; h: Float64Array } | null = null;
  /** Input parts of the gates per item (`inputProjection`), computed on first use. */
  private proj = new Map<number, Float64Array>();
  private mark: Uint8Array = new Uint8Array(0);

  constructor(options: GRU4RecOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GRU4RecOptions;
    const o = { ...GRU4REC_DEFAULTS, ...defined };
    if (!(Number.isInteger(o.embedding) && o.embedding >= 0)) throw new Error(`gru4rec: embedding must be an integer ≥ 0 (0 = one-hot input), got ${o.embedding}`);
    for (const name of ["hidden", "epochs", "batchSize"] as const) {
      const v = o[name];
      if (!(Number.isInteger(v) && v >= 1)) throw new Error(`gru4rec: ${name} must be an integer ≥ 1, got ${v}`);
    }
    if (!LOSSES.includes(o.loss)) throw new Error(`gru4rec: loss must be one of ${LOSSES.join(", ")}, got ${JSON.stringify(o.loss)}`);
    if (!NEGATIVES.includes(o.negatives)) throw new Error(`gru4rec: negatives must be one of ${NEGATIVES.join(", ")}, got ${JSON.stringify(o.negatives)}`);
    if (!OPTIMIZERS.includes(o.optimizer)) throw new Error(`gru4rec: optimizer must be one of ${OPTIMIZERS.join(", ")}, got ${JSON.stringify(o.optimizer)}`);
    if (!(Number.isInteger(o.sample) && o.sample >= 0)) throw new Error(`gru4rec: sample must be an integer ≥ 0, got ${o.sample}`);
    if (o.negatives === "in-batch" && o.batchSize < 2 && o.sample === 0) throw new Error(`gru4rec: batchSize must be ≥ 2 with in-batch negatives and no extra samples (the other sessions' targets are the negatives), got ${o.batchSize}`);
    if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new Error(`gru4rec: learningRate must be a finite number > 0, got ${o.learningRate}`);
    if (!(Number.isFinite(o.sampleAlpha) && o.sampleAlpha >= 0 && o.sampleAlpha <= 1)) throw new Error(`gru4rec: sampleAlpha must be a number in [0, 1], got ${o.sampleAlpha}`);
    if (!(Number.isFinite(o.dropout) && o.dropout >= 0 && o.dropout < 1)) throw new Error(`gru4rec: dropout must be a number in [0, 1), got ${o.dropout}`);
    if (!(Number.isFinite(o.bpreg) && o.bpreg >= 0)) throw new Error(`gru4rec: bpreg must be a finite number ≥ 0, got ${o.bpreg}`);
    if (!Number.isFinite(o.seed)) throw new Error(`gru4rec: seed must be a finite number, got ${o.seed}`);
    this.options = {
      embedding: o.embedding,
      hidden: o.hidden,
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      optimizer: o.optimizer,
      loss: o.loss,
      negatives: o.negatives,
      sample: o.sample,
      sampleAlpha: o.sampleAlpha,
      dropout: o.dropout,
      bpreg: o.bpreg,
      seed: o.seed,
    };
    this.progressOptions = options.progress ?? {};
  }

  /** Mean training loss of each epoch (for loss curves). */
  get epochLoss(): number[] {
    return this.history.metrics.loss ?? [];
  }

  /**
   * Trains on the sessions with ≥ 2 events (see the module comment). Needs `await initBackend()`
   * first. No tensor outlives the call: the weights are kept as typed arrays.
   */
  fitSessions(train: Sessions): this {
    const started = Date.now();
    checkSessions(train);
    const long: number[] = [];
    let pairs = 0;
    for (let s = 0; s < train.nSessions; s++) {
      const len = train.ptr[s + 1] - train.ptr[s];
      if (len >= 2) {
        long.push(s);
        pairs += len - 1;
      }
    }
    if (long.length === 0) throw new Error(`gru4rec: no training session has 2 or more events (${train.nSessions} sessions); nothing to learn from`);
    const tf = getTf();
    const o = this.options;
    const N = train.nItems;
    // candidates: the items that are a target (not a session's first event) somewhere
    const targetCount = new Float64Array(N);
    for (const q of long) for (let p = train.ptr[q] + 1; p < train.ptr[q + 1]; p++) targetCount[train.items[p]]++;
    const cand: number[] = [];
    for (let i = 0; i < N; i++) if (targetCount[i] > 0) cand.push(i);
    const candidates = Int32Array.from(cand);
    // sampling distribution of the extra negatives: P(i) ∝ count(i)^α over the candidates
    const cumulative = new Float64Array(candidates.length);
    let total = 0;
    for (let c = 0; c < candidates.length; c++) cumulative[c] = total += Math.pow(targetCount[candidates[c]], o.sampleAlpha);
    const draw = (): number => {
      const u = rng.next() * total;
      let lo = 0;
      let hi = candidates.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return candidates[lo];
    };
    const d = o.embedding;
    const H = o.hidden;
    const oneHot = d === 0;
    const dIn = oneHot ? 3 * H : d; // width of an input row
    const rng = new Rng(o.seed);
    const w: GRU4RecWeights = {
      nItems: N,
      embedding: d,
      hidden: H,
      E: oneHot ? glorotBlocks(rng, N, H, 3) : glorot(rng, N, d, N * d),
      Wx: oneHot ? new Float32Array(0) : glorotBlocks(rng, d, H, 3),
      Uzr: glorotBlocks(rng, H, H, 2),
      Uh: glorotBlocks(rng, H, H, 1),
      bg: new Float32Array(3 * H),
      O: glorot(rng, N, H, N * H),
      bo: new Float32Array(N),
    };
    const params = [w.E, w.Wx, w.Uzr, w.Uh, w.bg, w.O, w.bo];
    const opt = new Optimiser(o.optimizer, o.learningRate, params);
    const full = o.negatives === "full";

    const order = Int32Array.from(long);
    const B = Math.min(o.batchSize, order.length);
    const pos = new Int32Array(B); // index of the slot's current event
    const end = new Int32Array(B); // end of the slot's session
    const h = new Float32Array(B * H);
    // columns of the score matrix: all candidates (full), or per step the distinct targets and samples
    const colOf = new Int32Array(N).fill(-1);
    const cols: number[] = full ? Array.from(candidates) : [];
    if (full) cols.forEach((i, c) => (colOf[i] = c));
    const extra = full ? 0 : o.sample;
    const tcol = new Int32Array(B);
    const xe = new Float32Array(B * dIn);
    const eRows: number[] = [];
    const eRowOf = new Int32Array(N).fill(-1);
    const eSlot = new Int32Array(B);
    const dropScale = 1 / (1 - o.dropout);

    const history: TrainHistory = { epoch: [], metrics: { loss: [] }, seconds: [] };
    const trainedEvents: number[] = [];
    const stepLoss: number[] = [];
    const bar = this.progressOptions.silent ? null : progress(o.epochs * pairs, { label: this.progressOptions.label ?? "gru4rec", write: this.progressOptions.write });
    let info = "";
    try {
      for (let epoch = 1; epoch <= o.epochs; epoch++) {
        const epochStart = Date.now();
        info = `epoch ${epoch}/${o.epochs}`;
        rng.shuffle(order);
        for (let s = 0; s < B; s++) {
          pos[s] = train.ptr[order[s]];
          end[s] = train.ptr[order[s] + 1];
        }
        let nextSession = B;
        h.fill(0);
        let lossSum = 0;
        let steps = 0;
        let used = 0;
        for (;;) {
          // --- the batch: inputs, distinct targets (columns), gathered rows
          if (!full) cols.length = 0;
          eRows.length = 0;
          for (let s = 0; s < B; s++) {
            const xi = train.items[pos[s]];
            const yi = train.items[pos[s] + 1];
            xe.set(w.E.subarray(xi * dIn, xi * dIn + dIn), s * dIn);
            if (eRowOf[xi] < 0) {
              eRowOf[xi] = eRows.length;
              eRows.push(xi);
            }
            eSlot[s] = eRowOf[xi];
            if (colOf[yi] < 0) {
              colOf[yi] = cols.length;
              cols.push(yi);
            }
            tcol[s] = colOf[yi];
          }
          for (let k = 0; k < extra; k++) {
            const i = draw();
            if (colOf[i] < 0) {
              colOf[i] = cols.length;
              cols.push(i);
            }
          }
          const C = cols.length;
          const target = new Float32Array(B * C);
          for (let s = 0; s < B; s++) target[s * C + tcol[s]] = 1;
          const Oc = new Float32Array(C * H);
          const bc = new Float32Array(C);
          for (let c = 0; c < C; c++) {
            const i = cols[c];
            Oc.set(w.O.subarray(i * H, i * H + H), c * H);
            bc[c] = w.bo[i];
          }
          let mask: Float32Array | null = null;
          if (o.dropout > 0) {
            mask = new Float32Array(B * H);
            for (let k = 0; k < mask.length; k++) mask[k] = rng.next() < o.dropout ? 0 : dropScale;
          }

          // --- forward and gradients in TensorFlow.js
          let kept: tfjs.Tensor2D | null = null;
          let lossValue = 0;
          let grads: Float32Array[] = [];
          try {
            tf.tidy(() => {
              const hT = tf.tensor2d(h, [B, H]);
              const targetT = tf.tensor2d(target, [B, C]);
              const maskT = mask ? tf.tensor2d(mask, [B, H]) : null;
              const f = (...a: tfjs.Tensor[]): tfjs.Scalar => {
                const [xeT, UzrT, UhT, bgT, OcT, bcT, WxT] = a as [tfjs.Tensor2D, tfjs.Tensor2D, tfjs.Tensor2D, tfjs.Tensor1D, tfjs.Tensor2D, tfjs.Tensor1D, tfjs.Tensor2D?];
                const hNew = gruCellTf(tf, xeT, hT, WxT ?? null, UzrT, UhT, bgT);
                kept = tf.keep(hNew);
                const out = maskT ? tf.mul(hNew, maskT) : hNew;
                const S = tf.add(tf.matMul(out, OcT, false, true), bcT) as tfjs.Tensor2D;
                return sessionLossTf(tf, S, targetT, o.loss, o.bpreg);
              };
              const inputs: tfjs.Tensor[] = [
                tf.tensor2d(xe, [B, dIn]),
                tf.tensor2d(w.Uzr, [H, 2 * H]),
                tf.tensor2d(w.Uh, [H, H]),
                tf.tensor1d(w.bg),
                tf.tensor2d(Oc, [C, H]),
                tf.tensor1d(bc),
              ];
              if (!oneHot) inputs.push(tf.tensor2d(w.Wx, [d, 3 * H]));
              const r = tf.valueAndGrads(f)(inputs);
              lossValue = r.value.dataSync()[0];
              grads = r.grads.map((g) => g.dataSync() as Float32Array);
            });
            h.set(kept!.dataSync() as Float32Array);
          } finally {
            (kept as tfjs.Tensor2D | null)?.dispose();
          }
          if (!Number.isFinite(lossValue)) throw new Error(`gru4rec: the loss became ${lossValue} in epoch ${epoch} (try a smaller learningRate)`);

          // --- updates: dense for the GRU, on the touched rows for the embeddings
          opt.next();
          const [gXe, gUzr, gUh, gbg, gOc, gbc, gWx] = grads;
          const gE = new Float32Array(eRows.length * dIn);
          for (let s = 0; s < B; s++) {
            const r = eSlot[s] * dIn;
            for (let k = 0; k < dIn; k++) gE[r + k] += gXe[s * dIn + k];
          }
          opt.rows(0, w.E, eRows, gE, dIn);
          if (!oneHot) opt.dense(1, w.Wx, gWx);
          opt.dense(2, w.Uzr, gUzr);
          opt.dense(3, w.Uh, gUh);
          opt.dense(4, w.bg, gbg);
          opt.rows(5, w.O, cols, gOc, H);
          opt.rows(6, w.bo, cols, gbc, 1);
          for (const i of eRows) eRowOf[i] = -1;
          if (!full) for (const i of cols) colOf[i] = -1;
          lossSum += lossValue;
          stepLoss.push(lossValue);
          steps++;
          used += B;
          bar?.tick(B, info);

          // --- advance; a finished slot takes the next session (state reset) or ends the epoch
          let finished = false;
          for (let s = 0; s < B; s++) {
            pos[s]++;
            if (pos[s] + 1 < end[s]) continue;
            if (nextSession >= order.length) {
              finished = true;
              break;
            }
            pos[s] = train.ptr[order[nextSession]];
            end[s] = train.ptr[order[nextSession] + 1];
            nextSession++;
            h.fill(0, s * H, s * H + H);
          }
          if (finished) break;
        }
        history.epoch.push(epoch);
        history.metrics.loss.push(lossSum / steps);
        history.seconds.push((Date.now() - epochStart) / 1000);
        trainedEvents.push(used);
        info = `epoch ${epoch}/${o.epochs} loss ${(lossSum / steps).toFixed(4)}`;
        // the epoch ended when a slot found no session left: count the events it did not reach
        // as done, so that the bar shows whole epochs (trainedEvents says how many were used)
        bar?.tick(Math.max(0, pairs - used), info);
      }
    } finally {
      bar?.done(info);
    }
    this.history = history;
    this.stepLoss = stepLoss;
    this.trainedEvents = trainedEvents;
    this.w = w;
    this.candidates = candidates;
    this.mark = new Uint8Array(N);
    this.cache = null;
    this.proj = new Map();
    this.seconds = (Date.now() - started) / 1000;
    return this;
  }

  private fitted(): GRU4RecWeights {
    if (!this.w) throw new Error("gru4rec: call fitSessions(train) before recommendNext");
    return this.w;
  }

  /** The trained weights (the model's own arrays: do not modify). */
  weights(): GRU4RecWeights {
    return this.fitted();
  }

  /** Items that can be recommended: those that were a training target at least once, ascending. */
  candidateItems(): Int32Array {
    this.fitted();
    return this.candidates;
  }

  /** The GRU state h_t after reading `prefix` from h₀ = 0 (length H; a fresh array). */
  hiddenState(prefix: ArrayLike<number>): Float64Array {
    const w = this.fitted();
    checkPrefix("gru4rec", prefix, w.nItems, 0);
    return this.state(w, prefix);
  }

  /** `hiddenState` for a checked prefix. */
  private state(w: GRU4RecWeights, prefix: ArrayLike<number>): Float64Array {
    const L = prefix.length;
    // continue from the cached state when the prefix extends the last one
    let start = 0;
    let h = new Float64Array(w.hidden);
    const c = this.cache;
    if (c && c.items.length <= L) {
      let same = true;
      for (let t = 0; t < c.items.length && same; t++) same = c.items[t] === prefix[t];
      if (same) {
        start = c.items.length;
        h = Float64Array.from(c.h);
      }
    }
    for (let t = start; t < L; t++) gruStep(w, this.projection(w, prefix[t]), h, h);
    const items = new Int32Array(L);
    for (let t = 0; t < L; t++) items[t] = prefix[t];
    this.cache = { items, h: Float64Array.from(h) };
    return h;
  }

  /** Scores h_t · o_i + c_i of every item (length nItems; candidates or not) after `prefix`. */
  scoreNext(prefix: ArrayLike<number>): Float64Array {
    const w = this.fitted();
    const h = this.hiddenState(prefix);
    const out = new Float64Array(w.nItems);
    for (let i = 0; i < w.nItems; i++) out[i] = this.score(w, h, i);
    return out;
  }

  private projection(w: GRU4RecWeights, item: number): Float64Array {
    let row = this.proj.get(item);
    if (!row) {
      row = inputProjection(w, item, new Float64Array(3 * w.hidden));
      this.proj.set(item, row);
    }
    return row;
  }

  private score(w: GRU4RecWeights, h: Float64Array, i: number): number {
    const H = w.hidden;
    const base = i * H;
    let s = w.bo[i];
    for (let k = 0; k < H; k++) s += h[k] * w.O[base + k];
    return s;
  }

  /**
   * The n best next items after `prefix` among the candidate items, leaving out the prefix's
   * items (unless `excludePrefix: false`) and `options.exclude`. O(prefix·H·(d + H) + items·H).
   */
  recommendNext(prefix: ArrayLike<number>, n: number, options: NextItemOptions = {}): Recommendation[] {
    const w = this.fitted();
    checkPrefix("gru4rec", prefix, w.nItems, n);
    const heap = new TopN(n);
    const h = this.state(w, prefix);
    const mark = (options.excludePrefix ?? true) ? prefixMask(prefix, this.mark) : null;
    const exclude = options.exclude;
    const cand = this.candidates;
    const H = w.hidden;
    const O = w.O;
    for (let c = 0; c < cand.length; c++) {
      const i = cand[c];
      if ((mark && mark[i]) || exclude?.has(i)) continue;
      let s = w.bo[i];
      const base = i * H;
      for (let k = 0; k < H; k++) s += h[k] * O[base + k];
      heap.push(i, s);
    }
    if (mark) for (let t = 0; t < prefix.length; t++) mark[prefix[t]] = 0;
    return heap.result();
  }

  /** Forgets the weights (no TensorFlow.js tensors are held after `fitSessions`). */
  dispose(): void {
    this.w = null;
    this.cache = null;
    this.proj = new Map();
    this.candidates = new Int32Array(0);
  }
}
