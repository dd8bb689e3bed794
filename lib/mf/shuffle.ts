/**
 * A fast unbiased in-place Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P) for the
 * per-epoch visiting orders of the SGD trainers. Same result for the same generator state.
 *
 * Each swap index j ∈ [0, i] comes from one 32-bit draw by Lemire's multiply-and-reject method
 * ("Fast random integer generation in an interval", ACM TOMACS 29(1), 2019): j = ⌊x·m / 2³²⌋ with
 * m = i + 1, rejecting the few x whose low 32 bits of x·m fall below 2³² mod m. About twice as
 * fast as `Rng.shuffle`, which pays a modulo per draw; both are exactly uniform.
 */
import type { Rng } from "../random";

const TWO32 = 4294967296;

export function shuffleInPlace(rng: Rng, a: Int32Array): Int32Array {
  shuffleRange(rng, a, 0, a.length);
  return a;
}

/** Shuffles a[lo … hi) in place (Fisher–Yates with the same draws as `shuffleInPlace`). */
export function shuffleRange(rng: Rng, a: Int32Array, lo: number, hi: number): void {
  for (let i = hi - 1; i > lo; i--) {
    const m = i - lo + 1;
    let x = rng.uint32();
    let low = Math.imul(x, m) >>> 0; // x·m mod 2³², exact
    if (low < m) {
      const threshold = (TWO32 - m) % m; // 2³² mod m
      while (low < threshold) {
        x = rng.uint32();
        low = Math.imul(x, m) >>> 0;
      }
    }
    // x·m < 2⁶³ is rounded in float64, but (x·m − low) is a multiple of 2³² off by far less than 2³¹
    const j = lo + Math.round((x * m - low) / TWO32);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
