import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";

function toy(): RatingDataset {
  // users 10, 2, 7 (numeric ids sort numerically: 2, 7, 10); items a, b, c
  return fromTriples(
    "toy",
    ["10", "2", "2", "7", "10", "7"],
    ["b", "a", "c", "b", "a", "c"],
    Float32Array.from([4, 5, 1, 3, 2, 4]),
    { itemMeta: { titles: new Map([["a", "Alpha"], ["c", "Gamma"]]) } },
  );
}

test("inner ids follow sorted raw ids and CSR rows are sorted", () => {
  const d = toy();
  assert.deepEqual(d.userIds, ["2", "7", "10"]);
  assert.deepEqual(d.itemIds, ["a", "b", "c"]);
  assert.equal(d.nRatings, 6);
  assert.deepEqual(Array.from(d.userPtr), [0, 2, 4, 6]);
  assert.deepEqual(Array.from(d.userRow(d.innerUser(10)).items), [0, 1]);
  assert.deepEqual(Array.from(d.userRow(d.innerUser(10)).ratings), [2, 4]);
  assert.deepEqual(Array.from(d.itemRow(d.innerItem("c")).users), [0, 1]);
  assert.deepEqual(Array.from(d.itemRow(d.innerItem("c")).ratings), [1, 4]);
  assert.equal(d.rating(d.innerUser(7), d.innerItem("b")), 3);
  assert.ok(Number.isNaN(d.rating(d.innerUser(7), d.innerItem("a"))));
  assert.equal(d.globalMean, 19 / 6);
  assert.deepEqual(d.ratingScale, [1, 5]);
  assert.equal(d.title(0), "Alpha");
  assert.equal(d.title(1), "item b");
});

test("every CSR entry points back at the rating it copies", () => {
  const d = toy();
  for (let p = 0; p < d.nRatings; p++) {
    const k = d.userEntry[p];
    assert.equal(d.userItems[p], d.items[k]);
    assert.equal(d.userRatings[p], d.ratings[k]);
    const k2 = d.itemEntry[p];
    assert.equal(d.itemUsers[p], d.users[k2]);
  }
});

test("popularity rank: most-rated first, ties by inner id", () => {
  const d = fromTriples("p", ["1", "2", "3", "1", "2", "1"], ["x", "x", "x", "y", "y", "z"], new Float32Array(6).fill(3));
  assert.deepEqual(Array.from(d.itemCounts), [3, 2, 1]);
  assert.deepEqual(Array.from(d.popularityRank), [1, 2, 3]);
});

test("subset shares ids and maps back to the parent", () => {
  const d = toy();
  const s = d.subset(Int32Array.from([0, 3, 5]), "part");
  assert.equal(s.nUsers, d.nUsers);
  assert.equal(s.nItems, d.nItems);
  assert.equal(s.nRatings, 3);
  assert.equal(s.globalMean, (4 + 3 + 4) / 3);
  assert.deepEqual(Array.from(s.parentIndex!), [0, 3, 5]);
  const ss = s.subset(Int32Array.from([2]));
  assert.deepEqual(Array.from(ss.parentIndex!), [5]);
  assert.equal(ss.innerUser("7"), d.innerUser("7"));
});

test("bad input is refused with a message that names it", () => {
  assert.throws(() => toy().innerUser(99), /unknown user id "99" in dataset toy/);
  assert.throws(() => toy().innerItem("zz"), /unknown item id "zz"/);
  assert.throws(() => fromTriples("e", [], [], new Float32Array(0)), /dataset e is empty/);
  assert.throws(
    () => fromTriples("n", ["1", "2"], ["a", "a"], Float32Array.from([3, NaN])),
    /rating 1 \(user 2, item a\) is NaN/,
  );
  assert.throws(
    () => fromTriples("d", ["1", "1"], ["a", "a"], Float32Array.from([3, 4])),
    /user 1 rated item a more than once/,
  );
  assert.throws(
    () => fromTriples("s", ["1"], ["a"], Float32Array.from([9]), { ratingScale: [1, 5] }),
    /outside the declared scale/,
  );
});
