/**
 * `RatingDataset`: the compact form of explicit-feedback data that every algorithm consumes.
 *
 * - Users and items get contiguous inner ids 0..n-1; `userIds[u]` / `itemIds[i]` give the raw ids
 *   (as strings, exactly as in the source file) and `innerUser(raw)` / `innerItem(raw)` go back.
 * - Ratings are kept as parallel typed arrays (`users`, `items`, `ratings`, `timestamps`), in the
 *   order of the source, plus two CSR (compressed sparse row) indexes: by user (each row sorted by
 *   item) and by item (each row sorted by user). Memory is O(ratings); nothing is users × items.
 * - A train/test split is a pair of `subset`s: they share the parent's id maps and item metadata,
 *   so inner ids mean the same thing in the parent, the train set and the test set.
 */

export interface ItemMetadata {
  /** Title of each item by inner id ("" when unknown). */
  titles?: string[];
  /** Names of the genre flags, e.g. the 19 of MovieLens 100K. */
  genreNames?: string[];
  /** Genre flags, row-major nItems × genreNames.length (1 = item has the genre). */
  genres?: Uint8Array;
  /** Release year by inner id (NaN when unknown). */
  years?: Float64Array;
}

export interface RatingDatasetInit extends ItemMetadata {
  name: string;
  /** Raw user id of each inner user id. */
  userIds: string[];
  /** Raw item id of each inner item id. */
  itemIds: string[];
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  /** Seconds since the Unix epoch; omitted or NaN when the data has no times. */
  timestamps?: Float64Array;
  /** [min, max] of the rating scale; defaults to the observed min and max. */
  ratingScale?: [number, number];
}

/** Shared, immutable parts of a family of datasets (a parent and its subsets). */
interface Shared {
  userIds: string[];
  itemIds: string[];
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  titles: string[];
  genreNames: string[];
  genres: Uint8Array;
  years: Float64Array;
  ratingScale: [number, number];
}

export class RatingDataset {
  readonly name: string;
  readonly nUsers: number;
  readonly nItems: number;
  readonly nRatings: number;

  /** Rating k is (users[k], items[k], ratings[k], timestamps[k]). */
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  readonly timestamps: Float64Array;

  /** CSR by user: the ratings of user u are at positions userPtr[u] .. userPtr[u+1]-1. */
  readonly userPtr: Int32Array;
  readonly userItems: Int32Array;
  readonly userRatings: Float32Array;
  /** Index k (into users/items/ratings) of each CSR-by-user entry. */
  readonly userEntry: Int32Array;

  /** CSR by item: the ratings of item i are at positions itemPtr[i] .. itemPtr[i+1]-1. */
  readonly itemPtr: Int32Array;
  readonly itemUsers: Int32Array;
  readonly itemRatings: Float32Array;
  readonly itemEntry: Int32Array;

  /** Mean of all ratings in this dataset (NaN when empty). */
  readonly globalMean: number;
  /** Number of ratings of each item in this dataset. */
  readonly itemCounts: Int32Array;
  /** 1 = most-rated item; ties broken by inner id. */
  readonly popularityRank: Int32Array;

  /** For a subset: the index of each rating in the parent dataset. */
  readonly parentIndex: Int32Array | null;

  private readonly shared: Shared;

  constructor(init: RatingDatasetInit);
  /** @internal used by `subset` */
  constructor(init: RatingDatasetInit, shared: Shared, parentIndex: Int32Array);
  constructor(init: RatingDatasetInit, shared?: Shared, parentIndex?: Int32Array) {
    const { users, items, ratings } = init;
    const n = ratings.length;
    if (users.length !== n || items.length !== n) {
      throw new Error(
        `dataset ${init.name}: users, items and ratings must have the same length (got ${users.length}, ${items.length}, ${n})`,
      );
    }
    const nUsers = init.userIds.length;
    const nItems = init.itemIds.length;
    const timestamps = init.timestamps ?? new Float64Array(n).fill(NaN);
    if (timestamps.length !== n) {
      throw new Error(`dataset ${init.name}: timestamps has length ${timestamps.length}, expected ${n}`);
    }
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const u = users[k];
      const i = items[k];
      const r = ratings[k];
      if (!(u >= 0 && u < nUsers) || !Number.isInteger(u)) {
        throw new Error(`dataset ${init.name}: rating ${k} has user index ${u} outside 0..${nUsers - 1}`);
      }
      if (!(i >= 0 && i < nItems) || !Number.isInteger(i)) {
        throw new Error(`dataset ${init.name}: rating ${k} has item index ${i} outside 0..${nItems - 1}`);
      }
      if (!Number.isFinite(r)) {
        throw new Error(
          `dataset ${init.name}: rating ${k} (user ${init.userIds[u]}, item ${init.itemIds[i]}) is ${r}, not a number`,
        );
      }
      if (r < lo) lo = r;
      if (r > hi) hi = r;
      sum += r;
    }

    this.name = init.name;
    this.nUsers = nUsers;
    this.nItems = nItems;
    this.nRatings = n;
    this.users = users;
    this.items = items;
    this.ratings = ratings;
    this.timestamps = timestamps;
    this.parentIndex = parentIndex ?? null;
    this.globalMean = n > 0 ? sum / n : NaN;

    if (shared) {
      this.shared = shared;
    } else {
      const scale = init.ratingScale ?? (n > 0 ? ([lo, hi] as [number, number]) : ([0, 0] as [number, number]));
      if (n > 0 && (lo < scale[0] || hi > scale[1])) {
        throw new Error(
          `dataset ${init.name}: ratings range from ${lo} to ${hi}, outside the declared scale [${scale[0]}, ${scale[1]}]`,
        );
      }
      const genreNames = init.genreNames ?? [];
      const genres = init.genres ?? new Uint8Array(nItems * genreNames.length);
      if (genres.length !== nItems * genreNames.length) {
        throw new Error(`dataset ${init.name}: genres must have nItems × nGenres = ${nItems * genreNames.length} entries`);
      }
      this.shared = {
        userIds: init.userIds,
        itemIds: init.itemIds,
        userIndex: indexOf(init.userIds, "user", init.name),
        itemIndex: indexOf(init.itemIds, "item", init.name),
        titles: init.titles ?? new Array<string>(nItems).fill(""),
        genreNames,
        genres,
        years: init.years ?? new Float64Array(nItems).fill(NaN),
        ratingScale: scale,
      };
    }

    // CSR by item (stable: ratings of an item keep source order), then CSR by user built by walking
    // the item index in item order, so every user row comes out sorted by item; then the item index
    // is rebuilt from the user index so every item row is sorted by user.
    const itemCounts = new Int32Array(nItems);
    for (let k = 0; k < n; k++) itemCounts[items[k]]++;
    const byItem = csrOrder(items, nItems, itemCounts);
    const userCounts = new Int32Array(nUsers);
    for (let k = 0; k < n; k++) userCounts[users[k]]++;
    const userPtr = prefix(userCounts);
    const fill = userPtr.slice(0, nUsers);
    const userEntry = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const k = byItem[p];
      userEntry[fill[users[k]]++] = k;
    }
    const userItems = new Int32Array(n);
    const userRatings = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const k = userEntry[p];
      userItems[p] = items[k];
      userRatings[p] = ratings[k];
    }
    for (let u = 0; u < nUsers; u++) {
      for (let p = userPtr[u] + 1; p < userPtr[u + 1]; p++) {
        if (userItems[p] === userItems[p - 1]) {
          throw new Error(
            `dataset ${init.name}: user ${this.shared.userIds[u]} rated item ${this.shared.itemIds[userItems[p]]} more than once (ratings ${userEntry[p - 1]} and ${userEntry[p]})`,
          );
        }
      }
    }
    const itemPtr = prefix(itemCounts);
    const ifill = itemPtr.slice(0, nItems);
    const itemEntry = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const k = userEntry[p];
      itemEntry[ifill[items[k]]++] = k;
    }
    const itemUsers = new Int32Array(n);
    const itemRatings = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const k = itemEntry[p];
      itemUsers[p] = users[k];
      itemRatings[p] = ratings[k];
    }
    this.userPtr = userPtr;
    this.userItems = userItems;
    this.userRatings = userRatings;
    this.userEntry = userEntry;
    this.itemPtr = itemPtr;
    this.itemUsers = itemUsers;
    this.itemRatings = itemRatings;
    this.itemEntry = itemEntry;
    this.itemCounts = itemCounts;

    const order = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
    const rank = new Int32Array(nItems);
    order.forEach((item, r) => (rank[item] = r + 1));
    this.popularityRank = rank;
  }

  // ---- ids -------------------------------------------------------------------------------------

  get userIds(): readonly string[] {
    return this.shared.userIds;
  }
  get itemIds(): readonly string[] {
    return this.shared.itemIds;
  }
  /** Inner id of a raw user id; throws an error naming the id if it is unknown. */
  innerUser(raw: string | number): number {
    const u = this.shared.userIndex.get(String(raw));
    if (u === undefined) throw new Error(`unknown user id ${JSON.stringify(String(raw))} in dataset ${this.name}`);
    return u;
  }
  /** Inner id of a raw item id; throws an error naming the id if it is unknown. */
  innerItem(raw: string | number): number {
    const i = this.shared.itemIndex.get(String(raw));
    if (i === undefined) throw new Error(`unknown item id ${JSON.stringify(String(raw))} in dataset ${this.name}`);
    return i;
  }
  hasUser(raw: string | number): boolean {
    return this.shared.userIndex.has(String(raw));
  }
  hasItem(raw: string | number): boolean {
    return this.shared.itemIndex.has(String(raw));
  }

  // ---- item metadata ---------------------------------------------------------------------------

  get titles(): readonly string[] {
    return this.shared.titles;
  }
  title(item: number): string {
    return this.shared.titles[item] || `item ${this.shared.itemIds[item]}`;
  }
  get genreNames(): readonly string[] {
    return this.shared.genreNames;
  }
  /** Row-major nItems × nGenres genre flags. */
  get genres(): Uint8Array {
    return this.shared.genres;
  }
  /** Genre flags of one item (a view, not a copy). */
  itemGenres(item: number): Uint8Array {
    const g = this.shared.genreNames.length;
    return this.shared.genres.subarray(item * g, (item + 1) * g);
  }
  get years(): Float64Array {
    return this.shared.years;
  }
  get ratingScale(): [number, number] {
    return this.shared.ratingScale;
  }
  get hasTimestamps(): boolean {
    return this.nRatings > 0 && !Number.isNaN(this.timestamps[0]);
  }

  // ---- access ----------------------------------------------------------------------------------

  /** Number of ratings of user u. */
  userCount(u: number): number {
    return this.userPtr[u + 1] - this.userPtr[u];
  }
  /** The items a user rated (sorted) and the ratings, as views into the CSR arrays. */
  userRow(u: number): { items: Int32Array; ratings: Float32Array } {
    const a = this.userPtr[u];
    const b = this.userPtr[u + 1];
    return { items: this.userItems.subarray(a, b), ratings: this.userRatings.subarray(a, b) };
  }
  /** The users who rated an item (sorted) and their ratings, as views. */
  itemRow(i: number): { users: Int32Array; ratings: Float32Array } {
    const a = this.itemPtr[i];
    const b = this.itemPtr[i + 1];
    return { users: this.itemUsers.subarray(a, b), ratings: this.itemRatings.subarray(a, b) };
  }
  /** The rating user u gave item i, or NaN if there is none (binary search in the user's row). */
  rating(u: number, i: number): number {
    let lo = this.userPtr[u];
    let hi = this.userPtr[u + 1] - 1;
    const items = this.userItems;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = items[mid];
      if (x === i) return this.userRatings[mid];
      if (x < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return NaN;
  }
  hasRated(u: number, i: number): boolean {
    return !Number.isNaN(this.rating(u, i));
  }
  /** Mean rating of each user (NaN for a user with no ratings here). */
  userMeans(): Float64Array {
    const m = new Float64Array(this.nUsers);
    for (let u = 0; u < this.nUsers; u++) {
      let s = 0;
      for (let p = this.userPtr[u]; p < this.userPtr[u + 1]; p++) s += this.userRatings[p];
      m[u] = s / (this.userPtr[u + 1] - this.userPtr[u]);
    }
    return m;
  }
  /** Mean rating of each item (NaN for an item with no ratings here). */
  itemMeans(): Float64Array {
    const m = new Float64Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) {
      let s = 0;
      for (let p = this.itemPtr[i]; p < this.itemPtr[i + 1]; p++) s += this.itemRatings[p];
      m[i] = s / (this.itemPtr[i + 1] - this.itemPtr[i]);
    }
    return m;
  }
  /** Share of the users × items matrix that holds a rating. */
  get density(): number {
    return this.nUsers * this.nItems === 0 ? 0 : this.nRatings / (this.nUsers * this.nItems);
  }

  /**
   * A dataset over a subset of this one's ratings (`indices` into users/items/ratings). Inner ids,
   * id maps, item metadata and the rating scale are shared with this dataset; CSR indexes, counts
   * and the global mean are those of the subset.
   */
  subset(indices: Int32Array, name = `${this.name} (subset)`): RatingDataset {
    const m = indices.length;
    const users = new Int32Array(m);
    const items = new Int32Array(m);
    const ratings = new Float32Array(m);
    const timestamps = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const k = indices[j];
      if (!(k >= 0 && k < this.nRatings)) throw new Error(`subset of ${this.name}: index ${k} out of range`);
      users[j] = this.users[k];
      items[j] = this.items[k];
      ratings[j] = this.ratings[k];
      timestamps[j] = this.timestamps[k];
    }
    const parent = this.parentIndex;
    const pidx = parent ? Int32Array.from(indices, (k) => parent[k]) : Int32Array.from(indices);
    return new RatingDataset(
      { name, userIds: this.shared.userIds, itemIds: this.shared.itemIds, users, items, ratings, timestamps },
      this.shared,
      pidx,
    );
  }

  /** A short human-readable summary. */
  toString(): string {
    return `${this.name}: ${this.nRatings} ratings, ${this.nUsers} users, ${this.nItems} items, density ${(100 * this.density).toFixed(2)}%`;
  }
}

function indexOf(ids: string[], what: string, name: string): Map<string, number> {
  const m = new Map<string, number>();
  ids.forEach((id, k) => {
    if (m.has(id)) throw new Error(`dataset ${name}: ${what} id ${JSON.stringify(id)} appears twice in the id list`);
    m.set(id, k);
  });
  return m;
}

function prefix(counts: Int32Array): Int32Array {
  const ptr = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) ptr[i + 1] = ptr[i] + counts[i];
  return ptr;
}

/** Indices 0..n-1 ordered by key (counting sort, stable). */
function csrOrder(keys: Int32Array, nKeys: number, counts: Int32Array): Int32Array {
  const ptr = prefix(counts);
  const out = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) out[ptr[keys[k]]++] = k;
  return out;
}

/**
 * Builds a dataset from raw (user, item, rating[, timestamp]) triples, assigning inner ids in
 * sorted raw-id order (numeric order when every id is a number, otherwise string order), so the
 * same file always gives the same inner ids.
 */
export function fromTriples(
  name: string,
  rawUsers: ArrayLike<string>,
  rawItems: ArrayLike<string>,
  ratings: Float32Array,
  options: {
    timestamps?: Float64Array;
    ratingScale?: [number, number];
    /** Item metadata keyed by raw item id; items without ratings are not kept. */
    itemMeta?: {
      titles?: Map<string, string>;
      genreNames?: string[];
      genres?: Map<string, Uint8Array>;
      years?: Map<string, number>;
    };
  } = {},
): RatingDataset {
  const n = ratings.length;
  if (n === 0) throw new Error(`dataset ${name} is empty: no ratings`);
  const userIds = sortedUnique(rawUsers);
  const itemIds = sortedUnique(rawItems);
  const uIndex = new Map(userIds.map((id, k) => [id, k] as [string, number]));
  const iIndex = new Map(itemIds.map((id, k) => [id, k] as [string, number]));
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    users[k] = uIndex.get(rawUsers[k])!;
    items[k] = iIndex.get(rawItems[k])!;
  }
  const meta = options.itemMeta;
  const init: RatingDatasetInit = {
    name,
    userIds,
    itemIds,
    users,
    items,
    ratings,
    timestamps: options.timestamps,
    ratingScale: options.ratingScale,
  };
  if (meta?.titles) init.titles = itemIds.map((id) => meta.titles!.get(id) ?? "");
  if (meta?.years) init.years = Float64Array.from(itemIds, (id) => meta.years!.get(id) ?? NaN);
  if (meta?.genreNames) {
    const g = meta.genreNames.length;
    const flags = new Uint8Array(itemIds.length * g);
    itemIds.forEach((id, i) => {
      const row = meta.genres?.get(id);
      if (row) flags.set(row.subarray(0, g), i * g);
    });
    init.genreNames = meta.genreNames;
    init.genres = flags;
  }
  return new RatingDataset(init);
}

function sortedUnique(ids: ArrayLike<string>): string[] {
  const set = new Set<string>();
  for (let k = 0; k < ids.length; k++) set.add(ids[k]);
  const out = Array.from(set);
  const numeric = out.every((s) => /^-?\d+(\.\d+)?$/.test(s));
  return numeric ? out.sort((a, b) => Number(a) - Number(b)) : out.sort();
}
