/**
 * Item–item cosine similarity computed on demand for single pairs (for diversity), straight from
 * the dataset's CSR-by-item rows: no items × items matrix is ever built. Each pair costs one merge
 * of two sorted user lists, O(|U_i| + |U_j|), and is cached.
 *
 * - "cosine" (default): cos(i, j) = Σ_{u ∈ U_i ∩ U_j} r_ui·r_uj / (‖r_i‖·‖r_j‖), the cosine of the
 *   two full item rating vectors (missing ratings are zeros), e.g. Sarwar et al. 2001,
 *   "Item-based collaborative filtering recommendation algorithms", WWW.
 * - "cosine-common": the same numerator, but both norms are taken over the common users only,
 *   sim = Σ r_ui·r_uj / (sqrt(Σ_{U_i∩U_j} r_ui²)·sqrt(Σ_{U_i∩U_j} r_uj²)), and 0 without common
 *   users. This is Surprise's `cosine` (https://surprise.readthedocs.io/en/stable/similarities.html),
 *   which the course's diversity used (KNNBaseline, item-based); with positive ratings it is close
 *   to 1 for most pairs, hence the course's very low diversity values.
 */
import type { RatingDataset } from "../data/dataset";
import type { ItemSimilarity } from "../metrics/diversity";

export type CosineKind = "cosine" | "cosine-common";

export function itemCosine(data: RatingDataset, kind: CosineKind = "cosine"): ItemSimilarity {
  if (kind !== "cosine" && kind !== "cosine-common") throw new Error(`itemCosine: unknown kind ${JSON.stringify(kind)}`);
  const nItems = data.nItems;
  const ptr = data.itemPtr;
  const us = data.itemUsers;
  const rs = data.itemRatings;
  const norms = new Float64Array(nItems);
  if (kind === "cosine") {
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) s += rs[p] * rs[p];
      norms[i] = Math.sqrt(s);
    }
  }
  const cache = new Map<number, number>();
  return (i: number, j: number): number => {
    if (!(i >= 0 && i < nItems && j >= 0 && j < nItems)) {
      throw new Error(`itemCosine: item ${i < 0 || i >= nItems ? i : j} is outside 0..${nItems - 1}`);
    }
    const a = i < j ? i : j;
    const b = i < j ? j : i;
    const key = a * nItems + b;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    let p = ptr[a];
    const pe = ptr[a + 1];
    let q = ptr[b];
    const qe = ptr[b + 1];
    let dot = 0;
    let na = 0;
    let nb = 0;
    while (p < pe && q < qe) {
      const ua = us[p];
      const ub = us[q];
      if (ua < ub) p++;
      else if (ua > ub) q++;
      else {
        const x = rs[p++];
        const y = rs[q++];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
    }
    let sim: number;
    if (kind === "cosine") {
      const d = norms[a] * norms[b];
      sim = d > 0 ? dot / d : 0;
    } else {
      sim = na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
    }
    cache.set(key, sim);
    return sim;
  };
}
