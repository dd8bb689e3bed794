import { test } from "node:test";
import assert from "node:assert/strict";
import { RatingDataset, fromTriples } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import { Prediction, Recommendation, RecommendOptions, Recommender, topNByPrediction } from "../../lib/model/recommender";
import { Rng } from "../../lib/random";
import { randomSplit } from "../../lib/split/holdout";
import { leaveOneOut } from "../../lib/split/leaveOneOut";
import { kFold } from "../../lib/split/kfold";
import { topNLists } from "../../lib/metrics/topn";
import { evaluate } from "../../lib/eval/evaluate";
import { bakeOff } from "../../lib/eval/bakeoff";
import { toHTML, toText } from "../../lib/eval/format";
import { sampleTopN } from "../../lib/eval/sample";
import { itemCosine } from "../../lib/eval/cosine";

const data = syntheticRatings({ users: 30, items: 25, ratings: 300, seed: 9 });
const close = (a: number | undefined, b: number, msg?: string): void =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, msg ?? `${a} ≠ ${b}`);

/** Fake models: `score(u, i)` is the prediction; recommend ranks the user's unseen items by it. */
abstract class Fake implements Recommender {
  abstract readonly id: string;
  abstract readonly predictsRatings: boolean;
  train!: RatingDataset;
  fit(train: RatingDataset): this {
    this.train = train;
    return this;
  }
  abstract score(u: number, i: number): number;
  predict(u: number, i: number): Prediction {
    return { value: this.score(u, i), impossible: false };
  }
  recommend(u: number, n: number, options?: RecommendOptions): Recommendation[] {
    return topNByPrediction(this, this.train, u, n, options);
  }
}

/** Predicts the true rating from the full data (1 for unrated pairs). */
class Oracle extends Fake {
  readonly id = "oracle";
  readonly predictsRatings = true;
  score(u: number, i: number): number {
    const r = data.rating(u, i);
    return Number.isNaN(r) ? 1 : r;
  }
}

/** Always predicts the same rating. */
class Constant extends Fake {
  readonly id = "constant";
  readonly predictsRatings = true;
  constructor(readonly c: number) {
    super();
  }
  score(): number {
    return this.c;
  }
}

/** A ranker that knows each user's leave-one-out item and puts it at `rank` (1 or 2). */
class LooOracle extends Fake {
  readonly id = "loo-oracle";
  readonly predictsRatings = false;
  private readonly target = new Int32Array(data.nUsers).fill(-1);
  constructor(seed: number, readonly rank = 1) {
    super();
    const t = leaveOneOut(data, { seed }).test;
    for (let k = 0; k < t.nRatings; k++) this.target[t.users[k]] = t.items[k];
  }
  score(u: number, i: number): number {
    const t = this.target[u];
    if (i === t) return this.rank === 1 ? 3 : 2;
    // with rank 2, one other item (the first unseen that is not the target) scores above it
    return i === this.firstOther(u) && this.rank === 2 ? 3 : 0;
  }
  private firstOther(u: number): number {
    for (let i = 0; i < this.train.nItems; i++) if (i !== this.target[u] && !this.train.hasRated(u, i)) return i;
    return -1;
  }
}

/** Predicts 4.5 for even item ids and 2 for odd ones. */
class EvenHigh extends Fake {
  readonly id = "even-high";
  readonly predictsRatings = true;
  score(_u: number, i: number): number {
    return i % 2 === 0 ? 4.5 : 2;
  }
}

/** A seeded noisy predictor (like a random algorithm). */
class Noisy extends Fake {
  readonly id = "noisy";
  readonly predictsRatings = true;
  private rng = new Rng(0);
  override fit(train: RatingDataset): this {
    this.rng = new Rng(42);
    return super.fit(train);
  }
  score(): number {
    return 1 + 4 * this.rng.next();
  }
}

test("holdout: an oracle has RMSE = MAE = 0 and a perfect ranking", () => {
  const r = evaluate(() => new Oracle(), data, "holdout", { seed: 3 });
  assert.equal(r.protocol, "holdout");
  assert.equal(r.model, "oracle");
  assert.equal(r.metrics.rmse, 0);
  assert.equal(r.metrics.mae, 0);
  // the oracle ranks the test items by their true rating and keeps only those ≥ 4: exactly the relevant ones
  close(r.metrics.ndcg, 1);
  close(r.metrics.map, 1);
  assert.ok(r.counts.rankedUsers > 0);
  assert.equal(r.counts.testRatings, 75); // 0.25 × 300
});

test("holdout: a constant predictor at the test mean has RMSE = std of the test ratings", () => {
  const test = randomSplit(data, { testSize: 0.25, seed: 3 }).test;
  const mean = test.globalMean;
  let sq = 0;
  let abs = 0;
  for (const r of test.ratings) {
    sq += (r - mean) ** 2;
    abs += Math.abs(r - mean);
  }
  const r = evaluate(() => new Constant(mean), data, "holdout", { seed: 3 });
  close(r.metrics.rmse, Math.sqrt(sq / test.nRatings));
  close(r.metrics.mae, abs / test.nRatings);
  // a constant 3 < minRating 4 gives empty top-n lists: ranking metrics are 0, not omitted
  const c3 = evaluate(() => new Constant(3), data, "holdout", { seed: 3 });
  assert.equal(c3.metrics.precision, 0);
  assert.equal(c3.metrics.ndcg, 0);
});

test("loo: a ranker that puts the left-out item first has HR = ARHR = 1; at rank 2, ARHR = 1/2", () => {
  const r = evaluate(() => new LooOracle(5), data, "loo", { seed: 5 });
  assert.equal(r.metrics.hr, 1);
  assert.equal(r.metrics.chr, 1);
  assert.equal(r.metrics.arhr, 1);
  assert.equal(r.metrics.coverage, 1);
  assert.ok(r.ratingHitRate!.every((x) => x.hitRate === 1));
  assert.equal(r.counts.leftOut, leaveOneOut(data, { seed: 5 }).test.nRatings);
  const r2 = evaluate(() => new LooOracle(5, 2), data, "loo", { seed: 5 });
  assert.equal(r2.metrics.hr, 1);
  close(r2.metrics.arhr, 0.5);
  // a different seed holds out other items: the oracle for seed 5 no longer hits them all
  const r3 = evaluate(() => new LooOracle(5), data, "loo", { seed: 6 });
  assert.ok(r3.metrics.hr! < 1);
});

test("a pure ranker has no rmse/mae under any protocol (omitted, not zero)", () => {
  for (const protocol of ["course", "holdout", "loo", "kfold"] as const) {
    const r = evaluate(() => new LooOracle(1), data, protocol, { seed: 1, folds: 3 });
    assert.ok(!("rmse" in r.metrics) && !("mae" in r.metrics), protocol);
    if (protocol !== "loo") assert.ok(r.notes.some((n) => /rmse\/mae omitted/.test(n)), protocol);
    if (r.std) assert.ok(!("rmse" in r.std));
  }
});

test("kfold: metrics are the means over folds, std the population std, seconds.fit the mean fit time", () => {
  const r = evaluate(() => new Constant(3.5), data, "kfold", { seed: 2, folds: 3 });
  const per = kFold(data, { k: 3, seed: 2 }).map((f) => {
    let s = 0;
    for (const x of f.test.ratings) s += (x - 3.5) ** 2;
    return Math.sqrt(s / f.test.nRatings);
  });
  const mean = per.reduce((a, b) => a + b, 0) / 3;
  const std = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
  close(r.metrics.rmse, mean);
  close(r.std!.rmse, std);
  assert.ok(r.std!.rmse! > 0);
  for (const m of ["mae", "precision", "recall", "ndcg", "map", "f1"] as const) {
    assert.ok(r.metrics[m] !== undefined && r.std![m] !== undefined, m);
  }
  assert.equal(r.counts.folds, 3);
  assert.ok(r.seconds.fit <= r.seconds.total);
});

/** A predictor whose fits take 40 ms the first time and 120 ms afterwards, recording the train sizes. */
function timedFactory(sizes: number[]): () => Recommender {
  return () => {
    const m = new EvenHigh();
    const fit = m.fit.bind(m);
    m.fit = (train: RatingDataset) => {
      const wait = sizes.length === 0 ? 40 : 120;
      sizes.push(train.nRatings);
      const t = performance.now();
      while (performance.now() - t < wait) {
        /* busy */
      }
      return fit(train);
    };
    return m;
  };
}

test("course: accuracy split, leave-one-out and full-data fits, with seconds.fit the first fit", () => {
  const sizes: number[] = [];
  const r = evaluate(timedFactory(sizes), data, "course", { seed: 4, similarity: () => 0.25 });
  const looTest = leaveOneOut(data, { seed: 4 }).test.nRatings;
  assert.deepEqual(sizes, [300 - 75, 300 - looTest, 300]);
  assert.ok(r.seconds.fit >= 0.04 && r.seconds.fit < 0.12, `fit ${r.seconds.fit}`);
  assert.ok(r.seconds.total >= 0.04 + 0.24);
  for (const m of ["rmse", "mae", "hr", "chr", "arhr", "coverage", "catalogCoverage", "diversity", "novelty", "noveltyBits"] as const) {
    assert.ok(typeof r.metrics[m] === "number" && Number.isFinite(r.metrics[m]), m);
  }
  // diversity with a constant similarity 0.25 is 0.75
  close(r.metrics.diversity, 0.75);
  // brute force on a model fitted on the full data: lists keep only items predicted ≥ 4 (even ids)
  const model = new EvenHigh().fit(data);
  const users = Array.from({ length: data.nUsers }, (_, u) => u);
  const lists = topNLists(model, users, 10, { minScore: 4 });
  let covered = 0;
  let rankSum = 0;
  let count = 0;
  const distinct = new Set<number>();
  for (const l of lists.values()) {
    if (l.length > 0) covered++;
    for (const x of l) {
      assert.equal(x.item % 2, 0);
      rankSum += data.popularityRank[x.item];
      count++;
      distinct.add(x.item);
    }
  }
  close(r.metrics.coverage, covered / data.nUsers);
  close(r.metrics.novelty, rankSum / count);
  close(r.metrics.catalogCoverage, distinct.size / data.nItems);
});

test("course: reproducible for a seed, different for another seed", () => {
  const a = evaluate(() => new Noisy(), data, "course", { seed: 1 });
  const b = evaluate(() => new Noisy(), data, "course", { seed: 1 });
  const c = evaluate(() => new Noisy(), data, "course", { seed: 2 });
  assert.deepEqual(a.metrics, b.metrics);
  assert.deepEqual(a.ratingHitRate, b.ratingHitRate);
  assert.notDeepEqual(a.metrics, c.metrics);
  // and the LOO oracle reaches HR = 1 inside the course protocol too
  const o = evaluate(() => new LooOracle(7), data, "course", { seed: 7 });
  assert.equal(o.metrics.hr, 1);
  assert.equal(o.metrics.arhr, 1);
});

test("sampleUsers limits the top-n users (seeded)", () => {
  const r = evaluate(() => new EvenHigh(), data, "course", { seed: 1, sampleUsers: 7 });
  assert.equal(r.counts.topNUsers, 7);
  assert.ok(r.counts.leftOut <= 7);
  assert.equal(r.options.sampleUsers, 7);
  const again = evaluate(() => new EvenHigh(), data, "course", { seed: 1, sampleUsers: 7 });
  assert.deepEqual(again.metrics, r.metrics);
});

test("evaluate: clear errors", () => {
  assert.throws(() => evaluate(() => new Oracle(), data, "bogus" as "loo"), /unknown evaluation protocol "bogus"/);
  assert.throws(() => evaluate(() => new Oracle(), data, "loo", { n: 0 }), /n must be an integer ≥ 1, got 0/);
  assert.throws(() => evaluate(() => new Oracle(), data, "loo", { testSize: 2 }), /testSize must be strictly between 0 and 1/);
  assert.throws(() => evaluate(() => new Oracle(), data, "kfold", { folds: 1 }), /folds must be an integer ≥ 2/);
  assert.throws(() => evaluate(() => ({}) as Recommender, data, "holdout"), /the factory must return a Recommender/);
  const none = new RatingDataset({ name: "none", userIds: [], itemIds: [], users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0) });
  assert.throws(() => evaluate(() => new Oracle(), none, "course"), /dataset none is empty/);
});

test("itemCosine: matches a dense brute force, both variants", () => {
  const d = syntheticRatings({ users: 12, items: 8, ratings: 50, seed: 2 });
  const dense = (i: number): number[] => Array.from({ length: d.nUsers }, (_, u) => (d.hasRated(u, i) ? d.rating(u, i) : 0));
  const full = itemCosine(d);
  const common = itemCosine(d, "cosine-common");
  for (let i = 0; i < d.nItems; i++) {
    for (let j = 0; j < d.nItems; j++) {
      const a = dense(i);
      const b = dense(j);
      let dot = 0;
      let na = 0;
      let nb = 0;
      let ca = 0;
      let cb = 0;
      for (let u = 0; u < d.nUsers; u++) {
        dot += a[u] * b[u];
        na += a[u] ** 2;
        nb += b[u] ** 2;
        if (a[u] && b[u]) {
          ca += a[u] ** 2;
          cb += b[u] ** 2;
        }
      }
      close(full(i, j), na && nb ? dot / Math.sqrt(na * nb) : 0, `cosine ${i},${j}`);
      close(common(i, j), ca && cb ? dot / Math.sqrt(ca * cb) : 0, `common cosine ${i},${j}`);
      assert.equal(full(i, j), full(j, i));
    }
  }
  assert.throws(() => full(0, 99), /item 99 is outside 0..7/);
});

test("bakeOff, toText, toHTML and JSON", () => {
  const b = bakeOff(
    [
      { name: "Oracle <b>&", factory: () => new Oracle() },
      { name: "Ranker", factory: () => new LooOracle(1) },
    ],
    data,
    "holdout",
    { seed: 1 },
  );
  assert.equal(b.rows.length, 2);
  assert.equal(b.rows[0].name, "Oracle <b>&");
  assert.equal(b.rows[0].metrics.rmse, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(b)), b);
  const text = toText(b);
  const lines = text.trimEnd().split("\n");
  assert.match(lines[0], /holdout protocol on synthetic/);
  assert.match(lines[1], /^Algorithm\s+RMSE\s+MAE\s+P@10\s+R@10\s+F1@10\s+NDCG@10\s+MAP@10\s+Fit s\s+Total s$/);
  assert.equal(lines.length, 5);
  assert.equal(new Set(lines.slice(1).map((l) => l.length)).size, 1, "columns are aligned");
  assert.match(lines[3], /^Oracle <b>&\s+0\.0000\s+0\.0000/);
  assert.match(lines[4], /^Ranker\s+—\s+—\s+\d/);
  const html = toHTML(b);
  assert.ok(html.includes("Oracle &lt;b&gt;&amp;"));
  assert.ok(!html.includes("<b>"));
  assert.equal(html.match(/<tr>/g)!.length, 3);
  assert.match(html, /<th style="text-align:right">RMSE<\/th>/);
  // kfold shows mean ± std; a single result formats as a one-row table
  const k = evaluate(() => new Constant(3.5), data, "kfold", { seed: 1, folds: 3 });
  assert.match(toText(k), /constant\s+\d\.\d{4} ± \d\.\d{4}/);
  assert.throws(() => bakeOff([], data, "loo"), /no algorithms/);
  assert.throws(
    () => bakeOff([{ name: "A", factory: () => new Oracle() }, { name: "A", factory: () => new Oracle() }], data, "loo"),
    /two entries are named "A"/,
  );
});

test("bakeOff: every algorithm sees the same splits", () => {
  const b = bakeOff(
    [
      { name: "first", factory: () => new LooOracle(3) },
      { name: "second", factory: () => new LooOracle(3) },
    ],
    data,
    "loo",
    { seed: 3 },
  );
  assert.deepEqual(b.rows[0].metrics, b.rows[1].metrics);
  assert.equal(b.rows[1].metrics.hr, 1);
});

test("sampleTopN: a user's recommendations with raw ids and titles", () => {
  const d = fromTriples(
    "films",
    ["u1", "u1", "u2", "u2", "u3", "u3", "u3"],
    ["10", "20", "20", "30", "20", "30", "40"],
    Float32Array.from([5, 4, 3, 5, 4, 4, 2]),
    { itemMeta: { titles: new Map([["20", "Twenty"], ["30", "Thirty"], ["40", "Forty"]]) } },
  );
  class Pop extends Fake {
    readonly id = "pop";
    readonly predictsRatings = false;
    score(_u: number, i: number): number {
      return this.train.itemCounts[i];
    }
  }
  const m = new Pop().fit(d);
  // u1 has seen 10 and 20; unseen: 30 (2 ratings), 40 (1)
  assert.deepEqual(sampleTopN(m, d, "u1", 5), [
    { rank: 1, item: "30", title: "Thirty", score: 2 },
    { rank: 2, item: "40", title: "Forty", score: 1 },
  ]);
  // u2 has seen 20 and 30; 10 has no title
  assert.deepEqual(sampleTopN(m, d, "u2", 1), [{ rank: 1, item: "10", title: "item 10", score: 1 }]);
  assert.throws(() => sampleTopN(m, d, "nobody"), /unknown user id "nobody"/);
});
