import type { NotebookExpectations } from "../expectations";

// Nothing in this notebook is random: the toy checks, neighbour lists, similarities and pair counts
// are exact properties of the tiny example and of MovieLens 100K. Similarities are float32, hence
// the 1e-6 tolerances; neighbour ids and counts are exact (ties go to the smaller inner id).
const expectations: NotebookExpectations = {
  records: {
    // every hand computation of section 1 agreed with lib (the cells assert it)
    toyChecks: 17,
    toyCosineAnnDee: 1,
    cosineTop1: "341",
    pearsonTop1: "355",
    msdTop1: "289",
    cosineMedianSupport: 6,
    pearsonMedianSupport: 8,
    msdMedianSupport: 7,
    sharedCosinePearson: 5,
    sharedCosineMsd: 2,
    sharedPearsonMsd: 3,
    sliceCosineMin: { approx: 0.902412, tol: 1e-6 },
    sliceAdjustedMax: { approx: 0.826287, tol: 1e-6 },
    sliceAdjustedMin: { approx: -0.364294, tol: 1e-6 },
    sliceAdjustedTopPair: "Star Wars (1977) + Empire Strikes Back, The (1980)",
    sliceAdjustedBottomPair: "Godfather, The (1972) + Liar Liar (1997)",
    pairsCoRated: 429110,
    pairsSupportOne: 22359,
    pairsCosineOne: 27696,
    pairsCosineOneSupportOne: 22359,
    pairsAtLeastMinSupport: 327911,
    fewTopSupportOne: 10,
    fewStrictMinSupport: 5,
    fewListsShared: 0,
  },
  // the support scatter, two heatmaps, cosine-1 pairs by support
  minFigures: 4,
};

export default expectations;
