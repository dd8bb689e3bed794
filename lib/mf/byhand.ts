/**
 * Matrix factorisation "by hand" on a small dense matrix with missing entries (NaN): the pieces a
 * notebook takes apart before using the fast trainers. Plain `number[][]` in and out, nothing is
 * modified in place, and every function is a line-by-line transcription of its formula.
 *
 * R is m×n (users × items) with NaN where no rating is known; P is m×k (row u = p_u), Q is n×k
 * (row i = q_i), the prediction is r̂_ui = p_u · q_i (no biases), Ω = the observed (u, i).
 *
 *   objective   J(P, Q) = Σ_{(u,i)∈Ω} (r_ui − p_u·q_i)² + λ (‖P‖² + ‖Q‖²)          (Funk 2006;
 *               Koren, Bell & Volinsky 2009, eq. 2, with the penalty on the whole matrices)
 *   gradient    ∂J/∂p_u = −2 Σ_{i:(u,i)∈Ω} e_ui q_i + 2λ p_u,   ∂J/∂q_i = −2 Σ_{u:(u,i)∈Ω} e_ui p_u + 2λ q_i
 *   ALS         p_u = (Σ_{i:(u,i)∈Ω} q_i q_iᵀ + λ I)⁻¹ Σ_{i:(u,i)∈Ω} r_ui q_i   (least squares without
 *               intercept; the item half-step is symmetric) — each half-step minimises J exactly
 *               over P (or Q), so J never increases along the alternation.
 */
import { choleskySolve } from "./linalg";

export type Matrix = number[][];

export interface FactorGradient {
  dP: Matrix;
  dQ: Matrix;
}

function dims(P: Matrix, Q: Matrix, R: Matrix): { m: number; n: number; k: number } {
  const m = R.length;
  const n = m > 0 ? R[0].length : 0;
  if (m === 0 || n === 0) throw new Error("matrix factorisation by hand: R is empty");
  R.forEach((row, u) => {
    if (row.length !== n) throw new Error(`R is not rectangular: row ${u} has ${row.length} entries, row 0 has ${n}`);
  });
  if (P.length !== m) throw new Error(`P has ${P.length} rows but R has ${m} users`);
  if (Q.length !== n) throw new Error(`Q has ${Q.length} rows but R has ${n} items`);
  const k = P[0].length;
  P.forEach((row, u) => {
    if (row.length !== k) throw new Error(`P row ${u} has ${row.length} factors, expected ${k}`);
  });
  Q.forEach((row, i) => {
    if (row.length !== k) throw new Error(`Q row ${i} has ${row.length} factors, expected ${k} (as P)`);
  });
  return { m, n, k };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let f = 0; f < a.length; f++) s += a[f] * b[f];
  return s;
}

function squaredNorm(M: Matrix): number {
  let s = 0;
  for (const row of M) for (const x of row) s += x * x;
  return s;
}

/** P Qᵀ: the full m×n matrix of predictions (small matrices only). */
export function reconstruct(P: Matrix, Q: Matrix): Matrix {
  return P.map((p) => Q.map((q) => dot(p, q)));
}

/** Σ_{(u,i)∈Ω} (r_ui − p_u·q_i)² + λ (‖P‖² + ‖Q‖²). */
export function funkObjective(P: Matrix, Q: Matrix, R: Matrix, lambda = 0): number {
  const { m, n } = dims(P, Q, R);
  let loss = 0;
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      const r = R[u][i];
      if (Number.isNaN(r)) continue;
      const e = r - dot(P[u], Q[i]);
      loss += e * e;
    }
  }
  return loss + lambda * (squaredNorm(P) + squaredNorm(Q));
}

/** Root mean squared error over the observed entries. */
export function observedRmse(P: Matrix, Q: Matrix, R: Matrix): number {
  const { m, n } = dims(P, Q, R);
  let s = 0;
  let count = 0;
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(R[u][i])) continue;
      const e = R[u][i] - dot(P[u], Q[i]);
      s += e * e;
      count++;
    }
  }
  if (count === 0) throw new Error("observedRmse: R has no observed entry");
  return Math.sqrt(s / count);
}

/** The analytic gradient of `funkObjective` with respect to P and Q. */
export function funkGradient(P: Matrix, Q: Matrix, R: Matrix, lambda = 0): FactorGradient {
  const { m, n, k } = dims(P, Q, R);
  const dP = P.map((p) => p.map((x) => 2 * lambda * x));
  const dQ = Q.map((q) => q.map((x) => 2 * lambda * x));
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      const r = R[u][i];
      if (Number.isNaN(r)) continue;
      const e = r - dot(P[u], Q[i]);
      for (let f = 0; f < k; f++) {
        dP[u][f] -= 2 * e * Q[i][f];
        dQ[i][f] -= 2 * e * P[u][f];
      }
    }
  }
  return { dP, dQ };
}

/**
 * The gradient of `funkObjective` by central finite differences, (J(θ + h) − J(θ − h)) / 2h for
 * every entry θ of P and Q — slow (2 objective evaluations per parameter) but formula-free: the
 * reference to check `funkGradient` against.
 */
export function numericalGradient(P: Matrix, Q: Matrix, R: Matrix, lambda = 0, h = 1e-5): FactorGradient {
  dims(P, Q, R);
  const partial = (which: "P" | "Q", row: number, f: number): number => {
    const shifted = (delta: number): number => {
      const P2 = P.map((p) => p.slice());
      const Q2 = Q.map((q) => q.slice());
      (which === "P" ? P2 : Q2)[row][f] += delta;
      return funkObjective(P2, Q2, R, lambda);
    };
    return (shifted(h) - shifted(-h)) / (2 * h);
  };
  return {
    dP: P.map((p, u) => p.map((_, f) => partial("P", u, f))),
    dQ: Q.map((q, i) => q.map((_, f) => partial("Q", i, f))),
  };
}

/** One full-batch gradient-descent step: P − lr ∂J/∂P, Q − lr ∂J/∂Q (new matrices). */
export function gradientStep(P: Matrix, Q: Matrix, R: Matrix, lr: number, lambda = 0): { P: Matrix; Q: Matrix } {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`gradientStep: lr must be a positive number, got ${lr}`);
  const { dP, dQ } = funkGradient(P, Q, R, lambda);
  return {
    P: P.map((p, u) => p.map((x, f) => x - lr * dP[u][f])),
    Q: Q.map((q, i) => q.map((x, f) => x - lr * dQ[i][f])),
  };
}

/**
 * Ridge least squares without intercept for each row of one side: w_r = (Σ x xᵀ + λ I)⁻¹ Σ t x over
 * the observed entries of row r, where x runs over the other side's vectors.
 */
function leastSquaresRows(
  nRows: number,
  nCols: number,
  value: (row: number, col: number) => number,
  other: Matrix,
  lambda: number,
  side: "user" | "item",
): Matrix {
  const k = other[0].length;
  const out: Matrix = [];
  for (let row = 0; row < nRows; row++) {
    const A = new Float64Array(k * k);
    const b = new Float64Array(k);
    let count = 0;
    for (let col = 0; col < nCols; col++) {
      const t = value(row, col);
      if (Number.isNaN(t)) continue;
      count++;
      const x = other[col];
      for (let g = 0; g < k; g++) {
        for (let h = 0; h <= g; h++) A[g * k + h] += x[g] * x[h];
        b[g] += t * x[g];
      }
    }
    for (let g = 0; g < k; g++) A[g * k + g] += lambda;
    if (!choleskySolve(A, b, k)) {
      throw new Error(
        `least squares for ${side} ${row} has no unique solution (${count} observed entries for ${k} factors): use lambda > 0`,
      );
    }
    out.push(Array.from(b));
  }
  return out;
}

/** ALS half-step: every user's p_u by least squares on its observed ratings, Q fixed. */
export function alsUserStep(R: Matrix, Q: Matrix, lambda = 0): Matrix {
  if (Q.length === 0 || Q[0].length === 0) throw new Error("alsUserStep: Q is empty");
  const P0 = R.map(() => Q[0].map(() => 0));
  const { m, n } = dims(P0, Q, R);
  return leastSquaresRows(m, n, (u, i) => R[u][i], Q, lambda, "user");
}

/** ALS half-step: every item's q_i by least squares on its observed ratings, P fixed. */
export function alsItemStep(R: Matrix, P: Matrix, lambda = 0): Matrix {
  if (P.length === 0 || P[0].length === 0) throw new Error("alsItemStep: P is empty");
  const Q0 = (R[0] ?? []).map(() => P[0].map(() => 0));
  const { m, n } = dims(P, Q0, R);
  return leastSquaresRows(n, m, (i, u) => R[u][i], P, lambda, "item");
}
