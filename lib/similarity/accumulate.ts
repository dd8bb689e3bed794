/**
 * The pair-statistics kernel behind every similarity computation.
 *
 * For one entity a at a time, it walks a's ratings (a, v, x) and, for each, the other-side row of v
 * (every entity b that also rated v, with value y), adding the pair statistics of (a, b) into dense
 * per-b accumulators of length n. That is the row-by-row sparse product ("Gustavson's algorithm"),
 * O(Σ_v |row_v|²) updates in total, with O(n) scratch memory that stays in the CPU cache — never a
 * pairs-sized accumulator.
 *
 * Two modes:
 * - triangle (`full = false`): only b > a. Entities are processed in increasing order and every
 *   other-side row is sorted by entity, so a cursor per row points at a's own position and the walk
 *   starts just after it. Each pair is visited once: half the work, for the dense matrix.
 * - full (`full = true`): every b (b = a included, callers overwrite it), for one row on its own
 *   (`similarityRow` in neighbours.ts).
 *
 * Only the statistics the measure needs are kept (n = |I_ab|, the co-rated count, always):
 *   msd:                        Σ (x − y)²
 *   cosine-like (cosine, adjusted_cosine, pearson_baseline):  Σ xy, Σ x², Σ y²
 *   pearson-like (pearson, spearman):  Σ xy, Σ x², Σ y², Σ x, Σ y
 *   jaccard:                    n only
 * Σ x² and Σ y² are per PAIR (over co-rated entries), not per-entity norms. Accumulators are
 * float64; the summation order for (a, b) is the same in both modes and for (b, a), so the
 * triangle and the full mode give bit-identical similarities.
 */
import { type ResolvedSimilarityOptions, effectiveMinSupport } from "./measures";
import type { PreparedSides } from "./prepare";

const KIND_COUNT = 0;
const KIND_MSD = 1;
const KIND_COS = 2;
const KIND_PEARSON = 3;
/** Accumulator slots per entity for each kind: [n, Σ(x−y)²] / [n, Σxy, Σx², Σy²] / [… , Σx, Σy]. */
const STRIDE = [1, 2, 4, 6];

export class PairAccumulator {
  readonly n: number;
  private readonly kind: number;
  private readonly stride: number;
  private readonly shrink: boolean;
  private readonly minSupport: number;
  private readonly shrinkage: number;
  private readonly ePtr: Int32Array;
  private readonly eIdx: Int32Array;
  private readonly eVal: Float64Array;
  private readonly oPtr: Int32Array;
  private readonly oIdx: Int32Array;
  private readonly oVal: Float64Array;
  /** Triangle mode: position in each other-side row of the entity being processed. */
  private readonly cursor: Int32Array;
  /**
   * Interleaved per-b accumulators, `stride` slots each (one cache line per update): slot 0 is the
   * co-rated count, then the sums listed above.
   */
  private readonly acc: Float64Array;
  private nextTriangle = 0;

  constructor(sides: PreparedSides, options: ResolvedSimilarityOptions) {
    const m = options.measure;
    this.kind =
      m === "jaccard"
        ? KIND_COUNT
        : m === "msd"
          ? KIND_MSD
          : m === "pearson" || m === "spearman"
            ? KIND_PEARSON
            : KIND_COS;
    this.stride = STRIDE[this.kind];
    this.shrink = m === "pearson_baseline";
    this.minSupport = effectiveMinSupport(options);
    this.shrinkage = options.shrinkage;
    this.n = sides.n;
    this.ePtr = sides.E.ptr;
    this.eIdx = sides.E.idx;
    this.eVal = sides.E.val;
    this.oPtr = sides.O.ptr;
    this.oIdx = sides.O.idx;
    this.oVal = sides.O.val;
    this.cursor = sides.O.ptr.slice(0, sides.nOther);
    this.acc = new Float64Array(this.stride * this.n);
  }

  /** Number of ratings of entity a. */
  size(a: number): number {
    return this.ePtr[a + 1] - this.ePtr[a];
  }

  /**
   * Adds the statistics of every pair (a, b) into the accumulators of b: all b when `full`, only
   * b > a otherwise (then entities must come in increasing order 0, 1, 2 …).
   */
  accumulate(a: number, full: boolean): void {
    if (!full) {
      if (a !== this.nextTriangle) {
        throw new Error(`PairAccumulator: triangle rows must come in order (expected ${this.nextTriangle}, got ${a})`);
      }
      this.nextTriangle++;
    }
    switch (this.kind) {
      case KIND_COUNT:
        this.accCount(a, full);
        break;
      case KIND_MSD:
        this.accMsd(a, full);
        break;
      case KIND_COS:
        this.accCos(a, full);
        break;
      default:
        this.accPearson(a, full);
    }
  }

  /** Start of the walk in other-side row v for entity a (advancing the cursor in triangle mode). */
  private start(v: number, full: boolean): number {
    return full ? this.oPtr[v] : ++this.cursor[v];
  }

  private accCount(a: number, full: boolean): void {
    const { ePtr, eIdx, oPtr, oIdx, acc } = this;
    for (let p = ePtr[a], pe = ePtr[a + 1]; p < pe; p++) {
      const v = eIdx[p];
      for (let q = this.start(v, full), qe = oPtr[v + 1]; q < qe; q++) acc[oIdx[q]] += 1;
    }
  }

  private accMsd(a: number, full: boolean): void {
    const { ePtr, eIdx, eVal, oPtr, oIdx, oVal, acc } = this;
    for (let p = ePtr[a], pe = ePtr[a + 1]; p < pe; p++) {
      const v = eIdx[p];
      const x = eVal[p];
      for (let q = this.start(v, full), qe = oPtr[v + 1]; q < qe; q++) {
        const s = oIdx[q] << 1;
        const d = x - oVal[q];
        acc[s] += 1;
        acc[s + 1] += d * d;
      }
    }
  }

  private accCos(a: number, full: boolean): void {
    const { ePtr, eIdx, eVal, oPtr, oIdx, oVal, acc } = this;
    for (let p = ePtr[a], pe = ePtr[a + 1]; p < pe; p++) {
      const v = eIdx[p];
      const x = eVal[p];
      const xx = x * x;
      for (let q = this.start(v, full), qe = oPtr[v + 1]; q < qe; q++) {
        const s = oIdx[q] << 2;
        const y = oVal[q];
        acc[s] += 1;
        acc[s + 1] += x * y;
        acc[s + 2] += xx;
        acc[s + 3] += y * y;
      }
    }
  }

  private accPearson(a: number, full: boolean): void {
    const { ePtr, eIdx, eVal, oPtr, oIdx, oVal, acc } = this;
    for (let p = ePtr[a], pe = ePtr[a + 1]; p < pe; p++) {
      const v = eIdx[p];
      const x = eVal[p];
      const xx = x * x;
      for (let q = this.start(v, full), qe = oPtr[v + 1]; q < qe; q++) {
        const s = oIdx[q] * 6;
        const y = oVal[q];
        acc[s] += 1;
        acc[s + 1] += x * y;
        acc[s + 2] += xx;
        acc[s + 3] += y * y;
        acc[s + 4] += x;
        acc[s + 5] += y;
      }
    }
  }

  /**
   * Writes sim(a, b) for every b in [from, to) into out[offset + b] (0 where nothing was
   * accumulated, below the minimum support, or for a zero denominator) and clears those
   * accumulators. The formulas are those of measures.ts; results are clamped to [−1, 1].
   */
  takeRow(a: number, from: number, to: number, out: Float32Array, offset: number): void {
    switch (this.kind) {
      case KIND_COUNT:
        this.takeCount(a, from, to, out, offset);
        break;
      case KIND_MSD:
        this.takeMsd(from, to, out, offset);
        break;
      case KIND_COS:
        this.takeCos(from, to, out, offset);
        break;
      default:
        this.takePearson(from, to, out, offset);
    }
  }

  private takeCount(a: number, from: number, to: number, out: Float32Array, offset: number): void {
    const { acc, minSupport, ePtr } = this;
    const na = ePtr[a + 1] - ePtr[a];
    for (let b = from; b < to; b++) {
      const c = acc[b];
      if (c === 0) {
        out[offset + b] = 0;
        continue;
      }
      acc[b] = 0;
      // |A ∩ B| / |A ∪ B|
      out[offset + b] = c >= minSupport ? c / (na + ePtr[b + 1] - ePtr[b] - c) : 0;
    }
  }

  private takeMsd(from: number, to: number, out: Float32Array, offset: number): void {
    const { acc, minSupport } = this;
    for (let b = from; b < to; b++) {
      const s = b << 1;
      const c = acc[s];
      if (c === 0) {
        out[offset + b] = 0;
        continue;
      }
      // 1 / (Σ(x−y)²/n + 1)
      out[offset + b] = c >= minSupport ? 1 / (acc[s + 1] / c + 1) : 0;
      acc[s] = acc[s + 1] = 0;
    }
  }

  private takeCos(from: number, to: number, out: Float32Array, offset: number): void {
    const { acc, minSupport, shrink, shrinkage } = this;
    for (let b = from; b < to; b++) {
      const s = b << 2;
      const c = acc[s];
      if (c === 0) {
        out[offset + b] = 0;
        continue;
      }
      const den = acc[s + 2] * acc[s + 3];
      let sim = 0;
      if (c >= minSupport && den > 0) {
        // Σxy / √(Σx² Σy²), shrunk by (n−1)/(n−1+λ) for pearson_baseline
        sim = acc[s + 1] / Math.sqrt(den);
        if (shrink) sim *= (c - 1) / (c - 1 + shrinkage);
        sim = sim > 1 ? 1 : sim < -1 ? -1 : sim;
      }
      out[offset + b] = sim;
      acc[s] = acc[s + 1] = acc[s + 2] = acc[s + 3] = 0;
    }
  }

  private takePearson(from: number, to: number, out: Float32Array, offset: number): void {
    const { acc, minSupport } = this;
    for (let b = from; b < to; b++) {
      const s = b * 6;
      const c = acc[s];
      if (c === 0) {
        out[offset + b] = 0;
        continue;
      }
      const sxx = acc[s + 2];
      const syy = acc[s + 3];
      const x = acc[s + 4];
      const y = acc[s + 5];
      // (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)); a constant side gives 0 up to rounding
      const vx = c * sxx - x * x;
      const vy = c * syy - y * y;
      let sim = 0;
      if (c >= minSupport && vx > 1e-12 * c * sxx && vy > 1e-12 * c * syy) {
        sim = (c * acc[s + 1] - x * y) / Math.sqrt(vx * vy);
        sim = sim > 1 ? 1 : sim < -1 ? -1 : sim;
      }
      out[offset + b] = sim;
      acc[s] = acc[s + 1] = acc[s + 2] = acc[s + 3] = acc[s + 4] = acc[s + 5] = 0;
    }
  }
}
