import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset } from "../../lib/data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  topNByPrediction,
} from "../../lib/model/recommender";
import { Hybrid, largestRemainder, parseHybridSpec, solveBlendWeights } from "../../lib/hybrid/hybrid";
import { assertClose } from "../helpers";

/** A model with known predictions: f(u, i) = value, or null = impossible (then `fallback`). */
class Fake implements Recommender {
  readonly predictsRatings: boolean;
  fits: RatingDataset[] = [];
  private train: RatingDataset | null = null;
  constructor(
    readonly id: string,
    private readonly f: (u: number, i: number) => number | null,
    private readonly opts: { ratings?: boolean; fallback?: number; list?: (u: number, n: number) => Recommendation[] } = {},
  ) {
    this.predictsRatings = opts.ratings ?? true;
  }
  fit(train: RatingDataset): this {
    this.train = train;
    this.fits.push(train);
    return this;
  }
  predict(u: number, i: number): Prediction {
    if (this.train === null) throw new Error(`${this.id}: not fitted`);
    const v = this.f(u, i);
    return v === null ? { value: this.opts.fallback ?? 3, impossible: true, details: `${this.id} cannot` } : { value: v, impossible: false };
  }
  recommend(u: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    if (this.opts.list) return this.opts.list(u, n).slice(0, n);
    return topNByPrediction(this, this.train!, u, n, options);
  }
}

/** Every user rates every item; ratings r(u, i) on a 1–5 scale. */
function fullData(nUsers: number, nItems: number, r: (u: number, i: number) => number): RatingDataset {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      users.push(u);
      items.push(i);
      ratings.push(r(u, i));
    }
  }
  return sparseData(nUsers, nItems, users, items, ratings);
}

function sparseData(nUsers: number, nItems: number, users: number[], items: number[], ratings: number[]): RatingDataset {
  return new RatingDataset({
    name: "fake",
    userIds: Array.from({ length: nUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: nItems }, (_, i) => `i${i}`),
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
    ratingScale: [1, 5],
  });
}

/** User 0 has rated items 0 and 1; users 1.. rated item 0; `nItems` items in all. */
function smallData(nItems = 12, nUsers = 3): RatingDataset {
  const users = [0, 0];
  const items = [0, 1];
  const ratings = [4, 2];
  for (let u = 1; u < nUsers; u++) {
    users.push(u);
    items.push(0);
    ratings.push(3);
  }
  users.push(1);
  items.push(nItems - 1);
  ratings.push(5);
  return sparseData(nUsers, nItems, users, items, ratings);
}

// ---- parseHybridSpec ---------------------------------------------------------------------------

test("parseHybridSpec: ids and weights, weight omitted = 1, whitespace ignored", () => {
  assert.deepEqual(parseHybridSpec("svd:0.5+content-knn:0.5"), [
    { id: "svd", weight: 0.5 },
    { id: "content-knn", weight: 0.5 },
  ]);
  assert.deepEqual(parseHybridSpec(" svd + knn-basic : 2 +popularity:0"), [
    { id: "svd", weight: 1 },
    { id: "knn-basic", weight: 2 },
    { id: "popularity", weight: 0 },
  ]);
  assert.deepEqual(parseHybridSpec("svd"), [{ id: "svd", weight: 1 }]);
});

test("parseHybridSpec: errors name the bad piece", () => {
  assert.throws(() => parseHybridSpec(""), /empty/);
  assert.throws(() => parseHybridSpec("svd++x"), /component 2 is empty/);
  assert.throws(() => parseHybridSpec("svd+"), /component 2 is empty/);
  assert.throws(() => parseHybridSpec("svd+:0.5"), /component 2 \(":0.5"\) has an empty algorithm id/);
  assert.throws(() => parseHybridSpec("svd:-1"), /component 1 \("svd:-1"\): weight "-1" is not a finite number ≥ 0/);
  assert.throws(() => parseHybridSpec("svd:0.5+knn:abc"), /component 2 \("knn:abc"\): weight "abc"/);
  assert.throws(() => parseHybridSpec("svd:"), /weight "" is not a finite number/);
  assert.throws(() => parseHybridSpec("svd:Infinity"), /weight "Infinity"/);
  assert.throws(() => parseHybridSpec("svd:0+knn:0"), /all weights are 0/);
  assert.throws(() => parseHybridSpec("svd:1+knn+svd:2"), /component 3: algorithm "svd" is listed twice/);
});

// ---- weighted ----------------------------------------------------------------------------------

test("weighted: exact weighted average, normalised weights", () => {
  const data = smallData();
  const a = new Fake("a", (u, i) => 1 + i / 4);
  const b = new Fake("b", () => 4);
  const h = new Hybrid({ components: [{ model: a, weight: 1 }, { model: b, weight: 3 }] }).fit(data);
  assert.deepEqual(h.weights(), [0.25, 0.75]);
  assert.equal(h.predictsRatings, true);
  for (const i of [0, 3, 8]) {
    const p = h.predict(1, i);
    assertClose(p.value, (1 * (1 + i / 4) + 3 * 4) / 4, `item ${i}`, 1e-12);
    assert.equal(p.impossible, false);
  }
  // clipped to the scale: a = 1 + 11/4 = 3.75; (3.75 + 12)/4 = 3.9375 (inside); weights sum to 1
  assertClose(h.predict(0, 11).value, 3.9375, "item 11", 1e-12);
  // top-n: unseen items by prediction, best first (a grows with i, b constant)
  assert.deepEqual(
    h.recommend(0, 3).map((r) => r.item),
    [11, 10, 9],
  );
  assert.deepEqual(
    h.recommend(0, 2, { exclude: new Set([11]) }).map((r) => r.item),
    [10, 9],
  );
});

test("weighted: a component that cannot predict gives its weight to the others; all impossible → averaged fallbacks", () => {
  const data = smallData();
  const a = new Fake("a", (_u, i) => (i === 5 || i === 7 ? null : 2), { fallback: 3 });
  const b = new Fake("b", (_u, i) => (i === 7 ? null : 5), { fallback: 4 });
  const c = new Fake("c", () => 1);
  const h = new Hybrid({ components: [{ model: a, weight: 2 }, { model: b, weight: 1 }, { model: c, weight: 0 }] }).fit(data);
  assertClose(h.predict(0, 3).value, (2 * 2 + 5) / 3, "both possible", 1e-12);
  const renorm = h.predict(0, 5);
  assert.equal(renorm.value, 5, "only b possible → b's prediction");
  assert.equal(renorm.impossible, false);
  const none = h.predict(0, 7);
  assertClose(none.value, (2 * 3 + 1 * 4) / 3, "averaged fallbacks", 1e-12);
  assert.equal(none.impossible, true);
  assert.match(none.details!, /a: a cannot; b: b cannot/);
  // the weight-0 component is never used, even when it could predict
  assert.doesNotMatch(none.details!, /c:/);
});

test("weighted: learned weights recover r = 0.3·a + 0.7·b, then every component is refitted on the whole train set", () => {
  const fa = (u: number, i: number) => 1 + ((u * 7 + i * 3) % 5);
  const fb = (u: number, i: number) => 1 + ((u * 2 + i * 5 + ((u * i) % 3)) % 4);
  const data = fullData(10, 10, (u, i) => 0.3 * fa(u, i) + 0.7 * fb(u, i));
  const a = new Fake("a", fa);
  const b = new Fake("b", fb);
  const h = new Hybrid({ components: [{ model: a, weight: 5 }, { model: b, weight: 1 }], learnWeights: true, validationSize: 0.2, seed: 3 });
  assert.deepEqual(h.weights(), [5 / 6, 1 / 6], "given weights before fit");
  h.fit(data);
  const w = h.weights();
  assertClose(w[0], 0.3, "w_a", 1e-6);
  assertClose(w[1], 0.7, "w_b", 1e-6);
  const info = h.learned!;
  assert.equal(info.validationRatings, 20);
  assert.equal(info.usedRatings, 20);
  assert.ok(info.blendRmse < 1e-5, `blend RMSE ${info.blendRmse}`);
  assert.ok(info.componentRmse.every((e) => e > 0.1), "each component alone is worse");
  for (const m of [a, b]) {
    assert.deepEqual(m.fits.map((t) => t.nRatings), [80, 100], `${m.id}: fitted on the fit part, then on all`);
    assert.equal(m.fits[1], data);
  }
  assertClose(h.predict(4, 6).value, data.rating(4, 6), "prediction = rating", 1e-5);
});

test("weighted: learned weights leave out validation rows where a component cannot predict", () => {
  const fa = (u: number, i: number) => 1 + ((u + 2 * i) % 5);
  const fb = (u: number, i: number) => 1 + ((3 * u + i) % 4);
  // on rows where b is possible, r = a; where b is impossible its fallback (5) would mislead
  const data = fullData(10, 10, (u, i) => fa(u, i));
  const a = new Fake("a", fa);
  const b = new Fake("b", (u, i) => (i < 3 ? null : fb(u, i)), { fallback: 5 });
  const h = new Hybrid({ components: [{ model: a }, { model: b }], learnWeights: true, seed: 1 }).fit(data);
  assertClose(h.weights()[0], 1, "w_a", 1e-9);
  assertClose(h.weights()[1], 0, "w_b", 1e-9);
  const info = h.learned!;
  assert.ok(info.usedRatings < info.validationRatings && info.usedRatings > 0, JSON.stringify(info));
});

test("solveBlendWeights: the simplex-constrained least-squares optimum (checked against a grid search)", () => {
  // y ≈ 1.4·a − 0.4·b: the unconstrained fit has a negative weight; on the simplex the answer is a vertex or an edge point
  const a = [1, 2, 3, 4, 5, 2, 3];
  const b = [2, 2, 4, 3, 5, 1, 1];
  const y = a.map((x, k) => 1.4 * x - 0.4 * b[k] + (k % 2 ? 0.1 : -0.1));
  const err = (w: number) => y.reduce((s, yk, k) => s + (yk - w * a[k] - (1 - w) * b[k]) ** 2, 0);
  let bestW = 0;
  for (let t = 0; t <= 100000; t++) if (err(t / 100000) < err(bestW)) bestW = t / 100000;
  const w = solveBlendWeights([a, b], y);
  assertClose(w[0], bestW, "w_a vs grid", 1e-5);
  assertClose(w[0] + w[1], 1, "sum", 1e-12);
  assert.ok(w[1] >= 0);

  // an interior optimum: y = 0.25 a + 0.75 b exactly, three columns with a useless third
  const c = [5, 1, 5, 1, 5, 1, 5];
  const w3 = solveBlendWeights([a, b, c], a.map((x, k) => 0.25 * x + 0.75 * b[k]));
  assertClose(w3[0], 0.25, "w_a", 1e-9);
  assertClose(w3[1], 0.75, "w_b", 1e-9);
  assertClose(w3[2], 0, "w_c", 1e-9);

  // identical columns: singular systems are skipped, the result is still an optimum on the simplex
  const wd = solveBlendWeights([a, a, b], a);
  assertClose(wd[0] + wd[1], 1, "all weight on the copies of a", 1e-9);
  assert.ok(wd.every((v) => v >= 0));

  assert.throws(() => solveBlendWeights([a], []), /no rows/);
  assert.throws(() => solveBlendWeights([a, [1, 2]], y), /column 1 has 2 rows/);
  assert.throws(() => solveBlendWeights([[NaN, ...a.slice(1)]], y), /column 0 row 0 is NaN/);
});

// ---- option errors -----------------------------------------------------------------------------

test("hybrid: clear errors on bad options", () => {
  const r = () => new Fake("r", () => 3);
  const ranker = new Fake("pop", () => 1, { ratings: false });
  assert.throws(() => new Hybrid({ components: [] }), /no components/);
  assert.throws(() => new Hybrid({ components: [{ model: r(), weight: -1 }] }), /weight of component 1 \(r\) must be a finite number ≥ 0/);
  assert.throws(() => new Hybrid({ components: [{ model: r(), weight: NaN }] }), /finite number ≥ 0/);
  assert.throws(() => new Hybrid({ components: [{ model: r(), weight: 0 }] }), /all component weights are 0/);
  assert.throws(() => new Hybrid({ components: [{ model: r() }], strategy: "mixed" as never }), /unknown strategy "mixed"; choose one of weighted, slots, fallback/);
  for (const v of [0, 1, 1.5, -0.2, NaN]) {
    assert.throws(() => new Hybrid({ components: [{ model: r() }], validationSize: v }), /validationSize must be a number strictly between 0 and 1/);
  }
  assert.throws(
    () => new Hybrid({ components: [{ model: r() }, { model: ranker }] }),
    /component 2 \(pop\) is a ranker \(predictsRatings false\); use strategy "slots" or "fallback"/,
  );
  assert.throws(() => new Hybrid({ components: [{ model: r() }], strategy: "slots", learnWeights: true }), /learnWeights applies to strategy "weighted" only/);
  const same = r();
  assert.throws(() => new Hybrid({ components: [{ model: same }, { model: same }] }), /component 2 \(r\) is the same model object as component 1/);
  assert.throws(() => new Hybrid({ components: [{ model: undefined as never }] }), /component 1 has no model/);
  assert.throws(() => new Hybrid({ components: [{ model: r() }] }).predict(0, 0), /predict called before fit/);
  const h = new Hybrid({ components: [{ model: r() }] }).fit(smallData());
  assert.throws(() => h.predict(0, 99), /item index 99 is outside 0\.\.11/);
  assert.throws(() => h.recommend(7, 3), /user index 7 is outside/);
});

// ---- slots -------------------------------------------------------------------------------------

test("largestRemainder: floors, then the largest remainders; ties to the larger weight, then the earlier", () => {
  assert.deepEqual(largestRemainder(10, [0.5, 0.5]), [5, 5]);
  assert.deepEqual(largestRemainder(10, [1, 1, 1]), [4, 3, 3]);
  assert.deepEqual(largestRemainder(3, [0.2, 0.8]), [1, 2]); // 0.6 and 2.4
  assert.deepEqual(largestRemainder(3, [2, 1, 1]), [1, 1, 1]); // 1.5, 0.75, 0.75
  assert.deepEqual(largestRemainder(1, [1, 1]), [1, 0]);
  assert.deepEqual(largestRemainder(2, [1, 2, 2]), [0, 1, 1]); // 0.4, 0.8, 0.8
  assert.deepEqual(largestRemainder(5, [1, 0]), [5, 0]);
  assert.deepEqual(largestRemainder(0, [1, 1]), [0, 0]);
  assert.throws(() => largestRemainder(3, [0, 0]), /not all 0/);
});

test("slots: shared out by weight, round-robin in weight order, no duplicates; rankers allowed", () => {
  const data = smallData(20);
  // A ranks unseen items by increasing id, B prefers 3, 2, 9, 10, 11, …
  const A = new Fake("A", (_u, i) => -i, { ratings: false });
  const bOrder = [3, 2, 9, 10, 11, 12, 13];
  const B = new Fake("B", (_u, i) => (bOrder.includes(i) ? 100 - bOrder.indexOf(i) : -100 - i), { ratings: false });
  const h = new Hybrid({ strategy: "slots", components: [{ model: B, weight: 0.4 }, { model: A, weight: 0.6 }] }).fit(data);
  assert.equal(h.predictsRatings, false);
  const list = h.recommend(0, 5); // user 0 has seen 0 and 1; quotas A 3, B 2
  // round-robin A (weight 0.6) then B: A takes 2; B takes 3; A: 3 taken → 4; B: 2 taken → 9; A: 5
  assert.deepEqual(list.map((r) => r.item), [2, 3, 4, 9, 5]);
  assert.equal(new Set(list.map((r) => r.item)).size, list.length);
  assert.deepEqual(list.map((r) => r.score), [-2, 100, -4, 98, -5], "each component's own score");

  const counts = (xs: Recommendation[], ofA: Set<number>) => xs.filter((r) => ofA.has(r.item)).length;
  const big = h.recommend(0, 10);
  // quotas 6/4: B contributes 3, 9, 10, 11; A the six smallest free ids
  assert.deepEqual(big.map((r) => r.item).sort((x, y) => x - y), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(counts(big, new Set([3, 9, 10, 11])), 4);
});

test("slots: a component that runs short gives its slots to the others", () => {
  const data = smallData(20);
  const A = new Fake("A", (_u, i) => 5 - i / 10);
  const B = new Fake("B", () => 4, { list: () => [{ item: 15, score: 4.5 }] }); // only one candidate
  const h = new Hybrid({ strategy: "slots", components: [{ model: A, weight: 1 }, { model: B, weight: 1 }] }).fit(data);
  assert.equal(h.predictsRatings, true);
  const list = h.recommend(0, 6);
  assert.deepEqual(list.map((r) => r.item), [2, 15, 3, 4, 5, 6]);
  // predict of slots = the weighted average
  assertClose(h.predict(0, 2).value, (4.8 + 4) / 2, "slots predict", 1e-12);
});

// ---- fallback ----------------------------------------------------------------------------------

test("fallback: the primary's possible items first, the rest filled from the next component", () => {
  const data = smallData(12); // user 0 has seen items 0 and 1
  const possible = new Map([[2, 4], [3, 3.5], [4, 3]]);
  // impossible items get fallback 5, so they top the primary's own ranking and must be dropped
  const primary = new Fake("primary", (_u, i) => possible.get(i) ?? null, { fallback: 5 });
  const secondary = new Fake("secondary", (_u, i) => 1 + i / 10);
  const h = new Hybrid({ strategy: "fallback", components: [{ model: primary }, { model: secondary }] }).fit(data);
  const list = h.recommend(0, 5);
  assert.deepEqual(list.map((r) => r.item), [2, 3, 4, 11, 10]);
  assert.deepEqual(list.map((r) => r.score), [4, 3.5, 3, 2.1, 2]);
  // n smaller than what the primary can fill: nothing from the secondary
  assert.deepEqual(h.recommend(0, 2).map((r) => r.item), [2, 3]);
  // predict: the first possible prediction in priority order
  assert.deepEqual(h.predict(0, 3), { value: 3.5, impossible: false });
  assert.deepEqual(h.predict(0, 7), { value: 1.7, impossible: false });
  const last = new Fake("last", () => null, { fallback: 2.5 });
  const h2 = new Hybrid({ strategy: "fallback", components: [{ model: new Fake("p", () => null, { fallback: 1 }) }, { model: last }] }).fit(data);
  const p = h2.predict(0, 3);
  assert.equal(p.impossible, true);
  assert.equal(p.value, 1, "the primary's fallback");
  // the last component is the final fallback: its impossible items are kept
  assert.deepEqual(h2.recommend(0, 3).map((r) => r.item), [2, 3, 4]);
});

test("fallback: primary fills everything when it can; duplicates of the secondary are skipped", () => {
  const data = smallData(12);
  const primary = new Fake("primary", (_u, i) => (i % 2 === 0 ? 5 - i / 10 : null));
  const secondary = new Fake("secondary", (_u, i) => 5 - i / 10);
  const h = new Hybrid({ strategy: "fallback", components: [{ model: primary }, { model: secondary }] }).fit(data);
  // primary can: 2, 4, 6, 8, 10 (5 items); n = 7 → 2 more from the secondary, skipping its even ones
  assert.deepEqual(h.recommend(0, 7).map((r) => r.item), [2, 4, 6, 8, 10, 3, 5]);
  assert.deepEqual(h.recommend(0, 4).map((r) => r.item), [2, 4, 6, 8]);
});
