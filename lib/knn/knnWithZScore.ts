/**
 * KNNWithZScore (`knn-zscore`): neighbourhood average of z-scored ratings.
 *
 *   user-based:  r̂_ui = μ_u + σ_u · Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − μ_v) / σ_v
 *                                  / Σ_{v ∈ N^k_i(u)} sim(u, v)
 *   item-based:  the same with items (μ_i, σ_i, neighbours j ∈ N^k_u(i) with ratings r_uj).
 *
 * μ, σ: mean and POPULATION standard deviation of the entity's train ratings; a σ of 0 is replaced
 * by the population standard deviation of all train ratings. Fewer than minK neighbours → μ_u (μ_i),
 * flagged impossible.
 * (Surprise's `KNNWithZScore`, https://surprise.readthedocs.io/en/stable/knn_inspired.html;
 * Herlocker et al., "An algorithmic framework for performing collaborative filtering", SIGIR 1999.)
 * Shared rules: base.ts.
 */
import type { RatingDataset } from "../data/dataset";
import type { Prediction } from "../model/recommender";
import { KNNBase, type KNNOptions, rowStats } from "./base";

export class KNNWithZScore extends KNNBase {
  readonly id = "knn-zscore";
  protected means: Float64Array = new Float64Array(0);
  protected sigmas: Float64Array = new Float64Array(0);

  constructor(options: KNNOptions = {}) {
    super(options, "knn-zscore");
  }

  protected afterFit(train: RatingDataset): void {
    const { means, sigmas } = rowStats(train, this.options.userBased);
    let ss = 0;
    const mu = train.globalMean;
    for (let k = 0; k < train.nRatings; k++) ss += (train.ratings[k] - mu) * (train.ratings[k] - mu);
    const overall = Math.sqrt(ss / train.nRatings);
    for (let x = 0; x < sigmas.length; x++) if (sigmas[x] === 0) sigmas[x] = overall;
    this.means = means;
    this.sigmas = sigmas;
  }

  protected term(nb: number, _user: number, _item: number, r: number): number {
    return (r - this.means[nb]) / this.sigmas[nb];
  }

  protected finish(_user: number, _item: number, x: number, count: number, sumSim: number, sumTerm: number): Prediction {
    const mean = this.means[x];
    if (this.tooFew(count)) {
      return { value: mean, impossible: true, details: this.tooFewDetails(count, `mean of the ${this.options.userBased ? "user" : "item"}`) };
    }
    return { value: mean + (sumTerm / sumSim) * this.sigmas[x], impossible: false, details: `actual_k = ${count}` };
  }
}
