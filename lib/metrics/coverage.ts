/**
 * Coverage of a set of top-N lists.
 * - User coverage: Kane's course ("Building Recommender Systems with Machine Learning and AI",
 *   `RecommenderMetrics.UserCoverage`).
 * - Catalogue coverage: Herlocker et al. 2004 ("Evaluating collaborative filtering recommender
 *   systems", ACM TOIS 22(1), §5: coverage of the item space); Ge, Delgado-Battenfeld & Jannach
 *   2010 ("Beyond accuracy", RecSys) call it catalog coverage.
 */
import type { TopNLists } from "./topn";

/**
 * User coverage = #{users u whose list holds at least one item with score ≥ threshold} / nUsers.
 *
 * Reading of the course: it builds top-10 lists for every user from a model fitted on the full
 * data (only predicted ratings ≥ 4.0 enter a list), then divides the number of users with a
 * recommendation predicted ≥ 4.0 by the total number of users (`n_users`), so users the model
 * cannot serve count against it. Here `nUsers` is that denominator; users absent from `lists`
 * count as uncovered. The default threshold −∞ counts any non-empty list (use it for rankers,
 * whose scores are not ratings).
 */
export function userCoverage(lists: TopNLists, nUsers: number, threshold = -Infinity): number {
  if (!(Number.isInteger(nUsers) && nUsers >= 1)) throw new Error(`userCoverage: nUsers must be an integer ≥ 1, got ${nUsers}`);
  if (lists.size > nUsers) throw new Error(`userCoverage: ${lists.size} lists for only ${nUsers} users`);
  let covered = 0;
  for (const list of lists.values()) {
    for (let r = 0; r < list.length; r++) {
      if (list[r].score >= threshold) {
        covered++;
        break;
      }
    }
  }
  return covered / nUsers;
}

/**
 * Catalogue coverage = |∪_u list(u)| / nItems: the share of the catalogue that is recommended to
 * at least one user.
 */
export function catalogCoverage(lists: TopNLists, nItems: number): number {
  if (!(Number.isInteger(nItems) && nItems >= 1)) throw new Error(`catalogCoverage: nItems must be an integer ≥ 1, got ${nItems}`);
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of lists.values()) {
    for (let r = 0; r < list.length; r++) {
      const i = list[r].item;
      if (!(i >= 0 && i < nItems)) throw new Error(`catalogCoverage: recommended item ${i} is outside 0..${nItems - 1}`);
      if (!seen[i]) {
        seen[i] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}
