import { test } from "node:test";
import assert from "node:assert/strict";
import { syntheticRatings } from "../../lib/data/synthetic";

test("synthetic data has the requested size, scale and is reproducible", () => {
  const a = syntheticRatings({ users: 300, items: 200, ratings: 9000, seed: 3 });
  const b = syntheticRatings({ users: 300, items: 200, ratings: 9000, seed: 3 });
  const c = syntheticRatings({ users: 300, items: 200, ratings: 9000, seed: 4 });
  assert.equal(a.nRatings, 9000);
  assert.equal(a.nUsers, 300);
  assert.equal(a.nItems, 200);
  assert.deepEqual(a.ratingScale, [1, 5]);
  for (const r of a.ratings) assert.ok(Number.isInteger(r) && r >= 1 && r <= 5);
  assert.deepEqual(a.ratings, b.ratings);
  assert.deepEqual(a.items, b.items);
  assert.notDeepEqual(a.items, c.items);
  // every user rated something, and popularity is skewed (long tail)
  for (let u = 0; u < a.nUsers; u++) assert.ok(a.userCount(u) >= 1);
  const counts = Array.from(a.itemCounts).sort((x, y) => y - x);
  assert.ok(counts[0] > 4 * counts[counts.length - 1], `head ${counts[0]} vs tail ${counts[counts.length - 1]}`);
});

test("synthetic data refuses impossible sizes", () => {
  assert.throws(() => syntheticRatings({ users: 2, items: 2, ratings: 5 }), /do not fit/);
  assert.throws(() => syntheticRatings({ users: 0, items: 2, ratings: 1 }), /must be positive/);
});
