/**
 * Small dense linear algebra over Float64Array for the ALS solvers: the k×k systems solved per
 * user and per item are tiny (k ≈ 10–100), so a plain Cholesky factorisation (Golub & Van Loan,
 * "Matrix Computations", 4th ed., Algorithm 4.2.1) beats any general library here.
 */

/**
 * Solves A x = b for a symmetric positive-definite n×n matrix A (row-major; only the lower
 * triangle, A[i·n + j] with j ≤ i, is read). A's lower triangle is overwritten by the Cholesky
 * factor L (A = L Lᵀ) and b by the solution x. Returns false, leaving A and b partly overwritten,
 * when A is not (numerically) positive definite.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j];
    for (let m = 0; m < j; m++) d -= A[rj + m] * A[rj + m];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j];
      for (let m = 0; m < j; m++) s -= A[ri + m] * A[rj + m];
      A[ri + j] = s / ljj;
    }
  }
  // forward substitution L y = b
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let m = 0; m < i; m++) s -= A[ri + m] * b[m];
    b[i] = s / A[ri + i];
  }
  // back substitution Lᵀ x = y
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let m = i + 1; m < n; m++) s -= A[m * n + i] * b[m];
    b[i] = s / A[i * n + i];
  }
  return true;
}
