/**
 * KNNWithMeans (`knn-means`): neighbourhood average of mean-centred ratings.
 *
 *   user-based:  r̂_ui = μ_u + Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − μ_v) / Σ_{v ∈ N^k_i(u)} sim(u, v)
 *   item-based:  r̂_ui = μ_i + Σ_{j ∈ N^k_u(i)} sim(i, j) · (r_uj − μ_j) / Σ_{j ∈ N^k_u(i)} sim(i, j)
 *
 * μ_u (μ_i): mean train rating of the user (item). Fewer than minK neighbours → μ_u (μ_i), flagged
 * impossible (Surprise returns the same value without the flag).
 * (Surprise's `KNNWithMeans`, https://surprise.readthedocs.io/en/stable/knn_inspired.html; Resnick
 * et al., "GroupLens", CSCW 1994.) Shared rules: base.ts.
 */
import type { RatingDataset } from "../data/dataset";
import type { Prediction } from "../model/recommender";
import { KNNBase, type KNNOptions, rowStats } from "./base";

export class KNNWithMeans extends KNNBase {
  readonly id = "knn-means";
  /** Mean train rating of each x-side entity (users when user-based). */
  protected means: Float64Array = new Float64Array(0);

  constructor(options: KNNOptions = {}) {
    super(options, "knn-means");
  }

  protected afterFit(train: RatingDataset): void {
    this.means = rowStats(train, this.options.userBased).means;
  }

  protected term(nb: number, _user: number, _item: number, r: number): number {
    return r - this.means[nb];
  }

  protected finish(_user: number, _item: number, x: number, count: number, sumSim: number, sumTerm: number): Prediction {
    const mean = this.means[x];
    if (this.tooFew(count)) {
      return { value: mean, impossible: true, details: this.tooFewDetails(count, `mean of the ${this.options.userBased ? "user" : "item"}`) };
    }
    return { value: mean + sumTerm / sumSim, impossible: false, details: `actual_k = ${count}` };
  }
}
