import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fromTriples, type RatingDataset } from "../../lib/data/dataset";
import { loadToyAlbums } from "../../lib/data/toy";
import { loadMiseEnScene, miseFeaturesPath, parseMiseEnScene } from "../../lib/data/mise";
import { fitLeastSquares, perItemRegression, perUserRegression } from "../../lib/content/regression";
import { PerUserRegression } from "../../lib/content/perUserRegression";
import {
  ContentSimilarity,
  genreCosine,
  miseSimilarity,
  parseContentFeatures,
  standardiseItemFeatures,
  yearSimilarity,
} from "../../lib/content/contentSimilarity";
import { ContentKNN, kthLargest } from "../../lib/content/contentKnn";
import { Rng } from "../../lib/random";

/** |actual − expected| ≤ one unit of the last digit shown in `expected` (given as text). */
function shown(actual: number, expected: string, what: string): void {
  const decimals = expected.includes(".") ? expected.split(".")[1].length : 0;
  const tol = 10 ** -decimals;
  assert.ok(Math.abs(actual - Number(expected)) <= tol + 1e-12, `${what}: got ${actual}, expected ${expected} (± ${tol})`);
}

// ---- toy table: per-user regression on item factors (with intercept) ---------------------------

test("per-user regression on the toy table reproduces the textbook numbers", () => {
  const t = loadToyAlbums();
  const fits = perUserRegression(t.matrix, t.itemFactors, { scale: t.dataset.ratingScale });
  const [an, bhavana, , diego] = fits;
  const OMMAZH = 0, MELT = 1, BTS = 2, ZHOU = 3;

  shown(an.intercept, "7.7", "An intercept");
  shown(an.theta[0], "-2.63", "An θ lo-fi");
  shown(an.theta[1], "-7.2", "An θ slick");
  shown(an.predictions[OMMAZH], "4.88", "An × Ommazh");
  assert.equal(an.nRatings, 5);

  shown(bhavana.intercept, "4.05", "Bhavana intercept");
  shown(bhavana.theta[0], "0.74", "Bhavana θ lo-fi");
  shown(bhavana.theta[1], "-3.4", "Bhavana θ slick");
  shown(bhavana.predictions[BTS], "0.724", "Bhavana × BTS");

  shown(diego.raw[ZHOU], "5.46", "Diego × Zhou Shen (raw)");
  assert.equal(diego.predictions[ZHOU], 5, "clipped to the top of the 0–5 scale");
  shown(diego.predictions[MELT], "1.0", "Diego × Melt-Banana");
  assert.ok(fits.every((f) => !f.singular));
});

test("per-user regression: exact fit with 3 ratings, zero-sum residuals with 4", () => {
  const t = loadToyAlbums();
  const fits = perUserRegression(t.matrix, t.itemFactors);
  // Diego: 3 ratings, 3 parameters → the plane passes through every rating
  t.matrix[3].forEach((r, i) => {
    if (!Number.isNaN(r)) assert.ok(Math.abs(fits[3].raw[i] - r) < 1e-9, `Diego item ${i}`);
  });
  // Bhavana: least squares → residuals orthogonal to every column of [1 | x]
  const res: number[] = [];
  const X: number[][] = [];
  t.matrix[1].forEach((r, i) => {
    if (!Number.isNaN(r)) {
      res.push(r - fits[1].raw[i]);
      X.push([1, ...t.itemFactors[i]]);
    }
  });
  assert.ok(res.some((e) => Math.abs(e) > 1e-3), "4 ratings and 3 parameters: not an exact fit");
  for (let c = 0; c < 3; c++) {
    const dot = res.reduce((s, e, k) => s + e * X[k][c], 0);
    assert.ok(Math.abs(dot) < 1e-9, `residuals ⟂ column ${c}: ${dot}`);
  }
});

// ---- toy table: per-item regression on user factors (no intercept) -----------------------------

test("per-item regression on the toy table (no intercept) reproduces the textbook numbers", () => {
  const t = loadToyAlbums();
  const fits = perItemRegression(t.matrix, t.userFactors);
  const AN = 0, CORDELIA = 2;
  const ommazh = fits[0];
  const bts = fits[2];
  assert.equal(ommazh.intercept, 0);
  shown(ommazh.theta[0], "1", "Ommazh θ lo-fi");
  shown(ommazh.theta[1], "0", "Ommazh θ slick");
  shown(ommazh.predictions[CORDELIA], "2.0", "Cordelia × Ommazh");
  shown(bts.theta[0], "-0.19", "BTS θ lo-fi");
  shown(bts.theta[1], "1.06", "BTS θ slick");
  shown(bts.predictions[AN], "0.10", "An × BTS");
  // Ommazh's three raters are fitted exactly by θ = (1, 0): rating = lo-fi answer
  assert.ok(Math.abs(ommazh.theta[0] - 1) < 1e-9 && Math.abs(ommazh.theta[1]) < 1e-9);
});

// ---- least squares core ------------------------------------------------------------------------

test("fitLeastSquares: the ridge gradient vanishes at the solution (random problems)", () => {
  const rng = new Rng(7);
  for (const lambda of [0, 0.5, 3]) {
    for (const intercept of [true, false]) {
      const n = 12;
      const d = 4;
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
      const y = Array.from({ length: n }, () => rng.uniform(1, 5));
      const fit = fitLeastSquares(X, y, { intercept, lambda })!;
      assert.ok(fit !== null);
      // ∂/∂θ0 = −2 Σ e = 0 (intercept unpenalised); ∂/∂θd = −2 Σ e x_d + 2λθ_d = 0
      const e = X.map((x, k) => y[k] - fit.intercept - x.reduce((s, v, j) => s + v * fit.theta[j], 0));
      if (intercept) assert.ok(Math.abs(e.reduce((s, v) => s + v, 0)) < 1e-9);
      else assert.equal(fit.intercept, 0);
      for (let j = 0; j < d; j++) {
        const g = -e.reduce((s, v, k) => s + v * X[k][j], 0) + lambda * fit.theta[j];
        assert.ok(Math.abs(g) < 1e-9, `gradient ${j} = ${g} (λ=${lambda}, intercept=${intercept})`);
      }
    }
  }
});

test("fitLeastSquares: singular systems give null unless a ridge penalty makes them solvable", () => {
  // 2 observations, 3 parameters
  assert.equal(fitLeastSquares([[1, 0], [0, 1]], [3, 4]), null);
  // a feature that is 0 everywhere
  assert.equal(fitLeastSquares([[1, 0], [2, 0], [3, 0]], [1, 2, 3]), null);
  // collinear columns
  assert.equal(fitLeastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), null);
  const ridge = fitLeastSquares([[1, 0], [2, 0], [3, 0]], [1, 2, 3], { lambda: 0.1 })!;
  assert.ok(ridge !== null);
  assert.equal(ridge.theta[1], 0, "an all-zero feature gets θ = 0 under ridge");
  assert.throws(() => fitLeastSquares([[1]], [1], { lambda: -1 }), /lambda must be a finite number ≥ 0/);
  assert.throws(() => fitLeastSquares([[1, NaN]], [1]), /X\[0\]\[1\] is NaN/);
});

test("perUserRegression: a singular row falls back to its mean and says so", () => {
  const matrix = [[4, NaN, 2]]; // 2 ratings, 3 parameters
  const [fit] = perUserRegression(matrix, [[1, 0], [0, 1], [1, 1]], { scale: [1, 5] });
  assert.equal(fit.singular, true);
  assert.ok(Number.isNaN(fit.intercept));
  assert.deepEqual(fit.predictions, [3, 3, 3]);
});

// ---- PerUserRegression recommender -------------------------------------------------------------

test("PerUserRegression on the toy table with λ = 0 matches the pure function", () => {
  const t = loadToyAlbums();
  const model = new PerUserRegression({ features: t.itemFactors, lambda: 0 }).fit(t.dataset);
  const ref = perUserRegression(t.matrix, t.itemFactors, { scale: [0, 5] });
  for (let u = 0; u < 4; u++) {
    const m = model.userModel(u);
    assert.ok(Math.abs(m.intercept - ref[u].intercept) < 1e-9);
    for (let i = 0; i < 5; i++) {
      const p = model.predict(u, i);
      assert.equal(p.impossible, false);
      assert.ok(Math.abs(p.value - ref[u].predictions[i]) < 1e-9, `user ${u} item ${i}`);
    }
  }
  assert.equal(model.predict(3, 3).value, 5, "Diego × Zhou Shen is clipped to 5");
  // Bhavana's only unrated album is BTS
  assert.deepEqual(model.recommend(1, 3), [{ item: 2, score: model.predict(1, 2).value }]);
  // Diego's two unrated albums, best first: Zhou Shen (5, clipped) before Melt-Banana (1.0)
  assert.deepEqual(model.recommend(3, 5).map((r) => r.item), [3, 1]);
});

test("PerUserRegression: ridge shrinks the coefficients as λ grows", () => {
  const t = loadToyAlbums();
  const norm = (lambda: number) => {
    const th = new PerUserRegression({ features: t.itemFactors, lambda }).fit(t.dataset).userModel(0).theta;
    return Math.hypot(...th);
  };
  const n0 = norm(0);
  const n1 = norm(0.1);
  const n2 = norm(10);
  assert.ok(n0 > n1 && n1 > n2, `${n0} > ${n1} > ${n2}`);
});

/** 4 items with 2 genres: A-only, B-only, A-only, A+B. */
function genreDataset(triples: [string, string, number][]): RatingDataset {
  const genres = new Map<string, Uint8Array>([
    ["i0", Uint8Array.from([1, 0])],
    ["i1", Uint8Array.from([0, 1])],
    ["i2", Uint8Array.from([1, 0])],
    ["i3", Uint8Array.from([1, 1])],
  ]);
  return fromTriples(
    "genre-toy",
    triples.map((x) => x[0]),
    triples.map((x) => x[1]),
    Float32Array.from(triples.map((x) => x[2])),
    { ratingScale: [1, 5], itemMeta: { genreNames: ["A", "B"], genres } },
  );
}

test("PerUserRegression on genre flags: hand-computed fit, singular user, unknown user", () => {
  const ds = genreDataset([
    ["u0", "i0", 4],
    ["u0", "i1", 2],
    ["u0", "i2", 5],
    ["u1", "i3", 3],
  ]);
  // Without intercept, u0's least squares: θ_A = mean(4, 5) = 4.5 (items i0, i2), θ_B = 2 (item i1);
  // i3 = A + B → 6.5, clipped to 5.
  const noInt = new PerUserRegression({ intercept: false, lambda: 0 }).fit(ds);
  const th = noInt.userModel(0).theta;
  assert.ok(Math.abs(th[0] - 4.5) < 1e-9 && Math.abs(th[1] - 2) < 1e-9);
  assert.equal(noInt.predict(0, 3).value, 5);
  // With intercept, the intercept column equals A + B on u0's items (every item has exactly one
  // genre) → singular: u0 falls back to the mean (4 + 2 + 5)/3 with impossible = true.
  const withInt = new PerUserRegression({ lambda: 0 }).fit(ds);
  const p = withInt.predict(0, 3);
  assert.equal(p.impossible, true);
  assert.ok(Math.abs(p.value - 11 / 3) < 1e-6);
  assert.match(p.details!, /singular/);
  assert.deepEqual(withInt.recommend(0, 5), [], "no model → no recommendations");
  // λ > 0 makes it solvable
  assert.equal(new PerUserRegression({ lambda: 1 }).fit(ds).predict(0, 3).impossible, false);
  assert.throws(() => withInt.predict(5, 0), /user index 5/);
  assert.throws(() => new PerUserRegression({ features: [[1, 0]] }).fit(ds), /1 rows but dataset genre-toy has 4 items/);
});

// ---- content similarity formulas ---------------------------------------------------------------

test("genre cosine, year similarity and mise similarity formulas", () => {
  assert.equal(genreCosine([1, 0, 1], [1, 0, 1]), 1);
  assert.ok(Math.abs(genreCosine([1, 1, 0], [1, 0, 0]) - 1 / Math.SQRT2) < 1e-15);
  // |a ∧ b| = 1, |a| = 2, |b| = 3 → 1/√6
  assert.ok(Math.abs(genreCosine([1, 1, 0, 0], [0, 1, 1, 1]) - 1 / Math.sqrt(6)) < 1e-15);
  assert.equal(genreCosine([1, 0], [0, 1]), 0);
  assert.equal(genreCosine([0, 0], [1, 1]), 0, "an item with no genre has similarity 0");
  assert.equal(yearSimilarity(1995, 1995), 1);
  assert.ok(Math.abs(yearSimilarity(1995, 2005) - Math.exp(-1)) < 1e-15);
  assert.ok(Math.abs(yearSimilarity(2005, 1975) - Math.exp(-3)) < 1e-15, "symmetric in the difference");
  assert.ok(Math.abs(yearSimilarity(2000, 2005, 5) - Math.exp(-1)) < 1e-15);
  assert.equal(yearSimilarity(NaN, 2000), 0, "unknown year → 0");
  assert.equal(miseSimilarity([0, 0], [3, 4]), 1 / 6, "distance 5 → 1/(1+5)");
  assert.equal(miseSimilarity([1, 2], [1, 2]), 1);
});

test("standardiseItemFeatures: z-scores over covered items; missing items flagged", () => {
  const f = new Map<string, number[]>([
    ["a", [1, 10]],
    ["b", [3, 10]],
  ]);
  const s = standardiseItemFeatures(["a", "b", "c"], f);
  assert.equal(s.covered, 2);
  assert.deepEqual([...s.has], [1, 1, 0]);
  // feature 0: mean 2, std 1 → −1, +1; feature 1 is constant → 0
  assert.deepEqual([...s.z], [-1, 0, 1, 0, 0, 0]);
});

test("parseContentFeatures accepts lists and rejects unknown names", () => {
  assert.deepEqual(parseContentFeatures("genres,years,mise"), ["genres", "years", "mise"]);
  assert.deepEqual(parseContentFeatures("years+genres,years"), ["years", "genres"]);
  assert.throws(() => parseContentFeatures("genres,colour"), /unknown feature "colour"/);
  assert.throws(() => parseContentFeatures(""), /none given/);
});

// ---- ContentKNN on a hand-made dataset -----------------------------------------------------------

/**
 * Items (genres A,B; year):  i0 [1,0] 2000 · i1 [1,1] 2000 · i2 [0,1] 2010 · i3 [1,0] 1990 · i4 [0,0] 2000
 * Ratings: u0: i0=5, i2=1 · u1: i1=4, i3=2, i4=3 · u2: i0=4 · u3: i3=3
 */
function knnToy(): RatingDataset {
  const triples: [string, string, number][] = [
    ["u0", "i0", 5],
    ["u0", "i2", 1],
    ["u1", "i1", 4],
    ["u1", "i3", 2],
    ["u1", "i4", 3],
    ["u2", "i0", 4],
    ["u3", "i3", 3],
  ];
  const g = (a: number, b: number) => Uint8Array.from([a, b]);
  return fromTriples(
    "knn-toy",
    triples.map((x) => x[0]),
    triples.map((x) => x[1]),
    Float32Array.from(triples.map((x) => x[2])),
    {
      ratingScale: [1, 5],
      itemMeta: {
        genreNames: ["A", "B"],
        genres: new Map([
          ["i0", g(1, 0)],
          ["i1", g(1, 1)],
          ["i2", g(0, 1)],
          ["i3", g(1, 0)],
          ["i4", g(0, 0)],
        ]),
        years: new Map([
          ["i0", 2000],
          ["i1", 2000],
          ["i2", 2010],
          ["i3", 1990],
          ["i4", 2000],
        ]),
      },
    },
  );
}

test("ContentKNN (genres × years): hand-computed predictions", () => {
  const ds = knnToy();
  const m = new ContentKNN().fit(ds);
  const e1 = Math.exp(-1);
  // sim(i1, i0) = cos([1,1],[1,0]) · e^0 = 1/√2;  sim(i1, i2) = 1/√2 · e^{−1}
  // r̂(u0, i1) = (5/√2 + 1·e^{−1}/√2) / (1/√2 + e^{−1}/√2) = (5 + e^{−1}) / (1 + e^{−1}) ≈ 3.924
  const p01 = m.predict(0, 1);
  assert.equal(p01.impossible, false);
  assert.ok(Math.abs(p01.value - (5 + e1) / (1 + e1)) < 1e-6, `${p01.value}`);
  // sim(i3, i0) = 1 · e^{−1} > 0; sim(i3, i2) = cos([1,0],[0,1]) = 0 → only i0 counts → 5
  assert.ok(Math.abs(m.predict(0, 3).value - 5) < 1e-6);
  // i4 has no genre → no neighbour → impossible → global mean (5+1+4+2+3+4+3)/7 = 22/7
  const p04 = m.predict(0, 4);
  assert.equal(p04.impossible, true);
  assert.ok(Math.abs(p04.value - 22 / 7) < 1e-6);
  // u1 for i0: sim(i0,i1) = 1/√2, sim(i0,i3) = e^{−1}, sim(i0,i4) = 0
  // r̂ = (4/√2 + 2e^{−1}) / (1/√2 + e^{−1})
  const s = Math.SQRT1_2;
  assert.ok(Math.abs(m.predict(1, 0).value - (4 * s + 2 * e1) / (s + e1)) < 1e-6);
  // k = 1: only the most similar rated item (i0 for u0 → i1) → 5
  assert.ok(Math.abs(new ContentKNN({ k: 1 }).fit(ds).predict(0, 1).value - 5) < 1e-6);
  // the similarity matrix
  assert.ok(Math.abs(m.similarity(1, 2) - s * e1) < 1e-6);
  assert.ok(Math.abs(m.similarity(2, 1) - m.similarity(1, 2)) < 1e-12);
  assert.equal(m.similarity(0, 2), 0);
});

test("ContentKNN: years only, fallbacks and explanations", () => {
  const ds = knnToy();
  const e1 = Math.exp(-1);
  // years only: sim(i4,i0) = e^0 = 1, sim(i4,i2) = e^{−1} → (5 + e^{−1}) / (1 + e^{−1})
  const years = new ContentKNN({ features: ["years"] }).fit(ds);
  assert.ok(Math.abs(years.predict(0, 4).value - (5 + e1) / (1 + e1)) < 1e-6);
  // user-mean fallback: u0's mean is 3
  const um = new ContentKNN({ fallback: "userMean" }).fit(ds);
  const p = um.predict(0, 4);
  assert.equal(p.impossible, true);
  assert.equal(p.value, 3);
  assert.match(p.details!, /user mean/);
  const x = new ContentKNN().fit(ds).explain(1, 0);
  assert.deepEqual(
    x.neighbours.map((n) => [n.item, n.rating]),
    [
      [1, 4],
      [3, 2],
    ],
    "i1 (1/√2) before i3 (e^−1); i4 has similarity 0",
  );
  assert.throws(() => new ContentKNN().predict(0, 0), /before fit/);
  assert.throws(() => new ContentKNN().fit(ds).predict(0, 9), /item index 9/);
  assert.throws(() => new ContentKNN({ k: 0 }), /k must be a positive integer/);
  assert.throws(() => new ContentKNN({ features: ["mise"] }).fit(ds), /needs the mise-en-scène features/);
});

test("ContentKNN: an unknown year has year similarity 0", () => {
  const ds = fromTriples("y", ["u", "u"], ["a", "b"], Float32Array.from([4, 2]), {
    itemMeta: { years: new Map([["a", 1999]]) }, // b has no year
  });
  const m = new ContentKNN({ features: ["years"] }).fit(ds);
  assert.equal(m.similarity(0, 1), 0);
  // b has no year → no neighbour at all (not even itself) → impossible → global mean 3
  const pb = m.predict(0, 1);
  assert.equal(pb.impossible, true);
  assert.equal(pb.value, 3);
  // a's neighbours: a itself (sim 1, rating 4); b has similarity 0 → 4
  assert.equal(m.predict(0, 0).value, 4);
});

test("ContentKNN.recommend: equal scores go to the more-rated item; impossible items are skipped", () => {
  const ds = knnToy();
  const m = new ContentKNN().fit(ds);
  // u2 rated only i0 (4): i1 and i3 both predict 4 (a single neighbour); i2 and i4 share no genre
  // with i0 → impossible → left out. i3 has 2 ratings, i1 has 1 → i3 first despite its larger id.
  assert.ok(Math.abs(m.predict(2, 1).value - 4) < 1e-6 && Math.abs(m.predict(2, 3).value - 4) < 1e-6);
  const rec = m.recommend(2, 10);
  assert.deepEqual(rec.map((r) => r.item), [3, 1]);
  assert.deepEqual(m.recommend(2, 1).map((r) => r.item), [3]);
  assert.deepEqual(m.recommend(2, 10, { exclude: new Set([3]) }).map((r) => r.item), [1]);
  assert.deepEqual(m.recommend(2, 10, { minScore: 4.5 }), []);
  assert.ok(!m.recommend(0, 10).some((r) => r.item === 0 || r.item === 2), "seen items excluded");
});

/** Random catalogue with genres and years for brute-force comparisons. */
function randomCatalogue(seed: number, nUsers: number, nItems: number, perUser: number): RatingDataset {
  const rng = new Rng(seed);
  const us: string[] = [];
  const is: string[] = [];
  const rs: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (const i of rng.sample(nItems, 1 + rng.int(perUser))) {
      us.push(`u${u}`);
      is.push(String(i));
      rs.push(1 + rng.int(5));
    }
  }
  const genres = new Map<string, Uint8Array>();
  const years = new Map<string, number>();
  for (let i = 0; i < nItems; i++) {
    genres.set(String(i), Uint8Array.from({ length: 4 }, () => (rng.next() < 0.4 ? 1 : 0)));
    if (rng.next() < 0.9) years.set(String(i), 1990 + rng.int(6)); // few distinct years → many ties
  }
  return fromTriples("random", us, is, Float32Array.from(rs), {
    ratingScale: [1, 5],
    itemMeta: { genreNames: ["a", "b", "c", "d"], genres, years },
  });
}

/** The formula, written the slow way: sort the user's rated items by (sim desc, id asc), keep k with sim > 0. */
function bruteForce(ds: RatingDataset, u: number, i: number, k: number): number {
  const cands: { j: number; s: number; r: number }[] = [];
  const row = ds.userRow(u);
  row.items.forEach((j, q) => {
    const s =
      genreCosine(ds.itemGenres(i), ds.itemGenres(j)) * yearSimilarity(ds.years[i], ds.years[j]);
    if (s > 0) cands.push({ j, s, r: row.ratings[q] });
  });
  cands.sort((a, b) => b.s - a.s || a.j - b.j);
  const top = cands.slice(0, k);
  if (top.length === 0) return NaN;
  return top.reduce((x, c) => x + c.s * c.r, 0) / top.reduce((x, c) => x + c.s, 0);
}

test("ContentKNN matches a brute-force reference (k smaller than the rows; many tied similarities)", () => {
  const ds = randomCatalogue(3, 25, 40, 30);
  for (const k of [3, 10]) {
    const m = new ContentKNN({ k }).fit(ds);
    const S = m.contentSimilarity.dense();
    let checked = 0;
    for (let u = 0; u < ds.nUsers; u++) {
      for (let i = 0; i < ds.nItems; i++) {
        const ref = bruteForce(ds, u, i, k);
        const a = m.predict(u, i);
        assert.equal(a.impossible, Number.isNaN(ref), `u${u} i${i}`);
        if (!a.impossible) {
          assert.ok(Math.abs(a.value - ref) < 1e-9, `u${u} i${i}: ${a.value} vs ${ref}`);
          checked++;
        }
      }
      for (let j = 0; j < ds.nItems; j += 7) {
        assert.ok(Math.abs(S[u * ds.nItems + j] - m.similarity(u, j)) < 1e-6, "dense() agrees with sim()");
      }
    }
    assert.ok(checked > 500, `enough possible predictions checked (${checked})`);
    // predict keeps a per-class cache for the current user: switching users at every call must not leak it
    for (let i = 0; i < ds.nItems; i++) {
      for (let u = 0; u < ds.nUsers; u++) {
        const ref = bruteForce(ds, u, i, k);
        const a = m.predict(u, i);
        if (Number.isNaN(ref)) assert.ok(a.impossible, `u${u} i${i} (item-major)`);
        else assert.ok(Math.abs(a.value - ref) < 1e-9, `u${u} i${i} (item-major): ${a.value} vs ${ref}`);
      }
    }
  }
});

test("ContentKNN.recommend equals sorting every possible prediction (score, popularity, id)", () => {
  const ds = randomCatalogue(11, 15, 30, 12);
  const rng = new Rng(5);
  const mise = new Map<string, number[]>();
  for (let i = 0; i < ds.nItems; i += 2) mise.set(ds.itemIds[i], [rng.normal(), rng.normal(), rng.normal()]);
  const models = [
    new ContentKNN({ k: 5 }).fit(ds), // genres + years: items of one content class share a score
    new ContentKNN({ k: 5, features: ["genres", "years", "mise"], mise }).fit(ds),
    new ContentKNN({ k: 5, features: ["genres", "mise"], mise, miseMissing: "zero" }).fit(ds),
  ];
  for (const m of models) {
    for (let u = 0; u < ds.nUsers; u++) {
      const all: { item: number; score: number }[] = [];
      for (let i = 0; i < ds.nItems; i++) {
        if (ds.hasRated(u, i)) continue;
        const p = m.predict(u, i);
        if (!p.impossible) all.push({ item: i, score: p.value });
      }
      all.sort((a, b) => b.score - a.score || ds.itemCounts[b.item] - ds.itemCounts[a.item] || a.item - b.item);
      assert.deepEqual(m.recommend(u, 7), all.slice(0, 7), `user ${u}`);
    }
  }
});

test("kthLargest equals sorting, with many ties", () => {
  const rng = new Rng(9);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(60);
    const a = Float64Array.from({ length: n }, () => rng.int(trial % 2 === 0 ? 4 : 1000) / 7);
    const sorted = Array.from(a).sort((x, y) => y - x);
    const k = 1 + rng.int(n);
    assert.equal(kthLargest(a.slice(), n, k), sorted[k - 1], `n=${n} k=${k}`);
  }
  assert.throws(() => kthLargest(new Float64Array(3), 3, 4), /k = 4 outside 1\.\.3/);
});

// ---- mise-en-scène ----------------------------------------------------------------------------------

const MISE_HEADER = "ML_Id,f1,f2,f3,f4,f5,f6,f7";

test("mise-en-scène parser: good file, and malformed lines named by file:line", () => {
  const good = `${MISE_HEADER}\n1,1,2,3,4,5,6,7\r\n20,0.5,0.5,0.5,0.5,0.5,0.5,0.5\n\n`;
  const m = parseMiseEnScene(good, "f.csv");
  assert.equal(m.size, 2);
  assert.deepEqual([...m.get("1")!], [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(m.get("20")![6], 0.5);
  const bad = (text: string, pattern: RegExp) => assert.throws(() => parseMiseEnScene(text, "f.csv"), pattern);
  bad(`ML_Id,a,b\n1,2,3\n`, /^Error: f\.csv:1: expected the header/);
  bad(`${MISE_HEADER}\n1,1,2,3,4,5,6,7\n2,1,2,3\n`, /f\.csv:3: expected 8 comma-separated fields/);
  bad(`${MISE_HEADER}\n1,1,2,3,x,5,6,7\n`, /f\.csv:2: feature f4 of movie 1 is "x"/);
  bad(`${MISE_HEADER}\nabc,1,2,3,4,5,6,7\n`, /f\.csv:2: ML_Id "abc"/);
  bad(`${MISE_HEADER}\n5,1,2,3,4,5,6,7\n5,1,2,3,4,5,6,7\n`, /f\.csv:3: movie 5 already appeared on line 2/);
  bad(``, /f\.csv: empty file/);
  bad(`${MISE_HEADER}\n`, /no feature rows/);
});

test("mise-en-scène loader: explicit path, RECSYS_DATA_MIRROR, and a clear error when missing", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mise-"));
  const saved = { mirror: process.env.RECSYS_DATA_MIRROR, data: process.env.RECSYS_DATA_DIR };
  try {
    const file = path.join(dir, "features.csv");
    fs.writeFileSync(file, `${MISE_HEADER}\n7,1,1,1,1,1,1,1\n8,1,1,1,oops,1,1,1\n`);
    assert.throws(() => loadMiseEnScene(file), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: feature f4`));

    const mirror = path.join(dir, "mirror");
    fs.mkdirSync(path.join(mirror, "mise-en-scene"), { recursive: true });
    fs.writeFileSync(path.join(mirror, "mise-en-scene", "LLVisualFeatures13K_Log.csv"), `${MISE_HEADER}\n7,1,2,3,4,5,6,7\n`);
    process.env.RECSYS_DATA_MIRROR = mirror;
    process.env.RECSYS_DATA_DIR = path.join(dir, "cache");
    assert.equal(miseFeaturesPath(), path.join(mirror, "mise-en-scene", "LLVisualFeatures13K_Log.csv"));
    assert.deepEqual([...loadMiseEnScene().get("7")!], [1, 2, 3, 4, 5, 6, 7]);

    process.env.RECSYS_DATA_MIRROR = path.join(dir, "empty-mirror");
    assert.throws(() => loadMiseEnScene(), /mise-en-scène features not found; looked at .*empty-mirror.*RECSYS_DATA_MIRROR/);
  } finally {
    if (saved.mirror === undefined) delete process.env.RECSYS_DATA_MIRROR;
    else process.env.RECSYS_DATA_MIRROR = saved.mirror;
    if (saved.data === undefined) delete process.env.RECSYS_DATA_DIR;
    else process.env.RECSYS_DATA_DIR = saved.data;
    fs.rmSync(dir, { recursive: true });
  }
});

test("ContentKNN with mise features: standardised distance similarity; items without features have none", () => {
  const ds = knnToy();
  // i0..i2 have one feature each (values 0, 1, 2 → mean 1, std √(2/3)); i3, i4 have none
  const mise = new Map<string, number[]>([
    ["i0", [0]],
    ["i1", [1]],
    ["i2", [2]],
  ]);
  const sd = Math.sqrt(2 / 3);
  const sim = new ContentSimilarity(ds, { features: ["mise"], mise });
  assert.equal(sim.miseCovered, 3);
  assert.ok(Math.abs(sim.sim(0, 2) - 1 / (1 + 2 / sd)) < 1e-12);
  assert.ok(Math.abs(sim.sim(0, 1) - 1 / (1 + 1 / sd)) < 1e-12);
  // i3 has no features: by default its pairs get the mean mise similarity of the covered pairs
  // (0,1), (0,2), (1,2) at standardised distances 1/sd, 2/sd, 1/sd
  const meanSim = (2 / (1 + 1 / sd) + 1 / (1 + 2 / sd)) / 3;
  assert.ok(Math.abs(sim.miseMissingValue - meanSim) < 1e-12);
  assert.ok(Math.abs(sim.sim(0, 3) - meanSim) < 1e-12);
  assert.ok(Math.abs(sim.sim(3, 4) - meanSim) < 1e-12);
  const zero = new ContentSimilarity(ds, { features: ["mise"], mise, miseMissing: "zero" });
  assert.equal(zero.sim(0, 3), 0);
  assert.ok(Math.abs(zero.sim(0, 2) - sim.sim(0, 2)) < 1e-15);
  const parts = new ContentSimilarity(ds, { features: ["genres", "years", "mise"], mise }).parts(1, 2);
  assert.ok(Math.abs(parts.product - parts.genres * parts.years * parts.mise) < 1e-15);
  assert.ok(Math.abs(parts.mise - 1 / (1 + 1 / sd)) < 1e-12);
  // u0 rated i0 = 5 and i2 = 1; for i1 both are at standardised distance 1/sd → plain mean 3
  const m = new ContentKNN({ features: ["mise"], mise }).fit(ds);
  assert.ok(Math.abs(m.predict(0, 1).value - 3) < 1e-6);
  // i3 has no trailer features: with "mean" both of u0's items weigh the same → (5 + 1)/2;
  // with "zero" it has no neighbours → impossible
  assert.ok(Math.abs(m.predict(0, 3).value - 3) < 1e-6);
  assert.equal(new ContentKNN({ features: ["mise"], mise, miseMissing: "zero" }).fit(ds).predict(0, 3).impossible, true);
  // a loader function is called only when mise is in use
  let calls = 0;
  const lazy = () => (calls++, mise);
  new ContentKNN({ mise: lazy }).fit(ds);
  assert.equal(calls, 0);
  assert.ok(Math.abs(new ContentKNN({ features: ["mise"], mise: lazy }).fit(ds).predict(0, 1).value - 3) < 1e-6);
  assert.equal(calls, 1);
  assert.throws(
    () => new ContentKNN({ features: ["mise"], mise: new Map([["zzz", [1]]]) }).fit(ds),
    /none of the 5 items of knn-toy has mise-en-scène features/,
  );
});
