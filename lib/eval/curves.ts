/**
 * Precision–recall curves of top-N lists: precision, recall and F1 at every cut-off N = 1..maxN,
 * each averaged over the same users, in one pass over the lists.
 *
 * For a user u with relevant set R_u and ranked list L_u, let h_u(N) = |L_u[1..N] ∩ R_u| be the
 * hits among the first N recommendations. Then, as in `lib/metrics/ranking`:
 *
 *   P@N = (1/|U|) Σ_u h_u(N) / N
 *   R@N = (1/|U|) Σ_u h_u(N) / |R_u|
 *   F1@N = (1/|U|) Σ_u 2·p_u·r_u / (p_u + r_u)   (0 for a user with p_u = r_u = 0)
 *
 * where U is the set of users with at least one relevant item (users with none are skipped and
 * counted). Point N equals `rankingMetrics(lists, relevant, N)` for precision, recall and F1, but
 * the whole curve costs O(Σ_u min(maxN, |L_u|)) instead of maxN separate passes.
 * Plotting P@N against R@N for N = 1, 2, … gives the precision–recall curve of a recommender
 * (Herlocker et al. 2004, "Evaluating collaborative filtering recommender systems", ACM TOIS
 * 22(1), §4.2; Cremonesi, Koren & Turrin 2010, "Performance of recommender algorithms on top-N
 * recommendation tasks", RecSys, which plots precision against recall at N = 1..20).
 */
import type { TopNLists } from "../metrics/topn";

export interface CurvePoint {
  /** The cut-off N. */
  n: number;
  /** Mean precision@N over the users with a relevant item. */
  precision: number;
  /** Mean recall@N over the same users. */
  recall: number;
  /** Mean of the per-user F1@N (not the F1 of the mean precision and recall). */
  f1: number;
  /** Users averaged (those with at least one relevant item). */
  users: number;
  /** Users with test ratings but no relevant item, left out of the means. */
  skipped: number;
}

/**
 * Precision, recall and F1 at N = 1..maxN (see the module comment), one point per N.
 * A user without a list is scored on an empty list (zero hits). Throws when maxN is not an
 * integer ≥ 1, when a list holds an item twice, or when no user has a relevant item.
 */
export function precisionRecallCurve(
  lists: TopNLists,
  relevant: ReadonlyMap<number, ReadonlySet<number>>,
  maxN = 10,
): CurvePoint[] {
  if (!(Number.isInteger(maxN) && maxN >= 1)) throw new Error(`precisionRecallCurve: maxN must be an integer ≥ 1, got ${maxN}`);
  const p = new Float64Array(maxN);
  const r = new Float64Array(maxN);
  const f = new Float64Array(maxN);
  let users = 0;
  let skipped = 0;
  for (const [u, rel] of relevant) {
    if (rel.size === 0) {
      skipped++;
      continue;
    }
    users++;
    const list = lists.get(u) ?? [];
    const m = Math.min(maxN, list.length);
    let h = 0;
    for (let n = 1; n <= maxN; n++) {
      if (n <= m) {
        const item = list[n - 1].item;
        for (let q = 0; q < n - 1; q++) {
          if (list[q].item === item) throw new Error(`precisionRecallCurve: the list of user ${u} holds item ${item} twice`);
        }
        if (rel.has(item)) h++;
      }
      const pu = h / n;
      const ru = h / rel.size;
      p[n - 1] += pu;
      r[n - 1] += ru;
      f[n - 1] += h === 0 ? 0 : (2 * pu * ru) / (pu + ru);
    }
  }
  if (users === 0) throw new Error(`precisionRecallCurve: none of the ${skipped} users has a relevant item`);
  const out: CurvePoint[] = [];
  for (let n = 1; n <= maxN; n++) {
    out.push({ n, precision: p[n - 1] / users, recall: r[n - 1] / users, f1: f[n - 1] / users, users, skipped });
  }
  return out;
}
