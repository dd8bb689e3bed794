/**
 * Per-user (stratified) hold-out: each user's ratings are split by the same fraction, so every
 * user appears in the train set and, when they have enough ratings, in the test set too.
 */
import type { RatingDataset } from "../data/dataset";
import { Rng, toRng } from "../random";
import { Split, checkNotEmpty, checkTestSize, splitByMask } from "./common";

export interface PerUserOptions {
  /** Share of each user's ratings that go to the test set, in (0, 1); default 0.25. */
  testSize?: number;
  seed: number | Rng;
}

/**
 * A user with c ratings gets t = min(c − 1, round(testSize × c)) of them, chosen uniformly at
 * random, in the test set (halves round up); at least one rating always stays in the train set, so
 * a user with a single rating keeps it in train. Users are visited in inner-id order, so the same
 * seed always gives the same split.
 */
export function perUserSplit(data: RatingDataset, options: PerUserOptions): Split {
  const name = "per-user hold-out split";
  checkNotEmpty(data, name);
  const testSize = options.testSize ?? 0.25;
  checkTestSize(testSize, name);
  const rng = toRng(options.seed);
  const inTest = new Uint8Array(data.nRatings);
  let maxRow = 0;
  for (let u = 0; u < data.nUsers; u++) maxRow = Math.max(maxRow, data.userPtr[u + 1] - data.userPtr[u]);
  const scratch = new Int32Array(maxRow);
  for (let u = 0; u < data.nUsers; u++) {
    const a = data.userPtr[u];
    const c = data.userPtr[u + 1] - a;
    const t = Math.min(c - 1, Math.round(testSize * c));
    if (t <= 0) continue;
    for (let j = 0; j < c; j++) scratch[j] = a + j;
    // partial Fisher–Yates: the first t slots become a uniform random t-subset of the row
    for (let j = 0; j < t; j++) {
      const r = j + rng.int(c - j);
      const x = scratch[j];
      scratch[j] = scratch[r];
      scratch[r] = x;
      inTest[data.userEntry[scratch[j]]] = 1;
    }
  }
  return splitByMask(data, inTest, name);
}
