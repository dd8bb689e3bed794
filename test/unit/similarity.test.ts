import { test } from "node:test";
import assert from "node:assert/strict";
import { type RatingDataset, fromTriples } from "../../lib/data/dataset";
import { Rng } from "../../lib/random";
import { type Baselines, fitBaselinesALS } from "../../lib/baseline/baselines";
import { DENSE_SIMILARITY_LIMIT, computeSimilarity } from "../../lib/similarity/matrix";
import { similarityRow, topKNeighbours } from "../../lib/similarity/neighbours";
import { SIMILARITY_MEASURES, type SimilarityMeasure, measureRange } from "../../lib/similarity/measures";
import { entityRanks } from "../../lib/similarity/prepare";
import { tripleDataset, assertClose } from "../helpers";

// Users A, B, C (inner ids 0, 1, 2); items i1..i4 (inner ids 0..3).
//        i1  i2  i3  i4
//   A     5   3   4   .
//   B     3   1   2   5
//   C     4   .   .   1
const tiny = tripleDataset([
  ["A", "i1", 5],
  ["A", "i2", 3],
  ["A", "i3", 4],
  ["B", "i1", 3],
  ["B", "i2", 1],
  ["B", "i3", 2],
  ["B", "i4", 5],
  ["C", "i1", 4],
  ["C", "i4", 1],
]);
const [A, B, C] = [0, 1, 2];

test("user-user cosine by hand (co-rated entries only)", () => {
  const S = computeSimilarity(tiny, { measure: "cosine", userBased: true });
  // A·B over i1..i3: (5·3 + 3·1 + 4·2) / (√(25+9+16) √(9+1+4)) = 26 / √700
  assertClose(S.get(A, B), 26 / Math.sqrt(700), "cos(A,B)");
  // A·C over i1 only: 5·4 / (5 · 4) = 1
  assertClose(S.get(A, C), 1, "cos(A,C)");
  // B·C over i1, i4: (3·4 + 5·1) / (√(9+25) √(16+1)) = 17 / √578 = 1/√2
  assertClose(S.get(B, C), 17 / Math.sqrt(578), "cos(B,C)");
  assertClose(S.get(B, A), S.get(A, B), "symmetry");
  assert.equal(S.get(A, A), 1);
});

test("user-user pearson by hand (means over the co-rated entries)", () => {
  const S = computeSimilarity(tiny, { measure: "pearson" });
  // A, B over i1..i3: x = (5,3,4), mean 4 → (1,−1,0); y = (3,1,2), mean 2 → (1,−1,0): correlation 1
  assertClose(S.get(A, B), 1, "pearson(A,B)");
  // A, C share one item: both sides constant → 0
  assert.equal(S.get(A, C), 0);
  // B, C over i1, i4: x = (3,5) → (−1,1); y = (4,1) → (1.5,−1.5): correlation −1
  assertClose(S.get(B, C), -1, "pearson(B,C)");
});

test("user-user msd by hand: 1 / (mean squared difference + 1)", () => {
  const S = computeSimilarity(tiny, { measure: "msd" });
  // A, B: differences 2, 2, 2 → MSD 4 → 1/5
  assertClose(S.get(A, B), 1 / 5, "msd(A,B)");
  // A, C: difference 1 → MSD 1 → 1/2
  assertClose(S.get(A, C), 1 / 2, "msd(A,C)");
  // B, C: differences −1, 4 → MSD (1 + 16)/2 = 8.5 → 1/9.5
  assertClose(S.get(B, C), 1 / 9.5, "msd(B,C)");
});

test("jaccard by hand: |I_u ∩ I_v| / |I_u ∪ I_v| over sets, values ignored", () => {
  const S = computeSimilarity(tiny, { measure: "jaccard" });
  assertClose(S.get(A, B), 3 / 4, "jac(A,B)"); // {1,2,3} vs {1,2,3,4}
  assertClose(S.get(A, C), 1 / 4, "jac(A,C)"); // {1,2,3} vs {1,4}: 1 common, 4 in the union
  assertClose(S.get(B, C), 2 / 4, "jac(B,C)"); // {1,2,3,4} vs {1,4}
  const I = computeSimilarity(tiny, { measure: "jaccard", userBased: false });
  // i1 rated by A,B,C; i4 by B,C → 2/3
  assertClose(I.get(0, 3), 2 / 3, "jac(i1,i4)");
});

test("spearman by hand: pearson over ranks within each entity's full vector", () => {
  // ranks (1 = lowest, ties averaged): A (5,3,4) → i1 3, i2 1, i3 2; B (3,1,2,5) → i1 3, i2 1, i3 2,
  // i4 4; C (4,1) → i1 2, i4 1
  const S = computeSimilarity(tiny, { measure: "spearman" });
  assertClose(S.get(A, B), 1, "spearman(A,B)"); // (3,1,2) vs (3,1,2)
  assert.equal(S.get(A, C), 0); // one common item
  assertClose(S.get(B, C), -1, "spearman(B,C)"); // (3,4) vs (2,1)
  // ties get the mean of the ranks they span: 3, 5, 5, 4 → 1, 3.5, 3.5, 2
  const r = entityRanks(Float32Array.of(3, 5, 5, 4), Int32Array.of(0, 4), Int32Array.of(0, 1, 2, 3));
  assert.deepEqual(Array.from(r), [1, 3.5, 3.5, 2]);
});

test("spearman differs from pearson when the rank order is not linear in the ratings", () => {
  // u: 1, 2, 5 and v: 1, 2, 3 on three items: pearson < 1, ranks identical → spearman 1
  const d = tripleDataset([
    ["u", "a", 1],
    ["u", "b", 2],
    ["u", "c", 5],
    ["v", "a", 1],
    ["v", "b", 2],
    ["v", "c", 3],
  ]);
  const p = computeSimilarity(d, { measure: "pearson" }).get(0, 1);
  // x centred (−5/3, −2/3, 7/3), y centred (−1, 0, 1): (5/3 + 7/3) / √((25+4+49)/9 · 2) = 4 / √(156/9)
  assertClose(p, 4 / Math.sqrt(156 / 9), "pearson");
  assertClose(computeSimilarity(d, { measure: "spearman" }).get(0, 1), 1, "spearman");
});

test("adjusted cosine by hand: user-user centres by the item mean, item-item by the user mean", () => {
  // item means: i1 (5+3+4)/3 = 4, i2 2, i3 3, i4 3
  // A centred: i1 1, i2 1, i3 1; B: i1 −1, i2 −1, i3 −1, i4 2; C: i1 0, i4 −2
  const U = computeSimilarity(tiny, { measure: "adjusted_cosine", userBased: true });
  assertClose(U.get(A, B), -1, "adj(A,B)"); // −3 / (√3 √3)
  assert.equal(U.get(A, C), 0); // C's centred value on i1 is 0: zero denominator
  assertClose(U.get(B, C), -4 / Math.sqrt(20), "adj(B,C)"); // (−1·0 + 2·−2) / (√5 √4)
  // item-item: user means A 4, B 11/4, C 5/2. i1 vs i2 over A, B:
  // x = (5−4, 3−2.75) = (1, 0.25), y = (3−4, 1−2.75) = (−1, −1.75)
  // (−1 − 0.4375) / √((1 + 0.0625)(1 + 3.0625))
  const I = computeSimilarity(tiny, { measure: "adjusted_cosine", userBased: false });
  assertClose(I.get(0, 1), -1.4375 / Math.sqrt(1.0625 * 4.0625), "adj(i1,i2)");
  // plain cosine of the same pair: (15 + 3) / √(34 · 10)
  assertClose(computeSimilarity(tiny, { measure: "cosine", userBased: false }).get(0, 1), 18 / Math.sqrt(340), "cos(i1,i2)");
});

test("pearson_baseline by hand: cosine of baseline residuals, shrunk by (n−1)/(n−1+λ)", () => {
  const baselines: Baselines = { mu: 3, bu: Float64Array.of(0.5, -1, 0), bi: Float64Array.of(0.5, -1, 0, 1) };
  // residuals r − (μ + b_u + b_i):
  //   A: i1 5−4 = 1,    i2 3−2.5 = 0.5, i3 4−3.5 = 0.5
  //   B: i1 3−2.5 = 0.5, i2 1−1 = 0,    i3 2−2 = 0,    i4 5−3 = 2
  //   C: i1 4−3.5 = 0.5, i4 1−4 = −3
  const raw = computeSimilarity(tiny, { measure: "pearson_baseline", baselines, shrinkage: 0 });
  // A, B (n = 3): 0.5 / √((1 + 0.25 + 0.25) · 0.25)
  assertClose(raw.get(A, B), 0.5 / Math.sqrt(1.5 * 0.25), "pb(A,B)");
  // A, C: n = 1 < 2, the measure's own minimum support → 0
  assert.equal(raw.get(A, C), 0);
  // B, C (n = 2): (0.25 − 6) / √((0.25 + 4)(0.25 + 9))
  assertClose(raw.get(B, C), -5.75 / Math.sqrt(4.25 * 9.25), "pb(B,C)");
  const shrunk = computeSimilarity(tiny, { measure: "pearson_baseline", baselines }); // λ = 100
  assertClose(shrunk.get(A, B), (0.5 / Math.sqrt(1.5 * 0.25)) * (2 / 102), "shrunk pb(A,B)");
  assertClose(shrunk.get(B, C), (-5.75 / Math.sqrt(4.25 * 9.25)) * (1 / 101), "shrunk pb(B,C)");
});

test("minSupport zeroes pairs with fewer common ratings", () => {
  // supports: A–B 3, A–C 1, B–C 2
  const s2 = computeSimilarity(tiny, { measure: "cosine", minSupport: 2 });
  assert.equal(s2.get(A, C), 0);
  assert.ok(s2.get(A, B) > 0 && s2.get(B, C) > 0);
  const s3 = computeSimilarity(tiny, { measure: "msd", minSupport: 3 });
  assert.equal(s3.get(B, C), 0);
  assert.equal(s3.get(A, C), 0);
  assertClose(s3.get(A, B), 1 / 5, "msd(A,B) kept");
  const s4 = computeSimilarity(tiny, { measure: "jaccard", minSupport: 4 });
  assert.equal(s4.get(A, B), 0);
});

test("bad options and oversized catalogues are refused with clear errors", () => {
  assert.throws(() => computeSimilarity(tiny, { measure: "euclid" as SimilarityMeasure }), /unknown measure "euclid"/);
  assert.throws(() => computeSimilarity(tiny, { minSupport: -1 }), /minSupport/);
  assert.throws(() => computeSimilarity(tiny, { shrinkage: NaN }), /shrinkage/);
  assert.throws(() => topKNeighbours(tiny, {}, 0), /k must be a positive integer/);
  const n = DENSE_SIMILARITY_LIMIT + 1;
  const big = fromTriples(
    "many users",
    Array.from({ length: n }, (_, u) => `u${u}`),
    Array.from({ length: n }, (_, u) => `i${u >> 1}`), // users 2m and 2m+1 share item m
    new Float32Array(n).fill(3),
  );
  assert.throws(() => computeSimilarity(big, { userBased: true }), /exceed the dense limit/);
  // the top-k form has no such limit
  const nb = topKNeighbours(big, { measure: "jaccard" }, 2);
  assert.deepEqual(Array.from(nb.neighbours(big.innerUser("u4")).ids), [big.innerUser("u5")]);
});

// ---- brute-force reference on random data -------------------------------------------------------

/** Random ratings (whole or half stars) over nU × nI with the given density. */
function randomData(seed: number, nU: number, nI: number, density: number, half: boolean): RatingDataset {
  const rng = new Rng(seed);
  const t: [string, string, number][] = [];
  for (let u = 0; u < nU; u++) {
    for (let i = 0; i < nI; i++) {
      if (rng.next() < density) t.push([`u${u}`, `i${i}`, half ? 1 + rng.int(9) / 2 : 1 + rng.int(5)]);
    }
  }
  // make sure every user and item exists
  for (let u = 0; u < nU; u++) t.push([`u${u}`, `i${nI}`, 1 + rng.int(5)]);
  for (let i = 0; i <= nI; i++) t.push([`u${nU}`, `i${i}`, 1 + rng.int(5)]);
  return tripleDataset(t, `random ${seed}`);
}

/** The naive similarity of entities a and b, straight from the definitions in measures.ts. */
function reference(
  d: RatingDataset,
  measure: SimilarityMeasure,
  userBased: boolean,
  minSupport: number,
  shrinkage: number,
  base: Baselines,
  a: number,
  b: number,
): number {
  // each entity's ratings as a map other → rating
  const rowOf = (e: number): Map<number, number> => {
    const m = new Map<number, number>();
    for (let k = 0; k < d.nRatings; k++) {
      if ((userBased ? d.users[k] : d.items[k]) === e) m.set(userBased ? d.items[k] : d.users[k], d.ratings[k]);
    }
    return m;
  };
  const ra = rowOf(a);
  const rb = rowOf(b);
  if (a === b) return ra.size > 0 ? 1 : 0;
  const common = [...ra.keys()].filter((o) => rb.has(o)).sort((p, q) => p - q);
  const n = common.length;
  const minSup = Math.max(measure === "pearson_baseline" ? 2 : 1, minSupport);
  if (n < minSup) return 0;
  const rank = (row: Map<number, number>, o: number): number => {
    const v = row.get(o)!;
    let less = 0;
    let equal = 0;
    for (const w of row.values()) {
      if (w < v) less++;
      else if (w === v) equal++;
    }
    return less + (equal + 1) / 2;
  };
  const otherMean = (o: number): number => {
    let s = 0;
    let c = 0;
    for (let k = 0; k < d.nRatings; k++) {
      if ((userBased ? d.items[k] : d.users[k]) === o) {
        s += d.ratings[k];
        c++;
      }
    }
    return s / c;
  };
  const value = (row: Map<number, number>, e: number, o: number): number => {
    const r = row.get(o)!;
    switch (measure) {
      case "adjusted_cosine":
        return r - otherMean(o);
      case "pearson_baseline": {
        const u = userBased ? e : o;
        const i = userBased ? o : e;
        return r - (base.mu + base.bu[u] + base.bi[i]);
      }
      case "spearman":
        return rank(row, o);
      default:
        return r;
    }
  };
  const x = common.map((o) => value(ra, a, o));
  const y = common.map((o) => value(rb, b, o));
  const sum = (v: number[]): number => v.reduce((s, t) => s + t, 0);
  const cosine = (p: number[], q: number[]): number => {
    const den = Math.sqrt(sum(p.map((t) => t * t)) * sum(q.map((t) => t * t)));
    return den === 0 ? 0 : sum(p.map((t, j) => t * q[j])) / den;
  };
  switch (measure) {
    case "jaccard":
      return n / new Set([...ra.keys(), ...rb.keys()]).size;
    case "msd":
      return 1 / (sum(x.map((t, j) => (t - y[j]) ** 2)) / n + 1);
    case "pearson":
    case "spearman": {
      const mx = sum(x) / n;
      const my = sum(y) / n;
      return cosine(
        x.map((t) => t - mx),
        y.map((t) => t - my),
      );
    }
    case "pearson_baseline":
      return cosine(x, y) * ((n - 1) / (n - 1 + shrinkage));
    default:
      return cosine(x, y);
  }
}

test("every measure matches a brute-force reference on random data, user- and item-based", () => {
  for (const [seed, half] of [
    [1, false],
    [2, true],
  ] as const) {
    const d = randomData(seed, 11, 9, 0.55, half);
    const base = fitBaselinesALS(d);
    for (const measure of SIMILARITY_MEASURES) {
      for (const userBased of [true, false]) {
        for (const minSupport of [1, 3]) {
          const shrinkage = 7;
          const S = computeSimilarity(d, { measure, userBased, minSupport, shrinkage, baselines: base });
          const n = userBased ? d.nUsers : d.nItems;
          assert.equal(S.n, n);
          const [lo, hi] = measureRange(measure, d.ratingScale);
          let nonZero = 0;
          for (let a = 0; a < n; a++) {
            for (let b = 0; b < n; b++) {
              const got = S.get(a, b);
              const want = reference(d, measure, userBased, minSupport, shrinkage, base, a, b);
              assertClose(got, want, `${measure} ${userBased ? "user" : "item"} minSupport ${minSupport} (${a},${b})`, 1e-5);
              assert.equal(got, S.get(b, a), "symmetric");
              assert.ok(got >= lo && got <= hi, `${measure} ${got} in [${lo}, ${hi}]`);
              if (a !== b && got !== 0) nonZero++;
            }
          }
          // the comparison must not be vacuous
          assert.ok(nonZero > n, `${measure}: only ${nonZero} non-zero similarities`);
        }
      }
    }
  }
});

test("an entity without ratings has a zero row and a zero diagonal; others have diagonal 1", () => {
  const d = randomData(3, 6, 5, 0.6, false);
  // drop every rating of user 2
  const keep: number[] = [];
  for (let k = 0; k < d.nRatings; k++) if (d.users[k] !== 2) keep.push(k);
  const sub = d.subset(Int32Array.from(keep));
  for (const measure of SIMILARITY_MEASURES) {
    const S = computeSimilarity(sub, { measure });
    for (let b = 0; b < S.n; b++) assert.equal(S.get(2, b), 0, `${measure} row of the empty user`);
    for (let a = 0; a < S.n; a++) if (a !== 2) assert.equal(S.get(a, a), 1, `${measure} diagonal`);
  }
});

test("the row view is the matrix row, and mostSimilar sorts it", () => {
  const d = randomData(4, 9, 8, 0.5, false);
  const S = computeSimilarity(d, { measure: "pearson", userBased: false });
  const row = S.row(3);
  for (let b = 0; b < S.n; b++) assert.equal(row[b], S.get(3, b));
  const top = S.mostSimilar(3, 4);
  for (let j = 1; j < top.sims.length; j++) assert.ok(top.sims[j - 1] >= top.sims[j]);
  assert.ok(!Array.from(top.ids).includes(3));
  assert.throws(() => S.row(S.n), /outside/);
});

test("topKNeighbours agrees with sorting the dense rows, for every measure", () => {
  const d = randomData(5, 30, 25, 0.35, true);
  for (const measure of SIMILARITY_MEASURES) {
    for (const userBased of [true, false]) {
      const opts = { measure, userBased, minSupport: 2 };
      const S = computeSimilarity(d, opts);
      for (const k of [1, 4, 40]) {
        const nb = topKNeighbours(d, opts, k);
        assert.equal(nb.n, S.n);
        for (let a = 0; a < S.n; a++) {
          const row = S.row(a);
          const want: number[] = [];
          for (let b = 0; b < S.n; b++) if (b !== a && row[b] !== 0) want.push(b);
          want.sort((p, q) => row[q] - row[p] || p - q);
          const got = nb.neighbours(a);
          assert.deepEqual(Array.from(got.ids), want.slice(0, k), `${measure} ${userBased} k=${k} a=${a}`);
          assert.deepEqual(
            Array.from(got.sims),
            want.slice(0, k).map((b) => row[b]),
          );
        }
      }
    }
  }
});

test("similarityRow equals the dense row bit for bit, for every measure", () => {
  const d = randomData(6, 14, 12, 0.45, true);
  for (const measure of SIMILARITY_MEASURES) {
    for (const userBased of [true, false]) {
      const S = computeSimilarity(d, { measure, userBased });
      for (let a = 0; a < S.n; a++) {
        assert.deepEqual(similarityRow(d, { measure, userBased }, a), S.row(a).slice(), `${measure} ${userBased} row ${a}`);
      }
    }
  }
  assert.throws(() => similarityRow(d, {}, -1), /outside/);
});
