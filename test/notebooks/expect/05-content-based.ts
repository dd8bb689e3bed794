import type { NotebookExpectations } from "../expectations";

// Part 1 (the toy album table) is exact arithmetic: each tolerance is half a unit of the last digit
// the notebook shows (3 decimals for the per-listener fits and predictions, 2 for the per-album fits).
// Part 2: similarities are exact properties of MovieLens 100K; the accuracies come from one seeded
// 75/25 hold-out, deterministic, with room for harmless changes in how the split draws.
const expectations: NotebookExpectations = {
  records: {
    // per-listener regression (intercept, λ = 0) on the expert factors
    "toy.an.intercept": { approx: 7.706, tol: 0.0005 },
    "toy.an.thetaLofi": { approx: -2.627, tol: 0.0005 },
    "toy.an.thetaSlick": { approx: -7.195, tol: 0.0005 },
    "toy.an.ommazh": { approx: 4.885, tol: 0.0005 },
    "toy.bhavana.intercept": { approx: 4.046, tol: 0.0005 },
    "toy.bhavana.thetaLofi": { approx: 0.745, tol: 0.0005 },
    "toy.bhavana.thetaSlick": { approx: -3.393, tol: 0.0005 },
    "toy.bhavana.bts": { approx: 0.724, tol: 0.0005 },
    "toy.diego.zhouShenRaw": { approx: 5.464, tol: 0.0005 },
    "toy.diego.zhouShen": 5, // clipped to the top of the scale
    "toy.diego.meltBanana": { approx: 1.0, tol: 0.0005 },
    // 3 ratings, 3 parameters: the fit goes through every rating
    "toy.diego.maxTrainingError": { min: 0, max: 1e-9 },
    // per-album regression (no intercept) on the survey answers
    "toy.item.ommazh.thetaLofi": { approx: 1, tol: 0.005 },
    "toy.item.ommazh.thetaSlick": { approx: 0, tol: 0.005 },
    "toy.item.cordeliaOmmazh": { approx: 2, tol: 0.005 },
    "toy.item.bts.thetaLofi": { approx: -0.19, tol: 0.005 },
    "toy.item.bts.thetaSlick": { approx: 1.06, tol: 0.005 },
    "toy.item.anBts": { approx: 0.1, tol: 0.005 },
    // recommendations from the filled table
    "toy.diegoTopPick": "Zhou Shen",
    "toy.anRecommendations": 0,
    // MovieLens 100K content similarity: 5 shared of 5 and 6 genres, 3 years apart
    "ml.cosineStarWarsEmpire": { approx: 5 / Math.sqrt(30), tol: 1e-9 },
    "ml.similarityStarWarsEmpire": { approx: (5 / Math.sqrt(30)) * Math.exp(-0.3), tol: 1e-9 },
    "ml.similarityToyStoryPulpFiction": 0,
    "ml.yearDisagreements": 190,
    "ml.contentKnnRecommendations": 10,
    "ml.explainNeighbours": 40,
    // hold-out accuracy (seed 1, 25% test)
    "contentKnn.rmse": { approx: 1.018, tol: 0.005 },
    "contentKnn.mae": { approx: 0.811, tol: 0.005 },
    "perUserRegression.rmse": { approx: 1.027, tol: 0.005 },
    "perUserRegression.mae": { approx: 0.82, tol: 0.005 },
    "random.rmse": { approx: 1.52, tol: 0.02 },
    "random.mae": { approx: 1.223, tol: 0.02 },
  },
  // albums in factor space, fitted vs actual, year similarity, heatmap, accuracy bars, genre weights
  minFigures: 6,
};

export default expectations;
