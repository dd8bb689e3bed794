/**
 * KNNBasic (`knn-basic`): the plain neighbourhood average.
 *
 *   user-based:  r̂_ui = Σ_{v ∈ N^k_i(u)} sim(u, v) · r_vi / Σ_{v ∈ N^k_i(u)} sim(u, v)
 *   item-based:  r̂_ui = Σ_{j ∈ N^k_u(i)} sim(i, j) · r_uj / Σ_{j ∈ N^k_u(i)} sim(i, j)
 *
 * N^k_i(u): the k users most similar to u (positive similarity only) among those who rated i.
 * Fewer than minK neighbours → the global mean μ, flagged impossible.
 * (Surprise's `KNNBasic`, https://surprise.readthedocs.io/en/stable/knn_inspired.html; Resnick et
 * al., "GroupLens", CSCW 1994; Herlocker et al., SIGIR 1999.) Shared rules: base.ts.
 */
import type { Prediction } from "../model/recommender";
import { KNNBase, type KNNOptions } from "./base";

export class KNNBasic extends KNNBase {
  readonly id = "knn-basic";

  constructor(options: KNNOptions = {}) {
    super(options, "knn-basic");
  }

  protected afterFit(): void {}

  protected term(_nb: number, _user: number, _item: number, r: number): number {
    return r;
  }

  protected finish(_user: number, _item: number, _x: number, count: number, sumSim: number, sumTerm: number): Prediction {
    if (this.tooFew(count)) return { value: this.train.globalMean, impossible: true, details: this.tooFewDetails(count, "global mean") };
    return { value: sumTerm / sumSim, impossible: false, details: `actual_k = ${count}` };
  }
}
