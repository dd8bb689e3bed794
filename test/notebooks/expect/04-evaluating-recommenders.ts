import type { NotebookExpectations } from "../expectations";

// Course protocol on ML-100K, seed 1, top-10. The numbers are deterministic; tolerances leave
// room for harmless changes (tie-breaking, the random baseline's hash), not for another protocol.
const expectations: NotebookExpectations = {
  records: {
    // every hand computation of the tiny example agreed with lib (the cells assert it)
    toyChecks: 25,
    "random.rmse": { approx: 1.52, tol: 0.02 },
    "random.mae": { approx: 1.223, tol: 0.02 },
    "random.hr": { min: 0, max: 0.02 },
    "random.arhr": { min: 0, max: 0.01 },
    "random.catalogCoverage": { min: 0.95, max: 1 },
    "random.diversity": { approx: 0.92, tol: 0.01 },
    "random.novelty": { approx: 883, tol: 15 },
    "popularity.hr": { approx: 0.1432, tol: 0.003 },
    "popularity.chr": { approx: 0.1621, tol: 0.003 },
    "popularity.arhr": { approx: 0.0508, tol: 0.002 },
    "popularity.coverage": 1,
    "popularity.catalogCoverage": { approx: 0.0547, tol: 0.002 },
    "popularity.diversity": { approx: 0.4722, tol: 0.003 },
    "popularity.novelty": { approx: 13.37, tol: 0.2 },
    "popularity.noveltyBits": { approx: 1.181, tol: 0.01 },
    "itemsim.hr": { approx: 0.2216, tol: 0.003 },
    "itemsim.chr": { approx: 0.235, tol: 0.003 },
    "itemsim.arhr": { approx: 0.1014, tol: 0.002 },
    "itemsim.coverage": 1,
    "itemsim.catalogCoverage": { approx: 0.1534, tol: 0.003 },
    "itemsim.diversity": { approx: 0.4424, tol: 0.003 },
    "itemsim.novelty": { approx: 60.07, tol: 1 },
    "itemsim.noveltyBits": { approx: 1.737, tol: 0.01 },
    // popularity and itemsim are rankers: no RMSE/MAE
    rankersHaveRmse: false,
    bestHR: "Item similarity",
    hiddenPerStar: (v) => {
      const a = v as number[];
      if (!Array.isArray(a) || a.length !== 5 || a.reduce((x, y) => x + y, 0) !== 943) {
        throw new Error(`hiddenPerStar ${JSON.stringify(v)}: expected 5 counts summing to 943 (one hidden rating per user)`);
      }
    },
    "itemsim.ratingHitRate": (v) => {
      const a = v as [number, number][];
      if (!Array.isArray(a) || a.length !== 5) throw new Error(`itemsim.ratingHitRate ${JSON.stringify(v)}: expected 5 rating values`);
      // the notebook's text: liked (5★) movies are hit more often than disliked (1★, 2★) ones
      if (!(a[4][1] > a[0][1] && a[4][1] > a[1][1])) throw new Error(`itemsim.ratingHitRate ${JSON.stringify(v)}: 5★ not above 1★ and 2★`);
    },
    sampleTitles: (v) => {
      if (!Array.isArray(v) || v.length !== 3 || v.some((t) => typeof t !== "string" || t === "")) {
        throw new Error(`sampleTitles ${JSON.stringify(v)}: expected three non-empty titles`);
      }
    },
  },
  // hit rates of the bake-off, rating hit rate by rating value
  minFigures: 2,
};

export default expectations;
