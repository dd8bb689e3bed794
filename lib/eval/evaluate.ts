/**
 * Evaluation protocols: fit fresh models from a factory on seeded splits of a dataset and compute
 * the metrics of `lib/metrics`.
 *
 * - `course` — the protocol of F. Kane's course "Building Recommender Systems with Machine
 *   Learning and AI" (its `Evaluator`/`EvaluatedAlgorithm`):
 *   1. accuracy: fit on a random 75/25 hold-out (`testSize`), RMSE and MAE on the test ratings;
 *   2. hit-rate family: fit on a leave-one-out train set, build top-n lists (n = 10) for every
 *      user with a left-out rating, then HR, cHR (left-out ratings ≥ `relevanceThreshold`),
 *      ARHR and the rating hit rate;
 *   3. fit on the FULL data, build top-n lists for every user, then user coverage, catalogue
 *      coverage, diversity and novelty. User coverage is taken here, on the full-data lists, as
 *      the course's evaluator does (coverage of the users the deployed model would serve; the
 *      `loo` protocol reports it on the leave-one-out lists instead).
 *   Top-n lists of rating predictors keep only items predicted ≥ `minRating` (4.0), like the
 *   course's `GetTopN`, and user coverage counts a user when a list item is predicted ≥ `minRating`.
 *   `seconds.fit` is the time of the first fit (the accuracy split; for a pure ranker, which has
 *   no accuracy step, the leave-one-out fit).
 * - `holdout` — one random hold-out: RMSE/MAE and precision, recall, F1, NDCG and MAP at n over
 *   the test users with a relevant item (test rating ≥ `relevanceThreshold`).
 * - `loo` — leave-one-out: the hit-rate family and user coverage on the leave-one-out lists.
 * - `kfold` — the `holdout` metrics on each of `folds` folds; `metrics` holds the means over folds,
 *   `std` the population standard deviations beside them, `seconds.fit` the mean fit time per fold.
 * - `temporal` — the `holdout` metrics on a temporal split (`temporalSplit`: train on the oldest
 *   1 − `testSize` of the ratings, test on the newest). Test users without train ratings (new
 *   users, cold start) stay in the ranking metrics; `counts.coldStartUsers` says how many.
 * - `temporal-loo` — the `loo` metrics with each user's latest rating held out
 *   (`temporalLeaveOneOut`) instead of a random one: random leave-one-out lets a model learn from
 *   a user's future ratings, which flatters it; this protocol does not.
 *   Both temporal protocols need timestamps and ignore `seed` for the split (they are
 *   deterministic); `seed` still drives `sampleUsers`.
 *
 * Metrics that do not apply are omitted, never zero: RMSE/MAE for a model with
 * `predictsRatings === false`, and any metric whose input turned out empty (`notes` says why).
 * Every split uses `seed`, so every algorithm evaluated with the same options sees the same splits.
 */
import type { RatingDataset } from "../data/dataset";
import type { Recommender } from "../model/recommender";
import { Rng } from "../random";
import { randomSplit } from "../split/holdout";
import { leaveOneOut } from "../split/leaveOneOut";
import { kFold } from "../split/kfold";
import { temporalLeaveOneOut, temporalSplit } from "../split/temporal";
import type { Split } from "../split/common";
import { mae, rmse } from "../metrics/accuracy";
import { TopNLists, countRecommendations, topNLists } from "../metrics/topn";
import { LeftOut, arhr, cumulativeHitRate, hitRate, ratingHitRate } from "../metrics/hits";
import { catalogCoverage, userCoverage } from "../metrics/coverage";
import { ItemSimilarity, diversity } from "../metrics/diversity";
import { novelty, selfInformationNovelty } from "../metrics/novelty";
import { rankingMetrics, relevantItems } from "../metrics/ranking";
import { CosineKind, itemCosine } from "./cosine";

export type Protocol = "course" | "holdout" | "loo" | "kfold" | "temporal" | "temporal-loo";
export const PROTOCOLS: readonly Protocol[] = ["course", "holdout", "loo", "kfold", "temporal", "temporal-loo"];

export interface Metrics {
  rmse?: number;
  mae?: number;
  /** Hit rate (leave-one-out). */
  hr?: number;
  /** Cumulative hit rate: hit rate over left-out ratings ≥ relevanceThreshold. */
  chr?: number;
  /** Average reciprocal hit rank. */
  arhr?: number;
  /** User coverage. */
  coverage?: number;
  /** Catalogue coverage. */
  catalogCoverage?: number;
  diversity?: number;
  /** Mean popularity rank of the recommended items. */
  novelty?: number;
  /** Mean self-information of the recommended items, in bits. */
  noveltyBits?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  ndcg?: number;
  map?: number;
}
export type MetricName = keyof Metrics;
/** Every metric name, in display order. */
export const METRIC_NAMES: readonly MetricName[] = [
  "rmse", "mae", "hr", "chr", "arhr", "coverage", "catalogCoverage", "diversity", "novelty", "noveltyBits",
  "precision", "recall", "f1", "ndcg", "map",
];

export interface EvalOptions {
  /** Seed of every split and user sample (default 1). */
  seed?: number;
  /** Length of the top-n lists and the k of the ranking metrics (default 10). */
  n?: number;
  /** Minimum predicted rating of a top-n item for rating predictors, and the user-coverage threshold (default 4.0). */
  minRating?: number;
  /** Test share of the random hold-out (default 0.25). */
  testSize?: number;
  /** Number of folds of `kfold` (default 5). */
  folds?: number;
  /** A test rating ≥ this is relevant (ranking metrics) or "liked" (cumulative hit rate); default 4.0. */
  relevanceThreshold?: number;
  /** Build top-n lists for a seeded random sample of this many users only (default: all users). */
  sampleUsers?: number;
  /** Item similarity for diversity: a cosine variant (default "cosine", see `itemCosine`) or a function of two inner item ids. */
  similarity?: CosineKind | ItemSimilarity;
  /** Called with a short message at each stage (for progress display). */
  onProgress?: (message: string) => void;
}

export interface ResolvedEvalOptions {
  seed: number;
  n: number;
  minRating: number;
  testSize: number;
  folds: number;
  relevanceThreshold: number;
  sampleUsers: number | null;
  similarity: CosineKind | "custom";
}

export interface EvalResult {
  protocol: Protocol;
  /** `id` of the evaluated model. */
  model: string;
  dataset: string;
  metrics: Metrics;
  /** kfold only: population standard deviation of each metric over the folds. */
  std?: Metrics;
  /** course and loo: hit rate by left-out rating value, increasing rating. */
  ratingHitRate?: { rating: number; hitRate: number }[];
  /** Sizes behind the metrics (users, ratings, folds) for the record. */
  counts: Record<string, number>;
  /** Why a metric was omitted, and other remarks. */
  notes: string[];
  seconds: { fit: number; total: number };
  options: ResolvedEvalOptions;
}

/** Fills defaults and checks every option; throws a clear error on a bad value. */
export function resolveOptions(options: EvalOptions = {}): ResolvedEvalOptions {
  const o = {
    seed: options.seed ?? 1,
    n: options.n ?? 10,
    minRating: options.minRating ?? 4.0,
    testSize: options.testSize ?? 0.25,
    folds: options.folds ?? 5,
    relevanceThreshold: options.relevanceThreshold ?? 4.0,
    sampleUsers: options.sampleUsers ?? null,
    similarity: typeof options.similarity === "function" ? ("custom" as const) : (options.similarity ?? "cosine"),
  };
  if (!Number.isFinite(o.seed)) throw new Error(`evaluate: seed must be a finite number, got ${o.seed}`);
  if (!(Number.isInteger(o.n) && o.n >= 1)) throw new Error(`evaluate: n must be an integer ≥ 1, got ${o.n}`);
  if (Number.isNaN(o.minRating) || typeof o.minRating !== "number") throw new Error(`evaluate: minRating must be a number, got ${o.minRating}`);
  if (!(o.testSize > 0 && o.testSize < 1)) throw new Error(`evaluate: testSize must be strictly between 0 and 1, got ${o.testSize}`);
  if (!(Number.isInteger(o.folds) && o.folds >= 2)) throw new Error(`evaluate: folds must be an integer ≥ 2, got ${o.folds}`);
  if (!Number.isFinite(o.relevanceThreshold)) throw new Error(`evaluate: relevanceThreshold must be a finite number, got ${o.relevanceThreshold}`);
  if (o.sampleUsers !== null && !(Number.isInteger(o.sampleUsers) && o.sampleUsers >= 1)) {
    throw new Error(`evaluate: sampleUsers must be an integer ≥ 1, got ${o.sampleUsers}`);
  }
  if (o.similarity !== "cosine" && o.similarity !== "cosine-common" && o.similarity !== "custom") {
    throw new Error(`evaluate: similarity must be "cosine", "cosine-common" or a function, got ${JSON.stringify(o.similarity)}`);
  }
  return o;
}

function checkProtocol(protocol: string): asserts protocol is Protocol {
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new Error(`unknown evaluation protocol ${JSON.stringify(protocol)}; expected one of ${PROTOCOLS.join(", ")}`);
  }
}

/** Fits a fresh model from the factory on `train` and times the fit. */
function fitFresh(ctx: Ctx, factory: () => Recommender, train: RatingDataset): { model: Recommender; seconds: number } {
  const model = factory();
  checkModel(model);
  ctx.modelId = model.id;
  const t = now();
  model.fit(train);
  return { model, seconds: now() - t };
}

function checkModel(model: Recommender): void {
  if (!model || typeof model.fit !== "function" || typeof model.predict !== "function" || typeof model.recommend !== "function") {
    throw new Error("evaluate: the factory must return a Recommender (an object with fit, predict and recommend)");
  }
}

function now(): number {
  return performance.now() / 1000;
}

/** RMSE and MAE of a model on every rating of a test set. */
function accuracy(model: Recommender, test: RatingDataset): { rmse: number; mae: number } {
  const predicted = new Float64Array(test.nRatings);
  for (let k = 0; k < test.nRatings; k++) {
    const v = model.predict(test.users[k], test.items[k]).value;
    if (!Number.isFinite(v)) {
      throw new Error(
        `model ${model.id} predicted ${v} for user ${test.userIds[test.users[k]]}, item ${test.itemIds[test.items[k]]}`,
      );
    }
    predicted[k] = v;
  }
  return { rmse: rmse(predicted, test.ratings), mae: mae(predicted, test.ratings) };
}

/** Users who have at least one rating in `data`, in inner-id order, restricted to `sample` when given. */
function activeUsers(data: RatingDataset, sample: Uint8Array | null): number[] {
  const out: number[] = [];
  for (let u = 0; u < data.nUsers; u++) if (data.userPtr[u + 1] > data.userPtr[u] && (!sample || sample[u])) out.push(u);
  return out;
}

/** A seeded sample of users as a 0/1 mask, or null for all users. */
function userSample(data: RatingDataset, o: ResolvedEvalOptions): Uint8Array | null {
  if (o.sampleUsers === null || o.sampleUsers >= data.nUsers) return null;
  // a stream of its own, so that sampling does not shift the splits' random numbers
  const rng = new Rng(o.seed).fork();
  const mask = new Uint8Array(data.nUsers);
  for (const u of rng.sample(data.nUsers, o.sampleUsers)) mask[u] = 1;
  return mask;
}

interface Ctx {
  factory: () => Recommender;
  data: RatingDataset;
  o: ResolvedEvalOptions;
  /** The item similarity for diversity, built on first use. */
  sim: () => ItemSimilarity;
  sample: Uint8Array | null;
  progress: (m: string) => void;
  metrics: Metrics;
  counts: Record<string, number>;
  notes: string[];
  ratingHitRate?: { rating: number; hitRate: number }[];
  modelId: string;
}

function minScoreOf(model: Recommender, o: ResolvedEvalOptions): number | undefined {
  return model.predictsRatings ? o.minRating : undefined;
}

/**
 * Hit-rate family on a leave-one-out split, for a model fitted on its train set.
 * Returns the lists and the users they were built for.
 */
function hitMetrics(ctx: Ctx, model: Recommender, loo: Split): { lists: TopNLists; users: number[] } {
  const { o, sample } = ctx;
  const t = loo.test;
  const keep: number[] = [];
  for (let k = 0; k < t.nRatings; k++) if (!sample || sample[t.users[k]]) keep.push(k);
  const leftOut: LeftOut = {
    users: Int32Array.from(keep, (k) => t.users[k]),
    items: Int32Array.from(keep, (k) => t.items[k]),
    ratings: Float32Array.from(keep, (k) => t.ratings[k]),
  };
  const users = Array.from(new Set(Array.from(leftOut.users))).sort((a, b) => a - b);
  ctx.progress(`top-${o.n} lists for ${users.length} users (leave-one-out)`);
  const lists = topNLists(model, users, o.n, { minScore: minScoreOf(model, o) });
  ctx.counts.leftOut = keep.length;
  if (keep.length === 0) {
    ctx.notes.push("hit rates omitted: no left-out rating among the sampled users");
    return { lists, users };
  }
  ctx.metrics.hr = hitRate(lists, leftOut);
  let liked = 0;
  for (let k = 0; k < leftOut.ratings.length; k++) if (leftOut.ratings[k] >= o.relevanceThreshold) liked++;
  if (liked > 0) ctx.metrics.chr = cumulativeHitRate(lists, leftOut, o.relevanceThreshold);
  else ctx.notes.push(`chr omitted: no left-out rating is ≥ ${o.relevanceThreshold}`);
  ctx.metrics.arhr = arhr(lists, leftOut);
  ctx.ratingHitRate = Array.from(ratingHitRate(lists, leftOut), ([rating, rate]) => ({ rating, hitRate: rate }));
  return { lists, users };
}

/** User coverage: share of `nUsers` with an item predicted ≥ minRating (any item for a ranker). */
function coverageOf(model: Recommender, lists: TopNLists, nUsers: number, o: ResolvedEvalOptions): number {
  return userCoverage(lists, nUsers, model.predictsRatings ? o.minRating : -Infinity);
}

/** Course step 3: properties of the lists of a model fitted on the full data. */
function listProperties(ctx: Ctx, model: Recommender): void {
  const { data, o } = ctx;
  const users = activeUsers(data, ctx.sample);
  ctx.progress(`top-${o.n} lists for ${users.length} users (full data)`);
  const lists = topNLists(model, users, o.n, { minScore: minScoreOf(model, o) });
  ctx.counts.topNUsers = users.length;
  ctx.counts.recommendations = countRecommendations(lists);
  ctx.metrics.coverage = coverageOf(model, lists, users.length, o);
  ctx.metrics.catalogCoverage = catalogCoverage(lists, data.nItems);
  let pairs = false;
  for (const l of lists.values()) if (l.length >= 2) pairs = true;
  if (pairs) {
    ctx.progress("diversity");
    ctx.metrics.diversity = diversity(lists, ctx.sim());
  } else ctx.notes.push("diversity omitted: no top-n list has two items");
  if (ctx.counts.recommendations > 0) {
    ctx.metrics.novelty = novelty(lists, data.popularityRank);
    ctx.metrics.noveltyBits = selfInformationNovelty(lists, data.itemCounts, activeUsers(data, null).length);
  } else ctx.notes.push("novelty omitted: no item was recommended");
}

/** Accuracy (rating predictors) and ranking metrics at n of a fitted model on one hold-out split. */
function holdoutMetrics(ctx: Ctx, model: Recommender, split: Split): Metrics {
  const { o, sample } = ctx;
  const out: Metrics = {};
  if (model.predictsRatings) Object.assign(out, accuracy(model, split.test));
  const relevant = relevantItems(split.test, o.relevanceThreshold);
  if (sample) for (const u of Array.from(relevant.keys())) if (!sample[u]) relevant.delete(u);
  const users: number[] = [];
  for (const [u, rel] of relevant) if (rel.size > 0) users.push(u);
  ctx.counts.rankedUsers = users.length;
  ctx.counts.skippedUsers = relevant.size - users.length;
  if (users.length === 0) {
    ctx.notes.push(`ranking metrics omitted: no test user has a rating ≥ ${o.relevanceThreshold}`);
    return out;
  }
  ctx.progress(`top-${o.n} lists for ${users.length} test users`);
  const lists = topNLists(model, users, o.n, { minScore: minScoreOf(model, o) });
  const r = rankingMetrics(lists, relevant, o.n);
  out.precision = r.precision;
  out.recall = r.recall;
  out.f1 = r.f1;
  out.ndcg = r.ndcg;
  out.map = r.map;
  return out;
}

function noteNoAccuracy(ctx: Ctx, model: Recommender): void {
  if (!model.predictsRatings) ctx.notes.push(`rmse/mae omitted: ${model.id} ranks items without predicting ratings`);
}

function runCourse(ctx: Ctx): number {
  const { factory, data, o } = ctx;
  let fitSeconds = NaN;
  // 1. accuracy on a random hold-out (skipped for a pure ranker)
  const first = factory();
  checkModel(first);
  ctx.modelId = first.id;
  if (first.predictsRatings) {
    ctx.progress(`accuracy: fit on a random ${Math.round((1 - o.testSize) * 100)}/${Math.round(o.testSize * 100)} split`);
    const split = randomSplit(data, { testSize: o.testSize, seed: o.seed });
    const { model, seconds } = fitFresh(ctx, () => first, split.train);
    fitSeconds = seconds;
    Object.assign(ctx.metrics, accuracy(model, split.test));
    ctx.counts.testRatings = split.test.nRatings;
  } else noteNoAccuracy(ctx, first);
  // 2. hit rates under leave-one-out
  ctx.progress("hit rates: fit on the leave-one-out train set");
  const loo = leaveOneOut(data, { seed: o.seed });
  const fitted = first.predictsRatings ? fitFresh(ctx, factory, loo.train) : fitFresh(ctx, () => first, loo.train);
  if (Number.isNaN(fitSeconds)) fitSeconds = fitted.seconds;
  hitMetrics(ctx, fitted.model, loo);
  // 3. coverage, diversity, novelty of a model fitted on everything
  ctx.progress("coverage, diversity, novelty: fit on the full data");
  listProperties(ctx, fitFresh(ctx, factory, data).model);
  return fitSeconds;
}

function runHoldout(ctx: Ctx, temporal = false): number {
  const { factory, data, o } = ctx;
  const split = temporal ? temporalSplit(data, { testSize: o.testSize }) : randomSplit(data, { testSize: o.testSize, seed: o.seed });
  if (temporal) {
    let cold = 0;
    const t = split.test;
    for (let u = 0; u < t.nUsers; u++) if (t.userPtr[u + 1] > t.userPtr[u] && split.train.userPtr[u + 1] === split.train.userPtr[u]) cold++;
    ctx.counts.coldStartUsers = cold;
  }
  ctx.progress("fit on the train split");
  const { model, seconds } = fitFresh(ctx, factory, split.train);
  noteNoAccuracy(ctx, model);
  ctx.counts.testRatings = split.test.nRatings;
  Object.assign(ctx.metrics, holdoutMetrics(ctx, model, split));
  return seconds;
}

function runLoo(ctx: Ctx, temporal = false): number {
  const { factory, data, o } = ctx;
  const loo = temporal ? temporalLeaveOneOut(data) : leaveOneOut(data, { seed: o.seed });
  ctx.progress("fit on the leave-one-out train set");
  const { model, seconds } = fitFresh(ctx, factory, loo.train);
  const { lists, users } = hitMetrics(ctx, model, loo);
  if (users.length > 0) ctx.metrics.coverage = coverageOf(model, lists, users.length, o);
  return seconds;
}

function runKfold(ctx: Ctx): { fit: number; std: Metrics } {
  const { factory, data, o } = ctx;
  const folds = kFold(data, { k: o.folds, seed: o.seed });
  const perFold: Metrics[] = [];
  let fit = 0;
  let ranked = 0;
  let skipped = 0;
  folds.forEach((split, f) => {
    ctx.progress(`fold ${f + 1} of ${folds.length}: fit`);
    const { model, seconds } = fitFresh(ctx, factory, split.train);
    if (f === 0) noteNoAccuracy(ctx, model);
    fit += seconds;
    perFold.push(holdoutMetrics(ctx, model, split));
    ranked += ctx.counts.rankedUsers;
    skipped += ctx.counts.skippedUsers;
  });
  ctx.counts.folds = folds.length;
  ctx.counts.rankedUsers = ranked;
  ctx.counts.skippedUsers = skipped;
  const std: Metrics = {};
  for (const name of METRIC_NAMES) {
    const values = perFold.map((m) => m[name]);
    if (values.some((v) => v === undefined)) continue;
    const v = values as number[];
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    ctx.metrics[name] = mean;
    std[name] = Math.sqrt(v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / v.length);
  }
  return { fit: fit / folds.length, std };
}

/**
 * Internal entry point shared with `bakeOff`: `sim` lets a bake-off share one cached similarity
 * across algorithms.
 */
export function evaluateResolved(
  factory: () => Recommender,
  data: RatingDataset,
  protocol: Protocol,
  o: ResolvedEvalOptions,
  sim: () => ItemSimilarity,
  onProgress?: (message: string) => void,
): EvalResult {
  checkProtocol(protocol);
  if (data.nRatings === 0) throw new Error(`evaluate: dataset ${data.name} is empty (no ratings)`);
  const t0 = now();
  const ctx: Ctx = {
    factory,
    data,
    o,
    sim,
    sample: userSample(data, o),
    progress: onProgress ?? (() => {}),
    metrics: {},
    counts: {},
    notes: [],
    modelId: "?",
  };
  let fit: number;
  let std: Metrics | undefined;
  if (protocol === "course") fit = runCourse(ctx);
  else if (protocol === "holdout") fit = runHoldout(ctx);
  else if (protocol === "loo") fit = runLoo(ctx);
  else if (protocol === "temporal") fit = runHoldout(ctx, true);
  else if (protocol === "temporal-loo") fit = runLoo(ctx, true);
  else ({ fit, std } = runKfold(ctx));
  const result: EvalResult = {
    protocol,
    model: ctx.modelId,
    dataset: data.name,
    metrics: ctx.metrics,
    counts: ctx.counts,
    notes: ctx.notes,
    seconds: { fit, total: now() - t0 },
    options: o,
  };
  if (std) result.std = std;
  if (ctx.ratingHitRate) result.ratingHitRate = ctx.ratingHitRate;
  return result;
}

/**
 * Evaluates the models made by `factory` (a fresh one per fit) on `data` under a protocol (see the
 * module comment). Example: `evaluate(() => new Popularity(), ml100k, "course", { seed: 1 })`.
 */
export function evaluate(
  factory: () => Recommender,
  data: RatingDataset,
  protocol: Protocol,
  options: EvalOptions = {},
): EvalResult {
  checkProtocol(protocol);
  const o = resolveOptions(options);
  return evaluateResolved(factory, data, protocol, o, similarityFor(data, options), options.onProgress);
}

/** The diversity similarity of the options, built on first use and then reused. */
export function similarityFor(data: RatingDataset, options: EvalOptions): () => ItemSimilarity {
  const given = options.similarity;
  let sim: ItemSimilarity | null = typeof given === "function" ? given : null;
  return () => (sim ??= itemCosine(data, (given as CosineKind | undefined) ?? "cosine"));
}
