/**
 * Random hold-out: a uniformly random share of all ratings becomes the test set (the split of
 * Surprise's `train_test_split`, used by the course for its 75/25 accuracy test).
 */
import type { RatingDataset } from "../data/dataset";
import { Rng, toRng } from "../random";
import { Split, checkNotEmpty, checkTestSize, splitByMask } from "./common";

export interface HoldoutOptions {
  /** Share of the ratings that go to the test set, in (0, 1); default 0.25. */
  testSize?: number;
  seed: number | Rng;
}

/**
 * Holds out `round(testSize × nRatings)` ratings chosen uniformly at random (halves round up).
 * Surprise rounds up with `ceil`, so its test set can be one rating larger.
 * The same seed always gives the same split.
 */
export function randomSplit(data: RatingDataset, options: HoldoutOptions): Split {
  const name = "random hold-out split";
  checkNotEmpty(data, name);
  const testSize = options.testSize ?? 0.25;
  checkTestSize(testSize, name);
  const n = data.nRatings;
  const nTest = Math.round(testSize * n);
  if (nTest === 0 || nTest === n) {
    throw new Error(
      `${name} of dataset ${data.name}: testSize ${testSize} of ${n} ratings leaves the ${nTest === 0 ? "test" : "train"} set empty`,
    );
  }
  const rng = toRng(options.seed);
  const chosen = rng.sample(n, nTest);
  const inTest = new Uint8Array(n);
  for (let j = 0; j < nTest; j++) inTest[chosen[j]] = 1;
  return splitByMask(data, inTest, name);
}
