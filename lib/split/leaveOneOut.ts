/**
 * Leave-one-out: one random rating of each user is held out. This is the protocol of top-N
 * hit-rate evaluation (Deshpande & Karypis 2004, "Item-based top-N recommendation algorithms",
 * ACM TOIS 22(1); Surprise's `LeaveOneOut`, used by the course).
 */
import type { RatingDataset } from "../data/dataset";
import { Rng, toRng } from "../random";
import { Split, checkNotEmpty, splitByMask } from "./common";

export interface LeaveOneOutOptions {
  seed: number | Rng;
  /**
   * Users with fewer ratings than this keep all of them in the train set and get no test rating
   * (default 2, so that every user with a test rating still has at least one train rating).
   * Surprise's `LeaveOneOut` defaults to 0, which moves a single-rating user entirely to the test set.
   */
  minRatings?: number;
}

/**
 * For every user with at least `minRatings` ratings, one of their ratings, chosen uniformly at
 * random, goes to the test set; everything else stays in the train set. The test set therefore
 * holds exactly one rating per eligible user. Users are visited in inner-id order, so the same
 * seed always gives the same split.
 */
export function leaveOneOut(data: RatingDataset, options: LeaveOneOutOptions): Split {
  const name = "leave-one-out split";
  checkNotEmpty(data, name);
  const minRatings = options.minRatings ?? 2;
  if (!(Number.isInteger(minRatings) && minRatings >= 1)) {
    throw new Error(`${name}: minRatings must be an integer ≥ 1, got ${minRatings}`);
  }
  const rng = toRng(options.seed);
  const inTest = new Uint8Array(data.nRatings);
  let eligible = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const a = data.userPtr[u];
    const c = data.userPtr[u + 1] - a;
    if (c < minRatings) continue;
    inTest[data.userEntry[a + rng.int(c)]] = 1;
    eligible++;
  }
  if (eligible === 0) {
    throw new Error(`${name} of dataset ${data.name}: no user has at least ${minRatings} ratings, so the test set would be empty`);
  }
  return splitByMask(data, inTest, name);
}
