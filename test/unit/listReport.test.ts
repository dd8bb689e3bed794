/**
 * listReport: hit rate, ARHR, hits per rank, coverage, novelty and marked-item counts of fixed
 * lists on a tiny held-out set, all computed by hand; the user restriction; minScore passed on
 * for rating predictors only; errors for bad input; and agreement with `evaluate`'s leave-one-out
 * hit rate for a real model on the same split.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RatingDataset } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { PopularityRecommender } from "../../lib/baseline/popularity";
import { evaluate } from "../../lib/eval/evaluate";
import { leaveOneOut } from "../../lib/split/leaveOneOut";
import type { Recommendation, RecommendOptions, Recommender } from "../../lib/model/recommender";
import { listReport } from "../../lib/realworld/listReport";
import { rowDataset } from "../helpers";

// 3 users, 6 items. Full data: u0 rated i0 i1 i2, u1 rated i0 i3, u2 rated i0 i1 i4 i5.
const FULL = rowDataset(
  [
    [0, 0, 5], [0, 1, 4], [0, 2, 3],
    [1, 0, 4], [1, 3, 2],
    [2, 0, 3], [2, 1, 5], [2, 4, 4], [2, 5, 1],
  ],
  3,
  6,
);
// held out: u0 → i2 (row 2), u1 → i3 (row 4), u2 → i5 (row 8)
const HELD = FULL.subset(Int32Array.from([2, 4, 8]), "held");

/** A fake ranker with fixed lists; records the options it was called with. */
function fixed(lists: Record<number, number[]>, predictsRatings = false) {
  const calls: RecommendOptions[] = [];
  const model: Pick<Recommender, "recommend" | "predictsRatings"> = {
    predictsRatings,
    recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
      calls.push(options);
      return (lists[user] ?? []).slice(0, n).map((item, r) => ({ item, score: 10 - r }));
    },
  };
  return { model, calls };
}

test("listReport: hits, ARHR, hits per rank, coverage, novelty and marked items by hand", () => {
  // u0's list holds i2 at rank 2 (hit), u1's holds i3 at rank 1 (hit), u2's misses i5
  const { model } = fixed({ 0: [4, 2, 3], 1: [3, 4, 5], 2: [2, 3, 1] });
  const r = listReport(model, HELD, FULL, { n: 3, mark: (i) => i >= 4 });
  assert.equal(r.users, 3);
  assert.equal(r.heldOut, 3);
  assert.equal(r.hits, 2);
  assert.equal(r.hr, 2 / 3);
  assert.ok(Math.abs(r.arhr - (1 / 2 + 1) / 3) < 1e-12);
  assert.deepEqual(r.hitsAtRank, [1, 1, 0]);
  // listed items: {1, 2, 3, 4, 5} of 6
  assert.equal(r.catalogCoverage, 5 / 6);
  // popularity in FULL: i0 3 ratings (rank 1), i1 2 (rank 2), then i2..i5 with 1 each → ranks 3..6
  // listed ranks: u0 [5, 3, 4], u1 [4, 5, 6], u2 [3, 4, 2] → sum 36 over 9 items
  assert.equal(r.novelty, 36 / 9);
  // marked = i4, i5: u0 has i4, u1 has i4 and i5, u2 none
  assert.equal(r.marked, 3);
  assert.equal(r.distinctMarked, 2);
  assert.equal(r.listsWithMarked, 2 / 3);
  assert.deepEqual(r.lists.get(1)!.map((x) => x.item), [3, 4, 5]);
});

test("listReport: users restricts the lists and the held-out ratings; empty lists give NaN novelty", () => {
  const { model } = fixed({ 0: [2], 1: [0], 2: [5] });
  const r = listReport(model, HELD, FULL, { users: [2, 0, 2] });
  assert.equal(r.users, 2);
  assert.equal(r.heldOut, 2);
  assert.equal(r.hits, 2);
  assert.equal(r.hr, 1);
  assert.equal(r.listsWithMarked, 0);
  const empty = listReport(fixed({}).model, HELD, FULL);
  assert.equal(empty.hits, 0);
  assert.ok(Number.isNaN(empty.novelty));
  assert.equal(empty.catalogCoverage, 0);
});

test("listReport: minScore reaches rating predictors only, and seen items are excluded", () => {
  const ranker = fixed({ 0: [1] });
  listReport(ranker.model, HELD, FULL, { users: [0], minScore: 4 });
  assert.deepEqual(ranker.calls[0], { excludeSeen: true, minScore: undefined });
  const predictor = fixed({ 0: [1] }, true);
  listReport(predictor.model, HELD, FULL, { users: [0], minScore: 4 });
  assert.deepEqual(predictor.calls[0], { excludeSeen: true, minScore: 4 });
});

test("listReport: clear errors", () => {
  const { model } = fixed({});
  assert.throws(() => listReport(model, HELD, FULL, { n: 0 }), /n must be an integer ≥ 1/);
  assert.throws(() => listReport(model, HELD, FULL, { users: [7] }), /user 7 is outside 0\.\.2/);
  // u1's only held-out rating is dropped: nobody left
  const onlyU0 = FULL.subset(Int32Array.from([2]), "one");
  assert.throws(() => listReport(model, onlyU0, FULL, { users: [1] }), /none of the 1 users has a held-out rating/);
  const other = rowDataset([[0, 0, 3]], 1, 2);
  assert.throws(() => listReport(model, other as RatingDataset, FULL), /has 2 items but reference toy has 6/);
});

test("listReport: the same hit rate and ARHR as evaluate's leave-one-out for the same split", () => {
  const data = syntheticRatings({ users: 60, items: 40, ratings: 500, seed: 3 });
  const loo = leaveOneOut(data, { seed: 5 });
  const model = new PopularityRecommender().fit(loo.train);
  const r = listReport(model, loo.test, data, { n: 5 });
  const e = evaluate(() => new PopularityRecommender(), data, "loo", { seed: 5, n: 5 });
  assert.ok(r.hits > 0, "the comparison needs some hits");
  assert.equal(r.heldOut, e.counts.leftOut);
  assert.equal(r.hr, e.metrics.hr);
  assert.ok(Math.abs(r.arhr - e.metrics.arhr!) < 1e-12);
  assert.equal(r.hitsAtRank.reduce((a, b) => a + b, 0), r.hits);
});
