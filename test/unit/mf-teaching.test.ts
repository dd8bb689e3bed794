import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import { syntheticRatings } from "../../lib/data/synthetic";
import { randomSplit } from "../../lib/split/holdout";
import { SVD } from "../../lib/mf/svd";
import { evaluateRatings } from "../../lib/mf/crossval";
import {
  Table,
  checkComplete,
  euclideanDistances,
  factorExtremes,
  factorRows,
  fillMissing,
  knownCellRmse,
  lowRank,
  missingCells,
  pca,
  svdLearningCurve,
  trueSvd,
} from "../../lib/mf/teaching";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

const closeMatrix = (A: Table, B: Table, tol: number, what = ""): void => {
  assert.equal(A.length, B.length, `${what} rows`);
  A.forEach((row, r) => {
    assert.equal(row.length, B[r].length, `${what} row ${r} length`);
    row.forEach((x, c) => close(x, B[r][c], tol, `${what} [${r}][${c}]`));
  });
};

const randomTable = (rng: Rng, m: number, n: number): Table =>
  Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal(0, 2)));

const frob2 = (A: Table, B: Table): number => A.reduce((s, row, r) => s + row.reduce((t, x, c) => t + (x - B[r][c]) ** 2, 0), 0);

test("trueSvd by hand: a rank-1 matrix and a diagonal one (with the sign convention)", () => {
  // [[1,2],[2,4]] = 5 · (1,2)/√5 · (1,2)ᵀ/√5, ‖M‖_F = 5
  const a = trueSvd([[1, 2], [2, 4]]);
  close(a.s[0], 5, 1e-12, "σ1");
  close(a.s[1], 0, 1e-12, "σ2");
  close(a.V[0][0], 1 / Math.sqrt(5), 1e-12, "v1");
  close(a.V[1][0], 2 / Math.sqrt(5), 1e-12, "v1");
  close(a.U[0][0], 1 / Math.sqrt(5), 1e-12, "u1");
  close(a.U[1][0], 2 / Math.sqrt(5), 1e-12, "u1");
  // diag(3, −2): σ = (3, 2); V's largest entries positive, so the sign of −2 moves into U
  const b = trueSvd([[3, 0], [0, -2]]);
  assert.deepEqual(b.s.map((x) => Math.round(x * 1e12) / 1e12), [3, 2]);
  closeMatrix(b.V, [[1, 0], [0, 1]], 1e-12, "V");
  closeMatrix(b.U, [[1, 0], [0, -1]], 1e-12, "U");
});

test("trueSvd: U diag(s) Vᵀ = M, orthonormal columns, σ sorted, for wide and tall random matrices", () => {
  const rng = new Rng(7);
  for (const [m, n] of [[4, 6], [6, 3], [5, 5], [1, 4]]) {
    const M = randomTable(rng, m, n);
    const { U, s, V } = trueSvd(M);
    const r = Math.min(m, n);
    assert.equal(s.length, r);
    assert.equal(U.length, m);
    assert.equal(V.length, n);
    for (let f = 1; f < r; f++) assert.ok(s[f] <= s[f - 1] + 1e-12, "σ descending");
    const back = U.map((u) => V.map((v) => u.reduce((acc, x, f) => acc + x * s[f] * v[f], 0)));
    closeMatrix(back, M, 1e-9, `${m}×${n} reconstruction`);
    for (let f = 0; f < r; f++) {
      for (let g = 0; g < r; g++) {
        const uu = U.reduce((acc, row) => acc + row[f] * row[g], 0);
        const vv = V.reduce((acc, row) => acc + row[f] * row[g], 0);
        close(uu, f === g ? 1 : 0, 1e-9, `UᵀU ${f},${g}`);
        close(vv, f === g ? 1 : 0, 1e-9, `VᵀV ${f},${g}`);
      }
      // sign convention: the largest-magnitude entry of V's column is positive
      const col = V.map((row) => row[f]);
      const big = col.reduce((bi, x, c) => (Math.abs(x) > Math.abs(col[bi]) ? c : bi), 0);
      assert.ok(col[big] > 0, `V column ${f} sign`);
    }
    // singular values of Mᵀ are those of M
    const T = M[0].map((_, c) => M.map((row) => row[c]));
    trueSvd(T).s.forEach((x, f) => close(x, s[f], 1e-9, "σ of Mᵀ"));
  }
});

test("true SVD and PCA refuse a matrix with a missing entry, naming the cell", () => {
  const R = [[1, 2, 3], [4, 5, NaN]];
  assert.throws(() => trueSvd(R), /row 1, column 2 is missing/);
  assert.throws(() => pca(R, 1), /PCA needs every entry.*row 1, column 2/);
  assert.throws(() => checkComplete([[1, Infinity]]), /row 0, column 1 is Infinity/);
  assert.throws(() => trueSvd([]), /empty/);
  assert.throws(() => trueSvd([[1, 2], [3]]), /not rectangular/);
  checkComplete([[0, 1], [2, 3]]);
});

test("lowRank: hand case, Eckart–Young error, full rank gives M back", () => {
  closeMatrix(lowRank([[3, 0], [0, 1]], 1), [[3, 0], [0, 0]], 1e-12, "rank 1 of diag(3,1)");
  closeMatrix(lowRank([[3, 0], [0, 1]], 0), [[0, 0], [0, 0]], 1e-12, "rank 0");
  const rng = new Rng(3);
  const M = randomTable(rng, 5, 4);
  const { s } = trueSvd(M);
  for (let k = 0; k <= 4; k++) {
    const Mk = lowRank(M, k);
    const dropped = s.slice(k).reduce((a, x) => a + x * x, 0);
    close(frob2(M, Mk), dropped, 1e-9, `‖M − M_${k}‖²`);
    // no other rank-k matrix we try does better: compare with a perturbed rank-k factorisation
    if (k > 0) {
      const { U, V } = trueSvd(Mk);
      const other = U.map((u) => V.map((v) => u.slice(0, k).reduce((a, x, f) => a + x * (s[f] + 0.1) * v[f], 0)));
      assert.ok(frob2(M, other) > frob2(M, Mk));
    }
  }
  closeMatrix(lowRank(M, 10), M, 1e-9, "rank above min(m, n)");
  assert.throws(() => lowRank(M, -1), /rank must be an integer/);
});

test("pca by hand: points on the diagonal have one axis with all the variance", () => {
  const p = pca([[1, 1], [2, 2], [3, 3]], 2);
  assert.deepEqual(p.means, [2, 2]);
  closeMatrix([p.components[0]], [[Math.SQRT1_2, Math.SQRT1_2]], 1e-12, "axis 1");
  closeMatrix(p.scores.map((r) => [r[0]]), [[-Math.SQRT2], [0], [Math.SQRT2]], 1e-12, "scores");
  close(p.variance[0], 2, 1e-12, "variance (sample, m − 1)");
  close(p.variance[1], 0, 1e-12, "variance 2");
  close(p.explainedRatio[0], 1, 1e-12, "ratio");
  assert.throws(() => pca([[1, 2]], 1), /at least 2 rows/);
  assert.throws(() => pca([[1, 2], [3, 4]], 3), /nComponents/);
});

test("pca: scores are the centred data projected on the axes, variance is their sample variance", () => {
  const rng = new Rng(11);
  const M = randomTable(rng, 6, 4);
  const p = pca(M, 3);
  p.scores.forEach((row, r) =>
    row.forEach((score, f) => {
      const proj = M[r].reduce((a, x, c) => a + (x - p.means[c]) * p.components[f][c], 0);
      close(score, proj, 1e-9, "score = projection");
    }),
  );
  for (let f = 0; f < 3; f++) {
    const v = p.scores.reduce((a, row) => a + row[f] * row[f], 0) / (M.length - 1);
    close(p.variance[f], v, 1e-9, "variance");
  }
  const total = p.explainedRatio.reduce((a, b) => a + b, 0);
  assert.ok(total <= 1 + 1e-12 && total > 0);
});

test("fillMissing by hand, every rule, and fallbacks to the global mean", () => {
  const R = [[1, NaN], [3, 5]];
  assert.deepEqual(fillMissing(R, "zero"), [[1, 0], [3, 5]]);
  assert.deepEqual(fillMissing(R, "item-mean"), [[1, 5], [3, 5]]);
  assert.deepEqual(fillMissing(R, "user-mean"), [[1, 1], [3, 5]]);
  assert.deepEqual(fillMissing(R, "global-mean"), [[1, 3], [3, 5]]);
  // a column with nothing known falls back to the global mean (2)
  assert.deepEqual(fillMissing([[1, NaN], [3, NaN]], "item-mean"), [[1, 2], [3, 2]]);
  assert.ok(Number.isNaN(R[0][1]), "input untouched");
  assert.throws(() => fillMissing([[NaN]], "zero"), /no known entry/);
  assert.throws(() => fillMissing(R, "median" as never), /unknown rule/);
});

test("missingCells and knownCellRmse (a rating of 0 is a known rating, not a gap)", () => {
  const R = [[0, NaN], [3, 5], [NaN, NaN]];
  assert.deepEqual(missingCells(R), [[0, 1], [2, 0], [2, 1]]);
  // errors over known cells: 0 − 1, 3 − 1, 5 − 1 → √((1 + 4 + 16) / 3)
  close(knownCellRmse([[1, 100], [1, 1], [100, 100]], R), Math.sqrt(21 / 3), 1e-12);
  assert.throws(() => knownCellRmse([[1, 1]], R), /predictions are 1×2 but R is 3×2/);
  assert.throws(() => knownCellRmse([[1]], [[NaN]]), /no known entry/);
});

test("euclideanDistances and factorRows", () => {
  const D = euclideanDistances([[0, 0], [3, 4], [0, 4]]);
  assert.deepEqual(D, [[0, 5, 4], [5, 0, 3], [4, 3, 0]]);
  assert.deepEqual(factorRows(Float64Array.from([1, 2, 3, 4, 5, 6]), 3), [[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => factorRows([1, 2, 3], 2), /whole number of rows/);
});

test("factorExtremes: both ends, ties by inner id, eligibility filter", () => {
  // 5 items, k = 2; factor 1 values: 1, −2, 3, 3, 0
  const Q = Float64Array.from([9, 1, 9, -2, 9, 3, 9, 3, 9, 0]);
  assert.deepEqual(factorExtremes(Q, 2, 1, 2), { lowest: [1, 4], highest: [2, 3] });
  assert.deepEqual(factorExtremes(Q, 2, 1, 10), { lowest: [1, 4, 0, 2, 3], highest: [2, 3, 0, 4, 1] });
  assert.deepEqual(factorExtremes(Q, 2, 1, 1, (i) => i !== 1 && i !== 2), { lowest: [4], highest: [3] });
  assert.deepEqual(factorExtremes(Q, 2, 0, 0), { lowest: [], highest: [] });
  assert.throws(() => factorExtremes(Q, 2, 2, 1), /factor must be an integer in 0..1/);
  assert.throws(() => factorExtremes(Q, 3, 0, 1), /not rows of 3/);
});

test("svdLearningCurve: the point after epoch e is exactly a fresh fit with nEpochs = e (SVD and PMF, every order)", () => {
  const data = syntheticRatings({ users: 60, items: 40, ratings: 900, seed: 5 });
  const { train, test: valid } = randomSplit(data, { testSize: 0.2, seed: 2 });
  for (const [options, epochs] of [
    [{ nFactors: 6, regAll: 0, lrAll: 0.02, seed: 3 }, [1, 2, 5, 7]],
    [{ nFactors: 4, biased: false, seed: 9, order: "shuffle" as const }, [1, 4, 7]],
    [{ nFactors: 3, seed: 1, order: "user-blocks" as const }, [3, 7]],
  ] as const) {
    const { curve, model } = svdLearningCurve(train, valid, { ...options, nEpochs: 7 });
    assert.deepEqual(curve.epochs, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(curve.train.length, 7);
    assert.equal(curve.validation.length, 7);
    for (const e of epochs) {
      const fresh = new SVD({ ...options, nEpochs: e }).fit(train);
      assert.equal(curve.train[e - 1], evaluateRatings(fresh, train).rmse, `train, epoch ${e}`);
      assert.equal(curve.validation[e - 1], evaluateRatings(fresh, valid).rmse, `validation, epoch ${e}`);
    }
    // the returned model is the last epoch's, and predicts like the fresh fit
    const full = new SVD({ ...options, nEpochs: 7 }).fit(train);
    for (let x = 0; x < valid.nRatings; x += 7) {
      assert.equal(model.predict(valid.users[x], valid.items[x]).value, full.predict(valid.users[x], valid.items[x]).value);
    }
    assert.deepEqual(model.epochRmse, full.epochRmse);
  }
});

test("svdLearningCurve: without regularisation the training error keeps falling; bad inputs are named", () => {
  const data = syntheticRatings({ users: 50, items: 30, ratings: 700, seed: 8 });
  const { train, test: valid } = randomSplit(data, { testSize: 0.25, seed: 4 });
  const { curve } = svdLearningCurve(train, valid, { nFactors: 8, regAll: 0, lrAll: 0.02, nEpochs: 40, seed: 1 });
  assert.ok(curve.train[39] < curve.train[9] && curve.train[9] < curve.train[0], "training RMSE falls");
  const other = syntheticRatings({ users: 20, items: 30, ratings: 200, seed: 1 });
  assert.throws(() => svdLearningCurve(train, other, {}), /do not share inner ids/);
});
