/**
 * KNNBaseline (`knn-baseline`): neighbourhood average of baseline residuals.
 *
 *   user-based:  r̂_ui = b_ui + Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − b_vi) / Σ_{v ∈ N^k_i(u)} sim(u, v)
 *   item-based:  r̂_ui = b_ui + Σ_{j ∈ N^k_u(i)} sim(i, j) · (r_uj − b_uj) / Σ_{j ∈ N^k_u(i)} sim(i, j)
 *
 * b_ui = μ + b_u + b_i, fitted by lib/baseline/baselines.ts (option `baseline`, default ALS with
 * Surprise's settings); the same fit feeds the pearson_baseline similarity when sim is
 * "pearson_baseline" (recommended by Surprise; its default stays "msd"). Fewer than minK
 * neighbours → b_ui; an unknown user (item) → μ + b_i (μ + b_u); both flagged impossible.
 * (Koren, "Factor in the neighbors", ACM TKDD 2010, eq. 3; Surprise's `KNNBaseline`,
 * https://surprise.readthedocs.io/en/stable/knn_inspired.html.) Shared rules: base.ts.
 */
import type { Baselines } from "../baseline/baselines";
import type { Prediction } from "../model/recommender";
import { KNNBase, type KNNOptions } from "./base";

export class KNNBaseline extends KNNBase {
  readonly id = "knn-baseline";

  constructor(options: KNNOptions = {}) {
    super(options, "knn-baseline");
  }

  protected override needsBaselines(): boolean {
    return true;
  }

  protected afterFit(): void {}

  /** The fitted baselines (throws before fit). */
  get baselines(): Baselines {
    if (this.fittedBaselines === null) throw new Error("knn-baseline: not fitted yet (call fit first)");
    return this.fittedBaselines;
  }

  protected override unknown(user: number, item: number, knowsUser: boolean): Prediction {
    const b = this.baselines;
    const knowsItem = this.train.itemCounts[item] > 0;
    const value = b.mu + (knowsUser ? b.bu[user] : 0) + (knowsItem ? b.bi[item] : 0);
    return { value, impossible: true, details: `${knowsUser ? "item" : "user"} has no train ratings: partial baseline` };
  }

  protected term(nb: number, user: number, item: number, r: number): number {
    const b = this.baselines;
    // the neighbour's own baseline: b_vi (user-based) or b_uj (item-based)
    return this.options.userBased ? r - (b.mu + b.bu[nb] + b.bi[item]) : r - (b.mu + b.bu[user] + b.bi[nb]);
  }

  protected finish(user: number, item: number, _x: number, count: number, sumSim: number, sumTerm: number): Prediction {
    const b = this.baselines;
    const bui = b.mu + b.bu[user] + b.bi[item];
    if (this.tooFew(count)) return { value: bui, impossible: true, details: this.tooFewDetails(count, "baseline") };
    return { value: bui + sumTerm / sumSim, impossible: false, details: `actual_k = ${count}` };
  }
}
