/**
 * Alternating least squares for explicit ratings with weighted-λ regularisation (ALS-WR: Zhou,
 * Wilkinson, Schreiber & Pan, "Large-scale parallel collaborative filtering for the Netflix
 * Prize", AAIM 2008), here with user and item biases by default (the bias is one more coordinate
 * of each vector, as in Koren, Bell & Volinsky 2009, eq. 5).
 *
 * Model:      r̂_ui = μ + b_u + b_i + p_u · q_i            (biased = false: r̂_ui = p_u · q_i)
 * Objective:  Σ_{(u,i)∈R} (r_ui − r̂_ui)² + λ ( Σ_u n_u (b_u² + ‖p_u‖²) + Σ_i n_i (b_i² + ‖q_i‖²) )
 * with n_u, n_i the numbers of ratings of u and i (`weighted: false` drops them: plain λ).
 *
 * With the items fixed the objective splits into one ridge regression per user, solved in closed
 * form: with x_i = (1, q_i) and target t_ui = r_ui − μ − b_i,
 *     (b_u, p_u) = (Σ_{i∈I(u)} x_i x_iᵀ + λ n_u I)⁻¹ Σ_{i∈I(u)} t_ui x_i
 * and symmetrically for the items with the users fixed. Each half-step minimises the objective
 * exactly over one block, so the objective never increases (`objective` records it after every
 * iteration). Each (k+1)×(k+1) system is solved by Cholesky (`linalg.ts`): an iteration costs
 * O(ratings × k² + (users + items) × k³).
 *
 * Defaults (chosen on MovieLens 100K, 5-fold CV; see the lib/mf report): 20 factors, 10
 * iterations, λ = 0.1 weighted, item vectors drawn from N(0, 0.1), biases 0, μ = global mean.
 * Unknown users/items fall back as in `factor-model.ts`.
 */
import type { RatingDataset } from "../data/dataset";
import { Rng } from "../random";
import { FactorModel, checkInt, checkNonNegative, checkTrain } from "./factor-model";
import { choleskySolve } from "./linalg";
import { dropUndefined } from "./svd";

export interface ALSOptions {
  /** Number of latent factors k (default 20). */
  nFactors?: number;
  /** Number of alternations (users then items) (default 10). */
  nIterations?: number;
  /** Regularisation λ (default 0.1). */
  reg?: number;
  /** Multiply λ by each user's / item's number of ratings (ALS-WR) (default true). */
  weighted?: boolean;
  /** Learn μ + b_u + b_i as well (default true). */
  biased?: boolean;
  /** Standard deviation of the normal distribution the initial item vectors are drawn from (default 0.1). */
  initStdDev?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
}

export const ALS_DEFAULTS = {
  nFactors: 20,
  nIterations: 10,
  reg: 0.1,
  weighted: true,
  biased: true,
  initStdDev: 0.1,
  seed: 0,
} as const;

export class ALS extends FactorModel {
  readonly id = "als";
  readonly options: Readonly<Required<ALSOptions>>;
  protected readonly usesBiases: boolean;
  /** The training objective after each iteration. */
  objective: number[] = [];

  constructor(options: ALSOptions = {}) {
    super();
    const o = { ...ALS_DEFAULTS, ...dropUndefined(options) };
    checkInt("ALS", "nFactors", o.nFactors, 1);
    checkInt("ALS", "nIterations", o.nIterations, 0);
    checkNonNegative("ALS", "reg", o.reg);
    checkNonNegative("ALS", "initStdDev", o.initStdDev);
    if (!Number.isFinite(o.seed)) throw new Error(`ALS: seed must be a finite number, got ${o.seed}`);
    this.options = o;
    this.usesBiases = o.biased;
  }

  fit(train: RatingDataset): this {
    const o = this.options;
    checkTrain(this.id, train);
    const k = o.nFactors;
    const rng = new Rng(o.seed);
    const P = new Float64Array(train.nUsers * k);
    const Q = new Float64Array(train.nItems * k);
    for (let x = 0; x < Q.length; x++) Q[x] = rng.normal(0, o.initStdDev);
    const bu = new Float64Array(train.nUsers);
    const bi = new Float64Array(train.nItems);
    const mu = o.biased ? train.globalMean : 0;
    const K = o.biased ? k + 1 : k;
    const scratch = { A: new Float64Array(K * K), rhs: new Float64Array(K), x: new Float64Array(K) };
    this.objective = [];
    for (let it = 0; it < o.nIterations; it++) {
      // users given items, then items given users
      alsHalfStep(train.userPtr, train.userItems, train.userRatings, P, bu, Q, bi, mu, k, o, scratch);
      alsHalfStep(train.itemPtr, train.itemUsers, train.itemRatings, Q, bi, P, bu, mu, k, o, scratch);
      this.objective.push(alsObjective(train, P, Q, bu, bi, mu, k, o.reg, o.weighted));
    }
    this.setParameters(train, { mu: train.globalMean, bu, bi, userFactors: P, itemFactors: Q, k });
    return this;
  }
}

/**
 * Solves every row of one side (users or items, given as CSR: `ptr`, the other side's ids `idx`
 * and the ratings `vals`) for its vector (and bias) with the other side fixed.
 */
function alsHalfStep(
  ptr: Int32Array,
  idx: Int32Array,
  vals: Float32Array,
  own: Float64Array,
  ownBias: Float64Array,
  other: Float64Array,
  otherBias: Float64Array,
  mu: number,
  k: number,
  o: Required<ALSOptions>,
  scratch: { A: Float64Array; rhs: Float64Array; x: Float64Array },
): void {
  const { A, rhs, x } = scratch;
  const biased = o.biased;
  const K = biased ? k + 1 : k;
  const off = biased ? 1 : 0;
  if (biased) x[0] = 1;
  const nRows = ptr.length - 1;
  for (let row = 0; row < nRows; row++) {
    const start = ptr[row];
    const end = ptr[row + 1];
    if (end === start) continue;
    A.fill(0);
    rhs.fill(0);
    for (let p = start; p < end; p++) {
      const j = idx[p];
      const v = j * k;
      for (let f = 0; f < k; f++) x[off + f] = other[v + f];
      const t = biased ? vals[p] - mu - otherBias[j] : vals[p];
      // lower triangle of Σ x xᵀ, and Σ t x
      for (let g = 0; g < K; g++) {
        const xg = x[g];
        const rg = g * K;
        for (let h = 0; h <= g; h++) A[rg + h] += xg * x[h];
        rhs[g] += t * xg;
      }
    }
    const lambda = o.weighted ? o.reg * (end - start) : o.reg;
    for (let g = 0; g < K; g++) A[g * K + g] += lambda;
    if (!choleskySolve(A, rhs, K)) {
      throw new Error(
        `ALS: the normal equations of row ${row} are singular (${end - start} ratings, ${K} unknowns); use reg > 0`,
      );
    }
    if (biased) ownBias[row] = rhs[0];
    const w = row * k;
    for (let f = 0; f < k; f++) own[w + f] = rhs[off + f];
  }
}

/** The ALS objective (see the module comment) of the given parameters on a train set. */
export function alsObjective(
  train: RatingDataset,
  P: Float64Array,
  Q: Float64Array,
  bu: Float64Array,
  bi: Float64Array,
  mu: number,
  k: number,
  reg: number,
  weighted: boolean,
): number {
  let loss = 0;
  for (let x = 0; x < train.nRatings; x++) {
    const u = train.users[x];
    const i = train.items[x];
    let dot = 0;
    for (let f = 0; f < k; f++) dot += P[u * k + f] * Q[i * k + f];
    const e = train.ratings[x] - (mu + bu[u] + bi[i] + dot);
    loss += e * e;
  }
  let penalty = 0;
  const side = (V: Float64Array, b: Float64Array, ptr: Int32Array): void => {
    for (let r = 0; r + 1 < ptr.length; r++) {
      const n = ptr[r + 1] - ptr[r];
      if (n === 0) continue;
      let s = b[r] * b[r];
      for (let f = 0; f < k; f++) s += V[r * k + f] * V[r * k + f];
      penalty += (weighted ? n : 1) * s;
    }
  };
  side(P, bu, train.userPtr);
  side(Q, bi, train.itemPtr);
  return loss + reg * penalty;
}
