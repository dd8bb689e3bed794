import { test } from "node:test";
import assert from "node:assert/strict";
import type { RatingDataset } from "../../lib/data/dataset";
import { syntheticRatings } from "../../lib/data/synthetic";
import type { Prediction, Recommendation, Recommender } from "../../lib/model/recommender";
import { crossValidate, evaluateRatings, gridCombinations, gridSearch } from "../../lib/mf/crossval";
import { SVD } from "../../lib/mf/svd";
import { kFold } from "../../lib/split/kfold";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b} (tolerance ${tol})`);

const data = syntheticRatings({ users: 50, items: 40, ratings: 900, seed: 12 });

/** Predicts a constant (or the train mean when `value` is undefined); flags unknown users impossible. */
class Constant implements Recommender {
  readonly id = "constant";
  readonly predictsRatings: boolean = true;
  train: RatingDataset | null = null;
  constructor(readonly value?: number) {}
  fit(train: RatingDataset): this {
    this.train = train;
    return this;
  }
  predict(user: number): Prediction {
    const v = this.value ?? this.train!.globalMean;
    return { value: v, impossible: this.train!.userCount(user) === 0 };
  }
  recommend(): Recommendation[] {
    return [];
  }
}

test("evaluateRatings: RMSE and MAE of a constant prediction by hand", () => {
  // test ratings r; predicting 3 gives errors r − 3
  const test_ = data.subset(Int32Array.from([0, 1, 2, 3, 4]));
  const m = new Constant(3).fit(data);
  const errors = Array.from(test_.ratings, (r) => r - 3);
  const acc = evaluateRatings(m, test_);
  close(acc.rmse, Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / 5), 1e-12);
  close(acc.mae, errors.reduce((s, e) => s + Math.abs(e), 0) / 5, 1e-12);
  assert.equal(acc.n, 5);
  assert.equal(acc.impossible, 0);
});

test("crossValidate: folds partition the data, means are fold averages, seeded", () => {
  const cv = crossValidate(() => new Constant(), data, 5, { seed: 3 });
  assert.equal(cv.folds.length, 5);
  assert.equal(
    cv.folds.reduce((s, f) => s + f.n, 0),
    data.nRatings,
  );
  for (const f of cv.folds) assert.equal(f.n + f.nTrain, data.nRatings);
  close(cv.mean.rmse, cv.folds.reduce((s, f) => s + f.rmse, 0) / 5, 1e-12);
  close(cv.mean.mae, cv.folds.reduce((s, f) => s + f.mae, 0) / 5, 1e-12);
  // fold f = the k-fold split with the same seed: the train mean predicts its test fold
  const splits = kFold(data, { k: 5, seed: 3 });
  splits.forEach((s, f) => close(cv.folds[f].rmse, evaluateRatings(new Constant().fit(s.train), s.test).rmse, 1e-12));
  const again = crossValidate(() => new Constant(), data, 5, { seed: 3 });
  assert.deepEqual(
    again.folds.map((f) => f.rmse),
    cv.folds.map((f) => f.rmse),
  );
  const other = crossValidate(() => new Constant(), data, 5, { seed: 4 });
  assert.notDeepEqual(
    other.folds.map((f) => f.rmse),
    cv.folds.map((f) => f.rmse),
  );
  const onlyMae = crossValidate(() => new Constant(), data, 3, { measures: ["mae"] });
  assert.ok(Number.isNaN(onlyMae.mean.rmse) && onlyMae.mean.mae > 0);
  assert.throws(() => crossValidate(() => new Constant(), data, 3, { measures: ["fcp" as never] }), /unknown measure/);
  class Ranker extends Constant {
    override readonly predictsRatings = false;
  }
  assert.throws(() => crossValidate(() => new Ranker(), data, 3), /does not predict ratings/);
});

test("crossValidate: SVD beats the constant global mean on structured data", () => {
  const svd = crossValidate(() => new SVD({ nFactors: 5, nEpochs: 30, lrAll: 0.01 }), data, 3, { seed: 1 });
  const mean = crossValidate(() => new Constant(), data, 3, { seed: 1 });
  assert.ok(svd.mean.rmse < mean.mean.rmse, `${svd.mean.rmse} vs ${mean.mean.rmse}`);
  assert.ok(svd.folds.every((f) => f.fitSeconds >= 0 && f.testSeconds >= 0));
});

test("gridCombinations: every combination, last key fastest", () => {
  assert.deepEqual(gridCombinations({ a: [1, 2], b: ["x", "y", "z"] }), [
    { a: 1, b: "x" },
    { a: 1, b: "y" },
    { a: 1, b: "z" },
    { a: 2, b: "x" },
    { a: 2, b: "y" },
    { a: 2, b: "z" },
  ]);
  assert.deepEqual(gridCombinations({}), [{}]);
  assert.throws(() => gridCombinations({ a: [] }), /a needs a non-empty list/);
});

test("gridSearch: scores each combination on the same folds and picks the best", () => {
  const g = gridSearch((p) => new Constant(p.value as number), { value: [1, 3.5, 2, 3.5] }, data, { folds: 3, seed: 2 });
  assert.equal(g.results.length, 4);
  // identical parameters on identical folds give identical scores
  assert.equal(g.results[1].rmse, g.results[3].rmse);
  const best = Math.min(...g.results.map((r) => r.rmse));
  assert.equal(g.best.rmse, best);
  assert.deepEqual(g.bestParams, { value: 3.5 });
  // same as cross-validating that combination alone
  close(g.best.rmse, crossValidate(() => new Constant(3.5), data, 3, { seed: 2 }).mean.rmse, 1e-12);
  const byMae = gridSearch((p) => new Constant(p.value as number), { value: [1, 5, 4] }, data, { measure: "mae" });
  assert.equal(byMae.best.mae, Math.min(...byMae.results.map((r) => r.mae)));
});
