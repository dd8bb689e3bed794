/**
 * Stoplists: items a business never wants to recommend (adult content, drug use, extremism,
 * bereavement …), found by terms in their titles, removed from training AND from every list.
 *
 * F. Kane's course "Building Recommender Systems with Machine Learning and AI" (section on
 * real-world challenges) argues for applying a stoplist before training, so that blocked items
 * neither appear in lists nor pull other items in through similarities, and for keeping it
 * simple (title keywords) while accepting its false positives: a substring match on "sex" also
 * blocks "Sexy Beast" and "Middlesex". `wholeWords` reduces those at the price of missing
 * inflections ("drugs" for "drug").
 *
 * Matching: the lower-cased title (`String.prototype.toLowerCase`, locale-independent) contains the
 * lower-cased term; terms are trimmed and must not be blank. Items without a title never match.
 */
import type { RatingDataset } from "../data/dataset";
import type { Prediction, Recommendation, RecommendOptions, Recommender } from "../model/recommender";

/**
 * A small illustrative stoplist in the spirit of the categories named in Kane's course (sexual
 * content, drug use, Nazism/extremism, terrorism). The terms are this library's choice, not a
 * list from the course; real stoplists come from a business's own policy.
 */
export const DEFAULT_STOPLIST: readonly string[] = ["sex", "drug", "nazi", "hitler", "terror", "porn"];

export interface StoplistOptions {
  /** Match terms only as whole words (bounded by non-letters/digits or the ends); default false (substring). */
  wholeWords?: boolean;
}

export interface BlockedItem {
  /** Inner item id. */
  item: number;
  title: string;
  /** The first term of the list that matched. */
  term: string;
  /** Ratings of the item in the input data (all removed). */
  ratings: number;
}

export interface StoplistResult {
  /** The input without the blocked items' ratings (inner ids kept: a `subset`). */
  data: RatingDataset;
  /** Every item whose title matched, in inner-id order. */
  blocked: BlockedItem[];
  /** Inner ids of the blocked items, for `RecommendOptions.exclude` or `StoplistRecommender`. */
  exclude: Set<number>;
  removedRatings: number;
}

/** Checks and normalises terms (trimmed, lower-cased, duplicates dropped); throws on a blank one. */
export function normaliseTerms(terms: readonly string[]): string[] {
  if (!Array.isArray(terms) || terms.length === 0) throw new Error("stoplist: give at least one term");
  const out: string[] = [];
  terms.forEach((t, k) => {
    if (typeof t !== "string" || t.trim() === "") {
      throw new Error(`stoplist: term ${k + 1} of ${terms.length} is blank (${JSON.stringify(t)}); every term needs a letter or digit`);
    }
    const x = t.trim().toLowerCase();
    if (!out.includes(x)) out.push(x);
  });
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A matcher for lower-cased titles: returns the first matching term or null. */
function matcher(terms: string[], wholeWords: boolean): (lowerTitle: string) => string | null {
  if (!wholeWords) return (title) => terms.find((t) => title.includes(t)) ?? null;
  const res = terms.map((t) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(t)}($|[^\\p{L}\\p{N}])`, "u"));
  return (title) => {
    const k = res.findIndex((re) => re.test(title));
    return k < 0 ? null : terms[k];
  };
}

/**
 * Finds the items whose title contains one of `terms` (case-insensitive; see the module comment)
 * and removes their ratings. Every item of the id map is checked, also items without ratings in
 * this (sub)set. Throws when a term is blank or when the stoplist would remove every rating.
 */
export function applyStoplist(data: RatingDataset, terms: readonly string[], options: StoplistOptions = {}): StoplistResult {
  const list = normaliseTerms(terms);
  const match = matcher(list, options.wholeWords ?? false);
  const titles = data.titles;
  const blocked: BlockedItem[] = [];
  const exclude = new Set<number>();
  for (let i = 0; i < data.nItems; i++) {
    const title = titles[i] ?? "";
    if (title === "") continue;
    const term = match(title.toLowerCase());
    if (term === null) continue;
    blocked.push({ item: i, title, term, ratings: data.itemCounts[i] });
    exclude.add(i);
  }
  const keep: number[] = [];
  for (let k = 0; k < data.nRatings; k++) if (!exclude.has(data.items[k])) keep.push(k);
  const removedRatings = data.nRatings - keep.length;
  if (keep.length === 0 && data.nRatings > 0) {
    throw new Error(`stoplist on dataset ${data.name}: the terms ${list.join(", ")} block every rated item`);
  }
  const filtered = removedRatings === 0 ? data : data.subset(Int32Array.from(keep), `${data.name} [stoplist]`);
  return { data: filtered, blocked, exclude, removedRatings };
}

/** Parses a CLI value: "default" → `DEFAULT_STOPLIST`, otherwise comma-separated terms. */
export function parseStoplist(value: string): string[] {
  if (value.trim().toLowerCase() === "default") return DEFAULT_STOPLIST.slice();
  return normaliseTerms(value.split(","));
}

/**
 * Wraps a model so that the items in `exclude` never appear in its lists, whatever the model does
 * with `RecommendOptions.exclude`: the set (joined with any `exclude` of the call) is passed on, the model is asked for n + |set|
 * items, and any excluded item still returned is dropped before cutting to n. `fit` and `predict`
 * are the wrapped model's; `id` and `predictsRatings` too.
 */
export class StoplistRecommender implements Recommender {
  readonly id: string;
  readonly predictsRatings: boolean;

  constructor(
    readonly inner: Recommender,
    readonly exclude: ReadonlySet<number>,
  ) {
    this.id = inner.id;
    this.predictsRatings = inner.predictsRatings;
  }

  fit(train: RatingDataset): this {
    this.inner.fit(train);
    return this;
  }

  predict(user: number, item: number): Prediction {
    return this.inner.predict(user, item);
  }

  recommend(user: number, n: number, options: RecommendOptions = {}): Recommendation[] {
    const ex = this.exclude;
    let merged: ReadonlySet<number> = ex;
    if (options.exclude && options.exclude.size > 0) {
      const s = new Set<number>(ex);
      options.exclude.forEach((i) => s.add(i));
      merged = s;
    }
    const recs = this.inner.recommend(user, n + merged.size, { ...options, exclude: merged });
    const out: Recommendation[] = [];
    for (const r of recs) {
      if (merged.has(r.item)) continue;
      out.push(r);
      if (out.length === n) break;
    }
    return out;
  }
}
