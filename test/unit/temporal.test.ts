/**
 * Temporal splits: the global cutoff's boundary and tie rule, temporal leave-one-out picks each
 * user's latest rating (ties → larger index), errors on data without times; the evaluator's
 * `temporal` and `temporal-loo` protocols on a hand-computed case; and, on ml-latest-small-2016,
 * that random leave-one-out flatters popularity compared with holding out each user's latest.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromTriples } from "../../lib/data/dataset";
import { loadDataset } from "../../lib/data/load";
import { PopularityRecommender } from "../../lib/baseline/popularity";
import { temporalLeaveOneOut, temporalSplit, timeOrder } from "../../lib/split/temporal";
import { PROTOCOLS, evaluate } from "../../lib/eval/evaluate";
import { toText } from "../../lib/eval/format";
import { needsMirror } from "../datasets";

/** Rows [user, item, time]; every rating is 5. */
function make(rows: [string, string, number][], withTimes = true) {
  return fromTriples(
    "timed",
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    new Float32Array(rows.length).fill(5),
    { timestamps: withTimes ? Float64Array.from(rows, (r) => r[2]) : undefined },
  );
}

/** Pairs "user:item" of a dataset's ratings, sorted. */
const pairs = (d: ReturnType<typeof make>) =>
  Array.from(d.users, (u, k) => `${d.userIds[u]}:${d.itemIds[d.items[k]]}`).sort();

// indices:            0                1                2                3                4                5                6                7
const EIGHT = make([["1", "a", 40], ["1", "b", 10], ["2", "a", 60], ["2", "c", 40], ["3", "b", 20], ["3", "c", 40], ["3", "d", 30], ["1", "d", 50]]);

test("timeOrder: by timestamp, ties by index", () => {
  assert.deepEqual(Array.from(timeOrder(EIGHT)), [1, 4, 6, 0, 3, 5, 7, 2]);
});

test("temporalSplit: the newest share is the test set; at the cutoff time the larger indices go to test", () => {
  // time order 1(10) 4(20) 6(30) 0(40) 3(40) 5(40) 7(50) 2(60): the last 4 are 3, 5, 7, 2
  const s = temporalSplit(EIGHT, { testSize: 0.5 });
  assert.equal(s.cutoff, 40);
  assert.deepEqual(pairs(s.test), ["1:d", "2:a", "2:c", "3:c"]);
  assert.deepEqual(pairs(s.train), ["1:a", "1:b", "3:b", "3:d"]);
  let maxTrain = -Infinity;
  for (const t of s.train.timestamps) maxTrain = Math.max(maxTrain, t);
  for (const t of s.test.timestamps) assert.ok(t >= maxTrain);
  // default 0.25: 2 of 8, rounding as randomSplit
  assert.deepEqual(pairs(temporalSplit(EIGHT).test), ["1:d", "2:a"]);
  assert.equal(temporalSplit(EIGHT, { testSize: 0.3 }).test.nRatings, 2);
});

test("temporalSplit / temporalLeaveOneOut: no timestamps, bad sizes and empty sides are clear errors", () => {
  const untimed = make([["1", "a", 0], ["1", "b", 0], ["2", "a", 0]], false);
  assert.throws(() => temporalSplit(untimed), /has no timestamps/);
  assert.throws(() => temporalLeaveOneOut(untimed), /has no timestamps/);
  assert.throws(() => temporalSplit(EIGHT, { testSize: 1 }), /strictly between 0 and 1/);
  assert.throws(() => temporalSplit(EIGHT, { testSize: 0.01 }), /leaves the test set empty/);
  assert.throws(() => temporalSplit(EIGHT, { testSize: 0.99 }), /leaves the train set empty/);
  const singles = make([["1", "a", 1], ["2", "b", 2]]);
  assert.throws(() => temporalLeaveOneOut(singles), /no user has at least 2 ratings/);
  assert.throws(() => temporalLeaveOneOut(EIGHT, { minRatings: 0 }), /minRatings must be an integer ≥ 1/);
});

test("temporalLeaveOneOut: each user's latest rating; equal times → the larger index", () => {
  const s = temporalLeaveOneOut(EIGHT);
  // user 1: d (50); user 2: a (60); user 3: c (40)
  assert.deepEqual(pairs(s.test), ["1:d", "2:a", "3:c"]);
  assert.equal(s.train.nRatings, 5);
  const tied = make([["1", "x", 5], ["1", "y", 9], ["1", "z", 9], ["2", "y", 3], ["2", "x", 3], ["3", "z", 1]]);
  const t = temporalLeaveOneOut(tied);
  // user 1: y and z both at 9 → z (index 2); user 2: both at 3 → x (index 4); user 3 has one rating
  assert.deepEqual(pairs(t.test), ["1:z", "2:x"]);
  assert.deepEqual(pairs(temporalLeaveOneOut(tied, { minRatings: 1 }).test), ["1:z", "2:x", "3:z"]);
});

// u1: a(1) b(2) c(9); u2: a(1) b(3) c(8); u3: a(2) c(4) d(10); u4: b(1) d(11)
const SMALL = make([
  ["1", "a", 1], ["1", "b", 2], ["1", "c", 9],
  ["2", "a", 1], ["2", "b", 3], ["2", "c", 8],
  ["3", "a", 2], ["3", "c", 4], ["3", "d", 10],
  ["4", "b", 1], ["4", "d", 11],
]);

test("evaluate temporal-loo: popularity's hit rate by hand", () => {
  // held out: u1 c, u2 c, u3 d, u4 d; train counts a 3, b 3, c 1, d 0 (never recommended)
  // top-1: u1 → c (hit), u2 → c (hit), u3 → b (miss), u4 → a (miss)
  const r = evaluate(() => new PopularityRecommender(), SMALL, "temporal-loo", { n: 1 });
  assert.equal(r.protocol, "temporal-loo");
  assert.equal(r.metrics.hr, 0.5);
  assert.equal(r.counts.leftOut, 4);
  assert.equal(r.metrics.arhr, 0.5);
  // the split ignores the seed
  assert.deepEqual(evaluate(() => new PopularityRecommender(), SMALL, "temporal-loo", { n: 1, seed: 99 }).metrics, r.metrics);
  assert.match(toText(r), /^temporal-loo protocol on timed \(top-1, seed 1\)/);
});

test("evaluate temporal: precision by hand on the newest quarter", () => {
  // 11 ratings × 0.25 → 3 newest: u4 d (11), u3 d (10), u1 c (9); train counts a 3, b 3, c 2
  // top-1: u1 (seen a, b) → c: relevant; u3 (seen a, c) → b: miss; u4 (seen b) → a: miss
  const r = evaluate(() => new PopularityRecommender(), SMALL, "temporal", { n: 1 });
  assert.equal(r.counts.testRatings, 3);
  assert.equal(r.counts.coldStartUsers, 0);
  assert.equal(r.counts.rankedUsers, 3);
  assert.ok(Math.abs(r.metrics.precision! - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.metrics.recall! - 1 / 3) < 1e-12);
  assert.match(toText(r), /temporal protocol on timed \(top-1, seed 1, newest 0.25 as test\)/);
  // a user whose every rating is newer than the cutoff is a cold-start test user
  const cold = make([["1", "a", 1], ["1", "b", 2], ["2", "a", 3], ["2", "b", 4], ["3", "a", 9], ["3", "c", 10]]);
  assert.equal(evaluate(() => new PopularityRecommender(), cold, "temporal", { n: 1, testSize: 1 / 3 }).counts.coldStartUsers, 1);
  assert.ok(PROTOCOLS.includes("temporal") && PROTOCOLS.includes("temporal-loo"));
  assert.throws(() => evaluate(() => new PopularityRecommender(), make([["1", "a", 0], ["1", "b", 0]], false), "temporal-loo"), /no timestamps/);
});

test("ml-latest-small-2016: random leave-one-out flatters popularity against the temporal one", { skip: needsMirror("ml-latest-small-2016") }, async () => {
  const data = await loadDataset("ml-latest-small-2016");
  const random = evaluate(() => new PopularityRecommender(), data, "loo", { seed: 1 });
  const temporal = evaluate(() => new PopularityRecommender(), data, "temporal-loo");
  assert.equal(random.counts.leftOut, temporal.counts.leftOut);
  assert.ok(random.metrics.hr! > 1.2 * temporal.metrics.hr!, `random ${random.metrics.hr} vs temporal ${temporal.metrics.hr}`);
});
