import type { NotebookExpectations } from "../expectations";

// Sections 1–3 and the KNN anatomy fit on the full data set: exact properties of MovieLens 100K
// (ties go to the smaller inner id). Hit rates depend on the seeded leave-one-out split, so they get
// the tolerance of notebooks 01–02 (item CF as taught must stay near zero). Cross-validated errors
// depend on the seeded folds: within 0.005 of the values Surprise publishes for these algorithms.
const expectations: NotebookExpectations = {
  records: {
    userTop1: "Scream (1996)",
    userNeighboursSupportOne: 2,
    userNeighboursMaxRatings: 33,
    itemTop1: "Ed's Next Move (1996)",
    itemRecsMeanRatings: { approx: 5.3, tol: 1e-9 },
    thresholdNeighbours: 591,
    likedSources: 156,
    userSupportTop1: "Liar Liar (1997)",
    itemSupportTop1: "Rear Window (1954)",
    itemSupportMeanRatings: { approx: 289.4, tol: 1e-9 },
    hrPopularity: { approx: 0.1432, tol: 0.015 },
    hrUserCF: { approx: 0.0414, tol: 0.015 },
    hrUserCFThreshold: { approx: 0.1209, tol: 0.015 },
    hrUserCFSupport: { approx: 0.0944, tol: 0.015 },
    hrUserCFThresholdSupport: { approx: 0.1644, tol: 0.015 },
    hrItemCF: { min: 0, max: 0.01 },
    hrItemCFLiked: { min: 0, max: 0.025 },
    hrItemCFSupport: { approx: 0.1474, tol: 0.015 },
    arhrUserCFThresholdSupport: { approx: 0.0611, tol: 0.01 },
    anatomyNeighbours: 40,
    anatomyPrediction: { approx: 3.341798, tol: 1e-6 },
    "knn-basic.rmse": { approx: 0.9789, tol: 0.005 },
    "knn-basic.mae": { approx: 0.7728, tol: 0.005 },
    "knn-means.rmse": { approx: 0.9516, tol: 0.005 },
    "knn-means.mae": { approx: 0.7496, tol: 0.005 },
    "knn-zscore.rmse": { approx: 0.9518, tol: 0.005 },
    "knn-zscore.mae": { approx: 0.7464, tol: 0.005 },
    "knn-baseline.rmse": { approx: 0.931, tol: 0.005 },
    "knn-baseline.mae": { approx: 0.7331, tol: 0.005 },
    "baseline.rmse": { approx: 0.9447, tol: 0.005 },
    "baseline.mae": { approx: 0.7489, tol: 0.005 },
    bestRmse: "KNN with baseline",
  },
  // hit rates of the leave-one-out bake-off, RMSE/MAE of the cross-validation
  minFigures: 2,
};

export default expectations;
