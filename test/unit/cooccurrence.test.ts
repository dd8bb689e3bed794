import { test } from "node:test";
import assert from "node:assert/strict";
import { type RatingDataset, fromTriples } from "../../lib/data/dataset";
import {
  ItemSimRecommender,
  cooccurrenceCount,
  cooccurrenceMatrix,
  interactions,
  jaccard,
  jaccardMatrix,
} from "../../lib/cooccurrence/itemsim";
import { Rng } from "../../lib/random";

function data(rows: [string | number, string | number, number][], scale?: [number, number]): RatingDataset {
  return fromTriples(
    "t",
    rows.map((r) => String(r[0])),
    rows.map((r) => String(r[1])),
    Float32Array.from(rows.map((r) => r[2])),
    { ratingScale: scale },
  );
}

/** Seeded random data with popular and unpopular items, so that similarities vary. */
function randomData(seed: number, nUsers: number, nItems: number): RatingDataset {
  const rng = new Rng(seed);
  const rows: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const items = new Set<number>();
    const activity = 0.05 + 0.4 * rng.next();
    for (let i = 0; i < nItems; i++) if (rng.next() < activity * (1 - i / (nItems + 5))) items.add(i);
    items.add(rng.int(nItems));
    for (const i of items) rows.push([u, i, 1 + rng.int(5)]);
  }
  return data(rows, [1, 5]);
}

/** Naive reference: user sets per item as JS Sets, Jaccard in double precision. */
function naive(d: RatingDataset, minRating = 0) {
  const usersOf: Set<number>[] = Array.from({ length: d.nItems }, () => new Set<number>());
  const itemsOf: number[][] = Array.from({ length: d.nUsers }, () => []);
  for (let k = 0; k < d.nRatings; k++) {
    if (d.ratings[k] < minRating) continue;
    usersOf[d.items[k]].add(d.users[k]);
    itemsOf[d.users[k]].push(d.items[k]);
  }
  const J = (i: number, j: number): number => {
    let inter = 0;
    for (const u of usersOf[i]) if (usersOf[j].has(u)) inter++;
    const union = usersOf[i].size + usersOf[j].size - inter;
    return union === 0 ? 0 : inter / union;
  };
  const score = (u: number, j: number): number => {
    const mine = itemsOf[u];
    return mine.length === 0 ? 0 : mine.reduce((s, i) => s + J(j, i), 0) / mine.length;
  };
  return { J, score, itemsOf, usersOf };
}

test("jaccard and co-occurrence counts of sorted lists, by hand", () => {
  assert.equal(cooccurrenceCount([1, 2, 3], [2, 3, 4]), 2);
  assert.equal(jaccard([1, 2, 3], [2, 3, 4]), 2 / 4);
  assert.equal(jaccard([1, 2], [1, 2, 3]), 2 / 3);
  assert.equal(cooccurrenceCount([1, 5, 9], [2, 6, 10]), 0);
  assert.equal(jaccard([1, 5, 9], [2, 6, 10]), 0);
  assert.equal(jaccard([4, 8, 15], [4, 8, 15]), 1);
  assert.equal(jaccard([], [3]), 0);
  assert.equal(jaccard([], []), 0);
  assert.equal(jaccard(Int32Array.from([0, 7, 9, 12]), Int32Array.from([7, 12, 30])), 2 / 5);
  const rng = new Rng(3);
  for (let t = 0; t < 50; t++) {
    const a = Array.from(new Set(Array.from({ length: rng.int(12) }, () => rng.int(20)))).sort((x, y) => x - y);
    const b = Array.from(new Set(Array.from({ length: rng.int(12) }, () => rng.int(20)))).sort((x, y) => x - y);
    assert.equal(jaccard(a, b), jaccard(b, a));
    const inter = a.filter((x) => b.includes(x)).length;
    assert.equal(cooccurrenceCount(a, b), inter);
    const union = new Set([...a, ...b]).size;
    assert.equal(jaccard(a, b), union === 0 ? 0 : inter / union);
  }
});

// Users 1..4. X: {1,2,3}, Y: {2,3,4}, Z: {4}, W: {1}; user 4 rates Z low.
function small(): RatingDataset {
  return data([
    [1, "X", 5], [2, "X", 4], [3, "X", 4],
    [2, "Y", 3], [3, "Y", 5], [4, "Y", 4],
    [4, "Z", 2],
    [1, "W", 5],
  ]);
}

test("co-occurrence and Jaccard matrices of a handful of items, by hand", () => {
  const d = small();
  const [X, Y, Z, W] = ["X", "Y", "Z", "W"].map((s) => d.innerItem(s));
  assert.deepEqual(cooccurrenceMatrix(d, [X, Y, Z, W]), [
    [3, 2, 0, 1],
    [2, 3, 1, 0],
    [0, 1, 1, 0],
    [1, 0, 0, 1],
  ]);
  assert.deepEqual(jaccardMatrix(d, [X, Y, Z]), [
    [1, 2 / 4, 0],
    [2 / 4, 1, 1 / 3],
    [0, 1 / 3, 1],
  ]);
  // minRating 3: user 4's rating of Z (2) no longer counts, so Z has no users
  assert.deepEqual(cooccurrenceMatrix(d, [Y, Z], { minRating: 3 }), [[3, 0], [0, 0]]);
  // minRating 5: X {1}, Y {3}, W {1}
  assert.deepEqual(jaccardMatrix(d, [X, Y, W], { minRating: 5 }), [
    [1, 0, 1],
    [0, 1, 0],
    [1, 0, 1],
  ]);
  assert.throws(() => cooccurrenceMatrix(d, [0, 99]), /item index 99/);
});

test("itemsim on the small example: similarities, scores and recommendations by hand", () => {
  const d = small();
  const [X, Y, Z, W] = ["X", "Y", "Z", "W"].map((s) => d.innerItem(s));
  for (const storage of ["dense", "sparse"] as const) {
    const m = new ItemSimRecommender({ storage }).fit(d);
    assert.equal(m.usedStorage, storage);
    assert.equal(m.predictsRatings, false);
    assert.equal(m.similarity(X, Y), 0.5);
    assert.equal(m.similarity(Y, X), 0.5);
    assert.equal(m.similarity(X, X), 1);
    assert.equal(m.similarity(X, Z), 0);
    assert.equal(m.cooccurrence(X, Y), 2);
    assert.equal(m.cooccurrence(Y, Y), 3);
    // user 1 has X and W. Y: (J(Y,X) + J(Y,W)) / 2 = (1/2 + 0) / 2; Z: 0 → not recommended
    const u1 = d.innerUser(1);
    assert.deepEqual(m.recommend(u1, 5), [{ item: Y, score: 0.25 }]);
    assert.deepEqual(m.predict(u1, Y), { value: 0.25, impossible: false });
    assert.equal(m.predict(u1, Z).value, 0);
    // user 4 has Y and Z. X: (1/2 + 0)/2 = 0.25, W: (J(W,Y)=0 + J(W,Z)=0)/2 = 0
    const u4 = d.innerUser(4);
    assert.deepEqual(m.recommend(u4, 5), [{ item: X, score: 0.25 }]);
    // without seen-exclusion the user's own items come first: Y: (1 + 1/3)/2, Z: (1/3 + 1)/2
    const all = m.recommend(u4, 5, { excludeSeen: false });
    assert.deepEqual(all.map((r) => r.item), [Y, Z, X]);
    assert.ok(Math.abs(all[0].score - 2 / 3) < 1e-7 && Math.abs(all[1].score - 2 / 3) < 1e-7);
    assert.deepEqual(m.recommend(u4, 5, { exclude: new Set([X]) }), []);
    // people who liked X also liked Y (0.5) and W (J = 1/3); Z never co-occurs with X
    const sim = m.similarItems(X, 5);
    assert.deepEqual(sim.map((r) => r.item), [Y, W]);
    assert.ok(Math.abs(sim[1].score - 1 / 3) < 1e-7);
  }
  // minRating 3: user 4's only qualifying item is Y; Z gets no users at all
  const m3 = new ItemSimRecommender({ minRating: 3 }).fit(d);
  assert.equal(m3.similarity(Y, Z), 0);
  assert.equal(m3.similarity(Z, Z), 0);
  assert.deepEqual(m3.recommend(d.innerUser(4), 5), [{ item: X, score: 0.5 }]);
  // minRating 6: nobody has an interaction → empty lists, impossible predictions
  const m6 = new ItemSimRecommender({ minRating: 6 }).fit(d);
  assert.deepEqual(m6.recommend(d.innerUser(1), 5), []);
  assert.equal(m6.predict(d.innerUser(1), Y).impossible, true);
});

test("itemsim recommend, predict and similarItems equal a brute-force computation on random data", () => {
  const d = randomData(7, 60, 45);
  for (const minRating of [0, 3]) {
    const ref = naive(d, minRating);
    const dense = new ItemSimRecommender({ minRating, storage: "dense" }).fit(d);
    const sparse = new ItemSimRecommender({ minRating, storage: "sparse" }).fit(d);
    for (let u = 0; u < d.nUsers; u++) {
      const n = 8;
      const got = dense.recommend(u, n);
      const gotSparse = sparse.recommend(u, n);
      // the two storages agree: same items, scores equal up to summation order
      assert.deepEqual(gotSparse.map((r) => r.item), got.map((r) => r.item));
      gotSparse.forEach((r, k) => assert.ok(Math.abs(r.score - got[k].score) < 1e-12));
      // reference: every unseen item with a positive mean similarity, best first
      const cands = Array.from({ length: d.nItems }, (_, j) => ({ item: j, score: ref.score(u, j) }))
        .filter((c) => c.score > 0 && !d.hasRated(u, c.item))
        .sort((a, b) => b.score - a.score || a.item - b.item);
      assert.equal(got.length, Math.min(n, cands.length));
      const nth = cands.length > 0 ? cands[Math.min(n, cands.length) - 1].score : 0;
      for (let k = 0; k < got.length; k++) {
        const r = got[k];
        assert.ok(!d.hasRated(u, r.item), "recommended a seen item");
        // float32 similarities: 1e-6 tolerance
        assert.ok(Math.abs(r.score - ref.score(u, r.item)) < 1e-6, `user ${u} item ${r.item}: ${r.score} vs ${ref.score(u, r.item)}`);
        assert.ok(r.score >= nth - 1e-6, "an item outside the reference top-n");
        if (k > 0) assert.ok(got[k - 1].score >= r.score, "not sorted");
        assert.ok(Math.abs(dense.predict(u, r.item).value - r.score) < 1e-12);
      }
    }
    // similarItems: the item itself never appears; the list is the reference top-n of J
    for (let i = 0; i < d.nItems; i++) {
      const got = dense.similarItems(i, 6);
      assert.deepEqual(sparse.similarItems(i, 6), got);
      const ref6 = Array.from({ length: d.nItems }, (_, j) => ({ item: j, score: ref.J(i, j) }))
        .filter((c) => c.item !== i && c.score > 0)
        .sort((a, b) => b.score - a.score || a.item - b.item);
      assert.equal(got.length, Math.min(6, ref6.length));
      for (let k = 0; k < got.length; k++) {
        assert.notEqual(got[k].item, i);
        if (k > 0) assert.ok(got[k - 1].score >= got[k].score);
        assert.ok(Math.abs(got[k].score - ref.J(i, got[k].item)) < 1e-7);
        assert.ok(got[k].score >= ref6[got.length - 1].score - 1e-7);
      }
      // symmetry and J(i, i) = 1 on the model
      const j = (i * 7 + 3) % d.nItems;
      assert.equal(dense.similarity(i, j), dense.similarity(j, i));
      assert.equal(dense.similarity(i, j), sparse.similarity(i, j));
      if (ref.usersOf[i].size > 0) assert.equal(dense.similarity(i, i), 1);
    }
  }
});

test("interactions(): the minRating filter keeps sorted CSR rows of the qualifying ratings", () => {
  const d = randomData(5, 25, 30);
  const all = interactions(d, 0);
  assert.equal(all.userItems, d.userItems); // nothing filtered: the dataset's own index
  const x = interactions(d, 4);
  let kept = 0;
  for (let k = 0; k < d.nRatings; k++) if (d.ratings[k] >= 4) kept++;
  assert.equal(x.userItems.length, kept);
  assert.equal(x.itemUsers.length, kept);
  for (let u = 0; u < d.nUsers; u++) {
    const row = Array.from(x.userItems.subarray(x.userPtr[u], x.userPtr[u + 1]));
    const expected = Array.from(d.userRow(u).items).filter((i) => d.rating(u, i) >= 4);
    assert.deepEqual(row, expected);
  }
  for (let i = 0; i < d.nItems; i++) assert.equal(x.itemCounts[i], x.itemPtr[i + 1] - x.itemPtr[i]);
  assert.throws(() => interactions(d, NaN), /NaN/);
});

test("itemsim: errors name the problem", () => {
  const d = small();
  const m = new ItemSimRecommender();
  assert.throws(() => m.recommend(0, 5), /before fit/);
  m.fit(d);
  assert.throws(() => m.similarItems(99, 5), /item index 99/);
  assert.throws(() => m.predict(0, -1), /item index -1/);
  assert.throws(() => m.recommend(17, 5), /user index 17/);
  assert.throws(() => new ItemSimRecommender({ storage: "huge" as "dense" }), /storage/);
  assert.throws(() => new ItemSimRecommender({ minRating: NaN }), /NaN/);
});
