/**
 * The two CSR views a similarity computation walks, with the values the chosen measure compares.
 *
 * The "entities" are the things being compared (users for user–user, items for item–item); the
 * "others" are what they are compared over (items, resp. users). `E` lists each entity's ratings
 * (sorted by other id), `O` lists each other's ratings (sorted by entity id). Both carry the same
 * per-rating value, transformed for the measure (see measures.ts):
 *
 * - cosine, pearson, msd, jaccard: the rating itself;
 * - adjusted_cosine: r_ui minus the mean rating of the OTHER (the user for item–item, the item for
 *   user–user);
 * - pearson_baseline: r_ui − (μ + b_u + b_i);
 * - spearman: the rank of r_ui within its ENTITY's rating vector (1 = lowest, ties averaged).
 *
 * Values are float64 so the kernels see one array type (monomorphic, fast) and sums stay exact for
 * whole and half stars.
 */
import type { RatingDataset } from "../data/dataset";
import { fitBaselinesALS } from "../baseline/baselines";
import type { ResolvedSimilarityOptions } from "./measures";

export interface CsrSide {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

export interface PreparedSides {
  /** Number of entities. */
  n: number;
  /** Number of others. */
  nOther: number;
  /** Entity rows: the others each entity rated, with values. */
  E: CsrSide;
  /** Other rows: the entities that rated each other, with values. */
  O: CsrSide;
}

export function prepareSides(data: RatingDataset, o: ResolvedSimilarityOptions): PreparedSides {
  if (data.nRatings === 0) throw new Error(`similarity: dataset ${data.name} has no ratings`);
  for (let k = 0; k < data.nRatings; k++) {
    if (!Number.isFinite(data.ratings[k])) {
      throw new Error(`similarity: rating ${k} of dataset ${data.name} is ${data.ratings[k]}, not a finite number`);
    }
  }
  const ub = o.userBased;
  const ePtr = ub ? data.userPtr : data.itemPtr;
  const eIdx = ub ? data.userItems : data.itemUsers;
  const eEntry = ub ? data.userEntry : data.itemEntry;
  const oPtr = ub ? data.itemPtr : data.userPtr;
  const oIdx = ub ? data.itemUsers : data.userItems;
  const oEntry = ub ? data.itemEntry : data.userEntry;
  const n = ub ? data.nUsers : data.nItems;
  const nOther = ub ? data.nItems : data.nUsers;

  // t[k]: the value of rating k for this measure
  let t: Float64Array;
  switch (o.measure) {
    case "adjusted_cosine": {
      const means = ub ? data.itemMeans() : data.userMeans();
      const other = ub ? data.items : data.users;
      t = new Float64Array(data.nRatings);
      for (let k = 0; k < t.length; k++) t[k] = data.ratings[k] - means[other[k]];
      break;
    }
    case "pearson_baseline": {
      const b = o.baselines ?? fitBaselinesALS(data);
      if (b.bu.length !== data.nUsers || b.bi.length !== data.nItems) {
        throw new Error(
          `similarity: baselines are for ${b.bu.length} users × ${b.bi.length} items, dataset ${data.name} has ${data.nUsers} × ${data.nItems}`,
        );
      }
      t = new Float64Array(data.nRatings);
      for (let k = 0; k < t.length; k++) t[k] = data.ratings[k] - (b.mu + b.bu[data.users[k]] + b.bi[data.items[k]]);
      break;
    }
    case "spearman":
      t = entityRanks(data.ratings, ePtr, eEntry);
      break;
    default:
      t = Float64Array.from(data.ratings);
  }
  const eVal = new Float64Array(data.nRatings);
  const oVal = new Float64Array(data.nRatings);
  for (let p = 0; p < eVal.length; p++) eVal[p] = t[eEntry[p]];
  for (let p = 0; p < oVal.length; p++) oVal[p] = t[oEntry[p]];
  return { n, nOther, E: { ptr: ePtr, idx: eIdx, val: eVal }, O: { ptr: oPtr, idx: oIdx, val: oVal } };
}

/**
 * Rank of every rating within its row (1 = lowest; tied values share the mean of their ranks),
 * indexed by rating index k. `entry[p]` is the rating index of CSR position p.
 */
export function entityRanks(ratings: Float32Array, ptr: Int32Array, entry: Int32Array): Float64Array {
  const out = new Float64Array(ratings.length);
  const order: number[] = [];
  for (let e = 0; e + 1 < ptr.length; e++) {
    order.length = 0;
    for (let p = ptr[e]; p < ptr[e + 1]; p++) order.push(entry[p]);
    order.sort((a, b) => ratings[a] - ratings[b]);
    for (let s = 0; s < order.length; ) {
      let t = s + 1;
      while (t < order.length && ratings[order[t]] === ratings[order[s]]) t++;
      const rank = (s + 1 + t) / 2; // mean of ranks s+1 .. t
      for (let m = s; m < t; m++) out[order[m]] = rank;
      s = t;
    }
  }
  return out;
}
