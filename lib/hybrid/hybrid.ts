/**
 * Hybrid recommenders (`hybrid`): several fitted models combined into one, in one of three ways
 * (Burke, "Hybrid recommender systems: survey and experiments", UMUAI 12(4), 2002, calls them
 * weighted, mixed and switching; Aggarwal, "Recommender Systems: The Textbook", Springer 2016,
 * ch. 6 "Ensemble-based and hybrid recommender systems").
 *
 * - `weighted` — a weighted average of the components' predicted ratings:
 *
 *       r̂_ui = Σ_{c ∈ P(u,i)} w_c r̂_c(u,i)  /  Σ_{c ∈ P(u,i)} w_c
 *
 *   where P(u,i) = the components with w_c > 0 whose prediction for (u, i) is possible. When a
 *   component has to fall back (unknown user or item, no neighbours …) the others share its weight
 *   (renormalisation). When every component falls back, their fallback values are averaged with
 *   the same weights and the prediction is flagged impossible, with each component's reason in
 *   `details`. Every component must predict ratings. Top-n = the best predictions
 *   (`topNByPrediction`).
 *
 *   Learned weights (`learnWeights: true`), the blending of the Netflix Prize (Koren, "The BellKor
 *   solution to the Netflix Grand Prize", 2009; Sill, Takács, Mackey & Lin, "Feature-weighted
 *   linear stacking", arXiv:0911.0460, 2009, whose FWLS makes the weights functions of meta-features
 *   — here they are constants): fit() splits the train set at random (`randomSplit`, seeded) into
 *   a part to fit on and a validation part (`validationSize`, default 0.2), fits every component on
 *   the first, and picks the weights that minimise the squared error of the blend on the validation
 *   ratings where every component's prediction is possible:
 *
 *       min_w  Σ_(u,i)∈V (r_ui − Σ_c w_c r̂_c(u,i))²    subject to  w_c ≥ 0,  Σ_c w_c = 1
 *
 *   — no intercept, and the weights constrained to the simplex: the blend that is fitted is then
 *   exactly the weighted average the hybrid predicts with (an unconstrained least-squares fit would
 *   be renormalised afterwards, i.e. not be the fitted one), and non-negative weights do not
 *   extrapolate beyond the components (Breiman, "Stacked regressions", Machine Learning 24, 1996,
 *   found the non-negativity constraint essential for stacking). Solved exactly by trying every
 *   support S (2^C − 1 subsets, C ≤ 12 components): on S the equality-constrained problem is a
 *   small KKT linear system; the best solution that is non-negative wins. Finally every component
 *   is refitted on the whole train set.
 *
 * - `slots` — a mixed top-n list: the n slots are shared out by weight, q_c = n · w_c / Σ w, by
 *   largest-remainder rounding (floors first; the leftover slots go to the largest fractional
 *   parts, ties to the larger weight, then to the earlier component). Components take items in
 *   round-robin order — the components sorted by weight (descending, ties by position in the
 *   list), each taking its next best item not already taken, while it has slots left — so the
 *   final list is in that round-robin order, NOT sorted by score (scores are each component's own,
 *   possibly on different scales). A component whose list runs out gives its remaining slots to
 *   the others (the round-robin goes on among those with candidates left). Components with weight
 *   0 take no slots. Rankers are allowed.
 *
 * - `fallback` — switching: the components in priority order (their order in `components`;
 *   weights are ignored). The list starts with the primary's best items for which its prediction is
 *   possible (its impossible ones are dropped, and further items of its ranking are fetched to
 *   replace them), and what the primary cannot fill is filled from the next component, and so on,
 *   with no duplicates. Every component but the last drops its impossible items; the last one is
 *   the final fallback and keeps them. `predict` = the first possible prediction in priority order
 *   (impossible: the primary's fallback). Rankers are allowed.
 *
 * `predictsRatings` is true for `weighted`, and for `slots`/`fallback` when every component
 * predicts ratings. In `slots`, `predict` is the weighted average above (for rankers: an ordering
 * score only).
 *
 * This module does not know the algorithm registry: the registry builds the components from a spec
 * string (`parseHybridSpec`) and passes the models in.
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  checkItem,
  checkUser,
  clip,
  topNByPrediction,
} from "../model/recommender";
import { randomSplit } from "../split/holdout";

export type HybridStrategy = "weighted" | "slots" | "fallback";
export const HYBRID_STRATEGIES: readonly HybridStrategy[] = ["weighted", "slots", "fallback"];

/** Largest number of components `learnWeights` accepts (it tries 2^C − 1 supports). */
export const MAX_LEARNED_COMPONENTS = 12;

export interface HybridComponentSpec {
  id: string;
  weight: number;
}

/**
 * Parses a component spec such as `"svd:0.5+content-knn:0.5"`: components joined by `+`, each
 * `id` or `id:weight` (weight omitted → 1). Whitespace around ids and weights is ignored.
 * Errors name the bad piece: an empty id or piece, a weight that is not a finite number ≥ 0, all
 * weights 0, or an id listed twice (rejected: the spec carries no per-component parameters, so two
 * entries of one id would be the same model; give it one weight instead).
 */
export function parseHybridSpec(spec: string): HybridComponentSpec[] {
  if (typeof spec !== "string" || spec.trim() === "") {
    throw new Error(`hybrid spec: empty; expected components joined by "+", e.g. "svd:0.5+content-knn:0.5"`);
  }
  const out: HybridComponentSpec[] = [];
  const pieces = spec.split("+");
  pieces.forEach((raw, k) => {
    const piece = raw.trim();
    const where = `hybrid spec ${JSON.stringify(spec)}: component ${k + 1}`;
    if (piece === "") throw new Error(`${where} is empty (two "+" in a row, or a "+" at an end)`);
    const colon = piece.indexOf(":");
    const id = (colon < 0 ? piece : piece.slice(0, colon)).trim();
    if (id === "") throw new Error(`${where} (${JSON.stringify(piece)}) has an empty algorithm id`);
    let weight = 1;
    if (colon >= 0) {
      const w = piece.slice(colon + 1).trim();
      weight = w === "" ? NaN : Number(w);
      if (!Number.isFinite(weight) || weight < 0) {
        throw new Error(`${where} (${JSON.stringify(piece)}): weight ${JSON.stringify(w)} is not a finite number ≥ 0`);
      }
    }
    if (out.some((c) => c.id === id)) {
      throw new Error(`${where}: algorithm ${JSON.stringify(id)} is listed twice; list it once with its total weight`);
    }
    out.push({ id, weight });
  });
  if (out.every((c) => c.weight === 0)) throw new Error(`hybrid spec ${JSON.stringify(spec)}: all weights are 0`);
  return out;
}

export interface HybridComponent {
  model: Recommender;
  /** Weight ≥ 0 (default 1); ignored by `fallback` and replaced by the learned ones with `learnWeights`. */
  weight?: number;
}

export interface HybridOptions {
  components: HybridComponent[];
  /** How the components are combined (default "weighted"; see the module comment). */
  strategy?: HybridStrategy;
  /** `weighted` only: learn the weights on a validation split at fit (default false). */
  learnWeights?: boolean;
  /** Share of the train ratings held out to learn the weights, in (0, 1); default 0.2. */
  validationSize?: number;
  /** Seed of the validation split (default 0). */
  seed?: number;
}

/** What `learnWeights` found (after fit). */
export interface LearnedWeights {
  /** Normalised learned weights, one per component. */
  weights: number[];
  /** Validation ratings held out. */
  validationRatings: number;
  /** Of those, the ones where every component's prediction was possible (the least-squares rows). */
  usedRatings: number;
  /** RMSE on the used rows of each component alone and of the blend (models fitted on the fit part). */
  componentRmse: number[];
  blendRmse: number;
}

export class Hybrid implements Recommender {
  readonly id = "hybrid";
  readonly predictsRatings: boolean;
  readonly strategy: HybridStrategy;
  readonly learnWeights: boolean;
  readonly validationSize: number;
  readonly seed: number;
  readonly models: readonly Recommender[];
  /** What the weight learning found (null without `learnWeights`, or before fit). */
  learned: LearnedWeights | null = null;
  private w: number[];
  private train: RatingDataset | null = null;

  constructor(options: HybridOptions) {
    if (options === null || typeof options !== "object" || !Array.isArray(options.components)) {
      throw new Error("hybrid: options.components must be an array of { model, weight }");
    }
    const comps = options.components;
    if (comps.length === 0) throw new Error("hybrid: no components given (need at least one)");
    comps.forEach((c, k) => {
      const m = c?.model;
      if (!m || typeof m.fit !== "function" || typeof m.predict !== "function" || typeof m.recommend !== "function") {
        throw new Error(`hybrid: component ${k + 1} has no model (a Recommender with fit, predict, recommend)`);
      }
      const w = c.weight ?? 1;
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) {
        throw new Error(`hybrid: weight of component ${k + 1} (${m.id}) must be a finite number ≥ 0, got ${c.weight}`);
      }
      const j = comps.findIndex((d) => d.model === m);
      if (j < k) {
        throw new Error(`hybrid: component ${k + 1} (${m.id}) is the same model object as component ${j + 1}; pass separate instances`);
      }
    });
    const strategy = options.strategy ?? "weighted";
    if (!HYBRID_STRATEGIES.includes(strategy)) {
      throw new Error(`hybrid: unknown strategy ${JSON.stringify(strategy)}; choose one of ${HYBRID_STRATEGIES.join(", ")}`);
    }
    const learn = options.learnWeights ?? false;
    if (typeof learn !== "boolean") throw new Error(`hybrid: learnWeights must be true or false, got ${learn}`);
    if (learn && strategy !== "weighted") {
      throw new Error(`hybrid: learnWeights applies to strategy "weighted" only, not "${strategy}"`);
    }
    if (learn && comps.length > MAX_LEARNED_COMPONENTS) {
      throw new Error(`hybrid: learnWeights handles at most ${MAX_LEARNED_COMPONENTS} components, got ${comps.length}`);
    }
    const vs = options.validationSize ?? 0.2;
    if (typeof vs !== "number" || !(vs > 0 && vs < 1)) {
      throw new Error(`hybrid: validationSize must be a number strictly between 0 and 1, got ${options.validationSize}`);
    }
    const seed = options.seed ?? 0;
    if (typeof seed !== "number" || !Number.isFinite(seed)) throw new Error(`hybrid: seed must be a finite number, got ${options.seed}`);
    const weights = comps.map((c) => c.weight ?? 1);
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0 && !learn && strategy !== "fallback") throw new Error("hybrid: all component weights are 0");
    const allRatings = comps.every((c) => c.model.predictsRatings);
    if (strategy === "weighted" && !allRatings) {
      const k = comps.findIndex((c) => !c.model.predictsRatings);
      throw new Error(
        `hybrid: strategy "weighted" averages predicted ratings, but component ${k + 1} (${comps[k].model.id}) is a ranker (predictsRatings false); use strategy "slots" or "fallback"`,
      );
    }
    this.models = comps.map((c) => c.model);
    this.strategy = strategy;
    this.learnWeights = learn;
    this.validationSize = vs;
    this.seed = seed;
    this.predictsRatings = allRatings;
    this.w = total > 0 ? weights.map((w) => w / total) : weights.map(() => 1 / weights.length);
  }

  /** The normalised weights in use (summing to 1): the given ones, or the learned ones after fit (`fallback` ignores them). */
  weights(): number[] {
    return this.w.slice();
  }

  fit(train: RatingDataset): this {
    if (train.nRatings === 0) throw new Error(`hybrid: cannot fit on the empty dataset ${train.name}`);
    if (this.learnWeights) {
      if (this.models.length === 1) {
        this.w = [1];
      } else {
        this.learned = this.learn(train);
        this.w = this.learned.weights.slice();
      }
    }
    for (const m of this.models) m.fit(train);
    this.train = train;
    return this;
  }

  predict(user: number, item: number): Prediction {
    const train = this.fitted("predict");
    checkUser(train, user);
    checkItem(train, item);
    return this.strategy === "fallback" ? this.predictFallback(user, item) : this.predictWeighted(user, item);
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted("recommend");
    checkUser(train, user);
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`hybrid: n must be a non-negative integer, got ${n}`);
    if (n === 0) return [];
    if (this.strategy === "weighted") return topNByPrediction(this, train, user, n, options);
    if (this.strategy === "slots") return this.recommendSlots(user, n, options);
    return this.recommendFallback(train, user, n, options);
  }

  // ---- weighted ----------------------------------------------------------------------------------

  private predictWeighted(user: number, item: number): Prediction {
    const w = this.w;
    let num = 0;
    let den = 0;
    let fbNum = 0;
    let fbDen = 0;
    let reasons = "";
    for (let c = 0; c < this.models.length; c++) {
      if (w[c] === 0) continue;
      const p = this.models[c].predict(user, item);
      if (!p.impossible) {
        num += w[c] * p.value;
        den += w[c];
      } else if (den === 0) {
        fbNum += w[c] * p.value;
        fbDen += w[c];
        reasons += `${reasons ? "; " : ""}${this.models[c].id}: ${p.details ?? "impossible"}`;
      }
    }
    const scale = this.train!.ratingScale;
    if (den > 0) return { value: this.predictsRatings ? clip(num / den, scale) : num / den, impossible: false };
    const v = fbNum / fbDen;
    return {
      value: this.predictsRatings ? clip(v, scale) : v,
      impossible: true,
      details: `every component fell back (${reasons}): weighted average of their fallbacks`,
    };
  }

  /** Fits the components on part of `train` and solves for the weights on the rest. */
  private learn(train: RatingDataset): LearnedWeights {
    let split;
    try {
      split = randomSplit(train, { testSize: this.validationSize, seed: this.seed });
    } catch (e) {
      throw new Error(`hybrid: cannot make the validation split for learnWeights: ${(e as Error).message}`);
    }
    for (const m of this.models) m.fit(split.train);
    const val = split.test;
    const C = this.models.length;
    const preds = this.models.map(() => new Float64Array(val.nRatings));
    const ys = new Float64Array(val.nRatings);
    let used = 0;
    for (let k = 0; k < val.nRatings; k++) {
      const u = val.users[k];
      const i = val.items[k];
      let ok = true;
      for (let c = 0; c < C && ok; c++) {
        const p = this.models[c].predict(u, i);
        if (p.impossible) ok = false;
        else preds[c][used] = p.value;
      }
      if (ok) ys[used++] = val.ratings[k];
    }
    if (used === 0) {
      throw new Error(
        `hybrid: learnWeights found no validation rating (of ${val.nRatings}) where every component can predict; give the weights instead`,
      );
    }
    const cols = preds.map((p) => p.subarray(0, used));
    const y = ys.subarray(0, used);
    const weights = solveBlendWeights(cols, y);
    const componentRmse = cols.map((p) => rmseOf((k) => p[k], y));
    const blendRmse = rmseOf((k) => {
      let s = 0;
      for (let c = 0; c < C; c++) s += weights[c] * cols[c][k];
      return s;
    }, y);
    return { weights, validationRatings: val.nRatings, usedRatings: used, componentRmse, blendRmse };
  }

  // ---- slots -------------------------------------------------------------------------------------

  private recommendSlots(user: number, n: number, options: RecommendOptions): Recommendation[] {
    const quota = largestRemainder(n, this.w);
    const order = this.models.map((_, c) => c).filter((c) => this.w[c] > 0);
    order.sort((a, b) => this.w[b] - this.w[a] || a - b);
    // at most n − 1 of a component's n best can be taken by others, so n candidates always suffice
    const lists = this.models.map((m, c) => (this.w[c] > 0 ? m.recommend(user, n, options) : []));
    const pos = this.models.map(() => 0);
    const filled = this.models.map(() => 0);
    const taken = new Set<number>();
    const out: Recommendation[] = [];
    const next = (c: number): Recommendation | null => {
      const list = lists[c];
      while (pos[c] < list.length && taken.has(list[pos[c]].item)) pos[c]++;
      return pos[c] < list.length ? list[pos[c]++] : null;
    };
    // phase 1: round-robin within the quotas; phase 2: leftover slots round-robin to whoever has candidates
    for (const withinQuota of [true, false]) {
      let progress = true;
      while (out.length < n && progress) {
        progress = false;
        for (const c of order) {
          if (out.length >= n) break;
          if (withinQuota && filled[c] >= quota[c]) continue;
          const r = next(c);
          if (r === null) continue;
          taken.add(r.item);
          out.push({ item: r.item, score: r.score });
          filled[c]++;
          progress = true;
        }
      }
    }
    return out;
  }

  // ---- fallback ----------------------------------------------------------------------------------

  private predictFallback(user: number, item: number): Prediction {
    let first: Prediction | null = null;
    for (const m of this.models) {
      const p = m.predict(user, item);
      if (!p.impossible) return p;
      first ??= p;
    }
    return { ...first!, details: `no component can predict; primary's fallback (${first!.details ?? "impossible"})` };
  }

  private recommendFallback(train: RatingDataset, user: number, n: number, options: RecommendOptions): Recommendation[] {
    const out: Recommendation[] = [];
    const taken = new Set<number>();
    const last = this.models.length - 1;
    for (let c = 0; c <= last && out.length < n; c++) {
      const m = this.models[c];
      const need = n - out.length;
      // fetch more of m's ranking until it yields `need` new possible items or runs out
      let size = n;
      for (;;) {
        const list = m.recommend(user, size, options);
        const fresh: Recommendation[] = [];
        for (const r of list) {
          if (fresh.length >= need) break;
          if (taken.has(r.item)) continue;
          if (c < last && m.predict(user, r.item).impossible) continue;
          fresh.push(r);
        }
        if (fresh.length >= need || list.length < size || size >= train.nItems) {
          for (const r of fresh) {
            taken.add(r.item);
            out.push({ item: r.item, score: r.score });
          }
          break;
        }
        size = Math.min(train.nItems, size * 2);
      }
    }
    return out;
  }

  private fitted(what: string): RatingDataset {
    if (this.train === null) throw new Error(`hybrid: ${what} called before fit`);
    return this.train;
  }
}

/**
 * Shares `n` slots out in proportion to `weights` by largest-remainder (Hamilton) rounding:
 * everyone gets floor(n·w_c/Σw), and the slots left over go one each to the largest fractional
 * parts; ties go to the larger weight, then to the smaller index. Weight-0 entries get 0.
 */
export function largestRemainder(n: number, weights: readonly number[]): number[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`largestRemainder: n must be a non-negative integer, got ${n}`);
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => !(w >= 0) || !Number.isFinite(w))) {
    throw new Error(`largestRemainder: weights must be finite, ≥ 0 and not all 0, got [${weights.join(", ")}]`);
  }
  const exact = weights.map((w) => (n * w) / total);
  const q = exact.map((x) => Math.floor(x + 1e-9));
  let left = n - q.reduce((a, b) => a + b, 0);
  const frac = exact.map((x, c) => x - q[c]);
  const order = weights.map((_, c) => c).filter((c) => weights[c] > 0);
  order.sort((a, b) => frac[b] - frac[a] || weights[b] - weights[a] || a - b);
  for (let t = 0; left > 0; t = (t + 1) % order.length, left--) q[order[t]]++;
  return q;
}

/**
 * Blend weights: the w minimising Σ_k (y_k − Σ_c w_c x_c[k])² subject to w ≥ 0 and Σ_c w_c = 1
 * (see the module comment), `columns[c]` holding component c's predictions. Exact: for every
 * non-empty support S it solves the KKT system of the equality-constrained problem on S,
 *
 *     [ 2 A_SS  1 ] [ w_S ]   [ 2 b_S ]          A = XᵀX, b = Xᵀy,
 *     [ 1ᵀ      0 ] [  λ  ] = [   1   ],
 *
 * keeps the solutions with w_S ≥ 0 and returns the one with the smallest squared error (ties: the
 * smaller support, then the earlier subset). A singular system (collinear predictions) is skipped:
 * a smaller support reaches the same error. Cost O(rows·C² + 2^C·C³).
 */
export function solveBlendWeights(columns: readonly ArrayLike<number>[], y: ArrayLike<number>): number[] {
  const C = columns.length;
  if (C === 0) throw new Error("solveBlendWeights: no columns");
  if (C > MAX_LEARNED_COMPONENTS) throw new Error(`solveBlendWeights: at most ${MAX_LEARNED_COMPONENTS} columns, got ${C}`);
  const m = y.length;
  if (m === 0) throw new Error("solveBlendWeights: no rows");
  columns.forEach((col, c) => {
    if (col.length !== m) throw new Error(`solveBlendWeights: column ${c} has ${col.length} rows, y has ${m}`);
  });
  const A = new Float64Array(C * C);
  const b = new Float64Array(C);
  let yy = 0;
  for (let k = 0; k < m; k++) {
    const yk = y[k];
    if (!Number.isFinite(yk)) throw new Error(`solveBlendWeights: y[${k}] is ${yk}`);
    yy += yk * yk;
    for (let c = 0; c < C; c++) {
      const xc = columns[c][k];
      if (!Number.isFinite(xc)) throw new Error(`solveBlendWeights: column ${c} row ${k} is ${xc}`);
      b[c] += xc * yk;
      for (let d = 0; d <= c; d++) A[c * C + d] += xc * columns[d][k];
    }
  }
  for (let c = 0; c < C; c++) for (let d = 0; d < c; d++) A[d * C + c] = A[c * C + d];
  let best: number[] | null = null;
  let bestErr = Infinity;
  let bestSize = Infinity;
  const tol = 1e-9 * Math.max(yy, 1);
  for (let mask = 1; mask < 1 << C; mask++) {
    const S: number[] = [];
    for (let c = 0; c < C; c++) if (mask & (1 << c)) S.push(c);
    const s = S.length;
    const M = new Float64Array((s + 1) * (s + 1));
    const rhs = new Float64Array(s + 1);
    for (let p = 0; p < s; p++) {
      for (let q = 0; q < s; q++) M[p * (s + 1) + q] = 2 * A[S[p] * C + S[q]];
      M[p * (s + 1) + s] = 1;
      M[s * (s + 1) + p] = 1;
      rhs[p] = 2 * b[S[p]];
    }
    rhs[s] = 1;
    const sol = solveLinear(M, rhs, s + 1);
    if (sol === null) continue;
    let feasible = true;
    for (let p = 0; p < s; p++) if (sol[p] < -1e-10) feasible = false;
    if (!feasible) continue;
    const w = new Array<number>(C).fill(0);
    for (let p = 0; p < s; p++) w[S[p]] = Math.max(0, sol[p]);
    // squared error = yᵀy − 2 bᵀw + wᵀAw
    let err = yy;
    for (let c = 0; c < C; c++) {
      err -= 2 * b[c] * w[c];
      for (let d = 0; d < C; d++) err += w[c] * A[c * C + d] * w[d];
    }
    if (err < bestErr - tol || (Math.abs(err - bestErr) <= tol && s < bestSize)) {
      best = w;
      bestErr = Math.min(err, bestErr);
      bestSize = s;
    }
  }
  if (best === null) throw new Error("solveBlendWeights: every least-squares system was singular");
  const total = best.reduce((a, v) => a + v, 0);
  return best.map((v) => v / total);
}

/** Solves M x = rhs (M row-major n × n) by Gaussian elimination with partial pivoting; null if singular. */
function solveLinear(M: Float64Array, rhs: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(M);
  const x = Float64Array.from(rhs);
  let scale = 0;
  for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]));
  const eps = 1e-12 * (scale || 1);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) <= eps) return null;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k];
        a[col * n + k] = a[piv * n + k];
        a[piv * n + k] = t;
      }
      const t = x[col];
      x[col] = x[piv];
      x[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[r * n + k] -= f * a[col * n + k];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

function rmseOf(pred: (k: number) => number, y: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < y.length; k++) {
    const e = y[k] - pred(k);
    s += e * e;
  }
  return Math.sqrt(s / y.length);
}
