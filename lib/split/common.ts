/**
 * What every split returns, and the shared checks and assembly.
 *
 * A split is a pair of `RatingDataset.subset`s of one parent, so the train and test sets share the
 * parent's inner ids, id maps and item metadata: an inner id means the same user or item in the
 * parent, the train set and the test set. Both subsets keep the parent's rating order.
 */
import type { RatingDataset } from "../data/dataset";

export interface Split {
  train: RatingDataset;
  test: RatingDataset;
}

/** Throws a clear error when the dataset has no ratings. */
export function checkNotEmpty(data: RatingDataset, split: string): void {
  if (data.nRatings === 0) throw new Error(`${split} of dataset ${data.name}: the dataset is empty (no ratings)`);
}

/** Throws unless `testSize` is a number strictly between 0 and 1. */
export function checkTestSize(testSize: number, split: string): void {
  if (typeof testSize !== "number" || !(testSize > 0 && testSize < 1)) {
    throw new Error(`${split}: testSize must be a number strictly between 0 and 1, got ${testSize}`);
  }
}

/**
 * Builds the train and test subsets from a 0/1 mask over the parent's ratings (1 = test).
 * Throws an error naming the split when either side would be empty.
 */
export function splitByMask(data: RatingDataset, inTest: Uint8Array, split: string): Split {
  const n = data.nRatings;
  let nTest = 0;
  for (let k = 0; k < n; k++) nTest += inTest[k];
  if (nTest === 0) throw new Error(`${split} of dataset ${data.name}: the test set would be empty`);
  if (nTest === n) throw new Error(`${split} of dataset ${data.name}: the train set would be empty`);
  const test = new Int32Array(nTest);
  const train = new Int32Array(n - nTest);
  let a = 0;
  let b = 0;
  for (let k = 0; k < n; k++) {
    if (inTest[k]) test[b++] = k;
    else train[a++] = k;
  }
  return {
    train: data.subset(train, `${data.name} [${split} train]`),
    test: data.subset(test, `${data.name} [${split} test]`),
  };
}
