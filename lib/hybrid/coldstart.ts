/**
 * Two answers to the cold-start problem — new items that collaborative filtering cannot recommend
 * because nobody has rated them yet (Schein, Popescul, Ungar & Pennock, "Methods and metrics for
 * cold-start recommendations", SIGIR 2002; Aggarwal, "Recommender Systems: The Textbook",
 * Springer 2016, ch. 6 "Ensemble-based and hybrid recommender systems") — as wrappers around any
 * model:
 *
 * - `ExplorationSlot`: the last slot of every top-n list shows a random NEW item (an item of the
 *   newest release year in the catalogue) instead of the model's n-th best, so new items get
 *   impressions and hence ratings — the "random exploration" slot of F. Kane's course "Building
 *   Recommender Systems with Machine Learning and AI" (2018, section on the cold-start problem).
 *   It trades hit rate on today's data for information about tomorrow's items.
 * - `ContentFill`: items with fewer than `minRatings` train ratings get their predictions from a
 *   content-based model (e.g. `ContentKNN` on genres and years), which needs no ratings of the
 *   item itself; the others from the collaborative base. This is a switching hybrid in Burke's
 *   terms ("Hybrid recommender systems: survey and experiments", UMUAI 12(4), 2002).
 *
 * Both delegate everything else to their base model; the hit-rate cost of each is measured in the
 * hybrids notebook (leave-one-out on ml-latest-small-2016).
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  checkItem,
  checkUser,
} from "../model/recommender";
import { Rng, murmurFinish, murmurMix } from "../random";

export interface ExplorationOptions {
  /** Seed of the per-user draws (default 0). */
  seed?: number;
}

/**
 * Wraps `base`: `recommend(user, n)` returns the base's top n − 1 followed, in the last slot, by
 * one item drawn uniformly at random from the EXPLORATION POOL — the catalogue items (every inner
 * item id of the train set, rated in it or not: unrated new items are exactly the ones to explore)
 * whose release year (`years` metadata) is the newest year present — among those the user has not
 * rated, that are not already in the list and not in `options.exclude`. The draw is a pure function
 * of (seed, user) and that candidate set: the generator is seeded with a hash of (seed, user), so
 * the same seed always gives the same slot, and other users or seeds draw independently.
 *
 * - The exploration item's score is the base's `predict` value for it; it is shown whatever that
 *   score (`minScore` applies to the base's n − 1 items only), so the list is not sorted by score.
 * - If every pool item is ruled out, the last slot goes to the base's n-th item; if the base has
 *   fewer than n − 1 items, the exploration item follows them (the list is shorter than n).
 * - `predict` delegates to the base. `id` = `exploration(<base id>)`.
 * - fit throws when no catalogue item has a release year.
 */
export class ExplorationSlot implements Recommender {
  readonly id: string;
  readonly predictsRatings: boolean;
  readonly seed: number;
  /** Newest release year in the catalogue (after fit). */
  newestYear = NaN;
  private poolItems: Int32Array = new Int32Array(0);
  private train: RatingDataset | null = null;

  constructor(readonly base: Recommender, options: ExplorationOptions = {}) {
    if (!base || typeof base.recommend !== "function") throw new Error("exploration: base must be a Recommender");
    const seed = options.seed ?? 0;
    if (typeof seed !== "number" || !Number.isFinite(seed)) throw new Error(`exploration: seed must be a finite number, got ${options.seed}`);
    this.seed = Math.trunc(seed) >>> 0;
    this.id = `exploration(${base.id})`;
    this.predictsRatings = base.predictsRatings;
  }

  /** The exploration pool: the catalogue's items of the newest release year, by increasing inner id. */
  get pool(): Int32Array {
    this.fitted("pool");
    return this.poolItems;
  }

  fit(train: RatingDataset): this {
    const years = train.years;
    let newest = -Infinity;
    for (let i = 0; i < train.nItems; i++) if (years[i] > newest) newest = years[i];
    if (newest === -Infinity) {
      throw new Error(`exploration: dataset ${train.name} has no release years (years metadata), so there is no newest year to explore`);
    }
    const pool: number[] = [];
    for (let i = 0; i < train.nItems; i++) if (years[i] === newest) pool.push(i);
    this.base.fit(train);
    this.newestYear = newest;
    this.poolItems = Int32Array.from(pool);
    this.train = train;
    return this;
  }

  predict(user: number, item: number): Prediction {
    this.fitted("predict");
    return this.base.predict(user, item);
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted("recommend");
    checkUser(train, user);
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`exploration: n must be a non-negative integer, got ${n}`);
    if (n === 0) return [];
    const full = this.base.recommend(user, n, options);
    const list = full.slice(0, n - 1);
    const item = this.explorationItem(user, list, options.exclude);
    if (item < 0) return full;
    list.push({ item, score: this.base.predict(user, item).value });
    return list;
  }

  /**
   * The exploration item for `user` given the items already listed (−1 when the pool has no
   * eligible item): uniform over the eligible pool items, drawn with `Rng(hash(seed, user))`.
   */
  explorationItem(user: number, listed: readonly Recommendation[] = [], exclude?: ReadonlySet<number>): number {
    const train = this.fitted("explorationItem");
    checkUser(train, user);
    const inList = new Set(listed.map((r) => r.item));
    const eligible: number[] = [];
    for (const i of this.poolItems) {
      if (inList.has(i) || exclude?.has(i) || train.hasRated(user, i)) continue;
      eligible.push(i);
    }
    if (eligible.length === 0) return -1;
    return eligible[new Rng(hashSeedUser(this.seed, user)).int(eligible.length)];
  }

  private fitted(what: string): RatingDataset {
    if (this.train === null) throw new Error(`${this.id}: ${what} called before fit`);
    return this.train;
  }
}

export interface ContentFillOptions {
  /** Collaborative model for items with enough ratings (must predict ratings). */
  base: Recommender;
  /** Content-based model for the others (must predict ratings), e.g. `new ContentKNN()`. */
  content: Recommender;
  /** Items with fewer train ratings than this use the content model (integer ≥ 1, default 5). */
  minRatings?: number;
}

/**
 * Switching hybrid for cold items: with c_i = the number of train ratings of item i,
 *
 *     r̂_ui = content.predict(u, i)   if c_i < minRatings
 *            base.predict(u, i)      otherwise
 *
 * `recommend` merges the base's top n among the warm items (c_i ≥ minRatings) with the content
 * model's top n among the cold ones, by score (equal scores: the smaller inner id first; each
 * list keeps its own order), so it costs one `recommend` of each model — not a `predict` per item.
 * Items a model leaves out of its own list (e.g. `ContentKNN` skips items with no content
 * neighbour, whose prediction is impossible) are left out here too. Both models are fitted on the
 * same train set. `id` = `content-fill(<base id>,<content id>)`.
 */
export class ContentFill implements Recommender {
  readonly id: string;
  readonly predictsRatings = true;
  readonly base: Recommender;
  readonly content: Recommender;
  readonly minRatings: number;
  private train: RatingDataset | null = null;
  private cold: Uint8Array = new Uint8Array(0);
  private coldSet: ReadonlySet<number> = new Set();
  private warmSet: ReadonlySet<number> = new Set();

  constructor(options: ContentFillOptions) {
    const { base, content } = options ?? ({} as ContentFillOptions);
    if (!base || typeof base.predict !== "function") throw new Error("content-fill: options.base must be a Recommender");
    if (!content || typeof content.predict !== "function") throw new Error("content-fill: options.content must be a Recommender");
    if (base === content) throw new Error("content-fill: base and content must be different model objects");
    for (const [role, m] of [["base", base], ["content", content]] as const) {
      if (!m.predictsRatings) {
        throw new Error(`content-fill: the ${role} model (${m.id}) must predict ratings, but it is a ranker (predictsRatings false)`);
      }
    }
    const m = options.minRatings ?? 5;
    if (!(Number.isInteger(m) && m >= 1)) throw new Error(`content-fill: minRatings must be an integer ≥ 1, got ${options.minRatings}`);
    this.base = base;
    this.content = content;
    this.minRatings = m;
    this.id = `content-fill(${base.id},${content.id})`;
  }

  /** Whether item i takes its prediction from the content model (after fit). */
  isCold(item: number): boolean {
    const train = this.fitted("isCold");
    checkItem(train, item);
    return this.cold[item] === 1;
  }

  /** Number of cold items (after fit). */
  get nCold(): number {
    this.fitted("nCold");
    return this.coldSet.size;
  }

  fit(train: RatingDataset): this {
    if (train.nRatings === 0) throw new Error(`content-fill: cannot fit on the empty dataset ${train.name}`);
    this.base.fit(train);
    this.content.fit(train);
    const cold = new Uint8Array(train.nItems);
    const coldSet = new Set<number>();
    const warmSet = new Set<number>();
    for (let i = 0; i < train.nItems; i++) {
      if (train.itemCounts[i] < this.minRatings) {
        cold[i] = 1;
        coldSet.add(i);
      } else {
        warmSet.add(i);
      }
    }
    this.cold = cold;
    this.coldSet = coldSet;
    this.warmSet = warmSet;
    this.train = train;
    return this;
  }

  predict(user: number, item: number): Prediction {
    const train = this.fitted("predict");
    checkUser(train, user);
    checkItem(train, item);
    if (this.cold[item] === 0) return this.base.predict(user, item);
    const p = this.content.predict(user, item);
    const note = `content model: item has ${train.itemCounts[item]} < ${this.minRatings} train ratings`;
    return { ...p, details: p.details ? `${note}; ${p.details}` : note };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.fitted("recommend");
    checkUser(train, user);
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`content-fill: n must be a non-negative integer, got ${n}`);
    if (n === 0) return [];
    const ex = options.exclude;
    const warm = this.base.recommend(user, n, { ...options, exclude: union(this.coldSet, ex) });
    const cold = this.content.recommend(user, n, { ...options, exclude: union(this.warmSet, ex) });
    const out: Recommendation[] = [];
    let a = 0;
    let b = 0;
    while (out.length < n && (a < warm.length || b < cold.length)) {
      const takeWarm =
        b >= cold.length ||
        (a < warm.length && (warm[a].score > cold[b].score || (warm[a].score === cold[b].score && warm[a].item < cold[b].item)));
      out.push(takeWarm ? warm[a++] : cold[b++]);
    }
    return out;
  }

  private fitted(what: string): RatingDataset {
    if (this.train === null) throw new Error(`${this.id}: ${what} called before fit`);
    return this.train;
  }
}

function union(a: ReadonlySet<number>, b: ReadonlySet<number> | undefined): ReadonlySet<number> {
  if (b === undefined || b.size === 0) return a;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

/** MurmurHash3 (Appleby 2011) 32-bit of the single word `user` with `seed` as the initial value. */
export function hashSeedUser(seed: number, user: number): number {
  return murmurFinish(murmurMix(seed | 0, user), 4);
}
