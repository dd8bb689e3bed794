import type { NotebookExpectations } from "../expectations";

// Per-user 80/20 split of ML-100K (seed 42), relevant = hidden rating ≥ 4, 300 sampled users.
// The numbers are deterministic; the tolerances leave room for harmless changes such as
// tie-breaking inside the recommenders, not for a different protocol.
const expectations: NotebookExpectations = {
  records: {
    usersWithRelevant: 928,
    meanRelevant: { approx: 11.9644, tol: 1e-3 },
    sampleUsers: 300,
    popularityPrecision10: { approx: 0.1307, tol: 0.005 },
    popularityRecall10: { approx: 0.1447, tol: 0.005 },
    popularityF1At10: { approx: 0.1148, tol: 0.005 },
    itemsimPrecision10: { approx: 0.1957, tol: 0.005 },
    itemsimRecall10: { approx: 0.2188, tol: 0.005 },
    itemsimF1At10: { approx: 0.171, tol: 0.005 },
    randomPrecision10: { approx: 0.00751, tol: 2e-4 },
    oraclePrecision10: { approx: 0.692, tol: 1e-3 },
    betterAt10: "itemsim",
    itemsimBetterAtEveryN: true,
  },
  // relevant-per-user histogram, precision@N, recall@N, precision–recall curve, F1@N
  minFigures: 5,
};

export default expectations;
