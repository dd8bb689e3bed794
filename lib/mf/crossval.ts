/**
 * Rating-prediction cross-validation and grid search, as Surprise's `cross_validate` and
 * `GridSearchCV` (surprise.model_selection): k folds from `lib/split/kfold` (ratings shuffled once
 * with the seed, cut into k near-equal folds), a fresh model fitted on each train fold, every test
 * rating predicted — impossible predictions included, with their fallback value, as Surprise does —
 * and RMSE / MAE (`lib/metrics/accuracy`) per fold and averaged over the folds.
 *
 * Works with any `Recommender` whose `predict` returns ratings, not only matrix factorisation.
 */
import type { RatingDataset } from "../data/dataset";
import { mae, rmse } from "../metrics/accuracy";
import type { Recommender } from "../model/recommender";
import { kFold } from "../split/kfold";

export type AccuracyMeasure = "rmse" | "mae";

export interface RatingAccuracy {
  rmse: number;
  mae: number;
  /** Number of test ratings. */
  n: number;
  /** How many test predictions were impossible (fallbacks), e.g. for users absent from the train fold. */
  impossible: number;
}

/** Predicts every rating of `test` with a fitted model; RMSE and MAE of the (clipped) predictions. */
export function evaluateRatings(model: Pick<Recommender, "predict">, test: RatingDataset): RatingAccuracy {
  const n = test.nRatings;
  if (n === 0) throw new Error(`evaluateRatings: the test set ${test.name} has no ratings`);
  const predicted = new Float64Array(n);
  let impossible = 0;
  for (let x = 0; x < n; x++) {
    const p = model.predict(test.users[x], test.items[x]);
    predicted[x] = p.value;
    if (p.impossible) impossible++;
  }
  return { rmse: rmse(predicted, test.ratings), mae: mae(predicted, test.ratings), n, impossible };
}

export interface FoldResult extends RatingAccuracy {
  fold: number;
  nTrain: number;
  /** Seconds spent in `fit`. */
  fitSeconds: number;
  /** Seconds spent predicting the test fold. */
  testSeconds: number;
}

export interface CrossValidationResult {
  folds: FoldResult[];
  /** Means over the folds. */
  mean: { rmse: number; mae: number; fitSeconds: number; testSeconds: number };
  /** Population standard deviations over the folds (as Surprise prints them). */
  std: { rmse: number; mae: number };
}

export interface CrossValidateOptions {
  /** Seed of the fold assignment (default 0). */
  seed?: number;
  /** Measures to compute (default both); the result always has both fields, NaN for one left out. */
  measures?: readonly AccuracyMeasure[];
}

/**
 * k-fold cross-validation of rating predictions: `factory()` must return a new, unfitted model
 * (called once per fold).
 */
export function crossValidate(
  factory: () => Recommender,
  data: RatingDataset,
  folds = 5,
  options: CrossValidateOptions = {},
): CrossValidationResult {
  return crossValidateSplits(factory, kFold(data, { k: folds, seed: options.seed ?? 0 }), options.measures);
}

function crossValidateSplits(
  factory: () => Recommender,
  splits: readonly { train: RatingDataset; test: RatingDataset }[],
  measures: readonly AccuracyMeasure[] = ["rmse", "mae"],
): CrossValidationResult {
  for (const m of measures) {
    if (m !== "rmse" && m !== "mae") throw new Error(`crossValidate: unknown measure ${JSON.stringify(m)} (rmse, mae)`);
  }
  const results: FoldResult[] = splits.map(({ train, test }, f) => {
    const model = factory();
    if (!model.predictsRatings) {
      throw new Error(`crossValidate: ${model.id} does not predict ratings, so RMSE/MAE do not apply`);
    }
    const t0 = performance.now();
    model.fit(train);
    const t1 = performance.now();
    const acc = evaluateRatings(model, test);
    const t2 = performance.now();
    return {
      fold: f + 1,
      nTrain: train.nRatings,
      ...acc,
      rmse: measures.includes("rmse") ? acc.rmse : NaN,
      mae: measures.includes("mae") ? acc.mae : NaN,
      fitSeconds: (t1 - t0) / 1000,
      testSeconds: (t2 - t1) / 1000,
    };
  });
  const mean = (key: "rmse" | "mae" | "fitSeconds" | "testSeconds"): number =>
    results.reduce((s, r) => s + r[key], 0) / results.length;
  const std = (key: "rmse" | "mae"): number => {
    const m = mean(key);
    return Math.sqrt(results.reduce((s, r) => s + (r[key] - m) ** 2, 0) / results.length);
  };
  return {
    folds: results,
    mean: { rmse: mean("rmse"), mae: mean("mae"), fitSeconds: mean("fitSeconds"), testSeconds: mean("testSeconds") },
    std: { rmse: std("rmse"), mae: std("mae") },
  };
}

export type GridValue = number | string | boolean;

export interface GridSearchOptions {
  /** Number of folds (default 3, as Surprise's GridSearchCV). */
  folds?: number;
  /** Seed of the fold assignment (default 0); every combination sees the same folds. */
  seed?: number;
  /** Measure that picks the best combination (default "rmse"; lower is better). */
  measure?: AccuracyMeasure;
}

export interface GridSearchEntry {
  params: Record<string, GridValue>;
  rmse: number;
  mae: number;
  fitSeconds: number;
}

export interface GridSearchResult {
  /** One entry per combination, in the order of the grid (last key varies fastest). */
  results: GridSearchEntry[];
  best: GridSearchEntry;
  bestParams: Record<string, GridValue>;
}

/** Every combination of a grid, last key varying fastest. */
export function gridCombinations(grid: Record<string, readonly GridValue[]>): Record<string, GridValue>[] {
  let combos: Record<string, GridValue>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(`gridSearch: parameter ${key} needs a non-empty list of values`);
    }
    const next: Record<string, GridValue>[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [key]: v });
    combos = next;
  }
  return combos;
}

/**
 * Exhaustive search over a parameter grid, each combination scored by k-fold cross-validation
 * on the same folds; `makeAlgo(params)` returns a new unfitted model for a combination.
 */
export function gridSearch(
  makeAlgo: (params: Record<string, GridValue>) => Recommender,
  grid: Record<string, readonly GridValue[]>,
  data: RatingDataset,
  options: GridSearchOptions = {},
): GridSearchResult {
  const measure = options.measure ?? "rmse";
  if (measure !== "rmse" && measure !== "mae") {
    throw new Error(`gridSearch: unknown measure ${JSON.stringify(measure)} (rmse, mae)`);
  }
  const combos = gridCombinations(grid);
  const splits = kFold(data, { k: options.folds ?? 3, seed: options.seed ?? 0 });
  const results = combos.map((params) => {
    const cv = crossValidateSplits(() => makeAlgo(params), splits);
    return { params, rmse: cv.mean.rmse, mae: cv.mean.mae, fitSeconds: cv.mean.fitSeconds };
  });
  let best = results[0];
  for (const r of results) if (r[measure] < best[measure]) best = r;
  return { results, best, bestParams: best.params };
}
