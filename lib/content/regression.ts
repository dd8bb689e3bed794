/**
 * Linear regression on content features: the two textbook views of content-based filtering
 * (Ng, Machine Learning, Coursera, "Content-based recommendations"; Aggarwal, Recommender Systems:
 * The Textbook, Springer 2016, §4.4 "regression-based models"; Falk, Practical Recommender
 * Systems, Manning 2019, ch. 10).
 *
 * 1. Per user, on ITEM features x_i (expert factors, genres …), with an intercept:
 *      r̂_ui = θ_u0 + θ_u · x_i,   θ_u = argmin Σ_{i rated by u} (r_ui − θ_u0 − θ_u·x_i)² + λ‖θ_u‖²
 * 2. Per item, on USER features y_u (survey answers), without an intercept:
 *      r̂_ui = θ_i · y_u,          θ_i = argmin Σ_{u who rated i} (r_ui − θ_i·y_u)² + λ‖θ_i‖²
 *
 * Both are ordinary (λ = 0) or ridge (λ > 0) least squares, solved here by the normal equations
 *      (ZᵀZ + λD) θ = Zᵀr,   Z = [1 | X] (or X without intercept),  D = diag(0, 1, …, 1)
 * (the intercept is not penalised; Hastie, Tibshirani & Friedman, The Elements of Statistical
 * Learning, §3.4.1). The p × p system is solved through the symmetric eigendecomposition of ml-matrix:
 * θ = V Λ⁻¹ Vᵀ Zᵀr. It is called SINGULAR when its smallest eigenvalue is ≤ `RCOND` × its largest
 * (e.g. fewer ratings than parameters with λ = 0, or a feature that is 0 on every rated item); then
 * there is no unique fit and the functions below report `singular: true` and fall back to the
 * mean of the observed ratings. With λ > 0 and an intercept, any row with at least one rating is
 * solvable (ZᵀZ + λD is then positive definite).
 *
 * The functions in this file work on small dense tables (`number[][]`, NaN = not rated): they are
 * for the teaching examples (the 4 × 5 toy album table). `PerUserRegression` (perUserRegression.ts)
 * applies view 1 to a whole RatingDataset.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/** Relative eigenvalue threshold below which a normal-equation system counts as singular. */
export const RCOND = 1e-12;

export interface LeastSquaresOptions {
  /** Fit an intercept θ0 (default true). */
  intercept?: boolean;
  /** Ridge penalty λ ≥ 0 on the non-intercept coefficients (default 0 = ordinary least squares). */
  lambda?: number;
}

export interface LinearFit {
  /** θ0 (0 when fitted without an intercept). */
  intercept: number;
  /** One coefficient per feature. */
  theta: number[];
}

/**
 * Accumulates the normal equations of one regression: A = ZᵀZ + λD (p × p, row-major) and
 * b = Zᵀr, p = dim (+1 with intercept, which is then parameter 0). Reusable across rows.
 */
export class NormalEquations {
  readonly p: number;
  readonly A: Float64Array;
  readonly b: Float64Array;
  n = 0;
  sumY = 0;

  constructor(
    readonly dim: number,
    readonly intercept: boolean,
  ) {
    this.p = dim + (intercept ? 1 : 0);
    this.A = new Float64Array(this.p * this.p);
    this.b = new Float64Array(this.p);
  }

  reset(): void {
    this.A.fill(0);
    this.b.fill(0);
    this.n = 0;
    this.sumY = 0;
  }

  /** Adds the observation (x, y); `x` has `dim` entries starting at `offset`. */
  add(x: ArrayLike<number>, offset: number, y: number): void {
    const { p, A, b, dim } = this;
    const o = this.intercept ? 1 : 0;
    if (o === 1) {
      A[0] += 1;
      b[0] += y;
      for (let d = 0; d < dim; d++) {
        const v = x[offset + d];
        A[d + 1] += v; // row 0
        A[(d + 1) * p] += v; // column 0
      }
    }
    for (let d = 0; d < dim; d++) {
      const xd = x[offset + d];
      if (xd === 0) continue; // sparse rows (genre flags) are mostly zeros
      const row = (d + o) * p + o;
      for (let e = 0; e < dim; e++) A[row + e] += xd * x[offset + e];
      b[d + o] += xd * y;
    }
    this.n++;
    this.sumY += y;
  }

  /**
   * Solves (A + λD) θ = b. Returns the fit, or null when the system is singular (see RCOND).
   * `theta` receives the coefficients (intercept first when fitted with one).
   */
  solve(lambda: number, theta: Float64Array = new Float64Array(this.p)): Float64Array | null {
    const { p, A, b } = this;
    const o = this.intercept ? 1 : 0;
    const rows: number[][] = [];
    for (let r = 0; r < p; r++) {
      const row = Array.from(A.subarray(r * p, (r + 1) * p));
      if (r >= o) row[r] += lambda;
      rows.push(row);
    }
    const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const ev = evd.realEigenvalues;
    let max = 0;
    let min = Infinity;
    for (const e of ev) {
      if (e > max) max = e;
      if (e < min) min = e;
    }
    if (!(max > 0) || min <= RCOND * max) return null;
    const V = evd.eigenvectorMatrix;
    theta.fill(0);
    for (let k = 0; k < p; k++) {
      let c = 0; // (Vᵀ b)_k / λ_k
      for (let r = 0; r < p; r++) c += V.get(r, k) * b[r];
      c /= ev[k];
      for (let r = 0; r < p; r++) theta[r] += V.get(r, k) * c;
    }
    return theta;
  }
}

/**
 * Least-squares fit of y on the rows of X (see the file comment). Returns null when the
 * normal equations are singular.
 */
export function fitLeastSquares(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  options: LeastSquaresOptions = {},
): LinearFit | null {
  const intercept = options.intercept ?? true;
  const lambda = checkLambda(options.lambda ?? 0);
  if (X.length !== y.length) throw new Error(`fitLeastSquares: ${X.length} rows of X but ${y.length} targets`);
  if (X.length === 0) return null;
  const dim = X[0].length;
  const ne = new NormalEquations(dim, intercept);
  for (let k = 0; k < X.length; k++) {
    const row = X[k];
    if (row.length !== dim) throw new Error(`fitLeastSquares: row ${k} has ${row.length} values, expected ${dim}`);
    for (let d = 0; d < dim; d++) {
      if (!Number.isFinite(row[d])) throw new Error(`fitLeastSquares: X[${k}][${d}] is ${row[d]}`);
    }
    if (!Number.isFinite(y[k])) throw new Error(`fitLeastSquares: y[${k}] is ${y[k]}`);
    ne.add(row, 0, y[k]);
  }
  const t = ne.solve(lambda);
  if (t === null) return null;
  return intercept ? { intercept: t[0], theta: Array.from(t.subarray(1)) } : { intercept: 0, theta: Array.from(t) };
}

/** The fit of one row (a user in view 1, an item in view 2) of a small ratings table. */
export interface RowRegression {
  /** θ0; NaN when singular, 0 without intercept. */
  intercept: number;
  /** Coefficients, one per feature; NaN when singular. */
  theta: number[];
  /** Unclipped predictions θ0 + θ·x for every column (the row mean when singular). */
  raw: number[];
  /** `raw` clipped to the rating scale (unchanged when no scale is given). */
  predictions: number[];
  /** Number of observed ratings in the row. */
  nRatings: number;
  /** True when the normal equations had no unique solution: predictions fall back to the row mean. */
  singular: boolean;
}

export interface TableRegressionOptions extends LeastSquaresOptions {
  /** Rating scale [lo, hi] for clipping the predictions. */
  scale?: readonly [number, number];
}

/**
 * View 1: one regression per user (row of `matrix`, NaN = unrated) on the item features
 * `itemFactors[i]`, with an intercept by default. Predictions cover every item.
 */
export function perUserRegression(
  matrix: readonly (readonly number[])[],
  itemFactors: readonly (readonly number[])[],
  options: TableRegressionOptions = {},
): RowRegression[] {
  const nItems = itemFactors.length;
  matrix.forEach((row, u) => {
    if (row.length !== nItems) throw new Error(`perUserRegression: user row ${u} has ${row.length} entries, expected ${nItems} items`);
  });
  return matrix.map((row) =>
    fitRow(
      row,
      (i) => itemFactors[i],
      nItems,
      { intercept: options.intercept ?? true, lambda: options.lambda },
      options.scale,
    ),
  );
}

/**
 * View 2: one regression per item (column of `matrix`) on the user features `userFactors[u]`,
 * WITHOUT an intercept by default. `result[i].predictions[u]` is the prediction for user u.
 */
export function perItemRegression(
  matrix: readonly (readonly number[])[],
  userFactors: readonly (readonly number[])[],
  options: TableRegressionOptions = {},
): RowRegression[] {
  const nUsers = matrix.length;
  if (userFactors.length !== nUsers) {
    throw new Error(`perItemRegression: ${userFactors.length} user factor rows for ${nUsers} users`);
  }
  const nItems = nUsers === 0 ? 0 : matrix[0].length;
  const out: RowRegression[] = [];
  for (let i = 0; i < nItems; i++) {
    const column = matrix.map((row, u) => {
      if (row.length !== nItems) throw new Error(`perItemRegression: user row ${u} has ${row.length} entries, expected ${nItems}`);
      return row[i];
    });
    out.push(fitRow(column, (u) => userFactors[u], nUsers, { intercept: options.intercept ?? false, lambda: options.lambda }, options.scale));
  }
  return out;
}

function fitRow(
  row: readonly number[],
  featuresOf: (j: number) => readonly number[],
  nCols: number,
  ls: LeastSquaresOptions,
  scale: readonly [number, number] | undefined,
): RowRegression {
  const X: (readonly number[])[] = [];
  const y: number[] = [];
  row.forEach((r, j) => {
    if (!Number.isNaN(r)) {
      X.push(featuresOf(j));
      y.push(r);
    }
  });
  const fit = X.length > 0 ? fitLeastSquares(X, y, ls) : null;
  const clipTo = (v: number): number => (scale ? Math.min(scale[1], Math.max(scale[0], v)) : v);
  if (fit === null) {
    const dim = nCols > 0 ? featuresOf(0).length : 0;
    const mean = y.length > 0 ? y.reduce((s, v) => s + v, 0) / y.length : NaN;
    const raw = new Array<number>(nCols).fill(mean);
    return {
      intercept: NaN,
      theta: new Array<number>(dim).fill(NaN),
      raw,
      predictions: raw.map(clipTo),
      nRatings: y.length,
      singular: true,
    };
  }
  const raw: number[] = [];
  for (let j = 0; j < nCols; j++) {
    const x = featuresOf(j);
    let v = fit.intercept;
    for (let d = 0; d < fit.theta.length; d++) v += fit.theta[d] * x[d];
    raw.push(v);
  }
  return { intercept: fit.intercept, theta: fit.theta, raw, predictions: raw.map(clipTo), nRatings: y.length, singular: false };
}

export function checkLambda(lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`ridge penalty lambda must be a finite number ≥ 0, got ${lambda}`);
  return lambda;
}
