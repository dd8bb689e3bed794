/**
 * Churn and responsiveness of top-n lists: how much a user's list moves when new ratings arrive.
 * F. Kane's course ("Building Recommender Systems with Machine Learning and AI") lists both among
 * the measures beyond accuracy: some churn keeps a page fresh, too much (a list that reshuffles on
 * every refresh) looks random; a responsive system reflects a new rating quickly.
 *
 *   churn(B, A) = 1 − |B ∩ A| / max(|B|, |A|)
 *
 * for the list B before and A after (= 1 − |B ∩ A| / n when both lists are full; 0 when both are
 * empty): the share of the list that was replaced. Order inside the list is ignored.
 *
 * Protocol (`churn`): for a seeded sample of users with ≥ 2 ratings, each user's latest rating
 * (timestamp, ties by index; data order when the data has no timestamps) is held out; a model is
 * fitted on the rest and each sampled user's top-n taken; then the held-out ratings are added back
 * — ALL sampled users' at once, so that the protocol needs two fits, not one per user. Each "after"
 * list therefore also feels the other sampled users' new ratings (through similarities, shared
 * factors, popularity counts), as a nightly retrain would. Also note that a user's new item becomes
 * "seen" and leaves the list if it was in it: that alone is churn of 1/n.
 *
 * Baseline: the "before" data is refitted with its ratings presented in a seeded random order (same
 * ratings, same ids), and its lists compared with the before lists. A deterministic model gives 0;
 * a model whose result depends on the order it visits ratings in (SGD with a data-order-dependent
 * visiting order) gives its own noise level, which the churn after new ratings must be read against.
 * (Refitting on the identical arrays with the same seed reproduces every model of this library
 * exactly, so that baseline would be 0 by construction.)
 *
 * Lists are plain top-n by score (`recommend(u, n)`, seen items excluded, no minimum rating), so
 * churn is about the ranking, not about a threshold.
 */
import type { RatingDataset } from "../data/dataset";
import type { Recommendation, Recommender } from "../model/recommender";
import { Rng } from "../random";
import { userRatingsInTime } from "../split/temporal";

export interface ChurnOptions {
  /** List length (default 10). */
  n?: number;
  /** Size of the seeded user sample (default: every eligible user). */
  users?: number;
  /** Seed of the user sample and of the baseline's reordering (default 1). */
  seed?: number;
}

export interface Summary {
  min: number;
  q25: number;
  median: number;
  q75: number;
  max: number;
}

export interface ChurnResult {
  n: number;
  /** Sampled users (inner ids, increasing). */
  users: number[];
  /** Mean churn over the sampled users. */
  mean: number;
  /** Share of sampled users whose list changed at all (churn > 0). */
  changed: number;
  /** Distribution of the per-user churn (quantiles by linear interpolation). */
  summary: Summary;
  /** histogram[j] = users of whom j items left the before list. */
  histogram: number[];
  /** Users whose held-out (new) item was in their before list (it leaves the list once seen). */
  newItemWasListed: number;
  /** Per-user churn, in the order of `users`. */
  perUser: Float64Array;
  /** Churn of refitting the before data in a shuffled order (model noise; see the module comment). */
  baseline: { mean: number; changed: number };
  seconds: { fits: number; total: number };
}

export interface ResponsivenessOptions extends ChurnOptions {
  /** How many of each user's latest ratings are held out and then added back one at a time (default 5). */
  maxNew?: number;
}

export interface ResponsivenessStep {
  /** Number of new ratings per user added back at this step (1 … maxNew). */
  newRatings: number;
  /** Mean churn of the lists at this step against the start lists. */
  meanChurn: number;
  /** Share of users whose list differs from their start list. */
  changed: number;
}

export interface ResponsivenessResult {
  n: number;
  maxNew: number;
  users: number[];
  steps: ResponsivenessStep[];
  /**
   * Mean number of new ratings before a user's list first changed, over the users whose list
   * changed within maxNew steps (NaN when none did).
   */
  responsiveness: number;
  /** Users whose list never changed within maxNew new ratings. */
  neverChanged: number;
  /** firstChange[j] = step at which user users[j]'s list first changed (0 = never). */
  firstChange: Int32Array;
  /** Churn and changed share of refitting the start data in a shuffled order (model noise). */
  baseline: { mean: number; changed: number };
  seconds: { fits: number; total: number };
}

/** 1 − |B ∩ A| / max(|B|, |A|); 0 when both lists are empty. */
export function listChurn(before: readonly Recommendation[], after: readonly Recommendation[]): number {
  const m = Math.max(before.length, after.length);
  if (m === 0) return 0;
  const a = new Set<number>();
  for (const r of after) a.add(r.item);
  let common = 0;
  for (const r of before) if (a.has(r.item)) common++;
  return 1 - common / m;
}

function checkN(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${what}: n must be an integer ≥ 1, got ${n}`);
}

function now(): number {
  return performance.now() / 1000;
}

/** Eligible users (≥ minCount ratings), sampled with the seed when `size` is smaller; increasing ids. */
function sampleUsers(data: RatingDataset, minCount: number, size: number | undefined, rng: Rng, what: string): number[] {
  const eligible: number[] = [];
  for (let u = 0; u < data.nUsers; u++) if (data.userCount(u) >= minCount) eligible.push(u);
  if (eligible.length === 0) throw new Error(`${what} on dataset ${data.name}: no user has at least ${minCount} ratings`);
  if (size === undefined || size >= eligible.length) return eligible;
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`${what}: users must be an integer ≥ 1 (sample size), got ${size}`);
  return Array.from(rng.sample(eligible.length, size), (j) => eligible[j]).sort((a, b) => a - b);
}

/** All ratings not in `held` (a 0/1 mask), as a subset in the parent's order. */
function without(data: RatingDataset, held: Uint8Array, name: string): RatingDataset {
  const keep: number[] = [];
  for (let k = 0; k < data.nRatings; k++) if (!held[k]) keep.push(k);
  return data.subset(Int32Array.from(keep), name);
}

function fitLists(factory: () => Recommender, train: RatingDataset, users: number[], n: number): { lists: Recommendation[][]; seconds: number } {
  const model = factory();
  if (!model || typeof model.fit !== "function" || typeof model.recommend !== "function") {
    throw new Error("churn: the factory must return a Recommender (an object with fit and recommend)");
  }
  const t = now();
  model.fit(train);
  const seconds = now() - t;
  return { lists: users.map((u) => model.recommend(u, n, { excludeSeen: true })), seconds };
}

/** The before data with its ratings in a seeded random order (same ratings, same inner ids). */
function shuffled(data: RatingDataset, rng: Rng): RatingDataset {
  return data.subset(rng.permutation(data.nRatings), `${data.name} [shuffled]`);
}

function compare(before: Recommendation[][], after: Recommendation[][]): { per: Float64Array; mean: number; changed: number } {
  const per = Float64Array.from(before, (b, j) => listChurn(b, after[j]));
  let s = 0;
  let c = 0;
  for (const x of per) {
    s += x;
    if (x > 0) c++;
  }
  return { per, mean: s / per.length, changed: c / per.length };
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Min, quartiles and max of a sample (linear interpolation between order statistics). */
export function summarise(values: ArrayLike<number>): Summary {
  if (values.length === 0) throw new Error("summarise: no values");
  const s = Float64Array.from(values).sort();
  return { min: s[0], q25: quantile(s, 0.25), median: quantile(s, 0.5), q75: quantile(s, 0.75), max: s[s.length - 1] };
}

/**
 * Churn after one new rating per user (see the module comment): three fits (before, after,
 * shuffled baseline), whatever the sample size.
 */
export function churn(factory: () => Recommender, data: RatingDataset, options: ChurnOptions = {}): ChurnResult {
  const what = "churn";
  const t0 = now();
  const n = options.n ?? 10;
  checkN(n, what);
  const rng = new Rng(options.seed ?? 1);
  const users = sampleUsers(data, 2, options.users, rng, what);
  const held = new Uint8Array(data.nRatings);
  const heldItem = new Int32Array(users.length);
  users.forEach((u, j) => {
    const ks = userRatingsInTime(data, u);
    const k = ks[ks.length - 1];
    held[k] = 1;
    heldItem[j] = data.items[k];
  });
  const beforeData = without(data, held, `${data.name} [churn: before]`);
  const before = fitLists(factory, beforeData, users, n);
  const after = fitLists(factory, data, users, n);
  const base = fitLists(factory, shuffled(beforeData, rng.fork()), users, n);
  const c = compare(before.lists, after.lists);
  const b = compare(before.lists, base.lists);
  const histogram = new Array<number>(n + 1).fill(0);
  let newItemWasListed = 0;
  users.forEach((_, j) => {
    const a = new Set(after.lists[j].map((r) => r.item));
    let left = 0;
    for (const r of before.lists[j]) if (!a.has(r.item)) left++;
    histogram[left]++;
    if (before.lists[j].some((r) => r.item === heldItem[j])) newItemWasListed++;
  });
  return {
    n,
    users,
    mean: c.mean,
    changed: c.changed,
    summary: summarise(c.per),
    histogram,
    newItemWasListed,
    perUser: c.per,
    baseline: { mean: b.mean, changed: b.changed },
    seconds: { fits: before.seconds + after.seconds + base.seconds, total: now() - t0 },
  };
}

/**
 * Responsiveness: each sampled user (≥ maxNew + 1 ratings, so one rating always stays) loses
 * their latest maxNew ratings; then the held-out ratings come back one per user per step, oldest
 * first (step s: every sampled user has their s oldest held-out ratings back), with one refit per
 * step — maxNew + 2 fits in all (start, maxNew steps, shuffled baseline). Per step: mean churn
 * against the start lists and the share of users whose list changed. A user's responsiveness is
 * the first step whose list differs from the start list; the result averages it over the users
 * that changed within maxNew steps and counts the others in `neverChanged`. As in `churn`, every
 * list also feels the other users' new ratings; read the numbers against `baseline`.
 */
export function responsiveness(
  factory: () => Recommender,
  data: RatingDataset,
  options: ResponsivenessOptions = {},
): ResponsivenessResult {
  const what = "responsiveness";
  const t0 = now();
  const n = options.n ?? 10;
  checkN(n, what);
  const maxNew = options.maxNew ?? 5;
  if (!(Number.isInteger(maxNew) && maxNew >= 1)) throw new Error(`${what}: maxNew must be an integer ≥ 1, got ${maxNew}`);
  const rng = new Rng(options.seed ?? 1);
  const users = sampleUsers(data, maxNew + 1, options.users, rng, what);
  // heldStep[k] = s ≥ 1 when rating k comes back at step s, 0 when it is never held out
  const heldStep = new Int32Array(data.nRatings);
  for (const u of users) {
    const ks = userRatingsInTime(data, u);
    const newest = ks.slice(ks.length - maxNew);
    newest.forEach((k, j) => (heldStep[k] = j + 1));
  }
  const stepData = (s: number): RatingDataset => {
    const held = new Uint8Array(data.nRatings);
    for (let k = 0; k < data.nRatings; k++) if (heldStep[k] > s) held[k] = 1;
    return without(data, held, `${data.name} [responsiveness: ${s} new]`);
  };
  const startData = stepData(0);
  const start = fitLists(factory, startData, users, n);
  let fits = start.seconds;
  const base = fitLists(factory, shuffled(startData, rng.fork()), users, n);
  fits += base.seconds;
  const b = compare(start.lists, base.lists);
  const firstChange = new Int32Array(users.length);
  const steps: ResponsivenessStep[] = [];
  for (let s = 1; s <= maxNew; s++) {
    const at = fitLists(factory, s === maxNew ? data : stepData(s), users, n);
    fits += at.seconds;
    const c = compare(start.lists, at.lists);
    c.per.forEach((x, j) => {
      if (x > 0 && firstChange[j] === 0) firstChange[j] = s;
    });
    steps.push({ newRatings: s, meanChurn: c.mean, changed: c.changed });
  }
  let sum = 0;
  let changedUsers = 0;
  for (const s of firstChange) {
    if (s > 0) {
      sum += s;
      changedUsers++;
    }
  }
  return {
    n,
    maxNew,
    users,
    steps,
    responsiveness: changedUsers > 0 ? sum / changedUsers : NaN,
    neverChanged: users.length - changedUsers,
    firstChange,
    baseline: { mean: b.mean, changed: b.changed },
    seconds: { fits, total: now() - t0 },
  };
}
