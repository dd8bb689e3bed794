/**
 * Item feature matrices for content-based models: a dense items × dim table of numbers, row-major,
 * indexed by the inner item ids of a RatingDataset (e.g. the genre flags of MovieLens, the expert
 * factors of the toy album table).
 */
import type { RatingDataset } from "../data/dataset";

export interface ItemFeatures {
  /** Number of features per item. */
  dim: number;
  /** Row-major nItems × dim values. */
  values: Float64Array;
  /** Name of each feature (optional; for tables and plots). */
  names?: string[];
}

/** Feature rows of one item (a view, not a copy). */
export function featureRow(f: ItemFeatures, item: number): Float64Array {
  return f.values.subarray(item * f.dim, (item + 1) * f.dim);
}

/** Number of items a feature table covers. */
export function featureItems(f: ItemFeatures): number {
  return f.dim === 0 ? 0 : f.values.length / f.dim;
}

/**
 * Builds a feature table from rows (one array per item, all the same length, finite numbers).
 * Throws naming the first bad row.
 */
export function featuresFromRows(rows: ArrayLike<ArrayLike<number>>, names?: string[]): ItemFeatures {
  const n = rows.length;
  if (n === 0) throw new Error("item features: no rows");
  const dim = rows[0].length;
  if (dim === 0) throw new Error("item features: rows have no columns");
  if (names && names.length !== dim) throw new Error(`item features: ${names.length} names for ${dim} columns`);
  const values = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== dim) throw new Error(`item features: row ${i} has ${row.length} values, expected ${dim}`);
    for (let d = 0; d < dim; d++) {
      const x = row[d];
      if (!Number.isFinite(x)) throw new Error(`item features: row ${i}, column ${d} is ${x}, not a finite number`);
      values[i * dim + d] = x;
    }
  }
  return { dim, values, names };
}

/** The genre flags of a dataset as 0/1 features (throws when the dataset has no genres). */
export function genreFeatures(ds: RatingDataset): ItemFeatures {
  const g = ds.genreNames.length;
  if (g === 0) throw new Error(`dataset ${ds.name} has no genre metadata`);
  return { dim: g, values: Float64Array.from(ds.genres), names: ds.genreNames.slice() };
}

/** Checks that a feature table covers exactly the items of a dataset. */
export function checkFeatures(f: ItemFeatures, ds: RatingDataset, who: string): void {
  if (!(f.dim >= 1) || !Number.isInteger(f.dim)) throw new Error(`${who}: feature dim must be a positive integer, got ${f.dim}`);
  if (f.values.length !== ds.nItems * f.dim) {
    throw new Error(
      `${who}: item features have ${f.values.length / f.dim} rows but dataset ${ds.name} has ${ds.nItems} items`,
    );
  }
  for (let k = 0; k < f.values.length; k++) {
    if (!Number.isFinite(f.values[k])) {
      throw new Error(`${who}: feature ${k % f.dim} of item ${ds.itemIds[Math.floor(k / f.dim)]} is ${f.values[k]}`);
    }
  }
}
