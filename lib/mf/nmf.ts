/**
 * Non-negative matrix factorisation for ratings with missing entries, by the regularised
 * multiplicative updates of Luo, Zhou, Xia & Zhu, "An efficient non-negative matrix-
 * factorization-based approach to collaborative filtering for recommender systems", IEEE Trans.
 * Industrial Informatics 10(2), 2014 (the unregularised form is Zhang, Wang, Ford & Makedon,
 * SDM 2006; both descend from Lee & Seung's NMF, NIPS 2000) — as implemented by Surprise's `NMF`.
 *
 * Model:  r̂_ui = q_i · p_u  with p_u, q_i ≥ 0        (biased = true: μ + b_u + b_i + q_i · p_u)
 * One epoch: with every r̂_ui computed from the current factors,
 *     p_uf ← p_uf · Σ_{i∈I(u)} q_if r_ui / ( Σ_{i∈I(u)} q_if r̂_ui + λ_u |I(u)| p_uf )
 *     q_if ← q_if · Σ_{u∈U(i)} p_uf r_ui / ( Σ_{u∈U(i)} p_uf r̂_ui + λ_i |U(i)| q_if )
 * (users first, then items, both from sums taken in one pass over the ratings with the old
 * factors). A multiplicative update keeps a non-negative factor non-negative as long as the
 * ratings are ≥ 0 — so negative ratings are rejected. Biases, when used, are learned by SGD during
 * the same pass, as in `SVD`.
 * Defaults follow Surprise: 15 factors, 50 epochs, λ_u = λ_i = 0.06, unbiased, factors uniform in
 * [0, 1), and for the biased form γ_b = 0.005, λ_b = 0.02.
 * Unknown users/items: unbiased → the global mean (Surprise's PredictionImpossible default),
 * biased → μ + b_u / μ + b_i (see `factor-model.ts`).
 *
 * Guard (not in Surprise): a factor whose denominator is 0 (all its sums vanished) is left as it is
 * rather than set to NaN, and in the biased form a ratio that turns negative (r̂ < 0 can happen
 * with negative biases) clamps the factor to 0 so that factors stay non-negative.
 */
import type { RatingDataset } from "../data/dataset";
import { Rng } from "../random";
import { FactorModel, checkInt, checkNonNegative, checkTrain } from "./factor-model";
import { dropUndefined } from "./svd";

export interface NMFOptions {
  /** Number of latent factors k (default 15). */
  nFactors?: number;
  /** Number of epochs (default 50). */
  nEpochs?: number;
  /** Learn μ + b_u + b_i as well (default false). */
  biased?: boolean;
  /** λ_u (default 0.06). */
  regPu?: number;
  /** λ_i (default 0.06). */
  regQi?: number;
  /** Regularisation of b_u in the biased form (default 0.02). */
  regBu?: number;
  /** Regularisation of b_i in the biased form (default 0.02). */
  regBi?: number;
  /** Learning rate of b_u in the biased form (default 0.005). */
  lrBu?: number;
  /** Learning rate of b_i in the biased form (default 0.005). */
  lrBi?: number;
  /** Factors start uniform in [initLow, initHigh) (defaults 0 and 1); initLow must be ≥ 0. */
  initLow?: number;
  initHigh?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
}

export const NMF_DEFAULTS = {
  nFactors: 15,
  nEpochs: 50,
  biased: false,
  regPu: 0.06,
  regQi: 0.06,
  regBu: 0.02,
  regBi: 0.02,
  lrBu: 0.005,
  lrBi: 0.005,
  initLow: 0,
  initHigh: 1,
  seed: 0,
} as const;

export class NMF extends FactorModel {
  readonly id = "nmf";
  readonly options: Readonly<Required<NMFOptions>>;
  protected readonly usesBiases: boolean;
  /** RMSE of the estimates r̂_ui used in each epoch (from the factors at the start of the epoch). */
  epochRmse: number[] = [];

  constructor(options: NMFOptions = {}) {
    super();
    const o = { ...NMF_DEFAULTS, ...dropUndefined(options) };
    checkInt("NMF", "nFactors", o.nFactors, 1);
    checkInt("NMF", "nEpochs", o.nEpochs, 0);
    for (const key of ["regPu", "regQi", "regBu", "regBi", "lrBu", "lrBi", "initLow"] as const) {
      checkNonNegative("NMF", key, o[key]);
    }
    if (!(Number.isFinite(o.initHigh) && o.initHigh >= o.initLow)) {
      throw new Error(`NMF: initHigh must be a finite number ≥ initLow (${o.initLow}), got ${o.initHigh}`);
    }
    if (!Number.isFinite(o.seed)) throw new Error(`NMF: seed must be a finite number, got ${o.seed}`);
    this.options = o;
    this.usesBiases = o.biased;
  }

  fit(train: RatingDataset): this {
    const o = this.options;
    checkTrain(this.id, train);
    if (train.ratingScale[0] < 0) {
      throw new Error(
        `NMF: ratings must be non-negative, but ${train.name} has the scale [${train.ratingScale.join(", ")}] (shift the ratings first)`,
      );
    }
    const k = o.nFactors;
    const nU = train.nUsers;
    const nI = train.nItems;
    const rng = new Rng(o.seed);
    const P = new Float64Array(nU * k);
    const Q = new Float64Array(nI * k);
    for (let x = 0; x < P.length; x++) P[x] = rng.uniform(o.initLow, o.initHigh);
    for (let x = 0; x < Q.length; x++) Q[x] = rng.uniform(o.initLow, o.initHigh);
    const bu = new Float64Array(nU);
    const bi = new Float64Array(nI);
    const mu = o.biased ? train.globalMean : 0;
    const userNum = new Float64Array(nU * k);
    const userDen = new Float64Array(nU * k);
    const itemNum = new Float64Array(nI * k);
    const itemDen = new Float64Array(nI * k);
    const { users, items, ratings } = train;
    // Surprise walks the ratings grouped by user; the order only matters for the biased form's SGD.
    const order = train.userEntry;
    this.epochRmse = [];
    for (let epoch = 0; epoch < o.nEpochs; epoch++) {
      userNum.fill(0);
      userDen.fill(0);
      itemNum.fill(0);
      itemDen.fill(0);
      let sse = 0;
      for (let t = 0; t < order.length; t++) {
        const x = order[t];
        const u = users[x];
        const i = items[x];
        const r = ratings[x];
        const a = u * k;
        const b = i * k;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += P[a + f] * Q[b + f];
        const est = mu + bu[u] + bi[i] + dot;
        const err = r - est;
        sse += err * err;
        if (o.biased) {
          bu[u] += o.lrBu * (err - o.regBu * bu[u]);
          bi[i] += o.lrBi * (err - o.regBi * bi[i]);
        }
        for (let f = 0; f < k; f++) {
          userNum[a + f] += Q[b + f] * r;
          userDen[a + f] += Q[b + f] * est;
          itemNum[b + f] += P[a + f] * r;
          itemDen[b + f] += P[a + f] * est;
        }
      }
      this.epochRmse.push(Math.sqrt(sse / train.nRatings));
      multiplicativeUpdate(P, userNum, userDen, train.userPtr, o.regPu, k);
      multiplicativeUpdate(Q, itemNum, itemDen, train.itemPtr, o.regQi, k);
    }
    this.setParameters(train, { mu: train.globalMean, bu, bi, userFactors: P, itemFactors: Q, k });
    return this;
  }
}

/** V_rf ← V_rf · num_rf / (den_rf + λ n_r V_rf) for every row r with ratings (n_r = its count). */
function multiplicativeUpdate(
  V: Float64Array,
  num: Float64Array,
  den: Float64Array,
  ptr: Int32Array,
  reg: number,
  k: number,
): void {
  for (let r = 0; r + 1 < ptr.length; r++) {
    const n = ptr[r + 1] - ptr[r];
    if (n === 0) continue;
    for (let f = r * k, end = f + k; f < end; f++) {
      const d = den[f] + n * reg * V[f];
      if (d === 0) continue;
      const v = (V[f] * num[f]) / d;
      V[f] = v > 0 ? v : 0;
    }
  }
}
