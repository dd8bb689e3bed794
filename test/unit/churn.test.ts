/**
 * Churn and responsiveness: list churn by hand, popularity's churn after one new rating on a tiny
 * case computed by hand, zero baseline churn for deterministic models, the seeded user sample,
 * which ratings are held out (the latest), and the step bookkeeping of responsiveness with a fake
 * model whose list depends only on the user's rating count; the number of refits is O(maxNew).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { PopularityRecommender } from "../../lib/baseline/popularity";
import { UserCF } from "../../lib/knn/userCF";
import type { Prediction, Recommendation, Recommender } from "../../lib/model/recommender";
import { churn, listChurn, responsiveness, summarise } from "../../lib/realworld/churn";

/** Rows [user, item, time]. */
function make(rows: [string, string, number][]) {
  return fromTriples(
    "churny",
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    new Float32Array(rows.length).fill(4),
    { timestamps: Float64Array.from(rows, (r) => r[2]) },
  );
}
const rec = (...items: number[]): Recommendation[] => items.map((item) => ({ item, score: 0 }));

test("listChurn: share of the list replaced; order ignored; shorter lists use the longer length", () => {
  assert.equal(listChurn(rec(1, 2, 3, 4), rec(4, 3, 2, 1)), 0);
  assert.equal(listChurn(rec(1, 2, 3, 4), rec(1, 2, 5, 6)), 0.5);
  assert.equal(listChurn(rec(1, 2), rec(3, 4)), 1);
  assert.equal(listChurn(rec(1, 2, 3, 4), rec(1, 2)), 0.5);
  assert.equal(listChurn([], []), 0);
  assert.deepEqual(summarise([3, 1, 2, 4, 5]), { min: 1, q25: 2, median: 3, q75: 4, max: 5 });
  assert.deepEqual(summarise([0, 1]), { min: 0, q25: 0.25, median: 0.5, q75: 0.75, max: 1 });
});

// u1: a(1) b(2); u2: a(1) c(2); u3: b(1) c(3)
const TINY = make([
  ["1", "a", 1], ["1", "b", 2],
  ["2", "a", 1], ["2", "c", 2],
  ["3", "b", 1], ["3", "c", 3],
]);

test("churn of popularity by hand: the new ratings change u1's top-1, not u2's or u3's", () => {
  // held out (latest): u1 b, u2 c, u3 c. Before: counts a 2, b 1, c 0 → top-1 u1 b, u2 b, u3 a.
  // After (all data): a 2, b 2, c 2 → u1 (seen a, b) c; u2 (seen a, c) b; u3 (seen b, c) a.
  const r = churn(() => new PopularityRecommender(), TINY, { n: 1 });
  assert.deepEqual(r.users, [0, 1, 2]);
  assert.deepEqual(Array.from(r.perUser), [1, 0, 0]);
  assert.ok(Math.abs(r.mean - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.changed - 1 / 3) < 1e-12);
  assert.deepEqual(r.histogram, [2, 1]);
  assert.equal(r.newItemWasListed, 1, "u1's new item b was their top-1");
  assert.deepEqual(r.baseline, { mean: 0, changed: 0 });
  assert.equal(r.summary.max, 1);
  assert.equal(r.summary.median, 0);
});

test("churn: deterministic models have zero baseline churn; a model that ignores the data has zero churn", () => {
  const data = syntheticRatings({ users: 40, items: 30, ratings: 500, seed: 3 });
  for (const factory of [() => new PopularityRecommender(), () => new UserCF({ k: 5 })]) {
    const r = churn(factory, data, { n: 5, users: 15, seed: 2 });
    assert.equal(r.users.length, 15);
    assert.equal(r.baseline.mean, 0, `baseline of ${factory().id}`);
  }
  /** Always the items n+100, n+101, …: nothing about the data can change its list. */
  class Fixed implements Recommender {
    readonly id = "fixed";
    readonly predictsRatings = false;
    fit(): this {
      return this;
    }
    predict(): Prediction {
      return { value: 0, impossible: false };
    }
    recommend(_u: number, n: number): Recommendation[] {
      return rec(...Array.from({ length: n }, (_, j) => 100 + j));
    }
  }
  const f = churn(() => new Fixed(), data, { n: 3 });
  assert.equal(f.mean, 0);
  assert.equal(f.changed, 0);
  assert.deepEqual(f.histogram, [f.users.length, 0, 0, 0]);
});

test("churn: the same seed samples the same users; errors name the problem", () => {
  const data = syntheticRatings({ users: 40, items: 30, ratings: 500, seed: 3 });
  const a = churn(() => new PopularityRecommender(), data, { users: 10, seed: 7 });
  const b = churn(() => new PopularityRecommender(), data, { users: 10, seed: 7 });
  const c = churn(() => new PopularityRecommender(), data, { users: 10, seed: 8 });
  assert.deepEqual(a.users, b.users);
  assert.deepEqual(a.perUser, b.perUser);
  assert.notDeepEqual(a.users, c.users);
  assert.throws(() => churn(() => new PopularityRecommender(), data, { n: 0 }), /n must be an integer ≥ 1/);
  assert.throws(() => churn(() => new PopularityRecommender(), data, { users: 2.5 }), /users must be an integer ≥ 1/);
  const singles = make([["1", "a", 1], ["2", "b", 1]]);
  assert.throws(() => churn(() => new PopularityRecommender(), singles), /no user has at least 2 ratings/);
  assert.throws(() => responsiveness(() => new PopularityRecommender(), TINY, { maxNew: 2 }), /no user has at least 3 ratings/);
});

/** Lists the single "item" ⌊c/2⌋ + 1000 for a user with c train ratings; records every train set. */
class HalfCount implements Recommender {
  readonly id = "half-count";
  readonly predictsRatings = false;
  train!: RatingDataset;
  constructor(private readonly seen: RatingDataset[]) {}
  fit(train: RatingDataset): this {
    this.train = train;
    this.seen.push(train);
    return this;
  }
  predict(): Prediction {
    return { value: 0, impossible: false };
  }
  recommend(u: number): Recommendation[] {
    return rec(1000 + Math.floor(this.train.userCount(u) / 2));
  }
}

// users with 3, 4, 5 and 6 ratings; times increase with the item letter, except user 4's ratings
// come in the file in reverse time order (so "latest" ≠ "last in the file")
const STAIRS = make([
  ["1", "a", 1], ["1", "b", 2], ["1", "c", 3],
  ["2", "a", 1], ["2", "b", 2], ["2", "c", 3], ["2", "d", 4],
  ["3", "a", 1], ["3", "b", 2], ["3", "c", 3], ["3", "d", 4], ["3", "e", 5],
  ["4", "f", 6], ["4", "e", 5], ["4", "d", 4], ["4", "c", 3], ["4", "b", 2], ["4", "a", 1],
]);

test("responsiveness: holds out each user's latest maxNew ratings and adds them back oldest first", () => {
  const seen: RatingDataset[] = [];
  responsiveness(() => new HalfCount(seen), STAIRS, { n: 1, maxNew: 2 });
  // fits: start, shuffled baseline, step 1, step 2 — never one per user
  assert.equal(seen.length, 4);
  const itemsOf = (d: RatingDataset, raw: string) => {
    const u = d.innerUser(raw);
    return Array.from(d.userRow(u).items, (i) => d.itemIds[i]).sort().join("");
  };
  assert.deepEqual(["1", "2", "3", "4"].map((u) => itemsOf(seen[0], u)), ["a", "ab", "abc", "abcd"]);
  assert.deepEqual(["1", "2", "3", "4"].map((u) => itemsOf(seen[2], u)), ["ab", "abc", "abcd", "abcde"]);
  assert.equal(seen[3].nRatings, STAIRS.nRatings);
  assert.equal(seen[1].nRatings, seen[0].nRatings, "the baseline refits the start data");
});

test("responsiveness: per-step churn, share changed, first change and never-changed by hand", () => {
  // start counts 1, 2, 3, 4 → items ⌊c/2⌋ = 0, 1, 1, 2; step 1: 1, 1, 2, 2; step 2: 1, 2, 2, 3
  const r = responsiveness(() => new HalfCount([]), STAIRS, { n: 1, maxNew: 2 });
  assert.deepEqual(r.users, [0, 1, 2, 3]);
  assert.deepEqual(r.steps, [
    { newRatings: 1, meanChurn: 0.5, changed: 0.5 },
    { newRatings: 2, meanChurn: 1, changed: 1 },
  ]);
  assert.deepEqual(Array.from(r.firstChange), [1, 2, 1, 2]);
  assert.equal(r.responsiveness, 1.5);
  assert.equal(r.neverChanged, 0);
  assert.deepEqual(r.baseline, { mean: 0, changed: 0 });
  // one new rating only: users 1 and 3 (even start counts 2 and 4) never change
  const one = responsiveness(() => new HalfCount([]), STAIRS, { n: 1, maxNew: 1 });
  assert.deepEqual(Array.from(one.firstChange), [0, 1, 0, 1]);
  assert.equal(one.responsiveness, 1);
  assert.equal(one.neverChanged, 2);
  // a sample of two users
  const two = responsiveness(() => new HalfCount([]), STAIRS, { n: 1, maxNew: 2, users: 2, seed: 5 });
  assert.equal(two.users.length, 2);
});
