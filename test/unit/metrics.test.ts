import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import type { Recommendation, RecommendOptions } from "../../lib/model/recommender";
import { mae, rmse } from "../../lib/metrics/accuracy";
import { TopNLists, countRecommendations, topNLists } from "../../lib/metrics/topn";
import { LeftOut, arhr, cumulativeHitRate, hitRanks, hitRate, ratingHitRate } from "../../lib/metrics/hits";
import { catalogCoverage, userCoverage } from "../../lib/metrics/coverage";
import { diversity } from "../../lib/metrics/diversity";
import { novelty, selfInformationNovelty } from "../../lib/metrics/novelty";
import {
  averagePrecisionAtK,
  f1AtK,
  meanOverUsers,
  ndcgAtK,
  precisionAtK,
  rankingMetrics,
  recallAtK,
  relevantItems,
} from "../../lib/metrics/ranking";

const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-9, msg ?? `${a} ≠ ${b}`);

const rec = (items: number[], scores: number[]): Recommendation[] => items.map((item, k) => ({ item, score: scores[k] }));

/** u0: items 5, 3, 8 (scores 4.9, 4.5, 4.1); u1: items 2, 5 (3.9, 3.5); u2: an empty list; u3: no list. */
function lists(): TopNLists {
  return new Map([
    [0, rec([5, 3, 8], [4.9, 4.5, 4.1])],
    [1, rec([2, 5], [3.9, 3.5])],
    [2, []],
  ]);
}

/**
 * Left-out ratings (user, item, rating) and where they land:
 * (0, 3, 5) hit at rank 2 · (1, 2, 4) hit at rank 1 · (2, 1, 2) miss (empty list) ·
 * (3, 5, 3) miss (no list) · (0, 9, 4) miss.
 */
const leftOut: LeftOut = {
  users: [0, 1, 2, 3, 0],
  items: [3, 2, 1, 5, 9],
  ratings: [5, 4, 2, 3, 4],
};

test("rmse and mae: hand-computed", () => {
  // errors 1, 0, −2 → squares 1, 0, 4 → RMSE = sqrt(5/3); |errors| 1, 0, 2 → MAE = 3/3 = 1
  close(rmse([3, 4, 1], [2, 4, 3]), Math.sqrt(5 / 3));
  close(mae([3, 4, 1], [2, 4, 3]), 1);
  close(rmse(Float64Array.from([2.5]), Float32Array.from([4])), 1.5);
  assert.equal(rmse([1, 2], [1, 2]), 0);
  // RMSE ≥ MAE always (quadratic mean ≥ arithmetic mean)
  const rng = new Rng(3);
  for (let t = 0; t < 50; t++) {
    const p = Array.from({ length: 20 }, () => rng.uniform(1, 5));
    const a = Array.from({ length: 20 }, () => rng.int(5) + 1);
    assert.ok(rmse(p, a) >= mae(p, a) - 1e-12);
  }
});

test("rmse and mae: clear errors instead of NaN", () => {
  assert.throws(() => rmse([], []), /rmse: no predictions \(empty input\)/);
  assert.throws(() => mae([], []), /mae: no predictions/);
  assert.throws(() => rmse([1, 2], [1]), /2 predictions but 1 actual ratings/);
  assert.throws(() => rmse([1, NaN], [1, 2]), /predicted\[1\] is NaN/);
  assert.throws(() => mae([1, 2], [Infinity, 2]), /actual\[0\] is Infinity/);
});

test("hit rate, cumulative hit rate, rating hit rate, ARHR: hand-computed", () => {
  assert.deepEqual(Array.from(hitRanks(lists(), leftOut)), [2, 1, 0, 0, 0]);
  // 2 hits out of 5 left-out ratings
  close(hitRate(lists(), leftOut), 2 / 5);
  // ratings ≥ 4: (0,3,5) hit, (1,2,4) hit, (0,9,4) miss → 2/3
  close(cumulativeHitRate(lists(), leftOut), 2 / 3);
  // ratings ≥ 5: only (0,3,5), a hit → 1
  close(cumulativeHitRate(lists(), leftOut, 5), 1);
  // by rating: 2 → 0/1, 3 → 0/1, 4 → 1/2, 5 → 1/1, in increasing order
  assert.deepEqual(Array.from(ratingHitRate(lists(), leftOut)), [[2, 0], [3, 0], [4, 0.5], [5, 1]]);
  // (1/2 + 1/1) / 5 = 0.3
  close(arhr(lists(), leftOut), 0.3);
});

test("hit rates: invariants on random lists", () => {
  const rng = new Rng(11);
  for (let t = 0; t < 30; t++) {
    const l: TopNLists = new Map();
    const lo: LeftOut = { users: [] as number[], items: [] as number[], ratings: [] as number[] };
    for (let u = 0; u < 20; u++) {
      const items = Array.from(rng.sample(30, 1 + rng.int(10)));
      l.set(u, rec(items, items.map(() => rng.uniform(1, 5))));
      (lo.users as number[]).push(u);
      (lo.items as number[]).push(rng.int(30));
      (lo.ratings as number[]).push(1 + rng.int(5));
    }
    const hr = hitRate(l, lo);
    assert.ok(hr >= 0 && hr <= 1);
    assert.ok(arhr(l, lo) <= hr + 1e-12, "ARHR ≤ HR");
    const minRating = Math.min(...(lo.ratings as number[]));
    close(cumulativeHitRate(l, lo, minRating), hr, "cHR at the minimum rating = HR");
    // HR is the count-weighted mean of the rating hit rates
    const counts = new Map<number, number>();
    for (const r of lo.ratings as number[]) counts.set(r, (counts.get(r) ?? 0) + 1);
    let weighted = 0;
    for (const [r, rate] of ratingHitRate(l, lo)) weighted += rate * counts.get(r)!;
    close(weighted / 20, hr);
  }
});

test("hit rates: clear errors on empty input", () => {
  const none: LeftOut = { users: [], items: [], ratings: [] };
  assert.throws(() => hitRate(lists(), none), /hitRate: no left-out ratings/);
  assert.throws(() => arhr(lists(), none), /arhr: no left-out ratings/);
  assert.throws(() => ratingHitRate(lists(), none), /ratingHitRate: no left-out ratings/);
  assert.throws(() => cumulativeHitRate(lists(), leftOut, 5.5), /no left-out rating is ≥ the cutoff 5.5/);
  assert.throws(() => hitRate(lists(), { users: [0], items: [1, 2], ratings: [3] }), /different lengths/);
});

test("user coverage and catalogue coverage: hand-computed", () => {
  // threshold 4: u0 has 4.9 → covered; u1's best is 3.9 → not; u2 empty; u3 absent → 1/4
  close(userCoverage(lists(), 4, 4.0), 1 / 4);
  // any recommendation counts: u0, u1 → 2/4
  close(userCoverage(lists(), 4), 2 / 4);
  close(userCoverage(lists(), 3, 3.9), 2 / 3);
  // distinct items {5, 3, 8, 2} of a 10-item catalogue
  close(catalogCoverage(lists(), 10), 4 / 10);
  assert.equal(countRecommendations(lists()), 5);
  assert.throws(() => userCoverage(lists(), 0), /nUsers must be an integer ≥ 1/);
  assert.throws(() => userCoverage(lists(), 2), /3 lists for only 2 users/);
  assert.throws(() => catalogCoverage(lists(), 6), /recommended item 8 is outside 0..5/);
});

test("diversity: pooled over all pairs of all lists", () => {
  // sim = 1 when both ids have the same parity, else 0.
  // u0 pairs: (5,3)=1, (5,8)=0, (3,8)=0; u1: (2,5)=0 → S = 1/4, diversity = 3/4.
  // (Averaging per list would give 1 − (1/3 + 0)/2 = 5/6 instead.)
  const parity = (i: number, j: number): number => (i % 2 === j % 2 ? 1 : 0);
  close(diversity(lists(), parity), 0.75);
  close(diversity(lists(), () => 0.3), 0.7);
  assert.throws(() => diversity(new Map([[0, rec([1], [5])], [1, []]]), parity), /no list has two or more items/);
  assert.throws(() => diversity(lists(), () => NaN), /similarity of items 5 and 3 is NaN/);
});

test("novelty: mean popularity rank and self-information, hand-computed", () => {
  // rank(i) = i + 1; recommended 5, 3, 8, 2, 5 → ranks 6, 4, 9, 3, 6 → 28/5
  const rank = Int32Array.from({ length: 10 }, (_, i) => i + 1);
  close(novelty(lists(), rank), 28 / 5);
  // 8 users; raters: item 5 → 2 (−log2 0.25 = 2), 3 → 4 (1), 8 → 1 (3), 2 → 8 (0) → (2+1+3+0+2)/5
  const raters = new Int32Array(10).fill(1);
  raters[5] = 2;
  raters[3] = 4;
  raters[8] = 1;
  raters[2] = 8;
  close(selfInformationNovelty(lists(), raters, 8), 8 / 5);
  const emptyLists: TopNLists = new Map([[0, []]]);
  assert.throws(() => novelty(emptyLists, rank), /novelty: no item was recommended/);
  assert.throws(() => selfInformationNovelty(emptyLists, raters, 8), /no item was recommended/);
  raters[3] = 0;
  assert.throws(() => selfInformationNovelty(lists(), raters, 8), /item 3 was rated by no user/);
  assert.throws(() => novelty(lists(), new Int32Array(4)), /item 5 has no popularity rank/);
});

test("precision, recall, F1, NDCG, AP at k: hand-computed", () => {
  const R = new Set([2, 5, 9]);
  const L = [1, 2, 3, 4, 5];
  // k = 5: relevance 0 1 0 0 1 → 2 hits
  close(precisionAtK(L, R, 5), 2 / 5);
  close(recallAtK(L, R, 5), 2 / 3);
  // F1 = 2 · 0.4 · (2/3) / (0.4 + 2/3) = 0.5333… / 1.0666… = 0.5
  close(f1AtK(L, R, 5), 0.5);
  // DCG = 1/log2(3) + 1/log2(6); IDCG over min(5, 3) = 3 = 1/log2(2) + 1/log2(3) + 1/log2(4)
  const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
  const idcg3 = 1 + 1 / Math.log2(3) + 0.5;
  close(ndcgAtK(L, R, 5), dcg / idcg3);
  // decimals: 0.6309298 + 0.3868528 = 1.0177826; 1 + 0.6309298 + 0.5 = 2.1309298; ratio 0.4776237
  assert.ok(Math.abs(ndcgAtK(L, R, 5) - 0.4776237) < 1e-7);
  // AP@5 = (P@2 + P@5) / min(5, 3) = (1/2 + 2/5) / 3 = 0.3
  close(averagePrecisionAtK(L, R, 5), 0.3);
  // k = 3: top 1 2 3 → one hit at rank 2
  close(precisionAtK(L, R, 3), 1 / 3);
  close(recallAtK(L, R, 3), 1 / 3);
  close(f1AtK(L, R, 3), 1 / 3);
  close(ndcgAtK(L, R, 3), 1 / Math.log2(3) / idcg3);
  close(averagePrecisionAtK(L, R, 3), 1 / 6); // (1/2) / min(3, 3)
  // a list shorter than k still divides precision by k; a miss everywhere gives 0
  close(precisionAtK([2], new Set([2]), 5), 1 / 5);
  close(recallAtK([2], new Set([2]), 5), 1);
  close(ndcgAtK([2], new Set([2]), 5), 1);
  close(averagePrecisionAtK([2], new Set([2]), 5), 1); // 1 / min(5, 1)
  assert.equal(f1AtK([1, 3], R, 2), 0);
  assert.equal(ndcgAtK([], R, 10), 0);
});

test("ranking metrics: a perfect ranking scores 1, invariants on random lists", () => {
  close(ndcgAtK([7, 4, 1, 0], new Set([4, 7]), 4), 1);
  close(averagePrecisionAtK([7, 4, 1, 0], new Set([4, 7]), 4), 1);
  // more relevant items than k: a list of k relevant items is still ideal
  const many = new Set(Array.from({ length: 20 }, (_, i) => i));
  const top10 = Array.from({ length: 10 }, (_, i) => i);
  close(ndcgAtK(top10, many, 10), 1);
  close(averagePrecisionAtK(top10, many, 10), 1);
  close(precisionAtK(top10, many, 10), 1);
  close(recallAtK(top10, many, 10), 0.5);
  const rng = new Rng(5);
  for (let t = 0; t < 200; t++) {
    const k = 1 + rng.int(10);
    const L = Array.from(rng.sample(30, rng.int(15)));
    const R = new Set(Array.from(rng.sample(30, 1 + rng.int(8))));
    for (const [name, v] of [
      ["precision", precisionAtK(L, R, k)],
      ["recall", recallAtK(L, R, k)],
      ["f1", f1AtK(L, R, k)],
      ["ndcg", ndcgAtK(L, R, k)],
      ["ap", averagePrecisionAtK(L, R, k)],
    ] as const) {
      assert.ok(v >= 0 && v <= 1 + 1e-12, `${name} = ${v}`);
    }
    // F1 lies between min and max of P and R
    const p = precisionAtK(L, R, k);
    const r = recallAtK(L, R, k);
    const f = f1AtK(L, R, k);
    assert.ok(f <= Math.max(p, r) + 1e-12 && f >= Math.min(p, r) - 1e-12);
    // sorting the same top-k so relevant items come first never lowers NDCG or AP
    const topk = L.slice(0, k);
    const best = [...topk.filter((i) => R.has(i)), ...topk.filter((i) => !R.has(i))];
    assert.ok(ndcgAtK(best, R, k) >= ndcgAtK(L, R, k) - 1e-12);
    assert.ok(averagePrecisionAtK(best, R, k) >= averagePrecisionAtK(L, R, k) - 1e-12);
  }
});

test("ranking metrics: a user with no relevant items, bad k, duplicates", () => {
  const none = new Set<number>();
  assert.equal(precisionAtK([1, 2], none, 2), 0);
  assert.throws(() => recallAtK([1, 2], none, 2), /recallAtK: the user has no relevant items/);
  assert.throws(() => f1AtK([1, 2], none, 2), /f1AtK: the user has no relevant items/);
  assert.throws(() => ndcgAtK([1, 2], none, 2), /ndcgAtK: the user has no relevant items/);
  assert.throws(() => averagePrecisionAtK([1, 2], none, 2), /averagePrecisionAtK: the user has no relevant items/);
  assert.throws(() => precisionAtK([1, 2], new Set([1]), 0), /k must be an integer ≥ 1, got 0/);
  assert.throws(() => precisionAtK([1, 2, 1], new Set([1]), 3), /holds item 1 twice/);
});

test("relevantItems, meanOverUsers and rankingMetrics: skip users without relevant items", () => {
  // test ratings: u0 rated 3→5, 5→4, 6→2; u1 rated 4→3; u2 rated 7→4
  const rel = relevantItems({ users: [0, 0, 0, 1, 2], items: [3, 5, 6, 4, 7], ratings: [5, 4, 2, 3, 4] });
  assert.deepEqual(Array.from(rel, ([u, s]) => [u, Array.from(s).sort()]), [[0, [3, 5]], [1, []], [2, [7]]]);
  assert.deepEqual(Array.from(relevantItems({ users: [0, 0], items: [3, 5], ratings: [5, 4] }, 4.5).get(0)!), [3]);
  // lists: u0 → 5, 3, 8; u2 has none (scored as an empty list); u1 skipped
  const l: TopNLists = new Map([[0, rec([5, 3, 8], [5, 4, 3])]]);
  // precision@2: u0 = 2/2, u2 = 0 → 0.5 over 2 users, 1 skipped
  assert.deepEqual(meanOverUsers(precisionAtK, l, rel, 2), { mean: 0.5, users: 2, skipped: 1 });
  const m = rankingMetrics(l, rel, 2);
  assert.equal(m.users, 2);
  assert.equal(m.skipped, 1);
  close(m.precision, 0.5);
  close(m.recall, (1 + 0) / 2);
  close(m.f1, (1 + 0) / 2);
  close(m.ndcg, (1 + 0) / 2);
  close(m.map, (1 + 0) / 2);
  for (const [name, fn] of [
    ["recall", recallAtK],
    ["f1", f1AtK],
    ["ndcg", ndcgAtK],
    ["map", averagePrecisionAtK],
  ] as const) {
    close(m[name], meanOverUsers(fn, l, rel, 2).mean);
  }
  const nobody = new Map([[1, new Set<number>()]]);
  assert.throws(() => meanOverUsers(precisionAtK, l, nobody, 2), /none of the 1 users has a relevant item/);
  assert.throws(() => rankingMetrics(l, nobody, 2), /none of the 1 users has a relevant item/);
});

test("topNLists: one recommend call per user, minScore only for rating predictors", () => {
  const calls: [number, number, RecommendOptions | undefined][] = [];
  const fake = (predictsRatings: boolean) => ({
    predictsRatings,
    recommend(u: number, n: number, o?: RecommendOptions): Recommendation[] {
      calls.push([u, n, o]);
      return rec([u + 1], [4.2]);
    },
  });
  const l = topNLists(fake(true), [3, 1], 7, { minScore: 4 });
  assert.deepEqual(calls, [[3, 7, { excludeSeen: true, minScore: 4 }], [1, 7, { excludeSeen: true, minScore: 4 }]]);
  assert.deepEqual(Array.from(l.keys()), [3, 1]);
  assert.deepEqual(l.get(3), [{ item: 4, score: 4.2 }]);
  calls.length = 0;
  topNLists(fake(false), [0], 5, { minScore: 4 });
  assert.deepEqual(calls, [[0, 5, { excludeSeen: true, minScore: undefined }]]);
  assert.throws(() => topNLists(fake(true), [0], 0), /n must be an integer ≥ 1, got 0/);
});
