import { test } from "node:test";
import assert from "node:assert/strict";
import { type RatingDataset, fromTriples } from "../../lib/data/dataset";
import { RandomRecommender, standardNormalFromHash } from "../../lib/baseline/random";
import { PopularityRecommender } from "../../lib/baseline/popularity";
import { Rng } from "../../lib/random";

/** Dataset from [user, item, rating] rows with raw ids as given. */
function data(rows: [string | number, string | number, number][], scale?: [number, number]): RatingDataset {
  return fromTriples(
    "t",
    rows.map((r) => String(r[0])),
    rows.map((r) => String(r[1])),
    Float32Array.from(rows.map((r) => r[2])),
    { ratingScale: scale },
  );
}

/** A seeded random dataset: each user rates a random subset of the items (at least one). */
function randomData(seed: number, nUsers: number, nItems: number, pRate: number): RatingDataset {
  const rng = new Rng(seed);
  const rows: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const items = new Set<number>();
    for (let i = 0; i < nItems; i++) if (rng.next() < pRate) items.add(i);
    items.add(rng.int(nItems));
    for (const i of items) rows.push([u, i, 1 + rng.int(5)]);
  }
  return data(rows, [1, 5]);
}

// ---- random (NormalPredictor) ------------------------------------------------------------------

test("random: fit estimates μ and the maximum-likelihood σ", () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, σ = sqrt(32/8) = 2
  const d = data([[1, 1, 2], [1, 2, 4], [2, 1, 4], [2, 2, 4], [3, 1, 5], [3, 2, 5], [4, 1, 7], [4, 2, 9]], [1, 10]);
  const m = new RandomRecommender().fit(d);
  assert.equal(m.mu, 5);
  assert.equal(m.sigma, 2);
  assert.equal(m.predictsRatings, true);
  assert.equal(m.id, "random");
  // 1..5 once each: μ = 3, σ = sqrt(10/5)
  const m2 = new RandomRecommender().fit(data([[1, 1, 1], [1, 2, 2], [2, 1, 3], [2, 2, 4], [3, 1, 5]]));
  assert.equal(m2.mu, 3);
  assert.ok(Math.abs(m2.sigma - Math.SQRT2) < 1e-12);
});

test("random: a prediction is μ + σ·z clipped to the scale, and clipping happens", () => {
  // ratings 1 and 5 only: μ = 3, σ = 2, so |z| > 1 (≈32% of draws) lands outside [1, 5]
  const rows: [number, number, number][] = [];
  for (let u = 0; u < 30; u++) for (let i = 0; i < 30; i++) rows.push([u, i, (u + i) % 2 === 0 ? 1 : 5]);
  const d = data(rows, [1, 5]);
  const m = new RandomRecommender({ seed: 3 }).fit(d);
  assert.equal(m.mu, 3);
  assert.equal(m.sigma, 2);
  let atLo = 0;
  let atHi = 0;
  for (let u = 0; u < 30; u++) {
    for (let i = 0; i < 30; i++) {
      const p = m.predict(u, i);
      assert.equal(p.impossible, false);
      assert.ok(p.value >= 1 && p.value <= 5, `prediction ${p.value} outside [1, 5]`);
      const raw = 3 + 2 * m.deviate(u, i);
      assert.equal(p.value, Math.min(5, Math.max(1, raw)));
      if (p.value === 1) atLo++;
      if (p.value === 5) atHi++;
    }
  }
  // 900 draws, P(clipped at each end) ≈ 0.159 → about 143 each
  assert.ok(atLo > 90 && atLo < 200, `clipped low ${atLo}`);
  assert.ok(atHi > 90 && atHi < 200, `clipped high ${atHi}`);
});

test("random: predictions are deterministic and do not depend on request order", () => {
  const d = randomData(1, 20, 15, 0.3);
  const pairs: [number, number][] = [];
  for (let u = 0; u < d.nUsers; u++) for (let i = 0; i < d.nItems; i++) pairs.push([u, i]);
  const a = new RandomRecommender({ seed: 9 }).fit(d);
  const forward = pairs.map(([u, i]) => a.predict(u, i).value);
  const b = new RandomRecommender({ seed: 9 }).fit(d);
  const shuffled = new Rng(5).permutation(pairs.length);
  const byB = new Array<number>(pairs.length);
  for (const k of shuffled) byB[k] = b.predict(pairs[k][0], pairs[k][1]).value;
  assert.deepEqual(byB, forward);
  // asking again gives the same numbers (no hidden stream state)
  assert.deepEqual(
    pairs.map(([u, i]) => a.predict(u, i).value),
    forward,
  );
  // another seed gives other numbers
  const c = new RandomRecommender({ seed: 10 }).fit(d);
  const other = pairs.map(([u, i]) => c.predict(u, i).value);
  const same = other.filter((v, k) => v === forward[k]).length;
  assert.ok(same < pairs.length * 0.2, `${same} of ${pairs.length} predictions equal across seeds`);
});

test("random: draws follow N(μ, σ) before clipping, and neighbouring pairs are uncorrelated", () => {
  // 200 × 200 users × items, ratings 1..5 cycling (μ = 3, σ = √2), a scale too wide to clip
  const rows: [number, number, number][] = [];
  for (let k = 0; k < 200; k++) rows.push([k, k, 1 + (k % 5)]);
  const d = data(rows, [-1000, 1000]);
  const m = new RandomRecommender({ seed: 0 }).fit(d);
  assert.equal(m.mu, 3);
  const sigma = Math.SQRT2;
  assert.ok(Math.abs(m.sigma - sigma) < 1e-12);
  const N = 200 * 200;
  const z = new Float64Array(N);
  let s = 0;
  let s2 = 0;
  for (let u = 0; u < 200; u++) {
    for (let i = 0; i < 200; i++) {
      const v = m.predict(u, i).value;
      const k = u * 200 + i;
      z[k] = (v - m.mu) / m.sigma;
      s += v;
      s2 += v * v;
    }
  }
  const mean = s / N;
  const std = Math.sqrt(s2 / N - mean * mean);
  assert.ok(Math.abs(mean - 3) < (4 * sigma) / Math.sqrt(N), `mean ${mean}`);
  assert.ok(Math.abs(std / sigma - 1) < 0.02, `std ${std}`);
  // empirical CDF against Φ at a few points (Kolmogorov bound for N = 40000 at 99.9%: ~0.01)
  const phi: [number, number][] = [[-2, 0.02275], [-1, 0.158655], [0, 0.5], [1, 0.841345], [2, 0.97725]];
  const sorted = Float64Array.from(z).sort();
  for (const [x, p] of phi) {
    let below = 0;
    while (below < N && sorted[below] <= x) below++;
    assert.ok(Math.abs(below / N - p) < 0.01, `F(${x}) = ${below / N}, Φ = ${p}`);
  }
  // z(u, i) and z(u, i + 1), z(u, i) and z(u + 1, i): no correlation
  let cRow = 0;
  let cCol = 0;
  for (let u = 0; u < 199; u++) {
    for (let i = 0; i < 199; i++) {
      cRow += z[u * 200 + i] * z[u * 200 + i + 1];
      cCol += z[u * 200 + i] * z[(u + 1) * 200 + i];
    }
  }
  assert.ok(Math.abs(cRow / (199 * 199)) < 0.03, `row correlation ${cRow / (199 * 199)}`);
  assert.ok(Math.abs(cCol / (199 * 199)) < 0.03, `column correlation ${cCol / (199 * 199)}`);
  // the hash itself is the documented function of (seed, user, item)
  assert.equal(m.deviate(7, 11), standardNormalFromHash(0, 7, 11));
  assert.notEqual(standardNormalFromHash(0, 7, 11), standardNormalFromHash(0, 11, 7));
});

test("random: recommend = unseen items by predicted rating ≥ minScore, best first", () => {
  const d = randomData(2, 12, 40, 0.25);
  const m = new RandomRecommender({ seed: 4 }).fit(d);
  for (let u = 0; u < d.nUsers; u++) {
    // ranked by the unclipped draw μ + σz (so clipped ties at the top do not favour low ids),
    // reported with the clipped predicted rating
    const expected: { item: number; draw: number; score: number }[] = [];
    for (let i = 0; i < d.nItems; i++) {
      if (d.hasRated(u, i)) continue;
      const draw = m.mu + m.sigma * m.deviate(u, i);
      const v = m.predict(u, i).value;
      assert.equal(v, Math.min(5, Math.max(1, draw)));
      if (v >= 4) expected.push({ item: i, draw, score: v });
    }
    expected.sort((a, b) => b.draw - a.draw || a.item - b.item);
    assert.deepEqual(
      m.recommend(u, 5, { minScore: 4 }),
      expected.slice(0, 5).map(({ item, score }) => ({ item, score })),
    );
  }
  assert.throws(() => new RandomRecommender().predict(0, 0), /before fit/);
  assert.throws(() => m.recommend(d.nUsers, 5), /outside/);
  assert.throws(() => new RandomRecommender({ seed: NaN }), /seed/);
});

// ---- popularity --------------------------------------------------------------------------------

test("popularity: ranks by interaction count, ties by inner id, and skips what the user has seen", () => {
  // counts: a 3, b 2, c 2, d 1, e 3  → ranking a(3) e(3) b(2) c(2) d(1)
  const d = data([
    [1, "a", 5], [2, "a", 1], [3, "a", 2],
    [1, "b", 4], [4, "b", 3],
    [2, "c", 2], [4, "c", 5],
    [3, "d", 1],
    [2, "e", 3], [3, "e", 3], [4, "e", 4],
  ]);
  const id = (raw: string) => d.innerItem(raw);
  const m = new PopularityRecommender().fit(d);
  assert.equal(m.predictsRatings, false);
  assert.deepEqual(Array.from(m.rankedItems()), ["a", "e", "b", "c", "d"].map(id));
  // user 1 saw a and b
  const u1 = d.innerUser(1);
  assert.deepEqual(m.recommend(u1, 10), [
    { item: id("e"), score: 3 },
    { item: id("c"), score: 2 },
    { item: id("d"), score: 1 },
  ]);
  assert.deepEqual(m.recommend(u1, 2), [{ item: id("e"), score: 3 }, { item: id("c"), score: 2 }]);
  assert.deepEqual(m.recommend(u1, 0), []);
  // without seen exclusion, with a stoplist
  assert.deepEqual(
    m.recommend(u1, 3, { excludeSeen: false, exclude: new Set([id("e")]) }).map((r) => d.itemIds[r.item]),
    ["a", "b", "c"],
  );
  // minScore is for rating predictors: a ranker ignores it
  assert.equal(m.recommend(u1, 10, { minScore: 100 }).length, 3);
  // predict returns the count (a score, not a rating)
  assert.deepEqual(m.predict(u1, id("e")), { value: 3, impossible: false });
  assert.equal(m.predict(u1, id("d")).value, 1);
  // the mark array is cleaned up: a second call gives the same answer
  assert.deepEqual(m.recommend(u1, 10), m.recommend(u1, 10));
});

test("popularity: items without train interactions are never recommended; counts come from train only", () => {
  const full = data([[1, "a", 5], [2, "a", 4], [1, "b", 3], [3, "c", 2], [3, "a", 1]]);
  // train without the only rating of c
  const keep = Int32Array.from([0, 1, 2, 4]);
  const train = full.subset(keep);
  const m = new PopularityRecommender().fit(train);
  const u2 = full.innerUser(2);
  assert.deepEqual(m.recommend(u2, 10), [{ item: full.innerItem("b"), score: 1 }]);
  assert.equal(m.predict(u2, full.innerItem("c")).value, 0);
  assert.equal(m.predict(u2, full.innerItem("a")).value, 3);
});

test("popularity: recommend equals a brute-force sort on random data", () => {
  const d = randomData(11, 40, 60, 0.15);
  const m = new PopularityRecommender().fit(d);
  const counts = new Array<number>(d.nItems).fill(0);
  for (let k = 0; k < d.nRatings; k++) counts[d.items[k]]++;
  for (let u = 0; u < d.nUsers; u++) {
    const expected = Array.from({ length: d.nItems }, (_, i) => i)
      .filter((i) => counts[i] > 0 && !d.hasRated(u, i))
      .sort((a, b) => counts[b] - counts[a] || a - b)
      .slice(0, 7)
      .map((i) => ({ item: i, score: counts[i] }));
    assert.deepEqual(m.recommend(u, 7), expected);
  }
  assert.throws(() => new PopularityRecommender().recommend(0, 5), /before fit/);
  assert.throws(() => m.recommend(0, -1), /non-negative integer/);
});
