/**
 * SVD++ (Koren, "Factorization meets the neighborhood: a multifaceted collaborative filtering
 * model", KDD 2008, section 4, eq. 15): biased matrix factorisation whose user vector is completed
 * by implicit feedback — which items the user rated, whatever the rating.
 *
 * Model:  r̂_ui = μ + b_u + b_i + q_i · (p_u + z_u),   z_u = |N(u)|^(−½) Σ_{j∈N(u)} y_j
 * where N(u) = the items u rated in the train set and y_j is a second vector per item.
 * SGD step for a rating (u, i), e = r_ui − r̂_ui, all right-hand sides from the old values:
 *     b_u ← b_u + γ (e − λ b_u)                b_i ← b_i + γ (e − λ b_i)
 *     p_u ← p_u + γ (e q_i − λ p_u)            q_i ← q_i + γ (e (p_u + z_u) − λ q_i)
 *     y_j ← y_j + γ (e |N(u)|^(−½) q_i − λ y_j)   for every j ∈ N(u)
 * Defaults follow Surprise's `SVDpp`: 20 factors, 20 epochs, γ = 0.007, λ = 0.02, factors
 * (p, q, y) drawn from N(0, 0.1), biases 0, μ = global mean; γ/λ settable per parameter.
 * Unknown users/items fall back as in `factor-model.ts` (μ + b_i, μ + b_u, μ).
 *
 * Cost. Done literally, every rating costs O(|N(u)| k) (recompute z_u, update every y_j), i.e.
 * O(Σ_u |N(u)|² k) per epoch — what Surprise does. Here the ratings are visited grouped by user
 * (users in a fresh random order each epoch, each user's ratings shuffled too), z_u is computed
 * once per user visit and the y_j updates are handled in one of two ways (`yUpdate`):
 *
 * - "per-rating" (default): exactly the per-rating rule above, made cheap. Within one user's visit
 *   every y_j (j ∈ N(u)) receives the same affine update y_j ← c y_j + g_t (c = 1 − γλ,
 *   g_t = γ e_t |N(u)|^(−½) q_i), so the composition over the visit is y_j ← c^m y_j + G with one
 *   shared vector G, applied once at the end; and z_u follows the same rule exactly:
 *   z_u ← c z_u + γ e_t q_i (because |N(u)| · |N(u)|^(−½) · |N(u)|^(−½) = 1). Same numbers as
 *   Surprise's loop (up to rounding) for the same visiting order, at O(ratings × k) per epoch.
 * - "per-user": the usual "efficient SVD++" shortcut. z_u is frozen during the visit, the
 *   gradient Σ_t e_t |N(u)|^(−½) q_i is summed over the user's ratings and applied once,
 *   y_j ← y_j + γ (Σ_t e_t |N(u)|^(−½) q_i − λ y_j): the same data term, but the λ shrinkage of
 *   y_j is applied once per visit instead of once per rating, and later ratings of the visit do
 *   not see the earlier ratings' y updates.
 * Both cost O(ratings × k) per epoch.
 */
import type { RatingDataset } from "../data/dataset";
import { Rng } from "../random";
import { FactorModel, checkInt, checkNonNegative, checkTrain } from "./factor-model";
import { shuffleInPlace, shuffleRange } from "./shuffle";
import { dropUndefined, type SgdFactorOptions } from "./svd";

/** SVD++ options; defaults in `SVDPP_DEFAULTS` (Surprise's: 20 factors, 20 epochs, γ 0.007, λ 0.02, N(0, 0.1)). */
export interface SVDppOptions extends SgdFactorOptions {
  lrYj?: number;
  regYj?: number;
  /** How the implicit vectors y_j are updated (see the module comment; default "per-rating"). */
  yUpdate?: "per-rating" | "per-user";
  /** New random order of users (and of each user's ratings) every epoch (default true); false = by inner id. */
  shuffle?: boolean;
}

export const SVDPP_DEFAULTS = {
  nFactors: 20,
  nEpochs: 20,
  initMean: 0,
  initStdDev: 0.1,
  lrAll: 0.007,
  regAll: 0.02,
  yUpdate: "per-rating",
  seed: 0,
  shuffle: true,
} as const;

export interface SVDppRates {
  lrBu: number;
  lrBi: number;
  lrPu: number;
  lrQi: number;
  lrYj: number;
  regBu: number;
  regBi: number;
  regPu: number;
  regQi: number;
  regYj: number;
}

export class SVDpp extends FactorModel {
  readonly id = "svdpp";
  protected readonly usesBiases = true;
  readonly options: Readonly<{
    nFactors: number;
    nEpochs: number;
    initMean: number;
    initStdDev: number;
    lrAll: number;
    regAll: number;
    yUpdate: "per-rating" | "per-user";
    seed: number;
    shuffle: boolean;
  }> &
    Readonly<SVDppRates>;
  /** Running RMSE of each epoch (squared errors met during the epoch, each before its update). */
  epochRmse: number[] = [];
  private explicitP: Float64Array = new Float64Array(0);
  private implicitY: Float64Array = new Float64Array(0);

  constructor(options: SVDppOptions = {}) {
    super();
    const o = { ...SVDPP_DEFAULTS, ...dropUndefined(options) };
    checkInt("SVD++", "nFactors", o.nFactors, 1);
    checkInt("SVD++", "nEpochs", o.nEpochs, 0);
    checkNonNegative("SVD++", "initStdDev", o.initStdDev);
    checkNonNegative("SVD++", "lrAll", o.lrAll);
    checkNonNegative("SVD++", "regAll", o.regAll);
    if (!Number.isFinite(o.initMean)) throw new Error(`SVD++: initMean must be a finite number, got ${o.initMean}`);
    if (!Number.isFinite(o.seed)) throw new Error(`SVD++: seed must be a finite number, got ${o.seed}`);
    if (o.yUpdate !== "per-rating" && o.yUpdate !== "per-user") {
      throw new Error(`SVD++: yUpdate must be "per-rating" or "per-user", got ${JSON.stringify(o.yUpdate)}`);
    }
    const rates: SVDppRates = {
      lrBu: o.lrBu ?? o.lrAll,
      lrBi: o.lrBi ?? o.lrAll,
      lrPu: o.lrPu ?? o.lrAll,
      lrQi: o.lrQi ?? o.lrAll,
      lrYj: o.lrYj ?? o.lrAll,
      regBu: o.regBu ?? o.regAll,
      regBi: o.regBi ?? o.regAll,
      regPu: o.regPu ?? o.regAll,
      regQi: o.regQi ?? o.regAll,
      regYj: o.regYj ?? o.regAll,
    };
    for (const [key, v] of Object.entries(rates)) checkNonNegative("SVD++", key, v);
    this.options = {
      nFactors: o.nFactors,
      nEpochs: o.nEpochs,
      initMean: o.initMean,
      initStdDev: o.initStdDev,
      lrAll: o.lrAll,
      regAll: o.regAll,
      yUpdate: o.yUpdate,
      seed: o.seed,
      shuffle: o.shuffle,
      ...rates,
    };
  }

  fit(train: RatingDataset): this {
    const o = this.options;
    checkTrain(this.id, train);
    const k = o.nFactors;
    const nU = train.nUsers;
    const nI = train.nItems;
    const rng = new Rng(o.seed);
    // initialisation order: P, then Q, then Y, each row-major
    const P = new Float64Array(nU * k);
    const Q = new Float64Array(nI * k);
    const Y = new Float64Array(nI * k);
    for (const M of [P, Q, Y]) for (let x = 0; x < M.length; x++) M[x] = rng.normal(o.initMean, o.initStdDev);
    const bu = new Float64Array(nU);
    const bi = new Float64Array(nI);
    const mu = train.globalMean;

    // users with ratings, and the CSR positions of their ratings (re-shuffled within each user)
    const active: number[] = [];
    for (let u = 0; u < nU; u++) if (train.userPtr[u + 1] > train.userPtr[u]) active.push(u);
    const userOrder = Int32Array.from(active);
    const pos = Int32Array.from({ length: train.nRatings }, (_, p) => p);
    const work = new Float64Array(2 * k);

    this.epochRmse = [];
    for (let epoch = 0; epoch < o.nEpochs; epoch++) {
      if (o.shuffle) {
        shuffleInPlace(rng, userOrder);
        for (let u = 0; u < nU; u++) shuffleRange(rng, pos, train.userPtr[u], train.userPtr[u + 1]);
      }
      const sse = svdppEpoch(train, userOrder, pos, P, Q, Y, bu, bi, mu, k, o, o.yUpdate === "per-rating", work);
      this.epochRmse.push(Math.sqrt(sse / train.nRatings));
    }

    // effective user vectors p_u + |N(u)|^(−½) Σ_{j∈N(u)} y_j, so prediction is a plain dot product
    const Peff = Float64Array.from(P);
    for (let u = 0; u < nU; u++) {
      const start = train.userPtr[u];
      const end = train.userPtr[u + 1];
      if (end === start) continue;
      const s = 1 / Math.sqrt(end - start);
      for (let p = start; p < end; p++) {
        const y = train.userItems[p] * k;
        for (let f = 0; f < k; f++) Peff[u * k + f] += s * Y[y + f];
      }
    }
    this.explicitP = P;
    this.implicitY = Y;
    this.setParameters(train, { mu, bu, bi, userFactors: Peff, itemFactors: Q, k });
    return this;
  }

  /** The explicit user vectors p_u and the implicit item vectors y_j (views, nUsers × k and nItems × k). */
  implicitParameters(): { explicitUserFactors: Float64Array; implicitItemFactors: Float64Array } {
    this.fitted();
    return { explicitUserFactors: this.explicitP, implicitItemFactors: this.implicitY };
  }
}

/**
 * One epoch of SVD++: users in `userOrder`, each user's ratings at the CSR positions
 * pos[userPtr[u] … userPtr[u+1]). Updates P, Q, Y, bu, bi in place; returns the sum of squared
 * errors. `work` is scratch space of 2k numbers.
 */
export function svdppEpoch(
  train: RatingDataset,
  userOrder: Int32Array,
  pos: Int32Array,
  P: Float64Array,
  Q: Float64Array,
  Y: Float64Array,
  bu: Float64Array,
  bi: Float64Array,
  mu: number,
  k: number,
  r: SVDppRates,
  perRating: boolean,
  work: Float64Array,
): number {
  const ptr = train.userPtr;
  const userItems = train.userItems;
  const userRatings = train.userRatings;
  const keepP = 1 - r.lrPu * r.regPu;
  const keepQ = 1 - r.lrQi * r.regQi;
  const keepY = 1 - r.lrYj * r.regYj;
  const lrYj = r.lrYj;
  const z = work.subarray(0, k); // z_u = |N(u)|^(−½) Σ y_j
  const acc = work.subarray(k, 2 * k); // per-rating: the shared shift G; per-user: the summed gradient
  let sse = 0;
  for (let t = 0; t < userOrder.length; t++) {
    const u = userOrder[t];
    const start = ptr[u];
    const end = ptr[u + 1];
    const s = 1 / Math.sqrt(end - start);
    z.fill(0);
    acc.fill(0);
    for (let p = start; p < end; p++) {
      const y = userItems[p] * k;
      for (let f = 0; f < k; f++) z[f] += Y[y + f];
    }
    for (let f = 0; f < k; f++) z[f] *= s;
    let scale = 1; // per-rating: the product of the (1 − γλ) factors met so far
    const a = u * k;
    for (let p = start; p < end; p++) {
      const q = pos[p];
      const i = userItems[q];
      const b = i * k;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += Q[b + f] * (P[a + f] + z[f]);
      const err = userRatings[q] - (mu + bu[u] + bi[i] + dot);
      sse += err * err;
      bu[u] += r.lrBu * (err - r.regBu * bu[u]);
      bi[i] += r.lrBi * (err - r.regBi * bi[i]);
      const gp = r.lrPu * err;
      const gq = r.lrQi * err;
      const gy = lrYj * err;
      for (let f = 0; f < k; f++) {
        const pf = P[a + f];
        const qf = Q[b + f];
        const zf = z[f];
        P[a + f] = keepP * pf + gp * qf;
        Q[b + f] = keepQ * qf + gq * (pf + zf);
        if (perRating) {
          acc[f] = keepY * acc[f] + gy * s * qf;
          z[f] = keepY * zf + gy * qf;
        } else {
          acc[f] += err * s * qf;
        }
      }
      if (perRating) scale *= keepY;
    }
    for (let p = start; p < end; p++) {
      const y = userItems[p] * k;
      if (perRating) {
        for (let f = 0; f < k; f++) Y[y + f] = scale * Y[y + f] + acc[f];
      } else {
        for (let f = 0; f < k; f++) Y[y + f] += lrYj * (acc[f] - r.regYj * Y[y + f]);
      }
    }
  }
  return sse;
}
