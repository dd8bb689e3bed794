/**
 * Top-k neighbour lists: for every user (or item) its k most similar others, computed without
 * the n × n matrix.
 *
 * ```ts
 * const nb = topKNeighbours(train, { measure: "cosine", userBased: false }, 50);
 * const { ids, sims } = nb.neighbours(i);   // views, most similar first
 * ```
 *
 * The triangle pass of accumulate.ts computes each pair once, with O(n) scratch memory, and
 * offers it to both entities' bounded heaps of size k: memory O(n·k + ratings) whatever the
 * catalogue size; time that of the dense computation (O(Σ_v |row_v|² / 2) updates, O(n²)
 * finalising) plus O(n² log k) at worst for the heaps.
 *
 * A neighbour is any b ≠ a with a non-zero similarity (so pairs below the minimum support never
 * appear); ranking is by the float32 similarity, as stored, descending, ties by the smaller id —
 * the same order as sorting a row of the dense matrix.
 */
import type { RatingDataset } from "../data/dataset";
import { PairAccumulator } from "./accumulate";
import { type ResolvedSimilarityOptions, type SimilarityOptions, resolveSimilarityOptions } from "./measures";
import { prepareSides } from "./prepare";

export class NeighbourLists {
  constructor(
    readonly n: number,
    /** Maximum neighbours per entity. */
    readonly k: number,
    /** Neighbour ids, entity a's at a·k … a·k + counts[a] − 1, best first. */
    readonly ids: Int32Array,
    /** Their similarities, aligned with `ids`. */
    readonly sims: Float32Array,
    /** Number of neighbours each entity actually has (≤ k). */
    readonly counts: Int32Array,
    readonly options: Readonly<Omit<ResolvedSimilarityOptions, "baselines">>,
  ) {}

  /** Neighbours of a, most similar first (views, do not modify). */
  neighbours(a: number): { ids: Int32Array; sims: Float32Array } {
    if (!(a >= 0 && a < this.n) || !Number.isInteger(a)) {
      throw new Error(`neighbour lists: index ${a} is outside 0..${this.n - 1}`);
    }
    const s = a * this.k;
    const e = s + this.counts[a];
    return { ids: this.ids.subarray(s, e), sims: this.sims.subarray(s, e) };
  }
}

/** The k most similar users (`userBased`, default) or items of every user (item). */
export function topKNeighbours(data: RatingDataset, options: SimilarityOptions, k: number): NeighbourLists {
  if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`topKNeighbours: k must be a positive integer, got ${k}`);
  const o = resolveSimilarityOptions(options);
  const sides = prepareSides(data, o);
  const n = sides.n;
  if (n * k > 2 ** 31 - 1) throw new Error(`topKNeighbours: ${n} entities × k = ${k} is too many to store`);
  const acc = new PairAccumulator(sides, o);
  const heaps = new BoundedHeaps(n, k);
  const row = new Float32Array(n);
  // triangle pass: each pair (a, b), b > a, is computed once and offered to both a's and b's heap
  for (let a = 0; a < n; a++) {
    acc.accumulate(a, false);
    acc.takeRow(a, a + 1, n, row, 0);
    for (let b = a + 1; b < n; b++) {
      const s = row[b];
      if (s === 0) continue;
      heaps.push(a, b, s);
      heaps.push(b, a, s);
    }
  }
  heaps.sortAll();
  const { baselines: _unused, ...kept } = o;
  return new NeighbourLists(n, k, heaps.ids, heaps.scores, heaps.sizes, kept);
}

/**
 * One row of the similarity matrix, sim(a, ·), without the matrix: O(Σ_{v rated by a} |row_v|)
 * time, O(n) memory — e.g. "the movies most similar to this one" on a catalogue too large for the
 * dense form. Bit-identical to `computeSimilarity(data, options).row(a)` (same sums in the same
 * order); the diagonal is 1 when a has ratings.
 */
export function similarityRow(data: RatingDataset, options: SimilarityOptions, a: number): Float32Array {
  const o = resolveSimilarityOptions(options);
  const sides = prepareSides(data, o);
  if (!(a >= 0 && a < sides.n) || !Number.isInteger(a)) {
    throw new Error(`similarityRow: index ${a} is outside 0..${sides.n - 1} of dataset ${data.name}`);
  }
  const acc = new PairAccumulator(sides, o);
  const row = new Float32Array(sides.n);
  acc.accumulate(a, true);
  acc.takeRow(a, 0, sides.n, row, 0);
  row[a] = acc.size(a) > 0 ? 1 : 0;
  return row;
}

/**
 * n bounded min-heaps of capacity k in flat typed arrays (entity e's at e·k …): each keeps the k
 * best (highest score; among equal scores the smaller id) of what was pushed, in any push order.
 */
class BoundedHeaps {
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  readonly sizes: Int32Array;
  /** Score at the root of each full heap (−∞ while filling): a cache-friendly first test. */
  private readonly floor: Float32Array;

  constructor(
    n: number,
    private readonly k: number,
  ) {
    this.ids = new Int32Array(n * k);
    this.scores = new Float32Array(n * k);
    this.sizes = new Int32Array(n);
    this.floor = new Float32Array(n).fill(-Infinity);
  }

  push(e: number, id: number, score: number): void {
    if (score < this.floor[e]) return;
    const { ids, scores, k } = this;
    const base = e * k;
    const size = this.sizes[e];
    if (size < k) {
      // sift up from the new leaf
      let c = size;
      this.sizes[e] = size + 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const sp = scores[base + p];
        // stop when the parent is worse than (or equal to) the new entry
        if (sp < score || (sp === score && ids[base + p] > id)) break;
        ids[base + c] = ids[base + p];
        scores[base + c] = sp;
        c = p;
      }
      ids[base + c] = id;
      scores[base + c] = score;
      if (size + 1 === k) this.floor[e] = scores[base];
      return;
    }
    const s0 = scores[base];
    // the root is the worst kept: keep it unless the new entry beats it
    if (score < s0 || (score === s0 && id > ids[base])) return;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= k) break;
      let m = l;
      const r = l + 1;
      if (r < k) {
        const sr = scores[base + r];
        const sl = scores[base + l];
        if (sr < sl || (sr === sl && ids[base + r] > ids[base + l])) m = r;
      }
      const sm = scores[base + m];
      if (sm > score || (sm === score && ids[base + m] < id)) break;
      ids[base + c] = ids[base + m];
      scores[base + c] = sm;
      c = m;
    }
    ids[base + c] = id;
    scores[base + c] = score;
    this.floor[e] = scores[base];
  }

  /** Sorts every heap best first (score descending, then id ascending). */
  sortAll(): void {
    const { ids, scores, k } = this;
    const order: number[] = [];
    const tmpIds = new Int32Array(k);
    const tmpScores = new Float32Array(k);
    for (let e = 0; e < this.sizes.length; e++) {
      const base = e * k;
      const size = this.sizes[e];
      order.length = 0;
      for (let j = 0; j < size; j++) order.push(j);
      order.sort((x, y) => scores[base + y] - scores[base + x] || ids[base + x] - ids[base + y]);
      for (let j = 0; j < size; j++) {
        tmpIds[j] = ids[base + order[j]];
        tmpScores[j] = scores[base + order[j]];
      }
      ids.set(tmpIds.subarray(0, size), base);
      scores.set(tmpScores.subarray(0, size), base);
    }
  }
}
