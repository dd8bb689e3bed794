import type { NotebookExpectations } from "../expectations";

// Counts and shares are exact properties of MovieLens 100K; the hit rates depend on the seeded
// leave-one-out split, so they get a tolerance that survives a change in how the split draws.
const expectations: NotebookExpectations = {
  records: {
    headItems: 169,
    topShare: { approx: 0.42871, tol: 1e-6 },
    itemsForHalf: 215,
    bottomHalfShare: { approx: 0.07299, tol: 1e-6 },
    rank1ForUserA: "Star Wars (1977)",
    listOverlap: 3,
    distinctRecommended: 92,
    hrRandom: { min: 0, max: 0.03 },
    hrPopularity: { approx: 0.1432, tol: 0.015 },
    arhrPopularity: { approx: 0.0508, tol: 0.01 },
    bestRatedTitle: "Close Shave, A (1995)",
    bestRatedNoThresholdCount: 3,
  },
  minFigures: 4,
};

export default expectations;
