/**
 * Item similarity from co-occurrence (`itemsim`): "people who liked this also liked".
 *
 * Implicit feedback: a rating counts as an interaction when r_ui ≥ minRating (default 0, i.e.
 * every rating on a positive scale such as MovieLens's 1–5; pass -Infinity on scales that go
 * below 0). U_i is the set of users who interacted with item i, I_u the items of user u.
 *
 *   co-occurrence   C(i, j) = |U_i ∩ U_j|                      (C(i, i) = |U_i|)
 *   Jaccard         J(i, j) = |U_i ∩ U_j| / |U_i ∪ U_j| = C(i, j) / (|U_i| + |U_j| − C(i, j))
 *   score           s(u, j) = (1 / |I_u|) Σ_{i ∈ I_u} J(j, i)   (mean similarity to the user's items)
 *
 * (Jaccard 1901; as an item-to-item measure for recommendation see Aggarwal, "Recommender
 * Systems: The Textbook", Springer 2016, §2.6 and §4.3; Linden, Smith & York, "Amazon.com
 * recommendations: item-to-item collaborative filtering", IEEE Internet Computing 2003.)
 *
 * The score is not a rating (`predictsRatings` = false). Only items with a positive score (that
 * co-occur with at least one of the user's items) are recommended, so a list can be shorter than
 * n; a user without interactions gets an empty list.
 *
 * Storage, chosen in `fit` (option `storage`, default "auto"):
 * - "dense": the full symmetric I × I Jaccard matrix as float32 (similarities are kept to ~7
 *   significant digits). Building it costs Σ_u |I_u|²/2 increments plus O(I²); recommend(u)
 *   then sums |I_u| rows, O(|I_u| · I) (four rows per pass over the score vector), and
 *   similarItems reads one row, O(I). "auto" picks it when the matrix takes at most
 *   `DENSE_LIMIT_BYTES` (512 MiB, i.e. up to 11,585 items): MovieLens 100K (1,682 items) needs
 *   11 MB, ML-1M (3,706) 55 MB, the 2016 "latest-small" (9,066) 329 MB.
 * - "sparse": nothing beyond the CSR indexes (O(I) scratch). recommend(u) counts C(i, ·) for
 *   each i ∈ I_u by walking i's users and their items: O(Σ_{i ∈ I_u} Σ_{v ∈ U_i} |I_v|) time,
 *   which is large for heavy users (measured ~70× slower than dense on ML-100K, ~300× on
 *   latest-small), but it never needs I² memory (ML-20M's 26,744 items would need 2.9 GB).
 * Both storages round every J(i, j) to float32 the same way, so they give the same similarities;
 * scores agree up to the order of floating-point summation.
 */
import type { RatingDataset } from "../data/dataset";
import {
  type Prediction,
  type Recommendation,
  type RecommendOptions,
  type Recommender,
  TopN,
  checkUser,
} from "../model/recommender";

/** Largest dense similarity matrix (nItems² float32) that "auto" storage builds, in bytes. */
export const DENSE_LIMIT_BYTES = 512 * 1024 * 1024;

export type ItemSimStorage = "auto" | "dense" | "sparse";

export interface ItemSimOptions {
  /** Only ratings ≥ minRating count as interactions (default 0). */
  minRating?: number;
  /** How the co-occurrence counts are kept (default "auto", see the module doc). */
  storage?: ItemSimStorage;
}

// ---- pure functions -------------------------------------------------------------------------

/** |a ∩ b| of two ascending lists of ids (e.g. the users of two items): a linear merge. */
export function cooccurrenceCount(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let p = 0;
  let q = 0;
  let c = 0;
  while (p < a.length && q < b.length) {
    const x = a[p];
    const y = b[q];
    if (x === y) {
      c++;
      p++;
      q++;
    } else if (x < y) p++;
    else q++;
  }
  return c;
}

/** Jaccard index |a ∩ b| / |a ∪ b| of two ascending lists of distinct ids; 0 when both are empty. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const c = cooccurrenceCount(a, b);
  const union = a.length + b.length - c;
  return union === 0 ? 0 : c / union;
}

/** Interactions (ratings ≥ minRating) as CSR indexes by user and by item, rows ascending. */
export interface Interactions {
  nUsers: number;
  nItems: number;
  userPtr: Int32Array;
  userItems: Int32Array;
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  /** |U_i| for every item. */
  itemCounts: Int32Array;
}

/** The interactions of a dataset: its ratings ≥ minRating (the dataset's own CSR when all count). */
export function interactions(data: RatingDataset, minRating = 0): Interactions {
  if (Number.isNaN(minRating)) throw new Error("itemsim: minRating is NaN");
  let keep = 0;
  for (let k = 0; k < data.nRatings; k++) if (data.ratings[k] >= minRating) keep++;
  if (keep === data.nRatings) {
    return {
      nUsers: data.nUsers,
      nItems: data.nItems,
      userPtr: data.userPtr,
      userItems: data.userItems,
      itemPtr: data.itemPtr,
      itemUsers: data.itemUsers,
      itemCounts: data.itemCounts,
    };
  }
  const filter = (ptr: Int32Array, ids: Int32Array, ratings: Float32Array) => {
    const rows = ptr.length - 1;
    const outPtr = new Int32Array(rows + 1);
    const outIds = new Int32Array(keep);
    let m = 0;
    for (let r = 0; r < rows; r++) {
      for (let p = ptr[r]; p < ptr[r + 1]; p++) if (ratings[p] >= minRating) outIds[m++] = ids[p];
      outPtr[r + 1] = m;
    }
    return { ptr: outPtr, ids: outIds };
  };
  const byUser = filter(data.userPtr, data.userItems, data.userRatings);
  const byItem = filter(data.itemPtr, data.itemUsers, data.itemRatings);
  const itemCounts = new Int32Array(data.nItems);
  for (let i = 0; i < data.nItems; i++) itemCounts[i] = byItem.ptr[i + 1] - byItem.ptr[i];
  return {
    nUsers: data.nUsers,
    nItems: data.nItems,
    userPtr: byUser.ptr,
    userItems: byUser.ids,
    itemPtr: byItem.ptr,
    itemUsers: byItem.ids,
    itemCounts,
  };
}

function checkItems(data: RatingDataset, items: readonly number[], fn: string): void {
  for (const i of items) {
    if (!(i >= 0 && i < data.nItems) || !Number.isInteger(i)) {
      throw new Error(`${fn}: item index ${i} is outside 0..${data.nItems - 1} of dataset ${data.name}`);
    }
  }
}

function usersOf(x: Interactions, i: number): Int32Array {
  return x.itemUsers.subarray(x.itemPtr[i], x.itemPtr[i + 1]);
}

/**
 * Dense co-occurrence counts C(a, b) = |U_a ∩ U_b| for a handful of items (inner ids), in the
 * given order; the diagonal holds |U_a|. For heatmaps: k items cost O(k² · |U|) time.
 */
export function cooccurrenceMatrix(
  data: RatingDataset,
  items: readonly number[],
  options: { minRating?: number } = {},
): number[][] {
  checkItems(data, items, "cooccurrenceMatrix");
  const x = interactions(data, options.minRating ?? 0);
  const lists = items.map((i) => usersOf(x, i));
  return lists.map((a) => lists.map((b) => cooccurrenceCount(a, b)));
}

/** Dense Jaccard similarities J(a, b) for a handful of items (inner ids), in the given order. */
export function jaccardMatrix(
  data: RatingDataset,
  items: readonly number[],
  options: { minRating?: number } = {},
): number[][] {
  checkItems(data, items, "jaccardMatrix");
  const x = interactions(data, options.minRating ?? 0);
  const lists = items.map((i) => usersOf(x, i));
  return lists.map((a) => lists.map((b) => jaccard(a, b)));
}

// ---- the recommender ------------------------------------------------------------------------

export class ItemSimRecommender implements Recommender {
  readonly id = "itemsim";
  readonly predictsRatings = false;
  readonly minRating: number;
  readonly storage: ItemSimStorage;
  /** The storage fit chose: "dense" or "sparse" ("auto" resolved); null before fit. */
  usedStorage: "dense" | "sparse" | null = null;

  private train: RatingDataset | null = null;
  private x: Interactions | null = null;
  /** Dense symmetric nItems × nItems Jaccard matrix (row-major, float32), or null when sparse. */
  private sim: Float32Array | null = null;
  // scratch, all zero between calls
  private score = new Float64Array(0);
  private row = new Int32Array(0);
  private touched = new Int32Array(0);
  private cand = new Int32Array(0);
  private isCand = new Uint8Array(0);

  constructor(options: ItemSimOptions = {}) {
    const minRating = options.minRating ?? 0;
    if (Number.isNaN(minRating)) throw new Error("itemsim: minRating is NaN");
    const storage = options.storage ?? "auto";
    if (storage !== "auto" && storage !== "dense" && storage !== "sparse") {
      throw new Error(`itemsim: storage must be "auto", "dense" or "sparse", got ${JSON.stringify(storage)}`);
    }
    this.minRating = minRating;
    this.storage = storage;
  }

  fit(train: RatingDataset): this {
    const x = interactions(train, this.minRating);
    const n = x.nItems;
    const dense = this.storage === "dense" || (this.storage === "auto" && n * n * 4 <= DENSE_LIMIT_BYTES);
    this.sim = dense ? denseJaccard(x) : null;
    this.usedStorage = dense ? "dense" : "sparse";
    this.train = train;
    this.x = x;
    this.score = new Float64Array(n);
    this.row = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.cand = new Int32Array(n);
    this.isCand = new Uint8Array(n);
    return this;
  }

  private fitted(what: string): Interactions {
    if (this.x === null) throw new Error(`itemsim: ${what} called before fit`);
    return this.x;
  }

  private checkItem(item: number, what: string): void {
    const n = this.x!.nItems;
    if (!(item >= 0 && item < n) || !Number.isInteger(item)) {
      throw new Error(`itemsim.${what}: item index ${item} is outside 0..${n - 1}`);
    }
  }

  /** Co-occurrence count C(i, j) = |U_i ∩ U_j| in the train set (a merge of the two user lists). */
  cooccurrence(i: number, j: number): number {
    const x = this.fitted("cooccurrence");
    this.checkItem(i, "cooccurrence");
    this.checkItem(j, "cooccurrence");
    return cooccurrenceCount(usersOf(x, i), usersOf(x, j));
  }

  /** Jaccard similarity J(i, j) in the train set, rounded to float32 as the model stores it. */
  similarity(i: number, j: number): number {
    const x = this.fitted("similarity");
    this.checkItem(i, "similarity");
    this.checkItem(j, "similarity");
    if (this.sim !== null) return this.sim[i * x.nItems + j];
    return Math.fround(jaccard(usersOf(x, i), usersOf(x, j)));
  }

  /**
   * Mean Jaccard similarity of `item` to the user's items, s(u, item): a score, NOT a rating.
   * Impossible (value 0) when the user has no interactions in the train set.
   */
  predict(user: number, item: number): Prediction {
    const x = this.fitted("predict");
    checkUser(this.train!, user);
    this.checkItem(item, "predict");
    const a = x.userPtr[user];
    const b = x.userPtr[user + 1];
    if (a === b) {
      return { value: 0, impossible: true, details: "the user has no interactions in the train set" };
    }
    let s = 0;
    for (let p = a; p < b; p++) s += this.similarity(item, x.userItems[p]);
    return { value: s / (b - a), impossible: false };
  }

  /**
   * Calls visit(j, J(i, j)) for every j with C(i, j) > 0 (j = i included), in ascending j: from
   * the dense row, or (sparse) by counting C(i, ·) while walking i's users and their items.
   */
  private forRow(i: number, visit: (j: number, sim: number) => void): void {
    const x = this.x!;
    const n = x.nItems;
    const sim = this.sim;
    if (sim !== null) {
      const base = i * n;
      for (let j = 0; j < n; j++) {
        const v = sim[base + j];
        if (v !== 0) visit(j, v);
      }
      return;
    }
    const row = this.row;
    const touched = this.touched;
    const deg = x.itemCounts;
    let t = 0;
    for (let p = x.itemPtr[i]; p < x.itemPtr[i + 1]; p++) {
      const v = x.itemUsers[p];
      for (let q = x.userPtr[v]; q < x.userPtr[v + 1]; q++) {
        const j = x.userItems[q];
        if (row[j]++ === 0) touched[t++] = j;
      }
    }
    const list = touched.subarray(0, t).sort();
    const di = deg[i];
    for (let k = 0; k < t; k++) {
      const j = list[k];
      const c = row[j];
      row[j] = 0;
      visit(j, Math.fround(c / (di + deg[j] - c)));
    }
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const x = this.fitted("recommend");
    checkUser(this.train!, user);
    const heap = new TopN(n);
    const a = x.userPtr[user];
    const b = x.userPtr[user + 1];
    const m = b - a;
    if (m === 0 || n === 0) return [];
    const nItems = x.nItems;
    const items = x.userItems;
    const score = this.score;
    const sim = this.sim;

    if (sim !== null) {
      // dense: score = Σ_{i ∈ I_u} J[i, ·], four rows per pass (a quarter of the passes over `score`)
      let p = a;
      for (; p + 4 <= b; p += 4) {
        const b1 = items[p] * nItems;
        const b2 = items[p + 1] * nItems;
        const b3 = items[p + 2] * nItems;
        const b4 = items[p + 3] * nItems;
        for (let j = 0; j < nItems; j++) score[j] += sim[b1 + j] + sim[b2 + j] + (sim[b3 + j] + sim[b4 + j]);
      }
      for (; p < b; p++) {
        const b1 = items[p] * nItems;
        for (let j = 0; j < nItems; j++) score[j] += sim[b1 + j];
      }
      this.collect(heap, user, nItems, null, m, options);
      score.fill(0);
    } else {
      // sparse: one co-occurrence row per item of the user; only touched items become candidates
      const cand = this.cand;
      const isCand = this.isCand;
      let nc = 0;
      const visit = (j: number, v: number): void => {
        if (isCand[j] === 0) {
          isCand[j] = 1;
          cand[nc++] = j;
        }
        score[j] += v;
      };
      for (let p = a; p < b; p++) this.forRow(items[p], visit);
      const list = cand.subarray(0, nc).sort();
      this.collect(heap, user, nc, list, m, options);
      for (let k = 0; k < nc; k++) {
        score[list[k]] = 0;
        isCand[list[k]] = 0;
      }
    }
    return heap.result();
  }

  /** Pushes the candidates (items 0..count-1, or the ascending `list`) with a positive score, as means. */
  private collect(
    heap: TopN,
    user: number,
    count: number,
    list: Int32Array | null,
    m: number,
    options: RecommendOptions,
  ): void {
    const train = this.train!;
    const excludeSeen = options.excludeSeen ?? true;
    const exclude = options.exclude;
    const seen = train.userItems;
    let p = train.userPtr[user];
    const end = train.userPtr[user + 1];
    const score = this.score;
    for (let k = 0; k < count; k++) {
      const j = list === null ? k : list[k];
      const s = score[j];
      if (s <= 0) continue;
      // candidates ascend and the user's row is sorted by item, so one pointer finds seen items
      while (p < end && seen[p] < j) p++;
      if (excludeSeen && p < end && seen[p] === j) continue;
      if (exclude?.has(j)) continue;
      heap.push(j, s / m);
    }
  }

  /**
   * The n items most similar to `item` by Jaccard similarity, best first (ties: smaller id),
   * without the item itself and without items that never co-occur with it.
   */
  similarItems(item: number, n: number): Recommendation[] {
    this.fitted("similarItems");
    this.checkItem(item, "similarItems");
    const heap = new TopN(n);
    this.forRow(item, (j, v) => {
      if (j !== item) heap.push(j, v);
    });
    return heap.result();
  }
}

/**
 * The full symmetric Jaccard matrix, row-major float32. Co-occurrence counts are first gathered
 * in the upper triangle of the same array (every pair a < b of a user's ascending items adds 1;
 * float32 counts are exact below 2^24 users per item), then turned into similarities in place
 * and mirrored. Diagonal: 1 for items with users, 0 otherwise.
 */
function denseJaccard(x: Interactions): Float32Array {
  const n = x.nItems;
  const deg = x.itemCounts;
  if (n * n > 2 ** 31 - 1) {
    throw new Error(`itemsim: a dense ${n} × ${n} similarity matrix is too large; use storage=sparse`);
  }
  for (let i = 0; i < n; i++) {
    if (deg[i] >= 2 ** 24) throw new Error(`itemsim: item ${i} has ${deg[i]} users, too many for dense storage; use storage=sparse`);
  }
  const sim = new Float32Array(n * n);
  for (let u = 0; u < x.nUsers; u++) {
    const a = x.userPtr[u];
    const b = x.userPtr[u + 1];
    for (let p = a; p < b; p++) {
      const base = x.userItems[p] * n;
      for (let q = p + 1; q < b; q++) sim[base + x.userItems[q]]++;
    }
  }
  for (let i = 0; i < n; i++) {
    const di = deg[i];
    const base = i * n;
    sim[base + i] = di > 0 ? 1 : 0;
    for (let j = i + 1; j < n; j++) {
      const c = sim[base + j];
      if (c === 0) continue;
      const v = c / (di + deg[j] - c);
      sim[base + j] = v;
      sim[j * n + i] = v;
    }
  }
  return sim;
}
