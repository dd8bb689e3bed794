import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { Rng } from "../../lib/random";
import type { Split } from "../../lib/split/common";
import { randomSplit } from "../../lib/split/holdout";
import { leaveOneOut } from "../../lib/split/leaveOneOut";
import { kFold } from "../../lib/split/kfold";
import { perUserSplit } from "../../lib/split/perUser";

const data = syntheticRatings({ users: 40, items: 30, ratings: 400, seed: 7 });

function empty(): RatingDataset {
  return new RatingDataset({
    name: "nothing",
    userIds: [],
    itemIds: [],
    users: new Int32Array(0),
    items: new Int32Array(0),
    ratings: new Float32Array(0),
  });
}

/** Users 1..3 with 1, 2 and 5 ratings. */
function tiny(): RatingDataset {
  return fromTriples(
    "tiny",
    ["1", "2", "2", "3", "3", "3", "3", "3"],
    ["a", "a", "b", "a", "b", "c", "d", "e"],
    Float32Array.from([5, 4, 3, 2, 1, 5, 4, 3]),
  );
}

/** Train and test partition the parent: every parent rating is in exactly one, and no (user, item) leaks. */
function assertPartition(parent: RatingDataset, s: Split): void {
  const seen = new Uint8Array(parent.nRatings);
  for (const k of s.train.parentIndex!) seen[k]++;
  for (const k of s.test.parentIndex!) seen[k]++;
  assert.ok(seen.every((c) => c === 1), "every rating is in exactly one of train and test");
  assert.equal(s.train.nRatings + s.test.nRatings, parent.nRatings);
  for (let k = 0; k < s.test.nRatings; k++) {
    assert.ok(!s.train.hasRated(s.test.users[k], s.test.items[k]), "a test (user, item) is also in train");
  }
  // inner ids are shared: each subset rating is the parent rating it points at
  for (const part of [s.train, s.test]) {
    assert.equal(part.itemIds, parent.itemIds);
    assert.equal(part.userIds, parent.userIds);
    for (let j = 0; j < part.nRatings; j++) {
      const k = part.parentIndex![j];
      assert.equal(part.users[j], parent.users[k]);
      assert.equal(part.items[j], parent.items[k]);
      assert.equal(part.ratings[j], parent.ratings[k]);
    }
  }
}

const testIdx = (s: Split): number[] => Array.from(s.test.parentIndex!);

test("randomSplit: partition, size round(testSize × n), reproducible, seed-dependent", () => {
  const s = randomSplit(data, { testSize: 0.25, seed: 1 });
  assertPartition(data, s);
  assert.equal(s.test.nRatings, 100); // 0.25 × 400
  assert.equal(randomSplit(data, { testSize: 0.2, seed: 1 }).test.nRatings, 80);
  // 0.3 × 10 = 3 ratings; 0.25 × 10 = 2.5 rounds up to 3; 0.24 × 10 = 2.4 rounds down to 2
  const ten = syntheticRatings({ users: 4, items: 5, ratings: 10, seed: 2 });
  assert.equal(randomSplit(ten, { testSize: 0.3, seed: 1 }).test.nRatings, 3);
  assert.equal(randomSplit(ten, { testSize: 0.25, seed: 1 }).test.nRatings, 3);
  assert.equal(randomSplit(ten, { testSize: 0.24, seed: 1 }).test.nRatings, 2);
  assert.deepEqual(testIdx(randomSplit(data, { testSize: 0.25, seed: 1 })), testIdx(s));
  assert.notDeepEqual(testIdx(randomSplit(data, { testSize: 0.25, seed: 2 })), testIdx(s));
  // an Rng works as well as a seed, and gives the same split as the seed it was made from
  assert.deepEqual(testIdx(randomSplit(data, { testSize: 0.25, seed: new Rng(1) })), testIdx(s));
  // the default test size is 0.25
  assert.equal(randomSplit(data, { seed: 3 }).test.nRatings, 100);
});

test("randomSplit: every rating is equally likely to be held out", () => {
  // 40 ratings, testSize 0.25, 400 seeds: each rating should be in test ≈ 100 times (binomial sd ≈ 8.7)
  const d = syntheticRatings({ users: 8, items: 10, ratings: 40, seed: 5 });
  const hits = new Int32Array(d.nRatings);
  for (let seed = 0; seed < 400; seed++) for (const k of randomSplit(d, { testSize: 0.25, seed }).test.parentIndex!) hits[k]++;
  for (const h of hits) assert.ok(h > 60 && h < 140, `a rating was held out ${h} times out of 400`);
});

test("randomSplit: clear errors", () => {
  assert.throws(() => randomSplit(empty(), { seed: 1 }), /random hold-out split of dataset nothing: the dataset is empty/);
  for (const bad of [0, 1, -0.1, 1.5, NaN]) {
    assert.throws(() => randomSplit(data, { testSize: bad, seed: 1 }), /testSize must be a number strictly between 0 and 1/);
  }
  // 0.001 × 400 = 0.4 → 0 test ratings; 0.999 × 400 = 399.6 → 400 → empty train
  assert.throws(() => randomSplit(data, { testSize: 0.001, seed: 1 }), /random hold-out split.*leaves the test set empty/);
  assert.throws(() => randomSplit(data, { testSize: 0.999, seed: 1 }), /random hold-out split.*leaves the train set empty/);
});

test("leaveOneOut: exactly one test rating per eligible user, partition, reproducible", () => {
  const s = leaveOneOut(data, { seed: 1 });
  assertPartition(data, s);
  const perUser = new Int32Array(data.nUsers);
  for (const u of s.test.users) perUser[u]++;
  for (let u = 0; u < data.nUsers; u++) {
    assert.equal(perUser[u], data.userCount(u) >= 2 ? 1 : 0, `user ${u} with ${data.userCount(u)} ratings`);
    if (data.userCount(u) >= 1) assert.ok(s.train.userCount(u) >= 1, "every user keeps a train rating");
  }
  assert.deepEqual(testIdx(leaveOneOut(data, { seed: 1 })), testIdx(s));
  assert.notDeepEqual(testIdx(leaveOneOut(data, { seed: 2 })), testIdx(s));
});

test("leaveOneOut: users below minRatings keep everything in train", () => {
  const d = tiny(); // users 1, 2, 3 have 1, 2, 5 ratings
  const s = leaveOneOut(d, { seed: 4 });
  assertPartition(d, s);
  assert.deepEqual(Array.from(s.test.users).map((u) => d.userIds[u]), ["2", "3"]);
  assert.equal(s.train.userCount(d.innerUser(1)), 1);
  const s3 = leaveOneOut(d, { seed: 4, minRatings: 3 });
  assert.deepEqual(Array.from(s3.test.users).map((u) => d.userIds[u]), ["3"]);
  assert.equal(s3.train.userCount(d.innerUser(2)), 2);
  // minRatings 1: even the single-rating user gives up its rating
  assert.equal(leaveOneOut(d, { seed: 4, minRatings: 1 }).test.nRatings, 3);
  assert.throws(() => leaveOneOut(d, { seed: 4, minRatings: 6 }), /leave-one-out split of dataset tiny: no user has at least 6 ratings/);
  assert.throws(() => leaveOneOut(d, { seed: 4, minRatings: 0 }), /minRatings must be an integer ≥ 1/);
  assert.throws(() => leaveOneOut(empty(), { seed: 4 }), /leave-one-out split of dataset nothing: the dataset is empty/);
});

test("leaveOneOut: the held-out rating is uniform over the user's ratings", () => {
  const d = tiny();
  const u3 = d.innerUser(3);
  const counts = new Map<number, number>();
  for (let seed = 0; seed < 500; seed++) {
    const s = leaveOneOut(d, { seed });
    for (let k = 0; k < s.test.nRatings; k++) {
      if (s.test.users[k] === u3) counts.set(s.test.items[k], (counts.get(s.test.items[k]) ?? 0) + 1);
    }
  }
  assert.equal(counts.size, 5);
  for (const c of counts.values()) assert.ok(c > 65 && c < 135, `an item was held out ${c} times out of 500 (expected 100)`);
});

test("kFold: the k test folds partition the ratings, sizes differ by at most one", () => {
  const folds = kFold(data, { k: 3, seed: 1 });
  assert.equal(folds.length, 3);
  const inTest = new Int32Array(data.nRatings);
  for (const f of folds) {
    assertPartition(data, f);
    for (const k of f.test.parentIndex!) inTest[k]++;
  }
  assert.ok(inTest.every((c) => c === 1), "every rating is in exactly one test fold");
  // 400 / 3: floor(400/3) = 133, floor(800/3) = 266 → 133, 133, 134
  assert.deepEqual(folds.map((f) => f.test.nRatings), [133, 133, 134]);
  assert.equal(kFold(data, { seed: 1 }).length, 5);
  assert.deepEqual(kFold(data, { k: 3, seed: 1 }).map(testIdx), folds.map(testIdx));
  assert.notDeepEqual(kFold(data, { k: 3, seed: 2 }).map(testIdx), folds.map(testIdx));
  // k = n: leave-one-rating-out
  const d = tiny();
  assert.deepEqual(kFold(d, { k: 8, seed: 1 }).map((f) => f.test.nRatings), [1, 1, 1, 1, 1, 1, 1, 1]);
});

test("kFold: clear errors", () => {
  assert.throws(() => kFold(data, { k: 1, seed: 1 }), /k must be an integer ≥ 2, got 1/);
  assert.throws(() => kFold(data, { k: 2.5, seed: 1 }), /k must be an integer ≥ 2/);
  assert.throws(() => kFold(tiny(), { k: 9, seed: 1 }), /k = 9 folds exceed the 8 ratings/);
  assert.throws(() => kFold(empty(), { k: 2, seed: 1 }), /the dataset is empty/);
});

test("perUserSplit: each user splits by the fraction and keeps a train rating", () => {
  const ts = 0.3;
  const s = perUserSplit(data, { testSize: ts, seed: 1 });
  assertPartition(data, s);
  const testCount = new Int32Array(data.nUsers);
  for (const u of s.test.users) testCount[u]++;
  for (let u = 0; u < data.nUsers; u++) {
    const c = data.userCount(u);
    assert.equal(testCount[u], Math.min(c - 1, Math.round(ts * c)), `user ${u} with ${c} ratings`);
    if (c > 0) assert.ok(s.train.userCount(u) >= 1);
  }
  // tiny: users with 1, 2, 5 ratings at 0.5 → min(0, 1)=0, min(1, 1)=1, min(4, round(2.5)=3)=3
  const t = perUserSplit(tiny(), { testSize: 0.5, seed: 1 });
  assert.equal(t.test.nRatings, 4);
  assert.deepEqual(testIdx(perUserSplit(data, { testSize: ts, seed: 1 })), testIdx(s));
  assert.notDeepEqual(testIdx(perUserSplit(data, { testSize: ts, seed: 2 })), testIdx(s));
});

test("perUserSplit: clear errors", () => {
  assert.throws(() => perUserSplit(empty(), { seed: 1 }), /per-user hold-out split of dataset nothing: the dataset is empty/);
  assert.throws(() => perUserSplit(data, { testSize: 1, seed: 1 }), /testSize must be a number strictly between 0 and 1/);
  // every user of tiny rounds to 0 test ratings at 0.05: 0.05 × 5 = 0.25 → 0
  assert.throws(() => perUserSplit(tiny(), { testSize: 0.05, seed: 1 }), /per-user hold-out split of dataset tiny: the test set would be empty/);
});
