import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/random";
import { KNNBasic } from "../../lib/knn/knnBasic";
import { KNNWithMeans } from "../../lib/knn/knnWithMeans";
import { KNNWithZScore } from "../../lib/knn/knnWithZScore";
import { KNNBaseline } from "../../lib/knn/knnBaseline";
import { UserCF } from "../../lib/knn/userCF";
import { ItemCF } from "../../lib/knn/itemCF";
import { computeSimilarity } from "../../lib/similarity/matrix";
import { tripleDataset, assertClose, TINY_4X4 } from "../helpers";

// users u0..u3 (inner 0..3), items i0..i3 (inner 0..3)
//        i0  i1  i2  i3
//   u0    4   3   .   .      mean 3.5, population σ 0.5
//   u1    5   3   4   .      mean 4,   σ √(2/3)
//   u2    2   5   1   2      mean 2.5, σ 1.5
//   u3    .   3   5   4      mean 4,   σ √(2/3)
const tiny = tripleDataset(TINY_4X4);
const mu = 41 / 12;

// user–user msd similarities of u0 (co-rated items only):
//   u1: differences (1, 0) → MSD 0.5 → 1/1.5;  u2: (2, −2) → MSD 4 → 1/5;  u3: (0) on i1 → 1
const s01 = 1 / 1.5;
const s02 = 1 / 5;
const s03 = 1;
// predicting (u0, i2): the raters of i2 are u1 (4), u2 (1), u3 (5)

test("KNNBasic, user-based msd, by hand", () => {
  const m = new KNNBasic().fit(tiny);
  const p = m.predict(0, 2);
  assertClose(p.value, (s01 * 4 + s02 * 1 + s03 * 5) / (s01 + s02 + s03), "k = 40");
  assert.equal(p.impossible, false);
  // k = 2 keeps the two most similar raters, u3 (1) and u1 (2/3)
  assertClose(new KNNBasic({ k: 2 }).fit(tiny).predict(0, 2).value, (s03 * 5 + s01 * 4) / (s03 + s01), "k = 2");
  assert.deepEqual(
    new KNNBasic({ k: 2 }).fit(tiny).neighboursOf(0, 2).map((n) => n.id),
    [3, 1],
  );
  assert.equal(m.id, "knn-basic");
  assert.equal(m.predictsRatings, true);
});

test("KNNBasic, item-based msd, by hand", () => {
  // item–item msd with i2: i0 over u1 (4 vs 5), u2 (1 vs 2): MSD 1 → 1/2
  //                        i1 over u1 (4 vs 3), u2 (1 vs 5), u3 (5 vs 3): MSD (1+16+4)/3 = 7 → 1/8
  // u0 rated i0 = 4, i1 = 3
  const p = new KNNBasic({ userBased: false }).fit(tiny).predict(0, 2);
  assertClose(p.value, (0.5 * 4 + 0.125 * 3) / (0.5 + 0.125), "item-based");
});

test("KNNWithMeans, by hand", () => {
  const p = new KNNWithMeans().fit(tiny).predict(0, 2);
  // 3.5 + [s01 (4 − 4) + s02 (1 − 2.5) + s03 (5 − 4)] / (s01 + s02 + s03)
  assertClose(p.value, 3.5 + (s01 * 0 + s02 * -1.5 + s03 * 1) / (s01 + s02 + s03), "with means");
  assert.equal(p.impossible, false);
});

test("KNNWithZScore, by hand (population σ)", () => {
  const sd1 = Math.sqrt(2 / 3); // u1: deviations 1, −1, 0
  const sd3 = Math.sqrt(2 / 3); // u3: deviations −1, 1, 0
  const sd2 = 1.5; // u2: deviations −0.5, 2.5, −1.5, −0.5 → variance 9/4
  const z = (s01 * (4 - 4)) / sd1 + (s02 * (1 - 2.5)) / sd2 + (s03 * (5 - 4)) / sd3;
  const p = new KNNWithZScore().fit(tiny).predict(0, 2);
  assertClose(p.value, 3.5 + (z / (s01 + s02 + s03)) * 0.5, "z-score");
});

test("KNNWithZScore replaces a zero σ by the σ of all train ratings", () => {
  // u0 rated everything 3 (σ 0); neighbour u1 on x, y (differences 0, 1 → msd 1/1.5), u1 rated z = 5
  const d = tripleDataset([
    ["u0", "x", 3],
    ["u0", "y", 3],
    ["u1", "x", 3],
    ["u1", "y", 4],
    ["u1", "z", 5],
  ]);
  const all = [3, 3, 3, 4, 5];
  const m = all.reduce((a, b) => a + b) / 5; // 3.6
  const overall = Math.sqrt(all.reduce((s, r) => s + (r - m) ** 2, 0) / 5);
  const mean1 = 4;
  const sd1 = Math.sqrt(2 / 3);
  const p = new KNNWithZScore().fit(d).predict(0, 2);
  assertClose(p.value, 3 + ((5 - mean1) / sd1) * overall, "zero σ");
});

test("KNNBaseline with one ALS epoch, by hand", () => {
  // baselines after one ALS epoch (reg_i 10, reg_u 15), see baselines.test.ts for the derivation
  const bi = [(11 - 3 * mu) / 13, (14 - 4 * mu) / 14, (10 - 3 * mu) / 13, (6 - 2 * mu) / 12];
  const bu = [
    (7 - 2 * mu - bi[0] - bi[1]) / 17,
    (12 - 3 * mu - bi[0] - bi[1] - bi[2]) / 18,
    (10 - 4 * mu - bi[0] - bi[1] - bi[2] - bi[3]) / 19,
    (12 - 3 * mu - bi[1] - bi[2] - bi[3]) / 18,
  ];
  const b = (u: number, i: number): number => mu + bu[u] + bi[i];
  const m = new KNNBaseline({ baseline: { method: "als", nEpochs: 1 } }).fit(tiny);
  const num = s01 * (4 - b(1, 2)) + s02 * (1 - b(2, 2)) + s03 * (5 - b(3, 2));
  assertClose(m.predict(0, 2).value, b(0, 2) + num / (s01 + s02 + s03), "user-based");
  // item-based: neighbours of i2 among u0's items: i0 (msd 1/2, r 4), i1 (1/8, r 3)
  const mi = new KNNBaseline({ userBased: false, baseline: { method: "als", nEpochs: 1 } }).fit(tiny);
  const numI = 0.5 * (4 - b(0, 0)) + 0.125 * (3 - b(0, 1));
  assertClose(mi.predict(0, 2).value, b(0, 2) + numI / 0.625, "item-based");
  assert.equal(m.id, "knn-baseline");
});

test("fewer than minK neighbours: each variant's fallback, flagged impossible", () => {
  // (u0, i2) has 3 neighbours
  const basic = new KNNBasic({ minK: 4 }).fit(tiny).predict(0, 2);
  assert.equal(basic.impossible, true);
  assertClose(basic.value, mu, "KNNBasic → global mean");
  assert.equal(new KNNBasic({ minK: 3 }).fit(tiny).predict(0, 2).impossible, false);
  const means = new KNNWithMeans({ minK: 4 }).fit(tiny).predict(0, 2);
  assert.equal(means.impossible, true);
  assertClose(means.value, 3.5, "KNNWithMeans → user mean");
  const zs = new KNNWithZScore({ minK: 4 }).fit(tiny).predict(0, 2);
  assertClose(zs.value, 3.5, "KNNWithZScore → user mean");
  const kb = new KNNBaseline({ minK: 4 }).fit(tiny);
  const bl = kb.baselines;
  const base = kb.predict(0, 2);
  assert.equal(base.impossible, true);
  assertClose(base.value, bl.mu + bl.bu[0] + bl.bi[2], "KNNBaseline → baseline");
  // item-based KNNWithMeans falls back to the ITEM mean: i2 = (4 + 1 + 5) / 3
  assertClose(new KNNWithMeans({ userBased: false, minK: 3 }).fit(tiny).predict(0, 2).value, 10 / 3, "item mean");
});

test("only positive similarities are used", () => {
  // pearson of u0: with u1 over (4,3) vs (5,3) → +1; with u2 over (4,3) vs (2,5) → −1; with u3 one item → 0
  // so only u1 counts: r̂(u0, i2) = r(u1, i2) = 4, with actual_k = 1
  const m = new KNNBasic({ sim: "pearson" }).fit(tiny);
  const S = m.similarity;
  assertClose(S.get(0, 1), 1, "pearson(u0,u1)");
  assertClose(S.get(0, 2), -1, "pearson(u0,u2)");
  assert.equal(S.get(0, 3), 0);
  const p = m.predict(0, 2);
  assertClose(p.value, 4, "KNNBasic pearson");
  assert.equal(p.details, "actual_k = 1");
  assert.deepEqual(
    m.neighboursOf(0, 2).map((n) => n.id),
    [1],
  );
  // with minK 2 there are not enough positive neighbours, although 3 users rated i2
  assert.equal(new KNNBasic({ sim: "pearson", minK: 2 }).fit(tiny).predict(0, 2).impossible, true);
  // KNNWithMeans: 3.5 + (4 − 4) = 3.5 from the single positive neighbour
  assertClose(new KNNWithMeans({ sim: "pearson" }).fit(tiny).predict(0, 2).value, 3.5, "means pearson");
});

test("unknown users and items fall back; predictions are clipped to the scale", () => {
  // drop all of u3's ratings and all of i3's
  const keep: number[] = [];
  for (let k = 0; k < tiny.nRatings; k++) if (tiny.users[k] !== 3 && tiny.items[k] !== 3) keep.push(k);
  const train = tiny.subset(Int32Array.from(keep));
  for (const m of [new KNNBasic(), new KNNWithMeans(), new KNNWithZScore()]) {
    m.fit(train);
    for (const [u, i] of [
      [3, 0],
      [0, 3],
    ]) {
      const p = m.predict(u, i);
      assert.equal(p.impossible, true, `${m.id} (${u},${i})`);
      assertClose(p.value, train.globalMean, `${m.id} global mean`);
    }
  }
  const kb = new KNNBaseline().fit(train);
  const b = kb.baselines;
  assertClose(kb.predict(3, 0).value, b.mu + b.bi[0], "unknown user: μ + b_i");
  assertClose(kb.predict(0, 3).value, b.mu + b.bu[0], "unknown item: μ + b_u");
  assert.equal(kb.predict(0, 3).impossible, true);
  assert.throws(() => kb.predict(0, 4), /item index 4/);
  assert.throws(() => kb.predict(-1, 0), /user index -1/);
  assert.throws(() => new KNNBasic().predict(0, 0), /not fitted/);

  // a: x 5, y 5 (mean 5); b: x 5, y 3, z 5 (mean 13/3); msd(a, b) = 1/(4/2 + 1)
  // KNNWithMeans r̂(a, z) = 5 + (5 − 13/3) = 5.67 → clipped to 5
  const d = tripleDataset([
    ["a", "x", 5],
    ["a", "y", 5],
    ["b", "x", 5],
    ["b", "y", 3],
    ["b", "z", 5],
  ]);
  const p = new KNNWithMeans().fit(d).predict(0, 2);
  assert.equal(p.value, 5);
  assert.equal(p.impossible, false);
});

test("k-NN recommend ranks the unseen items with train ratings by predicted rating", () => {
  const rng = new Rng(3);
  const t: [string, string, number][] = [];
  for (let u = 0; u < 15; u++) for (let i = 0; i < 12; i++) if (rng.next() < 0.5) t.push([`u${u}`, `i${i}`, 1 + rng.int(5)]);
  const d = tripleDataset(t, "random");
  // user-based recommend scores all items in one pass (another summation order than predict);
  // item-based recommend calls predict
  for (const m of [
    new KNNBasic({ k: 3 }),
    new KNNWithMeans({ k: 5 }),
    new KNNWithZScore({ k: 2, sim: "pearson" }),
    new KNNBaseline({ k: 4 }),
    new KNNWithMeans({ k: 3, userBased: false }),
  ]) {
    m.fit(d);
    for (let u = 0; u < d.nUsers; u++) {
      const recs = m.recommend(u, 4);
      const preds = new Map<number, number>();
      for (let i = 0; i < d.nItems; i++) if (!d.hasRated(u, i)) preds.set(i, m.predict(u, i).value);
      assert.equal(recs.length, Math.min(4, preds.size));
      for (let j = 0; j < recs.length; j++) {
        assertClose(recs[j].score, preds.get(recs[j].item)!, `${m.id} score of item ${recs[j].item}`, 1e-9);
        if (j > 0) assert.ok(recs[j - 1].score >= recs[j].score);
      }
      // nothing left out scores higher than the last one kept
      const kept = new Set(recs.map((r) => r.item));
      const last = recs[recs.length - 1].score;
      for (const [i, v] of preds) if (!kept.has(i)) assert.ok(v <= last + 1e-9, `${m.id} user ${u}: item ${i} (${v}) beats ${last}`);
    }
  }
  // exclude, excludeSeen, minScore
  const m = new KNNWithMeans({ k: 5 }).fit(d);
  const all = m.recommend(0, 100, { excludeSeen: false });
  assert.equal(all.length, d.nItems);
  assert.ok(!m.recommend(0, 100, { exclude: new Set([all[0].item]) }).some((r) => r.item === all[0].item));
  const high = m.recommend(0, 100, { minScore: 3.5 });
  assert.ok(high.every((r) => r.score >= 3.5));
  assert.equal(high.length, m.recommend(0, 100).filter((r) => r.score >= 3.5).length);
});

// ---- top-N CF (Kane) ---------------------------------------------------------------------------

// user–user cosine of u0 (co-rated items only):
//   u1 over i0, i1: (4·5 + 3·3) / (√(16+9) √(25+9)) = 29 / (5√34)
//   u2 over i0, i1: (4·2 + 3·5) / (5 √(4+25))      = 23 / (5√29)
//   u3 over i1:     3·3 / (3·3)                      = 1
const c01 = 29 / (5 * Math.sqrt(34));
const c02 = 23 / (5 * Math.sqrt(29));

test("user-based top-N CF by hand", () => {
  const m = new UserCF().fit(tiny);
  assert.equal(m.predictsRatings, false);
  assert.equal(m.id, "usercf");
  // k = 10 takes all three other users; candidates unseen by u0: i2, i3
  // i2: (c01·4 + c02·1 + 1·5) / 5;  i3: (c02·2 + 1·4) / 5
  let recs = m.recommend(0, 10);
  assert.deepEqual(
    recs.map((r) => r.item),
    [2, 3],
  );
  assertClose(recs[0].score, (c01 * 4 + c02 * 1 + 5) / 5, "score i2");
  assertClose(recs[1].score, (c02 * 2 + 4) / 5, "score i3");
  assertClose(m.predict(0, 2).value, recs[0].score, "predict = score");
  // k = 2: u3 (1) and u1 (0.9947)
  recs = new UserCF({ k: 2 }).fit(tiny).recommend(0, 10);
  assertClose(recs[0].score, (c01 * 4 + 5) / 5, "k=2 score i2");
  assertClose(recs[1].score, 4 / 5, "k=2 score i3");
  // threshold 0.995 keeps only u3
  recs = new UserCF({ threshold: 0.995 }).fit(tiny).recommend(0, 10);
  assert.deepEqual(recs, [
    { item: 2, score: 1 },
    { item: 3, score: 0.8 },
  ]);
  assert.deepEqual(Array.from(new UserCF({ threshold: 0.995 }).fit(tiny).neighbours(0)), [3]);
});

// item–item cosine (co-rating users only):
//   i0·i2 over u1 (5,4), u2 (2,1):              22 / √(29·17)
//   i0·i3 over u2 (2,2):                         1
//   i1·i2 over u1 (3,4), u2 (5,1), u3 (3,5):     32 / √(43·42)
//   i1·i3 over u2 (5,2), u3 (3,4):               22 / √(34·20)
const c02i = 22 / Math.sqrt(29 * 17);
const c12i = 32 / Math.sqrt(43 * 42);
const c13i = 22 / Math.sqrt(34 * 20);

test("item-based top-N CF by hand", () => {
  const m = new ItemCF().fit(tiny);
  assert.equal(m.predictsRatings, false);
  assert.equal(m.id, "itemcf");
  // u0's sources: i0 (4), i1 (3)
  // i2: c02i·4/5 + c12i·3/5;  i3: 1·4/5 + c13i·3/5
  const recs = m.recommend(0, 10);
  assert.deepEqual(
    recs.map((r) => r.item),
    [3, 2],
  );
  assertClose(recs[0].score, 0.8 + (c13i * 3) / 5, "score i3");
  assertClose(recs[1].score, (c02i * 4) / 5 + (c12i * 3) / 5, "score i2");
  assertClose(m.predict(0, 3).value, recs[0].score, "predict = score");
  // k = 1 and minSourceRating 4 both keep only i0 (u0's top rating)
  for (const m1 of [new ItemCF({ k: 1 }), new ItemCF({ minSourceRating: 4 })]) {
    const r = m1.fit(tiny).recommend(0, 10);
    assert.deepEqual(
      r.map((x) => x.item),
      [3, 2],
    );
    assertClose(r[0].score, 0.8, "i3 from i0");
    assertClose(r[1].score, (c02i * 4) / 5, "i2 from i0");
  }
  // sources are ordered by rating, ties by item id
  assert.deepEqual(Array.from(new ItemCF({ k: 2 }).fit(tiny).sources(2).items), [1, 0]);
});

test("top-N CF agrees with a naive scorer on random data and respects exclusions", () => {
  const rng = new Rng(11);
  const t: [string, string, number][] = [];
  for (let u = 0; u < 20; u++) for (let i = 0; i < 15; i++) if (rng.next() < 0.35) t.push([`u${u}`, `i${i}`, 1 + rng.int(5)]);
  const d = tripleDataset(t, "random");
  const U = computeSimilarity(d, { measure: "cosine", userBased: true });
  const I = computeSimilarity(d, { measure: "cosine", userBased: false });
  const ucf = new UserCF({ k: 3 }).fit(d);
  const icf = new ItemCF({ k: 3 }).fit(d);
  for (let u = 0; u < d.nUsers; u++) {
    // naive user-based: 3 most similar other users (non-zero sim, ties by id)
    const others = Array.from({ length: d.nUsers }, (_, v) => v).filter((v) => v !== u && U.get(u, v) !== 0);
    others.sort((a, b) => U.get(u, b) - U.get(u, a) || a - b);
    const scoreU = new Map<number, number>();
    for (const v of others.slice(0, 3)) {
      for (let i = 0; i < d.nItems; i++) {
        const r = d.rating(v, i);
        if (!Number.isNaN(r) && !d.hasRated(u, i)) scoreU.set(i, (scoreU.get(i) ?? 0) + (U.get(u, v) * r) / 5);
      }
    }
    const wantU = [...scoreU].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
    const gotU = ucf.recommend(u, 5);
    assert.deepEqual(
      gotU.map((r) => r.item),
      wantU.map((w) => w[0]),
    );
    gotU.forEach((r, j) => assertClose(r.score, wantU[j][1], "usercf score", 1e-9));
    // naive item-based: the user's 3 best-rated items
    const rated = Array.from({ length: d.nItems }, (_, i) => i).filter((i) => d.hasRated(u, i));
    rated.sort((a, b) => d.rating(u, b) - d.rating(u, a) || a - b);
    const scoreI = new Map<number, number>();
    for (const i of rated.slice(0, 3)) {
      for (let j = 0; j < d.nItems; j++) {
        if (I.get(i, j) !== 0 && !d.hasRated(u, j)) scoreI.set(j, (scoreI.get(j) ?? 0) + (I.get(i, j) * d.rating(u, i)) / 5);
      }
    }
    const wantI = [...scoreI].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
    const gotI = icf.recommend(u, 5);
    assert.deepEqual(
      gotI.map((r) => r.item),
      wantI.map((w) => w[0]),
    );
    gotI.forEach((r, j) => assertClose(r.score, wantI[j][1], "itemcf score", 1e-9));
    // exclusions
    if (gotI.length > 0) assert.ok(!icf.recommend(u, 5, { exclude: new Set([gotI[0].item]) }).some((r) => r.item === gotI[0].item));
  }
});

test("bad k-NN options are refused", () => {
  assert.throws(() => new KNNBasic({ k: 0 }), /k must be a positive integer/);
  assert.throws(() => new KNNBasic({ minK: -1 }), /minK/);
  assert.throws(() => new KNNWithMeans({ sim: "nope" as "msd" }), /unknown measure/);
  assert.throws(() => new UserCF({ threshold: NaN }), /threshold/);
  assert.throws(() => new ItemCF({ k: 2.5 }), /k must be a positive integer/);
});
