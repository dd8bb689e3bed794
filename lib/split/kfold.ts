/**
 * K-fold cross-validation over ratings (as Surprise's `KFold`): the ratings are shuffled once and
 * cut into k folds; fold f's test set is its own ratings and its train set all the others.
 */
import type { RatingDataset } from "../data/dataset";
import { Rng, toRng } from "../random";
import { Split, checkNotEmpty, splitByMask } from "./common";

export interface KFoldOptions {
  /** Number of folds, 2 ≤ k ≤ nRatings (default 5). */
  k?: number;
  seed: number | Rng;
}

/**
 * Returns k splits whose test sets partition the ratings: every rating is in exactly one test set.
 * After a seeded shuffle, fold f takes the shuffled positions floor(f·n/k) .. floor((f+1)·n/k) − 1,
 * so fold sizes differ by at most one.
 */
export function kFold(data: RatingDataset, options: KFoldOptions): Split[] {
  const name = "k-fold split";
  checkNotEmpty(data, name);
  const k = options.k ?? 5;
  const n = data.nRatings;
  if (!Number.isInteger(k) || k < 2) throw new Error(`${name}: k must be an integer ≥ 2, got ${k}`);
  if (k > n) throw new Error(`${name} of dataset ${data.name}: k = ${k} folds exceed the ${n} ratings`);
  const perm = toRng(options.seed).permutation(n);
  const folds: Split[] = [];
  for (let f = 0; f < k; f++) {
    const a = Math.floor((f * n) / k);
    const b = Math.floor(((f + 1) * n) / k);
    const inTest = new Uint8Array(n);
    for (let j = a; j < b; j++) inTest[perm[j]] = 1;
    folds.push(splitByMask(data, inTest, `${name} (fold ${f + 1} of ${k})`));
  }
  return folds;
}
