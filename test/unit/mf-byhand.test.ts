import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import {
  Matrix,
  alsItemStep,
  alsUserStep,
  funkGradient,
  funkObjective,
  gradientStep,
  numericalGradient,
  observedRmse,
  reconstruct,
} from "../../lib/mf/byhand";
import { choleskySolve } from "../../lib/mf/linalg";
import { shuffleInPlace, shuffleRange } from "../../lib/mf/shuffle";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

/** A random m×n rating matrix with about `missing` of its entries NaN (every row and column keeps ≥ 2). */
function randomRatings(rng: Rng, m: number, n: number, missing: number): Matrix {
  const R = Array.from({ length: m }, () => Array.from({ length: n }, () => 1 + rng.int(5)));
  for (let u = 0; u < m; u++) for (let i = 0; i < n; i++) if (rng.next() < missing) R[u][i] = NaN;
  for (let u = 0; u < m; u++) {
    R[u][u % n] = 3;
    R[u][(u + 1) % n] = 4;
  }
  for (let i = 0; i < n; i++) {
    R[i % m][i] = 2;
    R[(i + 1) % m][i] = 5;
  }
  return R;
}

const randomMatrix = (rng: Rng, rows: number, k: number, std = 0.5): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: k }, () => rng.normal(0, std)));

test("funkObjective by hand on a 2×2 matrix with a missing entry", () => {
  const R = [
    [5, NaN],
    [3, 1],
  ];
  const P = [[1], [2]];
  const Q = [[2], [0.5]];
  // observed: (0,0): 5 − 2 = 3; (1,0): 3 − 4 = −1; (1,1): 1 − 1 = 0 → 9 + 1 + 0 = 10
  assert.equal(funkObjective(P, Q, R), 10);
  // + λ (1 + 4 + 4 + 0.25) with λ = 0.1
  close(funkObjective(P, Q, R, 0.1), 10 + 0.925, 1e-12);
  close(observedRmse(P, Q, R), Math.sqrt(10 / 3), 1e-12);
  assert.deepEqual(reconstruct(P, Q), [
    [2, 0.5],
    [4, 1],
  ]);
  // ∂J/∂p_0 = −2·3·2 = −12; ∂J/∂p_1 = −2(−1·2 + 0·0.5) = 4; ∂J/∂q_0 = −2(3·1 + (−1)·2) = −2; ∂J/∂q_1 = 0
  assert.deepEqual(funkGradient(P, Q, R), { dP: [[-12], [4]], dQ: [[-2], [0]] });
});

test("the analytic gradient matches central finite differences", () => {
  const rng = new Rng(1);
  for (const lambda of [0, 0.1, 2]) {
    const R = randomRatings(rng, 5, 6, 0.4);
    const P = randomMatrix(rng, 5, 3);
    const Q = randomMatrix(rng, 6, 3);
    const a = funkGradient(P, Q, R, lambda);
    const n = numericalGradient(P, Q, R, lambda);
    a.dP.forEach((row, u) => row.forEach((g, f) => close(g, n.dP[u][f], 1e-6 * (1 + Math.abs(g)), `dP[${u}][${f}]`)));
    a.dQ.forEach((row, i) => row.forEach((g, f) => close(g, n.dQ[i][f], 1e-6 * (1 + Math.abs(g)), `dQ[${i}][${f}]`)));
  }
});

test("full-batch gradient descent with a small step lowers the objective; inputs untouched", () => {
  const rng = new Rng(2);
  const R = randomRatings(rng, 6, 5, 0.3);
  let P = randomMatrix(rng, 6, 2);
  let Q = randomMatrix(rng, 5, 2);
  const P0 = JSON.stringify(P);
  let J = funkObjective(P, Q, R, 0.05);
  const first = gradientStep(P, Q, R, 0.01, 0.05);
  assert.equal(JSON.stringify(P), P0, "gradientStep does not modify its inputs");
  for (let t = 0; t < 200; t++) {
    ({ P, Q } = gradientStep(P, Q, R, 0.01, 0.05));
    const J2 = funkObjective(P, Q, R, 0.05);
    assert.ok(J2 < J, `step ${t}: ${J2} ≥ ${J}`);
    J = J2;
  }
  assert.ok(first.P.length === 6 && first.Q.length === 5);
  assert.throws(() => gradientStep(P, Q, R, 0), /lr must be a positive number/);
});

test("alternating least squares: the objective never increases, for λ = 0 and λ > 0", () => {
  const rng = new Rng(3);
  for (const lambda of [0, 0.1, 1]) {
    const R = randomRatings(rng, 7, 6, 0.35);
    let P = randomMatrix(rng, 7, 2);
    let Q = randomMatrix(rng, 6, 2);
    let J = funkObjective(P, Q, R, lambda);
    for (let t = 0; t < 15; t++) {
      P = alsUserStep(R, Q, lambda);
      const J1 = funkObjective(P, Q, R, lambda);
      assert.ok(J1 <= J + 1e-9, `λ=${lambda} user step ${t}: ${J1} > ${J}`);
      Q = alsItemStep(R, P, lambda);
      const J2 = funkObjective(P, Q, R, lambda);
      assert.ok(J2 <= J1 + 1e-9, `λ=${lambda} item step ${t}: ${J2} > ${J1}`);
      J = J2;
    }
    // a half-step is the exact minimiser: its gradient with respect to P vanishes
    const g = funkGradient(P, Q, R, lambda);
    const Pstar = alsUserStep(R, Q, lambda);
    const gStar = funkGradient(Pstar, Q, R, lambda);
    for (const row of gStar.dP) for (const x of row) close(x, 0, 1e-8);
    assert.ok(g.dQ.flat().every((x) => Math.abs(x) < 1e-8), "after the item step ∂J/∂Q = 0");
  }
});

test("ALS on a complete rank-1 matrix recovers it", () => {
  const a = [1, 2, 1.5, 0.5];
  const b = [2, 1, 3];
  const R = a.map((x) => b.map((y) => x * y));
  let Q: Matrix = [[1], [1], [1]];
  let P: Matrix = [];
  for (let t = 0; t < 5; t++) {
    P = alsUserStep(R, Q);
    Q = alsItemStep(R, P);
  }
  close(observedRmse(P, Q, R), 0, 1e-12);
});

test("by-hand functions reject inconsistent shapes and underdetermined least squares", () => {
  const R = [
    [1, 2],
    [3, NaN],
  ];
  assert.throws(() => funkObjective([[1], [2]], [[1]], R), /Q has 1 rows but R has 2 items/);
  assert.throws(() => funkObjective([[1]], [[1], [2]], R), /P has 1 rows/);
  assert.throws(() => funkObjective([[1], [2]], [[1], [2]], [[1, 2], [3]]), /not rectangular/);
  assert.throws(() => funkObjective([[1, 2], [2]], [[1, 1], [2, 2]], R), /P row 1 has 1 factors/);
  // user 1 has one observed rating for two factors: no unique least-squares solution without λ
  assert.throws(() => alsUserStep(R, [[1, 0], [0, 1]]), /user 1 has no unique solution.*lambda > 0/);
  assert.doesNotThrow(() => alsUserStep(R, [[1, 0], [0, 1]], 0.1));
});

test("choleskySolve solves SPD systems and refuses indefinite ones", () => {
  const rng = new Rng(4);
  for (const n of [1, 2, 5, 21]) {
    // A = B Bᵀ + I is SPD; choose x, compute b = A x, solve
    const B = Array.from({ length: n * n }, () => rng.normal());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let m = 0; m < n; m++) s += B[i * n + m] * B[j * n + m];
        A[i * n + j] = s;
      }
    }
    const x = Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, (_, i) => x.reduce((s, xj, j) => s + A[i * n + j] * xj, 0));
    assert.equal(choleskySolve(A.slice(), b, n), true);
    b.forEach((v, i) => close(v, x[i], 1e-8, `x[${i}]`));
  }
  const indefinite = Float64Array.from([1, 2, 2, 1]);
  assert.equal(choleskySolve(indefinite, new Float64Array(2), 2), false);
});

test("shuffleInPlace: a seeded, uniform permutation; shuffleRange touches only its range", () => {
  const a = shuffleInPlace(new Rng(1), Int32Array.from({ length: 1000 }, (_, i) => i));
  const b = shuffleInPlace(new Rng(1), Int32Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(a, b);
  assert.deepEqual(
    Array.from(a).sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.notDeepEqual(a, shuffleInPlace(new Rng(2), Int32Array.from({ length: 1000 }, (_, i) => i)));
  // all 6 orders of 3 elements about equally often: 60,000 draws, 10,000 expected each, σ ≈ 91
  const rng = new Rng(5);
  const counts = new Map<string, number>();
  for (let t = 0; t < 60000; t++) {
    const key = shuffleInPlace(rng, Int32Array.from([0, 1, 2])).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const c of counts.values()) assert.ok(Math.abs(c - 10000) < 500, `count ${c}`);
  // positions outside [3, 7) stay put
  const c = Int32Array.from({ length: 10 }, (_, i) => i);
  shuffleRange(new Rng(3), c, 3, 7);
  assert.deepEqual(Array.from(c.subarray(0, 3)), [0, 1, 2]);
  assert.deepEqual(Array.from(c.subarray(7)), [7, 8, 9]);
  assert.deepEqual(Array.from(c.subarray(3, 7)).sort(), [3, 4, 5, 6]);
});
