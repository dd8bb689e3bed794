/**
 * Popularity baseline (`popularity`): recommends the items with the most interactions in the
 * train set, the same list for everyone minus what each user has already seen.
 *
 *   score(u, i) = |U_i|, the number of train ratings of item i (any rating value counts)
 *
 * Ties are broken by the smaller inner id. The score is a count, not a rating: `predictsRatings`
 * is false, `predict(u, i).value` is |U_i| and rating metrics do not apply. Items with no train
 * interaction (score 0) are never recommended, so a list can be shorter than n.
 * (The "most popular" baseline of e.g. Cremonesi, Koren & Turrin, "Performance of recommender
 * algorithms on top-N recommendation tasks", RecSys 2010.)
 *
 * Cost: fit sorts the items once, O(I log I); recommend walks that ranking and skips the user's
 * seen items with a reusable mark array, O(n + |I_u|) per user.
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  checkUser,
} from "../model/recommender";

export class PopularityRecommender implements Recommender {
  readonly id = "popularity";
  readonly predictsRatings = false;
  private train: RatingDataset | null = null;
  private counts = new Int32Array(0);
  /** Items with at least one interaction, most popular first (ties: smaller inner id first). */
  private ranking = new Int32Array(0);
  /** Scratch marks of the current user's seen items (all zero between calls). */
  private mark = new Uint8Array(0);

  fit(train: RatingDataset): this {
    const counts = Int32Array.from(train.itemCounts);
    const order: number[] = [];
    for (let i = 0; i < train.nItems; i++) if (counts[i] > 0) order.push(i);
    order.sort((a, b) => counts[b] - counts[a] || a - b);
    this.train = train;
    this.counts = counts;
    this.ranking = Int32Array.from(order);
    this.mark = new Uint8Array(train.nItems);
    return this;
  }

  /** The items with at least one train interaction, most popular first (a copy). */
  rankedItems(): Int32Array {
    return this.ranking.slice();
  }

  /** Returns the number of train interactions of `item` as the score: NOT a rating. */
  predict(_user: number, item: number): Prediction {
    if (this.train === null) throw new Error("popularity: predict called before fit");
    if (!(item >= 0 && item < this.counts.length)) {
      throw new Error(`popularity: item index ${item} is outside 0..${this.counts.length - 1}`);
    }
    return { value: this.counts[item], impossible: false };
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const train = this.train;
    if (train === null) throw new Error("popularity: recommend called before fit");
    checkUser(train, user);
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`popularity: n must be a non-negative integer, got ${n}`);
    const excludeSeen = options.excludeSeen ?? true;
    const exclude = options.exclude;
    const mark = this.mark;
    const a = train.userPtr[user];
    const b = train.userPtr[user + 1];
    if (excludeSeen) for (let p = a; p < b; p++) mark[train.userItems[p]] = 1;
    const out: Recommendation[] = [];
    const ranking = this.ranking;
    for (let r = 0; r < ranking.length && out.length < n; r++) {
      const i = ranking[r];
      if (mark[i] === 1 || exclude?.has(i)) continue;
      out.push({ item: i, score: this.counts[i] });
    }
    if (excludeSeen) for (let p = a; p < b; p++) mark[train.userItems[p]] = 0;
    return out;
  }
}
