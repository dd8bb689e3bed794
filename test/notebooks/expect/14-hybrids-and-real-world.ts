import assert from "node:assert/strict";
import type { NotebookExpectations } from "../expectations";

// ml-latest-small-2016, seed 1 for every split, model and sample. Every model here is seeded and
// every protocol deterministic, so the numbers repeat exactly on one machine; the ranges leave
// room for floating-point differences and harmless changes (tie-breaking, a different but equally
// good SGD visiting order), not for a broken hybrid, filter or protocol. Hit rates rest on a
// handful of hits (a few hundred users × 1–6%), so their tolerances are a few hits wide. The
// claims the text makes are checked as such: the hybrid beats both parts, content KNN wins on
// rare movies and SVD on popular ones, the exploration slot costs at most the rank-10 hits and
// shows a new movie in every list, content fill costs more, the stoplist changes next to nothing,
// the outlier filter helps user CF on average, random leave-one-out flatters popularity and SVD,
// recency-weighted popularity beats popularity on the future, user CF churns most.
const expectations: NotebookExpectations = {
  records: {
    // 1. hybrids
    svdRmse: { approx: 0.9008, tol: 0.003 },
    contentKnnRmse: { approx: 0.9228, tol: 0.003 },
    hybridRmse: { approx: 0.8848, tol: 0.003 },
    hybridLearnedRmse: { approx: 0.8837, tol: 0.003 },
    hybridBeatsBothParts: true,
    learnedBeatsBothParts: true,
    learnedWeights: (v) => {
      const w = v as number[];
      assert.ok(Array.isArray(w) && w.length === 2, `learnedWeights ${JSON.stringify(v)}: two weights`);
      assert.ok(Math.abs(w[0] + w[1] - 1) < 1e-9 && w.every((x) => x >= 0), `learnedWeights ${JSON.stringify(v)}: on the simplex`);
      // the text: "a bit more weight on the better model" (SVD)
      assert.ok(w[0] > 0.5 && w[0] < 0.65, `learnedWeights ${JSON.stringify(v)}: SVD's weight should be a little above 0.5`);
    },
    contentBeatsSvdOnRareMovies: true,
    svdBeatsContentOnPopularMovies: true,
    // the text: the hybrid is the best of the three in every bucket but the last (100+ ratings)
    bucketsWhereHybridIsBest: 4,
    slotsFromContent: 3,
    fallbackDayOneSources: (v) => assert.deepEqual(v, ["popularity"], `fallbackDayOneSources ${JSON.stringify(v)}`),
    fallbackAfterOneSources: (v) => assert.deepEqual(v, ["svd"], `fallbackAfterOneSources ${JSON.stringify(v)}`),
    // 2. cold start (300 sampled users)
    newestYear: 2016,
    coldSvdHr: { min: 0.02, max: 0.045 },
    explorationHr: { min: 0.015, max: 0.045 },
    contentFillHr: { min: 0.005, max: 0.03 },
    explorationHrCost: { min: 0, max: 0.01 },
    explorationCostWithinRankNHits: true,
    contentFillHrCost: { min: 0.007 },
    explorationListsWithNew: 1,
    svdListsWithNew: { max: 0.05 },
    contentFillListsWithCold: { min: 0.5 },
    // 3. stoplist
    stoplistBlockedItems: 36,
    stoplistRemovedRatings: 185,
    stoplistWholeWordBlocked: 23,
    "stoplist.usercfHrBefore": { approx: 0.0119, tol: 0.002 },
    "stoplist.usercfHrAfter": { approx: 0.0119, tol: 0.003 },
    "stoplist.catalogCoverageBefore": { approx: 0.0591, tol: 0.003 },
    "stoplist.catalogCoverageAfter": { approx: 0.0593, tol: 0.003 },
    "stoplist.noveltyBefore": { approx: 217, tol: 10 },
    "stoplist.noveltyAfter": { approx: 217, tol: 10 },
    "stoplist.blockedShownBefore": { max: 2 },
    "stoplist.changedLists": { min: 0, max: 30 },
    // 4. outliers
    usersRemoved: 15,
    ratingsAfterOutlierFilter: 80398,
    ratingsRemovedByOutlierFilter: 19606,
    outlierCut: { approx: 842.2, tol: 0.1 },
    usercfHrBefore: { approx: 0.0119, tol: 0.002 },
    usercfHrAfter: { approx: 0.0183, tol: 0.002 },
    usercfHrBeforeMean: { approx: 0.0152, tol: 0.003 },
    usercfHrAfterMean: { approx: 0.0189, tol: 0.003 },
    outlierFilterHelpsOnAverage: true,
    // 5. time
    "loo.popularity.hr": { approx: 0.0626, tol: 0.002 },
    "temporalLoo.popularity.hr": { approx: 0.0432, tol: 0.002 },
    "loo.usercf.hr": { approx: 0.0119, tol: 0.002 },
    "temporalLoo.usercf.hr": { approx: 0.0209, tol: 0.003 },
    "loo.svd.hr": { approx: 0.0194, tol: 0.005 },
    "temporalLoo.svd.hr": { approx: 0.0149, tol: 0.005 },
    randomLooFlattersPopularity: true,
    randomLooFlattersSvd: true,
    usercfBetterOnLatest: true,
    "temporal.popularity.precision": { approx: 0.2778, tol: 0.005 },
    "temporal.recentPopularity365.precision": { approx: 0.3185, tol: 0.005 },
    "temporal.coldStartUsers": 60,
    "temporal.recentPopularity.precisionByHalfLife": (v) => {
      const a = v as [number, number][];
      assert.ok(Array.isArray(a) && a.length === 5, `precisionByHalfLife ${JSON.stringify(v)}: five half-lives`);
      const p = new Map(a);
      // the text: a month forgets too much, ten years is almost no decay, about a year is best
      assert.ok(p.get(30)! < p.get(365)! && p.get(3650)! < p.get(365)!, `precisionByHalfLife ${JSON.stringify(v)}`);
    },
    // 6. churn and responsiveness (50 users)
    "churn.popularity": { max: 0.02 },
    "churn.usercf": { approx: 0.136, tol: 0.04 },
    "churn.svd": { approx: 0.04, tol: 0.03 },
    churnOrder: true,
    "responsiveness.popularity": { min: 1, max: 5 },
    "responsiveness.popularity.neverChanged": { min: 30 },
    "responsiveness.usercf": { min: 1, max: 4 },
    "responsiveness.usercf.neverChanged": { max: 25 },
  },
  // RMSE bars, RMSE by movie popularity, cold start, ratings per user, outlier HR, random vs
  // temporal HR, recency precision, responsiveness, the weight curve of exercise 3
  minFigures: 9,
};

export default expectations;
