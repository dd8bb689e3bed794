/**
 * Novelty of top-N lists: how far from the blockbusters the recommendations are.
 * - Mean popularity rank: Kane's course (`RecommenderMetrics.Novelty`).
 * - Self-information: Zhou et al. 2010, "Solving the apparent diversity-accuracy dilemma of
 *   recommender systems", PNAS 107(10) (novelty as mean −log2 of an item's popularity share).
 */
import type { TopNLists } from "./topn";

/**
 * Mean popularity rank of all recommended items, pooled over users:
 * novelty = Σ_u Σ_{i∈L_u} rank(i) / Σ_u |L_u|, where rank 1 is the most-rated item
 * (`RatingDataset.popularityRank`). Higher = more novel. Throws when no item was recommended.
 */
export function novelty(lists: TopNLists, popularityRank: ArrayLike<number>): number {
  let total = 0;
  let count = 0;
  for (const list of lists.values()) {
    for (let r = 0; r < list.length; r++) {
      const i = list[r].item;
      const rank = popularityRank[i];
      if (!(rank >= 1)) throw new Error(`novelty: item ${i} has no popularity rank (got ${rank})`);
      total += rank;
      count++;
    }
  }
  if (count === 0) throw new Error("novelty: no item was recommended (all lists are empty)");
  return total / count;
}

/**
 * Mean self-information of the recommended items, in bits, pooled over users:
 * novelty = (1/Σ|L_u|) · Σ_u Σ_{i∈L_u} −log2(share_i), with share_i = (#users who rated i) / nUsers
 * (`RatingDataset.itemCounts` gives the number of users who rated each item, since a user rates an
 * item at most once). Throws when no item was recommended or when a recommended item has no
 * ratings (its self-information would be infinite).
 */
export function selfInformationNovelty(lists: TopNLists, itemUserCounts: ArrayLike<number>, nUsers: number): number {
  if (!(nUsers >= 1)) throw new Error(`selfInformationNovelty: nUsers must be ≥ 1, got ${nUsers}`);
  let total = 0;
  let count = 0;
  for (const list of lists.values()) {
    for (let r = 0; r < list.length; r++) {
      const i = list[r].item;
      const c = itemUserCounts[i];
      if (!(c >= 1)) {
        throw new Error(`selfInformationNovelty: recommended item ${i} was rated by no user, so its self-information is infinite`);
      }
      if (c > nUsers) throw new Error(`selfInformationNovelty: item ${i} has ${c} raters but there are only ${nUsers} users`);
      total -= Math.log2(c / nUsers);
      count++;
    }
  }
  if (count === 0) throw new Error("selfInformationNovelty: no item was recommended (all lists are empty)");
  return total / count;
}
