/**
 * Synthetic explicit-feedback data for benchmarks and scale tests: MovieLens-like shape without
 * shipping or downloading anything. Seeded, so the same arguments give the same dataset.
 *
 * Model: item popularity and user activity follow Zipf-like power laws (weights ∝ 1/(rank+10)^s),
 * each user rates `count` distinct items drawn by popularity, and a rating comes from a
 * low-rank taste model r = clip(round(μ + b_u + b_i + p_u·q_i + ε)) on the given scale, so that
 * collaborative filtering has real structure to find.
 */
import { Rng } from "../random";
import { RatingDataset } from "./dataset";

export interface SyntheticOptions {
  users: number;
  items: number;
  ratings: number;
  seed?: number;
  /** Rating scale (default [1, 5]); ratings are whole stars. */
  scale?: [number, number];
  /** Latent dimensions of the taste model (default 5). */
  factors?: number;
  name?: string;
}

/** Sizes of the MovieLens releases, for "ML-1M-sized" style benchmarks. */
export const MOVIELENS_SIZES = {
  "ml-100k": { users: 943, items: 1682, ratings: 100_000 },
  "ml-1m": { users: 6040, items: 3706, ratings: 1_000_209 },
  "ml-20m": { users: 138_493, items: 26_744, ratings: 20_000_263 },
} as const;

export function syntheticRatings(options: SyntheticOptions): RatingDataset {
  const { users: nU, items: nI, ratings: n } = options;
  if (!(nU > 0 && nI > 0 && n > 0)) throw new Error("syntheticRatings: users, items and ratings must be positive");
  if (n > nU * nI) throw new Error(`syntheticRatings: ${n} ratings do not fit in ${nU} × ${nI}`);
  const rng = new Rng(options.seed ?? 1);
  const [lo, hi] = options.scale ?? [1, 5];
  const k = options.factors ?? 5;

  // Ratings per user: power-law weights, at least 1 and at most `cap` each (60% of the catalogue,
  // like MovieLens's heaviest raters, unless the density demands more), summing to n.
  const cap = Math.max(Math.ceil(n / nU), Math.floor(0.6 * nI));
  const userW = powerWeights(nU, 0.9, rng);
  const counts = new Int32Array(nU);
  let total = 0;
  const wSum = userW.reduce((a, b) => a + b, 0);
  for (let u = 0; u < nU; u++) {
    counts[u] = Math.min(cap, Math.max(1, Math.floor((userW[u] / wSum) * n)));
    total += counts[u];
  }
  for (let u = 0; total < n; u = (u + 1) % nU) {
    if (counts[u] < cap) {
      counts[u]++;
      total++;
    }
  }
  for (let u = 0; total > n; u = (u + 1) % nU) {
    if (counts[u] > 1) {
      counts[u]--;
      total--;
    }
  }

  // Item popularity: cumulative weights for inverse-CDF sampling.
  const itemW = powerWeights(nI, 0.9, rng);
  const cdf = new Float64Array(nI);
  let acc = 0;
  for (let i = 0; i < nI; i++) cdf[i] = acc += itemW[i];

  const P = Float32Array.from({ length: nU * k }, () => rng.normal(0, 0.5));
  const Q = Float32Array.from({ length: nI * k }, () => rng.normal(0, 0.5));
  const bu = Float32Array.from({ length: nU }, () => rng.normal(0, 0.4));
  const bi = Float32Array.from({ length: nI }, () => rng.normal(0, 0.5));
  const mu = (lo + hi) / 2 + 0.4;

  const usersArr = new Int32Array(n);
  const itemsArr = new Int32Array(n);
  const ratingsArr = new Float32Array(n);
  const timestamps = new Float64Array(n);
  const mark = new Int32Array(nI).fill(-1);
  let pos = 0;
  for (let u = 0; u < nU; u++) {
    const c = counts[u];
    let got = 0;
    // Popularity-weighted draws; a heavy user who would need too many rejections takes the rest in order.
    let tries = 0;
    while (got < c && tries < c * 20) {
      tries++;
      const i = searchCdf(cdf, rng.next() * acc);
      if (mark[i] === u) continue;
      mark[i] = u;
      emit(u, i);
      got++;
    }
    for (let i = 0; got < c && i < nI; i++) {
      if (mark[i] === u) continue;
      mark[i] = u;
      emit(u, i);
      got++;
    }
  }
  function emit(u: number, i: number): void {
    let dot = 0;
    for (let f = 0; f < k; f++) dot += P[u * k + f] * Q[i * k + f];
    const r = Math.round(mu + bu[u] + bi[i] + dot + rng.normal(0, 0.6));
    usersArr[pos] = u;
    itemsArr[pos] = i;
    ratingsArr[pos] = r < lo ? lo : r > hi ? hi : r;
    timestamps[pos] = 946684800 + Math.floor(rng.next() * 6.3e8);
    pos++;
  }

  return new RatingDataset({
    name: options.name ?? `synthetic-${nU}x${nI}-${n}`,
    userIds: Array.from({ length: nU }, (_, u) => String(u + 1)),
    itemIds: Array.from({ length: nI }, (_, i) => String(i + 1)),
    users: usersArr,
    items: itemsArr,
    ratings: ratingsArr,
    timestamps,
    ratingScale: [lo, hi],
  });
}

/** Power-law weights 1/(rank+10)^s over a random assignment of ranks. */
function powerWeights(n: number, s: number, rng: Rng): Float64Array {
  const ranks = rng.permutation(n);
  return Float64Array.from(ranks, (r) => 1 / Math.pow(r + 10, s));
}

function searchCdf(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
