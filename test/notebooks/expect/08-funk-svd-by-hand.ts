import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// Everything runs on the 4×5 toy album table with seeded starts, so most numbers are exact up to
// floating point; the tolerances only absorb a change of seed or of the number of steps.
const expectations: NotebookExpectations = {
  records: {
    // alternating least squares: the squared error after every half-step never increases
    halfStepErrors: (v) => {
      assert.ok(Array.isArray(v) && v.length >= 10, "halfStepErrors should be an array of ≥ 10 numbers");
      const e = v as number[];
      for (let h = 1; h < e.length; h++) {
        assert.ok(e[h] <= e[h - 1] * (1 + 1e-9) + 1e-12, `half-step ${h + 1} increased the error: ${e[h - 1]} → ${e[h]}`);
      }
      assert.ok(e[e.length - 1] < e[0] / 10, "the alternation should cut the error by more than 10×");
    },
    alsRmse: { min: 0, max: 0.3 },
    // the worked term (1.15, 2.16)·(−1.77, 1.88) against a true 2
    workedDot: { approx: 2.02, tol: 0.01 },
    workedSquaredError: { approx: 0.0004, tol: 0.0003 },
    errorTerms: 16,
    parameters: 18,
    // without λ the gaps are not determined; with λ every start agrees
    seedSpreadNoReg: { min: 1 },
    seedSpreadReg: { max: 1e-6 },
    alsObjective: { approx: 20.8522, tol: 1e-3 },
    // zero-filling: Diego (a pop fan) would be predicted to dislike Zhou Shen
    zeroFillDiegoZhouShen: { max: 3 },
    zeroFillRmse: { min: 0.5 },
    gradCheckMaxRelDiff: { max: 1e-6 },
    // gradient descent reaches the same minimum as alternating regression
    gdObjective: { approx: 20.8522, tol: 1e-3 },
    singularValues: (v) => {
      assert.ok(Array.isArray(v) && v.length === 4, "4 singular values");
      const s = v as number[];
      for (let f = 1; f < 4; f++) assert.ok(s[f] <= s[f - 1], "singular values in decreasing order");
      assert.ok(Math.abs(s[0] - 13.0193) < 1e-3 && Math.abs(s[1] - 7.3642) < 1e-3, `σ1, σ2 = ${s[0]}, ${s[1]}`);
    },
    rank2Share: { approx: 0.99437, tol: 1e-4 },
    pc1Explained: { approx: 0.97536, tol: 1e-4 },
    meanFillRmse: { approx: 0.62686, tol: 1e-4 },
    funkRmse: { approx: 0.26377, tol: 1e-3 },
    zeroAlsVsSvd: { max: 1e-6 },
    nearestToOmmazh: "Melt-Banana",
    nearestToBTS: "Zhou Shen",
  },
  minFigures: 5,
};

export default expectations;
