/**
 * The similarity measures between two users (or two items) and their options.
 *
 * Notation (user–user; for item–item swap the roles): I_uv = items rated by both u and v (the
 * co-rated items, |I_uv| = the support), x_i = u's value for item i, y_i = v's value. Every measure
 * except Jaccard looks at co-rated entries ONLY, as Surprise does
 * (https://surprise.readthedocs.io/en/stable/similarities.html):
 *
 * - `cosine`:            Σ x_i y_i / ( √Σ x_i² · √Σ y_i² ), all sums over I_uv, raw ratings.
 *                        Range [0, 1] on a positive scale, [−1, 1] in general.
 * - `adjusted_cosine`:   cosine of ratings centred by the mean of the OTHER side: for item–item
 *                        x = r_ui − μ_u (the user's mean over all the user's train ratings), the
 *                        classic adjusted cosine of Sarwar et al., "Item-based collaborative filtering
 *                        recommendation algorithms", WWW 2001; for user–user it is the mirror image,
 *                        x = r_ui − μ_i (the item's mean). Range [−1, 1].
 * - `pearson`:           Pearson correlation over I_uv with the means taken over I_uv too (Surprise's
 *                        `pearson`): (n Σxy − Σx Σy) / √((n Σx² − (Σx)²)(n Σy² − (Σy)²)), n = |I_uv|;
 *                        0 when either side is constant on I_uv. Range [−1, 1].
 * - `pearson_baseline`:  cosine of baseline residuals x = r_ui − b_ui, b_ui = μ + b_u + b_i (fitted by
 *                        ALS unless `baselines` are given), shrunk towards 0:
 *                        sim · (n − 1) / (n − 1 + shrinkage) (Surprise's `pearson_baseline`; Koren 2010
 *                        §2.2). Needs at least 2 common ratings (min support max(2, minSupport)).
 *                        Range [−1, 1].
 * - `spearman`:          Pearson (as above) over RANKS instead of ratings. Each entity's ratings are
 *                        ranked within that entity's full train rating vector (all of a user's ratings
 *                        for user–user, all of an item's ratings for item–item), 1 = lowest, ties get
 *                        the average of the ranks they span (a user who gave 3, 5, 5, 4 has ranks 1,
 *                        3.5, 3.5, 2). Then the Pearson correlation of the two rank vectors is taken
 *                        over the co-rated entries. Range [−1, 1]. (Spearman 1904; Herlocker et al.,
 *                        "An empirical analysis of design choices in neighborhood-based collaborative
 *                        filtering algorithms", Information Retrieval 2002.)
 * - `msd`:               mean squared difference similarity 1 / (MSD + 1), MSD = Σ (x_i − y_i)² / n
 *                        over I_uv (Surprise's `msd`, the default of its k-NN algorithms). Range (0, 1].
 * - `jaccard`:           |I_u ∩ I_v| / |I_u ∪ I_v| over the SETS of rated items (values ignored).
 *                        Range [0, 1].
 *
 * Conventions shared by all measures:
 * - support below `minSupport` (|I_uv| < minSupport; and always when |I_uv| = 0) → similarity 0,
 *   as Surprise's `min_support` (default 1);
 * - a zero denominator (e.g. all-zero residuals) → 0;
 * - the diagonal sim(a, a) is 1 for an entity with at least one rating, 0 for an empty one;
 * - values are clamped to their range against rounding, and stored as float32.
 */
import type { Baselines } from "../baseline/baselines";

export const SIMILARITY_MEASURES = [
  "cosine",
  "adjusted_cosine",
  "pearson",
  "pearson_baseline",
  "spearman",
  "msd",
  "jaccard",
] as const;

export type SimilarityMeasure = (typeof SIMILARITY_MEASURES)[number];

export interface SimilarityOptions {
  /** Which measure (default "msd", as Surprise). */
  measure?: SimilarityMeasure;
  /** true: user–user similarities; false: item–item (default true, as Surprise). */
  userBased?: boolean;
  /** Pairs with fewer common ratings than this get similarity 0 (default 1). */
  minSupport?: number;
  /** Shrinkage of `pearson_baseline` (default 100; ignored by the other measures). */
  shrinkage?: number;
  /** Baselines for `pearson_baseline` (default: fitted by ALS with Surprise's defaults). */
  baselines?: Baselines;
}

/** Options with defaults filled in and checked. */
export interface ResolvedSimilarityOptions {
  measure: SimilarityMeasure;
  userBased: boolean;
  minSupport: number;
  shrinkage: number;
  baselines?: Baselines;
}

export function resolveSimilarityOptions(options: SimilarityOptions = {}): ResolvedSimilarityOptions {
  const measure = options.measure ?? "msd";
  if (!(SIMILARITY_MEASURES as readonly string[]).includes(measure)) {
    throw new Error(`similarity: unknown measure ${JSON.stringify(measure)} (use one of ${SIMILARITY_MEASURES.join(", ")})`);
  }
  const minSupport = options.minSupport ?? 1;
  if (!(minSupport >= 0) || !Number.isInteger(minSupport)) {
    throw new Error(`similarity: minSupport must be a non-negative integer, got ${minSupport}`);
  }
  const shrinkage = options.shrinkage ?? 100;
  if (!(shrinkage >= 0) || !Number.isFinite(shrinkage)) {
    throw new Error(`similarity: shrinkage must be a finite number ≥ 0, got ${shrinkage}`);
  }
  const userBased = options.userBased ?? true;
  if (typeof userBased !== "boolean") throw new Error(`similarity: userBased must be true or false, got ${userBased}`);
  return { measure, userBased, minSupport, shrinkage, baselines: options.baselines };
}

/** The smallest support that gives a non-zero similarity under these options. */
export function effectiveMinSupport(o: ResolvedSimilarityOptions): number {
  return Math.max(o.measure === "pearson_baseline" ? 2 : 1, o.minSupport);
}

/** [low, high] range of a measure's values (for clamping and for tests). */
export function measureRange(measure: SimilarityMeasure, ratingScale: readonly [number, number]): [number, number] {
  switch (measure) {
    case "msd":
    case "jaccard":
      return [0, 1];
    case "cosine":
      return ratingScale[0] >= 0 ? [0, 1] : [-1, 1];
    default:
      return [-1, 1];
  }
}
