/**
 * The dense similarity matrix between all users (or all items) of a dataset.
 *
 * ```ts
 * const S = computeSimilarity(train, { measure: "cosine", userBased: false });
 * S.get(i, j);   // sim(i, j)
 * S.row(i);      // Float32Array view of sim(i, ·)
 * ```
 *
 * Storage: the full n × n float32 matrix, row-major (both halves, so a row is a zero-copy view):
 * 4n² bytes — MovieLens 100K users 3.6 MB, items 11 MB; ML-1M items 55 MB, users 146 MB. Up to
 * `DENSE_SIMILARITY_LIMIT` = 8,192 entities (268 MB) is allowed; above that use `topKNeighbours`
 * (neighbours.ts), whose memory is O(n·k).
 *
 * Cost: O(Σ_v |row_v|² / 2) pair updates (the triangle pass of accumulate.ts) plus O(n²) to
 * finalise and mirror. See measures.ts for the measures and their conventions.
 */
import type { RatingDataset } from "../data/dataset";
import { PairAccumulator } from "./accumulate";
import { type ResolvedSimilarityOptions, type SimilarityOptions, resolveSimilarityOptions } from "./measures";
import { prepareSides } from "./prepare";

/** Largest number of entities for which `computeSimilarity` builds the dense matrix. */
export const DENSE_SIMILARITY_LIMIT = 8192;

export class SimilarityMatrix {
  constructor(
    /** Number of entities (users when `options.userBased`, else items). */
    readonly n: number,
    /** Row-major n × n similarities. */
    readonly values: Float32Array,
    readonly options: Readonly<Omit<ResolvedSimilarityOptions, "baselines">>,
  ) {
    if (values.length !== n * n) throw new Error(`SimilarityMatrix: ${values.length} values for n = ${n} (need ${n * n})`);
  }

  get measure(): string {
    return this.options.measure;
  }
  get userBased(): boolean {
    return this.options.userBased;
  }

  /** sim(a, b). */
  get(a: number, b: number): number {
    this.check(a);
    this.check(b);
    return this.values[a * this.n + b];
  }

  /** sim(a, ·) as a view into the matrix (do not modify). */
  row(a: number): Float32Array {
    this.check(a);
    return this.values.subarray(a * this.n, (a + 1) * this.n);
  }

  /**
   * The k entities most similar to a (a itself and zero similarities left out), most similar
   * first, ties by the smaller id.
   */
  mostSimilar(a: number, k: number): { ids: Int32Array; sims: Float32Array } {
    const row = this.row(a);
    const ids: number[] = [];
    for (let b = 0; b < this.n; b++) if (b !== a && row[b] !== 0) ids.push(b);
    ids.sort((x, y) => row[y] - row[x] || x - y);
    const top = ids.slice(0, Math.max(0, k));
    return { ids: Int32Array.from(top), sims: Float32Array.from(top, (b) => row[b]) };
  }

  private check(a: number): void {
    if (!(a >= 0 && a < this.n) || !Number.isInteger(a)) {
      throw new Error(`similarity matrix: index ${a} is outside 0..${this.n - 1}`);
    }
  }
}

/**
 * All pairwise similarities between users (`userBased`, default) or items of `data`, as a dense
 * matrix. Throws for more than `DENSE_SIMILARITY_LIMIT` entities.
 */
export function computeSimilarity(data: RatingDataset, options: SimilarityOptions = {}): SimilarityMatrix {
  const o = resolveSimilarityOptions(options);
  const n = o.userBased ? data.nUsers : data.nItems;
  if (n > DENSE_SIMILARITY_LIMIT) {
    throw new Error(
      `computeSimilarity: ${n} ${o.userBased ? "users" : "items"} exceed the dense limit of ${DENSE_SIMILARITY_LIMIT} ` +
        `(${((4 * n * n) / 2 ** 20).toFixed(0)} MiB); use topKNeighbours for bounded memory`,
    );
  }
  const sides = prepareSides(data, o);
  const acc = new PairAccumulator(sides, o);
  const S = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    acc.accumulate(a, false);
    acc.takeRow(a, a + 1, n, S, a * n);
    if (acc.size(a) > 0) S[a * n + a] = 1;
  }
  mirrorUpper(S, n);
  const { baselines: _unused, ...kept } = o;
  return new SimilarityMatrix(n, S, kept);
}

/** Copies the upper triangle onto the lower one, in cache-friendly blocks. */
function mirrorUpper(S: Float32Array, n: number): void {
  const B = 64;
  for (let ib = 0; ib < n; ib += B) {
    for (let jb = ib; jb < n; jb += B) {
      const iEnd = Math.min(ib + B, n);
      const jEnd = Math.min(jb + B, n);
      for (let i = ib; i < iEnd; i++) {
        const row = i * n;
        for (let j = Math.max(jb, i + 1); j < jEnd; j++) S[j * n + i] = S[row + j];
      }
    }
  }
}
