/**
 * Small dense-matrix tools for the matrix-factorisation notebooks (08, 09): the classical SVD and
 * PCA of a small COMPLETE matrix, the "fill the gaps and run SVD" shortcut they force on a
 * rating table with missing entries, distances between learned factor vectors, and the items at
 * the extremes of one learned factor. Plain `number[][]` (rows × columns, NaN = missing) in and
 * out; nothing is modified in place. For teaching-size matrices only: everything is dense.
 *
 *   SVD          M = U Σ Vᵀ, U (m×r) and V (n×r) with orthonormal columns, Σ = diag(σ₁ ≥ … ≥ σ_r ≥ 0),
 *                r = min(m, n) (the thin SVD; Golub & Van Loan, "Matrix Computations", §2.4).
 *                Computed by `ml-matrix`'s SingularValueDecomposition. Signs are made
 *                deterministic: in every column of V the entry of largest magnitude is positive
 *                (the first such entry on a tie), U's column flipped with it.
 *   low rank     M_k = Σ_{f<k} σ_f u_f v_fᵀ, the best rank-k approximation of M in Frobenius norm
 *                (Eckart & Young 1936): ‖M − M_k‖²_F = Σ_{f≥k} σ_f².
 *   PCA          rows are observations, columns variables: centre every column on its mean,
 *                X = M − 1 mᵀ = U Σ Vᵀ; the principal axes are V's columns, the scores U Σ, the
 *                variance along axis f is σ_f² / (m − 1) and its share of the total σ_f² / Σ σ².
 *                (Jolliffe, "Principal Component Analysis", 2nd ed. 2002, §3.5.)
 *   curves       `svdLearningCurve`: the train and validation RMSE of SVD / PMF after every SGD epoch,
 *                from one fit (the same numbers as refitting with nEpochs = 1, 2, …).
 *   Funk SVD     what Simon Funk called "SVD" in the Netflix Prize ("Netflix Update: Try This at
 *                Home", 2006) is NOT this decomposition: SVD needs every entry of M, a rating table
 *                has most of them missing. It fits P Qᵀ to the known entries only (lib/mf/byhand.ts).
 */
import { Matrix as MlMatrix, SingularValueDecomposition } from "ml-matrix";
import type { RatingDataset } from "../data/dataset";
import { evaluateRatings } from "./crossval";
import { SVD, SVDOptions } from "./svd";

export type Table = number[][];

/** The thin SVD M = U diag(s) Vᵀ. */
export interface Svd {
  /** m × r, orthonormal columns (left singular vectors). */
  U: Table;
  /** r singular values, largest first. */
  s: number[];
  /** n × r, orthonormal columns (right singular vectors). */
  V: Table;
}

/** Rows, columns, and a check that `M` is a non-empty rectangle of numbers. */
function shape(M: Table, what: string): { m: number; n: number } {
  if (!Array.isArray(M) || M.length === 0 || !Array.isArray(M[0]) || M[0].length === 0) {
    throw new Error(`${what}: the matrix is empty`);
  }
  const n = M[0].length;
  M.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${what}: the matrix is not rectangular (row ${r} has ${row?.length} entries, row 0 has ${n})`);
    }
  });
  return { m: M.length, n };
}

/** Throws, naming the first missing (NaN) or infinite cell, unless every entry is a finite number. */
export function checkComplete(M: Table, what = "SVD"): void {
  const { m, n } = shape(M, what);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      const x = M[r][c];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new Error(
          `${what} needs every entry of the matrix, but row ${r}, column ${c} is ${Number.isNaN(x) ? "missing (NaN)" : String(x)}: ` +
            `fill the gaps first, or fit the known entries only (Funk SVD)`,
        );
      }
    }
  }
}

/** The thin SVD of a complete matrix (see the module comment for the sign convention). */
export function trueSvd(M: Table): Svd {
  checkComplete(M, "SVD");
  const { m, n } = shape(M, "SVD");
  const r = Math.min(m, n);
  const d = new SingularValueDecomposition(new MlMatrix(M), { autoTranspose: true });
  const Uall = d.leftSingularVectors.to2DArray();
  const Vall = d.rightSingularVectors.to2DArray();
  const sall = d.diagonal;
  // ml-matrix already sorts σ descending; keep the first r columns and sort again to be safe
  const order = Array.from({ length: r }, (_, f) => f).sort((a, b) => sall[b] - sall[a] || a - b);
  const s = order.map((f) => Math.max(0, sall[f]));
  const U = Uall.map((row) => order.map((f) => row[f]));
  const V = Vall.map((row) => order.map((f) => row[f]));
  for (let f = 0; f < r; f++) {
    let best = 0;
    for (let c = 1; c < n; c++) if (Math.abs(V[c][f]) > Math.abs(V[best][f]) + 1e-12) best = c;
    if (V[best][f] < 0) {
      for (const row of V) row[f] = -row[f];
      for (const row of U) row[f] = -row[f];
    }
  }
  return { U, s, V };
}

/** U_k Σ_k V_kᵀ: the best rank-`rank` approximation of a complete matrix (Eckart–Young). */
export function lowRank(M: Table, rank: number): Table {
  const { U, s, V } = trueSvd(M);
  if (!Number.isInteger(rank) || rank < 0) throw new Error(`lowRank: rank must be an integer ≥ 0, got ${rank}`);
  const k = Math.min(rank, s.length);
  return U.map((u) => V.map((v) => {
    let x = 0;
    for (let f = 0; f < k; f++) x += u[f] * s[f] * v[f];
    return x;
  }));
}

export interface Pca {
  /** Column means that were subtracted. */
  means: number[];
  /** nComponents × n: the principal axes (unit vectors), one per row. */
  components: Table;
  /** m × nComponents: each row's coordinates along the axes. */
  scores: Table;
  /** Variance along each axis, σ_f² / (m − 1). */
  variance: number[];
  /** Share of the total variance along each axis, σ_f² / Σ σ². */
  explainedRatio: number[];
}

/** PCA of a complete matrix, rows = observations (see the module comment). */
export function pca(M: Table, nComponents: number): Pca {
  checkComplete(M, "PCA");
  const { m, n } = shape(M, "PCA");
  if (m < 2) throw new Error(`PCA needs at least 2 rows (observations), got ${m}`);
  const r = Math.min(m, n);
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > r) {
    throw new Error(`PCA: nComponents must be an integer in 1..${r}, got ${nComponents}`);
  }
  const means = Array.from({ length: n }, (_, c) => M.reduce((a, row) => a + row[c], 0) / m);
  const X = M.map((row) => row.map((x, c) => x - means[c]));
  const { U, s, V } = trueSvd(X);
  const total = s.reduce((a, x) => a + x * x, 0);
  const take = Array.from({ length: nComponents }, (_, f) => f);
  return {
    means,
    components: take.map((f) => V.map((v) => v[f])),
    scores: U.map((u) => take.map((f) => u[f] * s[f])),
    variance: take.map((f) => (s[f] * s[f]) / (m - 1)),
    explainedRatio: take.map((f) => (total === 0 ? 0 : (s[f] * s[f]) / total)),
  };
}

export type FillRule = "zero" | "item-mean" | "user-mean" | "global-mean";

/**
 * A copy of R with every missing (NaN) cell filled: with 0, the mean of its column's known
 * entries (item mean), of its row's known entries (user mean), or of all known entries. A row or
 * column with no known entry falls back to the global mean.
 */
export function fillMissing(R: Table, rule: FillRule): Table {
  const { n } = shape(R, "fillMissing");
  if (!["zero", "item-mean", "user-mean", "global-mean"].includes(rule)) {
    throw new Error(`fillMissing: unknown rule ${JSON.stringify(rule)} (zero, item-mean, user-mean, global-mean)`);
  }
  const known = (x: number) => !Number.isNaN(x);
  let sum = 0;
  let count = 0;
  for (const row of R) for (const x of row) if (known(x)) { sum += x; count++; }
  if (count === 0) throw new Error("fillMissing: the matrix has no known entry");
  const global = sum / count;
  const mean = (xs: number[]): number => {
    const k = xs.filter(known);
    return k.length === 0 ? global : k.reduce((a, b) => a + b, 0) / k.length;
  };
  const colMeans = Array.from({ length: n }, (_, c) => mean(R.map((row) => row[c])));
  const rowMeans = R.map((row) => mean(row));
  return R.map((row, u) =>
    row.map((x, i) => {
      if (known(x)) return x;
      if (rule === "zero") return 0;
      if (rule === "item-mean") return colMeans[i];
      if (rule === "user-mean") return rowMeans[u];
      return global;
    }),
  );
}

/** The (row, column) pairs of the missing (NaN) cells of R, row by row. */
export function missingCells(R: Table): [number, number][] {
  shape(R, "missingCells");
  const out: [number, number][] = [];
  R.forEach((row, u) => row.forEach((x, i) => { if (Number.isNaN(x)) out.push([u, i]); }));
  return out;
}

/** RMSE of a full prediction matrix over the KNOWN cells of R only: √(Σ_{(u,i)∈Ω} (r_ui − r̂_ui)² / |Ω|). */
export function knownCellRmse(predicted: Table, R: Table): number {
  const { m, n } = shape(R, "knownCellRmse");
  const p = shape(predicted, "knownCellRmse");
  if (p.m !== m || p.n !== n) throw new Error(`knownCellRmse: predictions are ${p.m}×${p.n} but R is ${m}×${n}`);
  let s = 0;
  let count = 0;
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(R[u][i])) continue;
      const e = R[u][i] - predicted[u][i];
      s += e * e;
      count++;
    }
  }
  if (count === 0) throw new Error("knownCellRmse: R has no known entry");
  return Math.sqrt(s / count);
}

/** Pairwise Euclidean distances ‖x_a − x_b‖ between the rows of X (a symmetric matrix, 0 on the diagonal). */
export function euclideanDistances(X: Table): Table {
  const { m } = shape(X, "euclideanDistances");
  const D = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      let s = 0;
      for (let f = 0; f < X[a].length; f++) s += (X[a][f] - X[b][f]) ** 2;
      D[a][b] = D[b][a] = Math.sqrt(s);
    }
  }
  return D;
}

/** The rows of a row-major factor buffer (`k` values per row) as a `number[][]`. */
export function factorRows(factors: ArrayLike<number>, k: number): Table {
  if (!Number.isInteger(k) || k < 1) throw new Error(`factorRows: k must be an integer ≥ 1, got ${k}`);
  if (factors.length % k !== 0) throw new Error(`factorRows: ${factors.length} values are not a whole number of rows of ${k}`);
  return Array.from({ length: factors.length / k }, (_, r) => Array.from({ length: k }, (_, f) => factors[r * k + f]));
}

export interface FactorExtremes {
  /** Inner ids of the `n` eligible items with the smallest value of the factor, smallest first. */
  lowest: number[];
  /** Inner ids of the `n` eligible items with the largest value, largest first. */
  highest: number[];
}

/**
 * The items at the two ends of one learned factor: sort the eligible items by q_i[factor]
 * (ties by inner id) and take `n` from each end. `itemFactors` is row-major with `k` values per
 * item (as `FactorModel.parameters().itemFactors`); `eligible(i)` (default: all) typically keeps
 * items with enough ratings, whose vectors are learned from more than noise.
 */
export function factorExtremes(
  itemFactors: ArrayLike<number>,
  k: number,
  factor: number,
  n: number,
  eligible: (item: number) => boolean = () => true,
): FactorExtremes {
  if (!Number.isInteger(k) || k < 1) throw new Error(`factorExtremes: k must be an integer ≥ 1, got ${k}`);
  if (itemFactors.length % k !== 0) throw new Error(`factorExtremes: ${itemFactors.length} values are not rows of ${k}`);
  if (!Number.isInteger(factor) || factor < 0 || factor >= k) {
    throw new Error(`factorExtremes: factor must be an integer in 0..${k - 1}, got ${factor}`);
  }
  if (!Number.isInteger(n) || n < 0) throw new Error(`factorExtremes: n must be an integer ≥ 0, got ${n}`);
  const items: number[] = [];
  for (let i = 0; i < itemFactors.length / k; i++) if (eligible(i)) items.push(i);
  const value = (i: number) => itemFactors[i * k + factor];
  const up = items.slice().sort((a, b) => value(a) - value(b) || a - b);
  const down = items.slice().sort((a, b) => value(b) - value(a) || a - b);
  return { lowest: up.slice(0, n), highest: down.slice(0, n) };
}

/** RMSE after every epoch of one SGD fit. */
export interface LearningCurve {
  /** 1, 2, …, nEpochs. */
  epochs: number[];
  /** RMSE of the (clipped) predictions on the training ratings after each epoch. */
  train: number[];
  /** RMSE on the validation ratings after each epoch (impossible predictions use their fallback). */
  validation: number[];
}

/**
 * `SVD` (or PMF, with `biased: false`) that measures itself after every epoch through `SVD.fit`'s
 * `afterEpoch` hook, so the model after epoch e is exactly `new SVD({ ...options, nEpochs: e })
 * .fit(train)` (a unit test checks it).
 */
class MeasuredSVD extends SVD {
  readonly curve: LearningCurve = { epochs: [], train: [], validation: [] };

  constructor(
    options: SVDOptions,
    private readonly validation: RatingDataset,
  ) {
    super(options);
  }

  protected override afterEpoch(epochs: number, train: RatingDataset): void {
    this.curve.epochs.push(epochs);
    this.curve.train.push(evaluateRatings(this, train).rmse);
    this.curve.validation.push(evaluateRatings(this, this.validation).rmse);
  }
}

/**
 * Train and validation RMSE of an SGD matrix factorisation (`SVD` options, e.g. `{ nFactors: 100,
 * nEpochs: 60, regAll: 0 }`) after every epoch, from ONE fit of `options.nEpochs` epochs instead of
 * one fit per point. `train` and `validation` must be two splits of one dataset (they share inner
 * ids). Returns the curve and the model after the last epoch.
 */
export function svdLearningCurve(
  train: RatingDataset,
  validation: RatingDataset,
  options: SVDOptions = {},
): { curve: LearningCurve; model: SVD } {
  if (validation.nUsers !== train.nUsers || validation.nItems !== train.nItems) {
    throw new Error(
      `svdLearningCurve: ${train.name} and ${validation.name} do not share inner ids ` +
        `(${train.nUsers}×${train.nItems} vs ${validation.nUsers}×${validation.nItems}); split one dataset into both`,
    );
  }
  if (validation.nRatings === 0) throw new Error(`svdLearningCurve: the validation set ${validation.name} has no ratings`);
  const model = new MeasuredSVD(options, validation).fit(train);
  return { curve: model.curve, model };
}
