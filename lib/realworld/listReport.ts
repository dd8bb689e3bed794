/**
 * A report on a fitted model's top-n lists against a GIVEN set of held-out ratings: the hit-rate
 * family (Deshpande & Karypis 2004, "Item-based top-N recommendation algorithms", ACM TOIS 22(1))
 * together with the list properties of F. Kane's course ("Building Recommender Systems with
 * Machine Learning and AI": catalogue coverage, novelty as mean popularity rank) and a count of
 * the listed items that belong to a MARKED group (new releases, cold items, blocked titles …).
 *
 * `evaluate` draws its own split for every call, so it cannot compare variants that train on
 * different data (a stoplisted train set, a wrapper that changes the lists): their held-out
 * ratings would differ, and with a dozen hits per run the split alone moves the hit rate. Here
 * the caller makes one split, fits every variant on (a version of) its train part, and reports
 * each on the same held-out ratings and the same users:
 *
 *   HR   = #hits / #held-out ratings of the report's users
 *   ARHR = (1 / #held-out) · Σ_hits 1 / rank
 *   catalogue coverage = |∪_u L_u| / nItems,   novelty = mean popularity rank of the listed items
 *   marked = Σ_u |{i ∈ L_u : mark(i)}|,  listsWithMarked = share of the users whose list holds one
 *
 * Lists come from `topNLists` (seen items excluded; `minScore` applies to rating predictors only).
 */
import type { RatingDataset } from "../data/dataset";
import type { Recommender } from "../model/recommender";
import { type LeftOut, arhr, hitRanks } from "../metrics/hits";
import { type TopNLists, topNLists } from "../metrics/topn";
import { catalogCoverage } from "../metrics/coverage";
import { novelty } from "../metrics/novelty";

export interface ListReportOptions {
  /** List length (default 10). */
  n?: number;
  /**
   * Users to build lists for and to count held-out ratings of (inner ids). Default: every user
   * with a held-out rating in `heldOut`.
   */
  users?: Iterable<number>;
  /** Minimum predicted rating of a listed item, for rating predictors only (default: none). */
  minScore?: number;
  /** The marked group: listed items for which this returns true are counted (default: none). */
  mark?: (item: number) => boolean;
}

export interface ListReport {
  /** Users with a list. */
  users: number;
  /** Held-out ratings of those users. */
  heldOut: number;
  hits: number;
  hr: number;
  arhr: number;
  /** Hits per 1-based rank: `hitsAtRank[r - 1]` hits at rank r. */
  hitsAtRank: number[];
  catalogCoverage: number;
  /** Mean popularity rank in `reference` of the listed items (NaN when every list is empty). */
  novelty: number;
  /** Listed items (counted once per list they are in) that are marked. */
  marked: number;
  /** Distinct marked items listed to anyone. */
  distinctMarked: number;
  /** Share of the users whose list holds at least one marked item. */
  listsWithMarked: number;
  lists: TopNLists;
}

/**
 * Fitted `model`'s top-n lists for the users, scored against `heldOut` (e.g. `split.test` of a
 * `leaveOneOut` split); `reference` gives the catalogue size and popularity ranks (usually the
 * full dataset). Throws when no chosen user has a held-out rating or a user id is out of range.
 */
export function listReport(
  model: Pick<Recommender, "recommend" | "predictsRatings">,
  heldOut: RatingDataset,
  reference: RatingDataset,
  options: ListReportOptions = {},
): ListReport {
  const n = options.n ?? 10;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`listReport: n must be an integer ≥ 1, got ${n}`);
  if (heldOut.nItems !== reference.nItems) {
    throw new Error(`listReport: held-out set ${heldOut.name} has ${heldOut.nItems} items but reference ${reference.name} has ${reference.nItems}`);
  }
  let users: number[];
  if (options.users === undefined) {
    users = [];
    for (let u = 0; u < heldOut.nUsers; u++) if (heldOut.userCount(u) > 0) users.push(u);
  } else {
    users = Array.from(new Set(options.users)).sort((a, b) => a - b);
    for (const u of users) {
      if (!(Number.isInteger(u) && u >= 0 && u < heldOut.nUsers)) throw new Error(`listReport: user ${u} is outside 0..${heldOut.nUsers - 1}`);
    }
  }
  const chosen = new Uint8Array(heldOut.nUsers);
  for (const u of users) chosen[u] = 1;
  const keep: number[] = [];
  for (let k = 0; k < heldOut.nRatings; k++) if (chosen[heldOut.users[k]]) keep.push(k);
  if (keep.length === 0) throw new Error(`listReport: none of the ${users.length} users has a held-out rating in ${heldOut.name}`);
  const left: LeftOut = {
    users: Int32Array.from(keep, (k) => heldOut.users[k]),
    items: Int32Array.from(keep, (k) => heldOut.items[k]),
    ratings: Float32Array.from(keep, (k) => heldOut.ratings[k]),
  };
  const lists = topNLists(model, users, n, { minScore: options.minScore });
  const ranks = hitRanks(lists, left);
  const hitsAtRank = new Array<number>(n).fill(0);
  let hits = 0;
  for (const r of ranks) {
    if (r > 0) {
      hits++;
      hitsAtRank[r - 1]++;
    }
  }
  const mark = options.mark;
  let marked = 0;
  let withMarked = 0;
  let listed = 0;
  const distinct = new Set<number>();
  for (const list of lists.values()) {
    let any = false;
    for (const r of list) {
      listed++;
      if (mark && mark(r.item)) {
        marked++;
        distinct.add(r.item);
        any = true;
      }
    }
    if (any) withMarked++;
  }
  return {
    users: users.length,
    heldOut: keep.length,
    hits,
    hr: hits / keep.length,
    arhr: arhr(lists, left),
    hitsAtRank,
    catalogCoverage: catalogCoverage(lists, reference.nItems),
    novelty: listed > 0 ? novelty(lists, reference.popularityRank) : NaN,
    marked,
    distinctMarked: distinct.size,
    listsWithMarked: users.length > 0 ? withMarked / users.length : 0,
    lists,
  };
}
